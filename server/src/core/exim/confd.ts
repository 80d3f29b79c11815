// Debian's split configuration: update-exim4.conf concatenates the parts of conf.d in a
// fixed section order, each directory in `ls` (C locale) order, taking only names made of
// letters, digits, `_` and `-`, and preferring NAME.rul over NAME when both exist. The
// parts themselves carry the `begin` lines (in each directory's 00_..._header file).
// Whether conf.d is used at all is Debian's choice too (debianEximChoice).
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

/** What Exim really runs from a Debian /etc/exim4-like directory, and why. */
export interface DebianEximChoice {
  /** exim4.conf, exim4.conf.template or the conf.d directory. */
  root: string;
  /** Files Debian puts before it: exim4.conf.localmacros before the template. */
  prelude: string[];
  /** Why this one, in words for the user. */
  reason: string;
}

/**
 * The value update-exim4.conf reads for dc_use_split_config: it sources the file as shell
 * (the last assignment wins, quotes removed), lower-cases it, and takes empty as 'false'.
 */
export function splitConfigSetting(text: string): string {
  let v = '';
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*dc_use_split_config=(?:'([^']*)'|"([^"]*)"|(\S*))\s*(?:#.*)?$/.exec(line);
    if (m) v = m[1] ?? m[2] ?? m[3] ?? '';
  }
  return v.toLowerCase() || 'false';
}

/**
 * Which configuration Debian's Exim runs, as update-exim4.conf(8) and the exim4 binary
 * decide: a hand-written exim4.conf first (Exim reads it before the generated file, and
 * update-exim4.conf then does nothing); else, per update-exim4.conf.conf's
 * dc_use_split_config, conf.d ('true') or exim4.conf.localmacros + exim4.conf.template
 * ('false', also the default). Undefined when `dir` holds none of these.
 */
export function debianEximChoice(dir: string, host: SourceHost): DebianEximChoice | undefined {
  const names = host.readDir(dir);
  if (!names) return undefined;
  const file = (n: string) => names.includes(n) && !host.isDirectory(path.join(dir, n)) ? path.join(dir, n) : undefined;
  const handWritten = file('exim4.conf');
  if (handWritten) return { root: handWritten, prelude: [], reason: 'exim4.conf exists, and Exim reads it before anything update-exim4.conf generates' };
  const confd = names.includes('conf.d') && isConfd(path.join(dir, 'conf.d'), host) ? path.join(dir, 'conf.d') : undefined;
  const template = file('exim4.conf.template');
  const localmacros = file('exim4.conf.localmacros');
  const unsplit = (why: string): DebianEximChoice | undefined => template ? { root: template, prelude: localmacros ? [localmacros] : [], reason: why } : undefined;
  const split = (why: string): DebianEximChoice | undefined => confd ? { root: confd, prelude: [], reason: why } : undefined;
  const ue = file('update-exim4.conf.conf');
  const text = ue && host.readFile(ue);
  if (text === undefined) {
    return unsplit('there is no update-exim4.conf.conf, so Debian\'s default dc_use_split_config=\'false\' applies')
      ?? split('there is no update-exim4.conf.conf or exim4.conf.template');
  }
  const value = splitConfigSetting(text);
  const set = /^\s*dc_use_split_config=/m.test(text) ? 'sets' : 'leaves unset (so Debian\'s default)';
  const chosen = value === 'true' ? split(`update-exim4.conf.conf sets dc_use_split_config='true'`)
    : value === 'false' ? unsplit(`update-exim4.conf.conf ${set} dc_use_split_config='false'`) : undefined;
  if (chosen) return chosen;
  // What update-exim4.conf would refuse: say so, and check what there is.
  const problem = value === 'true' || value === 'false'
    ? `update-exim4.conf.conf sets dc_use_split_config='${value}' but there is no ${value === 'true' ? 'conf.d' : 'exim4.conf.template'} (update-exim4.conf fails)`
    : `update-exim4.conf.conf sets dc_use_split_config='${value}', which update-exim4.conf refuses (only 'true' or 'false')`;
  return split(problem) ?? unsplit(problem);
}
