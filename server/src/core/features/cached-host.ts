import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PathStat, SourceHost } from '../host';
import { decodeText, diskStat, MAX_FILE_BYTES } from '../host';

/**
 * The editor's host: open documents overlay the disk, and disk reads are cached by
 * (mtime, size), so re-checking after a keystroke does not re-read every include file.
 * A stat per read remains; it is what lets an edit made outside the editor show up.
 */
export class CachedHost implements SourceHost {
  private readonly docs = new Map<string, string>();
  private readonly disk = new Map<string, { mtimeMs: number; size: number; text: string }>();
  /** Counts disk reads that missed the cache; tests use it to prove the cache works. */
  diskReads = 0;

  setDocument(file: string, text: string): void { this.docs.set(path.resolve(file), text); }
  deleteDocument(file: string): void { this.docs.delete(path.resolve(file)); }
  hasDocument(file: string): boolean { return this.docs.has(path.resolve(file)); }
  documents(): string[] { return [...this.docs.keys()]; }
  forget(file?: string): void { if (file) this.disk.delete(path.resolve(file)); else this.disk.clear(); }

  readFile(file: string): string | undefined {
    const abs = path.resolve(file);
    const doc = this.docs.get(abs);
    if (doc !== undefined) return doc;
    return this.diskText(abs);
  }

  /** The file as saved, whatever the editor holds (what an external program reads). */
  diskText(file: string): string | undefined {
    const abs = path.resolve(file);
    let st: fs.Stats;
    try { st = fs.statSync(abs); } catch { this.disk.delete(abs); return undefined; }
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    const hit = this.disk.get(abs);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
    let text: string;
    try { text = decodeText(fs.readFileSync(abs)); } catch { return undefined; }
    this.diskReads++;
    this.disk.set(abs, { mtimeMs: st.mtimeMs, size: st.size, text });
    return text;
  }

  readDir(dir: string): string[] | undefined {
    const abs = path.resolve(dir);
    let base: string[] | undefined;
    try { base = fs.readdirSync(abs); } catch { base = undefined; }
    const extra = [...this.docs.keys()].filter((f) => path.dirname(f) === abs).map((f) => path.basename(f));
    if (base === undefined && !extra.length) return undefined;
    return [...new Set([...(base ?? []), ...extra])].sort();
  }

  isDirectory(file: string): boolean {
    try { return fs.statSync(file).isDirectory(); } catch { return false; }
  }

  stat(file: string): PathStat | undefined { return diskStat(file); }
}
