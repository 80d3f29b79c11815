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
}

/** A file's text and its line index, shared (never changed) by every reader of the file. */
export interface SourceText { readonly text: string; readonly lines: LineIndex }

/** Files larger than this are refused rather than read: a config is never this big. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const diskHost: SourceHost = {
  readFile(file) {
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      return decodeText(fs.readFileSync(file));
    } catch {
      return undefined;
    }
  },
  readDir(dir) {
    try { return fs.readdirSync(dir).sort(); } catch { return undefined; }
  },
  isDirectory(file) {
    try { return fs.statSync(file).isDirectory(); } catch { return false; }
  },
};

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
  };
}

/**
 * The disk, with each file's text and line index kept for the life of the host and reused
 * while the file's mtime and size stay the same (one stat per read remains, so a file
 * rewritten by `check --fix` is read again). For the CLI, which checks many configs in one
 * process that include the same files.
 */
export function cachingDiskHost(): SourceHost {
  const cache = new Map<string, { mtimeMs: number; size: number; src: SourceText }>();
  const readSource = (file: string): SourceText | undefined => {
    const abs = resolvePath(file);
    let st: fs.Stats;
    try { st = fs.statSync(abs); } catch { return undefined; }
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    const hit = cache.get(abs);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.src;
    let text: string;
    try { text = decodeText(fs.readFileSync(abs)); } catch { return undefined; }
    const src: SourceText = { text, lines: new LineIndex(text) };
    cache.set(abs, { mtimeMs: st.mtimeMs, size: st.size, src });
    return src;
  };
  return {
    readFile: (file) => readSource(file)?.text,
    readSource,
    readDir: (dir) => diskHost.readDir(dir),
    isDirectory: (file) => diskHost.isDirectory(file),
  };
}
