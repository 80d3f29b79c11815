import * as path from 'node:path';
import type { SourceHost } from '../host';
import type { FileKind } from '../project';
import { classifyPath, eximRootOf } from '../project';

/** The three files checked together; any may be missing. */
export interface Pairing {
  exim?: string;
  cyrus?: string;
  imapd?: string;
  /** The workspace folder the pairing was found in, if any. */
  folder?: string;
}

/** Paths the user chose in settings; relative ones are against the workspace folder. */
export interface PairingSettings { eximConfig?: string; cyrusConfig?: string; imapdConfig?: string }

const NAMES: Record<FileKind, string[]> = {
  exim: ['exim.conf', 'exim4.conf', 'exim4.conf.template', 'configure'],
  'cyrus-conf': ['cyrus.conf'],
  'imapd-conf': ['imapd.conf'],
};

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

/** The nearest enclosing Debian `conf.d` directory of a file, if it is inside one. */
export function confDirOf(file: string): string | undefined {
  const parts = path.resolve(file).split(path.sep);
  const i = parts.lastIndexOf('conf.d');
  return i > 0 && i < parts.length - 1 ? parts.slice(0, i + 1).join(path.sep) : undefined;
}

/**
 * The file of `kind` in one directory, by name; a `conf.d` beside counts for Exim. A Debian
 * /etc/exim4 holds the config Debian runs from it, chosen as the CLI chooses (exim4.conf,
 * else conf.d or exim4.conf.template per dc_use_split_config), not the first name found.
 */
function inDir(dir: string, kind: FileKind, host: SourceHost): string | undefined {
  const entries = host.readDir(dir);
  if (!entries) return undefined;
  if (kind === 'exim') {
    const debian = eximRootOf(dir, host);
    if (debian !== dir) return debian;
  }
  for (const n of NAMES[kind]) {
    if (n === 'configure') continue; // too generic to pick up unasked
    if (entries.includes(n) && !host.isDirectory(path.join(dir, n))) return path.join(dir, n);
  }
  const suffix = kind === 'exim' ? '.exim' : kind === 'cyrus-conf' ? '.cyrus.conf' : '.imapd.conf';
  const bySuffix = entries.find((e) => e.endsWith(suffix));
  if (bySuffix) return path.join(dir, bySuffix);
  if (kind === 'exim') {
    if (entries.includes('conf.d') && host.isDirectory(path.join(dir, 'conf.d'))) return path.join(dir, 'conf.d');
    if (entries.includes('exim4')) return inDir(path.join(dir, 'exim4'), kind, host);
  }
  if (kind !== 'exim' && entries.includes('cyrus')) {
    const sub = path.join(dir, 'cyrus');
    if (host.isDirectory(sub)) return inDir(sub, kind, host);
  }
  return undefined;
}

/**
 * Finds the partner of `kind` for `file`: the explicit setting, else the nearest one by
 * name, looking in the file's directory and then each parent up to the workspace folder,
 * then anywhere in the folder (breadth first, a few levels deep).
 */
export function findPartner(file: string, kind: FileKind, folder: string | undefined, explicit: string | undefined, host: SourceHost): string | undefined {
  if (explicit) return path.resolve(folder ?? path.dirname(file), explicit);
  const stop = folder ? path.resolve(folder) : path.dirname(path.resolve(file));
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const hit = inDir(dir, kind, host);
    if (hit) return hit;
    if (dir === stop || !dir.startsWith(stop) || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  if (!folder) return undefined;
  return findCandidates(folder, host, 4)[kind][0];
}

/** Every file of each kind under a folder, nearest first; for the pairing picker. */
export function findCandidates(folder: string, host: SourceHost, depth = 5, limit = 200): Record<FileKind, string[]> {
  const out: Record<FileKind, string[]> = { exim: [], 'cyrus-conf': [], 'imapd-conf': [] };
  let level = [path.resolve(folder)];
  let seen = 0;
  for (let d = 0; d <= depth && level.length; d++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const name of host.readDir(dir) ?? []) {
        if (++seen > 20000) return out;
        const p = path.join(dir, name);
        if (host.isDirectory(p)) {
          if (name === 'conf.d') { if (out.exim.length < limit) out.exim.push(p); continue; }
          if (!SKIP_DIRS.has(name) && !name.startsWith('.')) next.push(p);
          continue;
        }
        const kind = kindByName(p);
        if (kind && out[kind].length < limit) out[kind].push(p);
      }
    }
    level = next;
  }
  return out;
}

/** The kind a file's name alone implies (content sniffing is left to the caller). */
export function kindByName(file: string): FileKind | undefined {
  const base = path.basename(file);
  // exim4.conf.localmacros is Exim text too, though never a config of its own (Debian reads it before the template).
  if (NAMES.exim.includes(base) && base !== 'configure' || base.endsWith('.exim') || base === 'exim4.conf.localmacros') return 'exim';
  if (confDirOf(file)) return 'exim';
  if (base === 'cyrus.conf' || base.endsWith('.cyrus.conf')) return 'cyrus-conf';
  if (base === 'imapd.conf' || base.endsWith('.imapd.conf')) return 'imapd-conf';
  return undefined;
}

/** The kind of a file: by name, then as the project's classifier says (content). */
export function kindOf(file: string, host: SourceHost): FileKind | undefined {
  return kindByName(file) ?? classifyPath(file, host);
}
