// Debian's split configuration: update-exim4.conf concatenates the parts of conf.d in a
// fixed section order, each directory in `ls` (C locale) order, taking only names made of
// letters, digits, `_` and `-`, and preferring NAME.rul over NAME when both exist. The
// parts themselves carry the `begin` lines (in each directory's 00_..._header file).
// Whether conf.d is used at all is Debian's choice too (debianEximChoice).
import * as path from 'node:path';
import type { SourceHost } from '../host';
import { debianMacros, shellAssignments } from './debconf';

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
  return (shellAssignments(text).get('dc_use_split_config') ?? '').toLowerCase() || 'false';
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

/** The line update-exim4.conf puts its macro definitions after. */
const PLACEHOLDER = /^UPEX4CmacrosUPEX4C/;
/** A macro definition line: an upper-case name, then `=` or `==`. */
const DEFINITION = /^[ \t]*([A-Z][A-Za-z0-9_]*)[ \t]*=/;

/** The macros update-exim4.conf would add to a config, and how to say so. */
export interface DebianMacroSet {
  defines: Record<string, string>;
  /** For the user: where they come from, which, and what is left out. */
  note: string;
}

/**
 * The macros update-exim4.conf writes into the config made of `files` (the template after
 * exim4.conf.localmacros, or conf.d's parts) from `dir`/update-exim4.conf.conf; undefined
 * when there is no such file (update-exim4.conf then refuses to run). It writes them after
 * the `UPEX4CmacrosUPEX4C` line, each inside `.ifndef`, so a definition the config makes
 * before that line wins: those names are left to the config. So is a name that a macro
 * defined before it contains, which Exim would refuse to define after that macro.
 */
export function debianMacroSet(dir: string, files: string[], host: SourceHost): DebianMacroSet | undefined {
  const ue = path.join(dir, 'update-exim4.conf.conf');
  const text = host.isDirectory(ue) ? undefined : host.readFile(ue);
  if (text === undefined) return undefined;
  // The script reads /etc/mailname: for a copy of /etc, its own.
  const mailname = host.readFile(path.join(path.dirname(dir), 'mailname')) ?? host.readFile('/etc/mailname');
  const m = debianMacros(text, mailname);
  const type = `dc_eximconfig_configtype='${m.configtype}'`;
  if (!Object.keys(m.defines).length) {
    return { defines: {}, note: `without macros: update-exim4.conf defines none for ${type}` };
  }
  const before: string[] = [];
  let placed = false;
  for (const f of files) {
    const t = host.readFile(f) ?? '';
    for (const line of t.split('\n')) {
      if (PLACEHOLDER.test(line)) { placed = true; break; }
      const d = DEFINITION.exec(line);
      if (d) before.push(d[1]);
    }
    if (placed) break;
  }
  if (!placed) return { defines: {}, note: 'without macros: there is no UPEX4CmacrosUPEX4C line for update-exim4.conf to put them after' };
  const defines: Record<string, string> = {};
  const kept: string[] = [];
  for (const [name, value] of Object.entries(m.defines)) {
    if (before.some((b) => b.includes(name))) kept.push(name);
    else defines[name] = value;
  }
  const own = kept.length ? `; the config defines ${kept.join(', ')} itself` : '';
  const unknown = m.unknown.length ? `; ${m.unknown.join(', ')}, taken from the host name of the machine that runs update-exim4.conf, is left undefined` : '';
  return { defines, note: `with the macros update-exim4.conf defines from update-exim4.conf.conf (${type}): ${Object.keys(defines).join(', ')}${own}${unknown}` };
}
