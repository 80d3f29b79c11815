import type { PathStat, SourceHost } from '../host';

/** Everything one load read through a host, in order, with what it got. */
export type Reads = ({ file: string; text: string | undefined } | { dir: string; entries: string | undefined } | { isDir: string; result: boolean } | { stat: string; result: string | undefined })[];

const statKey = (st: PathStat | undefined) => st && `${st.kind} ${st.uid} ${st.gid} ${st.mode}`;

/** A host that notes each read, so a result built from them can later be shown still valid. */
export class RecordingHost implements SourceHost {
  readonly reads: Reads = [];
  constructor(private readonly inner: SourceHost) {}

  readFile(file: string): string | undefined {
    const text = this.inner.readFile(file);
    this.reads.push({ file, text });
    return text;
  }

  readDir(dir: string): string[] | undefined {
    const entries = this.inner.readDir(dir);
    this.reads.push({ dir, entries: entries?.join('\0') });
    return entries;
  }

  isDirectory(file: string): boolean {
    const result = this.inner.isDirectory(file);
    this.reads.push({ isDir: file, result });
    return result;
  }

  stat(file: string): PathStat | undefined {
    const st = this.inner.stat?.(file);
    this.reads.push({ stat: file, result: statKey(st) });
    return st;
  }
}

/** Whether reading again now gives what was read then (a cached host makes this a stat per file). */
export function sameReads(reads: Reads, host: SourceHost): boolean {
  return reads.every((r) => 'file' in r ? host.readFile(r.file) === r.text
    : 'dir' in r ? host.readDir(r.dir)?.join('\0') === r.entries
      : 'stat' in r ? statKey(host.stat?.(r.stat)) === r.result
        : host.isDirectory(r.isDir) === r.result);
}
