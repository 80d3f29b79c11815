// Debian's split configuration: update-exim4.conf concatenates the parts of conf.d in a
// fixed section order, each directory in `ls` (C locale) order, taking only names made of
// letters, digits, `_` and `-`, and preferring NAME.rul over NAME when both exist. The
// parts themselves carry the `begin` lines (in each directory's 00_..._header file).
import * as path from 'node:path';
import type { SourceHost } from '../host';

export const CONFD_SECTIONS = ['main', 'acl', 'router', 'transport', 'retry', 'rewrite', 'auth'] as const;

const PART_NAME = /^[A-Za-z0-9_-]+$/;

function byteOrder(a: string, b: string): number {
  const ba = Buffer.from(a), bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

/** The files of a conf.d directory in the order Debian concatenates them. */
export function confdFiles(dir: string, host: SourceHost): string[] {
  const out: string[] = [];
  for (const section of CONFD_SECTIONS) {
    const sub = path.join(dir, section);
    const names = host.readDir(sub);
    if (!names) continue;
    const set = new Set(names);
    for (const name of [...names].sort(byteOrder)) {
      if (!PART_NAME.test(name)) continue;
      const file = path.join(sub, name);
      if (host.isDirectory(file)) continue;
      const rul = `${name}.rul`;
      out.push(set.has(rul) && !host.isDirectory(path.join(sub, rul)) ? path.join(sub, rul) : file);
    }
  }
  return out;
}

/** A directory is a conf.d when it has any of the section subdirectories. */
export function isConfd(dir: string, host: SourceHost): boolean {
  const names = host.readDir(dir);
  return !!names && CONFD_SECTIONS.some((s) => names.includes(s) && host.isDirectory(path.join(dir, s)));
}
