import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from './text';

/**
 * How the core reads files. The language server overlays open (unsaved) documents on top
 * of the disk; the CLI and tests read the disk. Nothing in the core touches fs directly,
 * so an editor's view of a file always wins over what is saved.
 */
export interface SourceHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(file: string): string | undefined;
  /**
   * The file's text with its line index, for a host that keeps both (cachingDiskHost): a
   * file included by many configs of one run is then read and split into lines once.
   */
  readSource?(file: string): SourceText | undefined;
  /** Entries of a directory (names only), or undefined when it is not a directory. */
  readDir(dir: string): string[] | undefined;
  isDirectory(file: string): boolean;
  /**
   * Owner, group and mode of a path on this machine (symbolic links followed), or undefined
   * when it does not exist. Hosts that stand for no machine (tests' memory) leave it out, and
   * rules about this machine's permissions then say nothing.
   */
  stat?(file: string): PathStat | undefined;
}

export interface PathStat {
  kind: 'directory' | 'socket' | 'file' | 'other';
  uid: number;
  gid: number;
  /** Permission bits (mode & 0o7777). */
  mode: number;
}

export function pathStatOf(st: fs.Stats): PathStat {
  const kind = st.isDirectory() ? 'directory' : st.isSocket() ? 'socket' : st.isFile() ? 'file' : 'other';
  return { kind, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
}

export function diskStat(file: string): PathStat | undefined {
  try { return pathStatOf(fs.statSync(file)); } catch { return undefined; }
}

/** A file's text and its line index, shared (never changed) by every reader of the file. */
export interface SourceText { readonly text: string; readonly lines: LineIndex }

/** Files larger than this are refused rather than read: a config is never this big. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const diskHost: SourceHost = diskHostDecoding(decodeText);

/**
 * The disk as a place configs are read from, not as the machine they run on: no `stat`, so
 * rules about this machine's permissions stay silent (fixtures, a corpus of configs written
 * for other machines).
 */
export const configDiskHost: SourceHost = { readFile: diskHost.readFile, readDir: diskHost.readDir, isDirectory: diskHost.isDirectory };

/**
 * The disk with every file read byte for byte as Latin-1: text made from it and written back
 * as Latin-1 holds exactly the bytes read (the config put together for the real Exim).
 */
export const bytesDiskHost: SourceHost = diskHostDecoding((buf) => Buffer.from(buf).toString('latin1'));

function diskHostDecoding(decode: (buf: Uint8Array) => string): SourceHost {
  return {
    readFile(file) {
      try {
        const st = fs.statSync(file);
        if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
        return decode(fs.readFileSync(file));
      } catch {
        return undefined;
      }
    },
    readDir: diskReadDir,
    isDirectory: diskIsDirectory,
    stat: diskStat,
  };
}

function diskReadDir(dir: string): string[] | undefined {
  try { return fs.readdirSync(dir).sort(); } catch { return undefined; }
}

function diskIsDirectory(file: string): boolean {
  try { return fs.statSync(file).isDirectory(); } catch { return false; }
}

/**
 * Config files are bytes, not always UTF-8 (Exim's own test suite has ISO-8859 files).
 * Valid UTF-8 is decoded as such; anything else byte-for-byte as Latin-1, so no byte is
 * lost and offsets still line up with what the user sees.
 */
export function decodeText(buf: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return Buffer.from(buf).toString('latin1');
  }
}

/**
 * `path.resolve(p)`, without its cost (a new string built character by character) for a
 * path that is already absolute and normal, as nearly every path the core passes around is.
 */
export function resolvePath(p: string): string {
  const plain = path.sep === '/' && p.charCodeAt(0) === 47 && !p.includes('/.') && !p.includes('//')
    && (p.length === 1 || p.charCodeAt(p.length - 1) !== 47);
  return plain ? p : path.resolve(p);
}

/** A host whose files are given in memory, falling back to another host. */
export function overlayHost(files: Map<string, string>, fallback: SourceHost = diskHost): SourceHost {
  return {
    readFile: (f) => files.get(resolvePath(f)) ?? files.get(f) ?? fallback.readFile(f),
    readDir: (d) => {
      const base = fallback.readDir(d) ?? [];
      const dir = path.resolve(d);
      const extra = [...files.keys()].filter((f) => path.dirname(path.resolve(f)) === dir).map((f) => path.basename(f));
      const all = [...new Set([...base, ...extra])].sort();
      return all.length || fallback.isDirectory(d) ? all : undefined;
    },
    // A path given as text is a file: no stat of the disk for it (one check asked three times per config).
    isDirectory: (d) => !files.has(d) && !files.has(resolvePath(d)) && fallback.isDirectory(d),
    ...(fallback.stat ? { stat: (f: string) => fallback.stat!(f) } : {}),
  };
}

/**
 * The disk as a snapshot: each path is looked at (stat, read, listed) once for the life of
 * the host, and a file's text and line index are shared by every reader. For the CLI, which
 * checks many configs in one process that include the same files and ask of each input
 * several times whether it is a directory. A change made after a path was first looked at
 * is not seen: make a new host to read afresh (`check --fix` does before checking again).
 */
export function cachingDiskHost(): SourceHost {
  const stats = new Map<string, fs.Stats | null>();
  const sources = new Map<string, SourceText | null>();
  const dirs = new Map<string, readonly string[] | null>();
  // Keyed by the path as given, which the disk host stats as it is (nearly always the resolved path).
  const stat = (file: string): fs.Stats | null => {
    let st = stats.get(file);
    if (st === undefined) {
      try { st = fs.statSync(file); } catch { st = null; }
      stats.set(file, st);
    }
    return st;
  };
  const readSource = (file: string): SourceText | undefined => {
    const abs = resolvePath(file);
    let src = sources.get(abs);
    if (src === undefined) {
      const st = stat(abs);
      src = null;
      if (st && st.isFile() && st.size <= MAX_FILE_BYTES) {
        try {
          const text = decodeText(fs.readFileSync(abs));
          src = { text, lines: new LineIndex(text) };
        } catch { /* unreadable: undefined, as the disk host says */ }
      }
      sources.set(abs, src);
    }
    return src ?? undefined;
  };
  return {
    readFile: (file) => readSource(file)?.text,
    readSource,
    readDir: (dir) => {
      let names = dirs.get(dir);
      if (names === undefined) dirs.set(dir, names = diskHost.readDir(dir) ?? null);
      // A copy: the caller may sort or extend it.
      return names ? [...names] : undefined;
    },
    isDirectory: (file) => stat(file)?.isDirectory() ?? false,
    stat: (file) => { const st = stat(file); return st ? pathStatOf(st) : undefined; },
  };
}
