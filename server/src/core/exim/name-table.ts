// A fixed set of names looked up where a name is written, without copying it out first:
// the parser asks about every option and ACL condition name it reads, and keeps the set's
// own string (one string for every use of a name, its hash already known to later lookups).

export class NameTable {
  /** By length, first and last character: a few names each. */
  private readonly buckets = new Map<number, string[]>();

  constructor(names: Iterable<string>) {
    for (const n of names) {
      if (!n) continue;
      const k = key(n, 0, n.length);
      const b = this.buckets.get(k);
      if (!b) this.buckets.set(k, [n]);
      else if (!b.includes(n)) b.push(n);
    }
  }

  /** The set's string equal to t[start, end), or undefined. */
  find(t: string, start: number, end: number): string | undefined {
    if (end <= start) return undefined;
    const b = this.buckets.get(key(t, start, end));
    if (b) for (let i = 0; i < b.length; i++) if (t.startsWith(b[i], start)) return b[i];
    return undefined;
  }
}

function key(t: string, start: number, end: number): number {
  return ((end - start) * 65536 + t.charCodeAt(start) * 256 + (t.charCodeAt(end - 1) & 255)) | 0;
}
