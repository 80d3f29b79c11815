// `exim-cyrus check`: reads configs, runs the core's checks, prints findings, optionally
// applies quick fixes. Exit status: 0 no error finding, 1 at least one, 2 usage/unreadable.
// First: the V8 tuning must be in force before the checker's code is compiled.
import '../v8-flags';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { one, parseArgs, UsageError } from './args';
import { formatJson, formatSarif, formatText, FORMATS, toWire, type Format } from './format';
import { applyFixes } from './fix';
import { append } from '../core/append';
import { distinctFindings, type Finding } from '../core/diagnostic';
import { cachingDiskHost, resolvePath } from '../core/host';
import type { CheckOptions, CyrusVersion, EximVersion } from '../core/options';
import { checkProject, classifyPath, eximSourceOf, pairingOf, type FileKind, type Input } from '../core/project';
import { systemConfigs } from './system';
import { VERSION } from '../version';


export const CHECK_USAGE = `usage: exim-cyrus check [options] [PATH...]

Checks Exim and Cyrus IMAP configuration files and how they line up. PATHs are
recognised by name or content (exim.conf, a Debian conf.d or /etc/exim4, cyrus.conf,
imapd.conf); a directory holding several configs is checked as one setup, and each
of its subdirectories as another.

options:
  --exim PATH              an Exim config file or conf.d directory
  --cyrus PATH             a cyrus.conf
  --imapd PATH             an imapd.conf
  -D NAME=VALUE            define an Exim macro, as exim -D does (repeatable)
  --exim-version V         latest (default) or 4.96
  --cyrus-version V        latest (default) or 3.6
  --format F               text (default), json or sarif
  --system                 check this machine's configs where the packages put them
                           (/etc/exim4, /etc/cyrus.conf, /etc/imapd.conf, or the
                           Fedora, Exim-default and BSD places), with any given above
  --fix                    apply the suggested fix of each finding to the files
  -h, --help               show this help

exit status: 0 no errors, 1 errors found, 2 usage error or unreadable input`;

class InputError extends Error {}

/**
 * Every read of a run goes through one cache: configs of a run share their include files.
 * Made afresh by each runCheck, so runs in one process (tests) never see each other's reads.
 */
let host = cachingDiskHost();

/** One setup: the configs that are checked together so the link checks can pair them. */
type Group = Input[];

const MACRO_NAME = /^[A-Z][A-Za-z0-9_]*$/;

function parseDefines(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const name = eq < 0 ? v : v.slice(0, eq);
    if (!MACRO_NAME.test(name)) {
      throw new UsageError(`-D ${v}: a macro name must start with an upper-case letter and hold only letters, digits and "_"`);
    }
    out[name] = eq < 0 ? '' : v.slice(eq + 1);
  }
  return out;
}

function exists(p: string): boolean {
  try { fs.statSync(p); return true; } catch { return false; }
}

function requireReadable(p: string, what: string): void {
  if (host.isDirectory(p)) {
    if (host.readDir(p) === undefined) throw new InputError(`${p}: directory cannot be read (permission denied?)`);
    return;
  }
  // A file read is one that exists and can be read: the questions below are for the rest. The
  // host reads a path resolved, so one written otherwise ("file/", "a/../b") must exist as written.
  if (host.readFile(p) !== undefined && (resolvePath(p) === p || exists(p))) return;
  if (!exists(p)) {
    // A link that leads nowhere is there to `ls`, so "no such file" would puzzle: say what it is.
    let why = 'no such file or directory';
    try {
      if (fs.lstatSync(p).isSymbolicLink()) {
        try { fs.statSync(p); } catch (e) { why = (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'a symbolic link in a loop (it leads back to itself)' : `a symbolic link to ${fs.readlinkSync(p)}, which does not exist`; }
      }
    } catch { /* not there at all */ }
    throw new InputError(`${p}: ${why} (given as ${what})`);
  }
  try {
    fs.accessSync(p, fs.constants.R_OK);
  } catch {
    throw new InputError(`${p}: cannot be read (permission denied?)`);
  }
  throw new InputError(`${p}: not a regular file, or too large to be a config`);
}

/**
 * Collects the configs under a directory that is not itself an Exim conf.d: its files form
 * one setup, each subdirectory (recursively) another. Unrecognised files are skipped.
 */
function walkDir(dir: string, groups: Group[], depth = 0): void {
  const kind = classifyPath(dir, host);
  if (kind) { groups.push([{ path: dir, kind }]); return; }
  if (depth > 8) return;
  const here: Group = [];
  for (const name of host.readDir(dir) ?? []) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const p = path.join(dir, name);
    if (host.isDirectory(p)) { walkDir(p, groups, depth + 1); continue; }
    const k = classifyPath(p, host);
    if (k) here.push({ path: p, kind: k });
  }
  if (here.length) groups.push(here);
}

function collectInputs(args: ReturnType<typeof parseArgs>): Group[] {
  const forced: Group = [];
  const flagKinds: [string, FileKind][] = [['exim', 'exim'], ['cyrus', 'cyrus-conf'], ['imapd', 'imapd-conf']];
  for (const [flag, kind] of flagKinds) {
    for (const p of args.flags.get(flag) ?? []) {
      requireReadable(p, `--${flag}`);
      if (kind !== 'exim' && host.isDirectory(p)) throw new InputError(`${p}: --${flag} needs a file, not a directory`);
      forced.push({ path: p, kind });
    }
  }
  const groups: Group[] = [];
  for (const p of args.positional) {
    requireReadable(p, 'a path');
    const kind = classifyPath(p, host);
    if (kind) { forced.push({ path: p, kind }); continue; }
    if (host.isDirectory(p)) {
      const before = groups.length;
      walkDir(p, groups);
      if (groups.length === before) throw new InputError(`${p}: no Exim, cyrus.conf or imapd.conf configs found in this directory`);
      continue;
    }
    throw new InputError(`${p}: cannot tell which kind of config this is from its name or content; name it with --exim, --cyrus or --imapd`);
  }
  if (forced.length) groups.unshift(forced);
  return groups;
}

/** --system: this machine's configs, for each kind not named with its flag; the note to print. */
function addSystemConfigs(args: ReturnType<typeof parseArgs>): string {
  const found = systemConfigs(host);
  const added: string[] = [];
  for (const flag of ['exim', 'cyrus', 'imapd'] as const) {
    const p = found[flag];
    if (!p || args.flags.has(flag)) continue;
    args.flags.set(flag, [p]);
    added.push(p);
  }
  if (!added.length && !['exim', 'cyrus', 'imapd'].some((f) => args.flags.has(f))) {
    throw new InputError(`--system: none of ${found.looked.join(', ')} is on this machine; name the configs with --exim, --cyrus and --imapd`);
  }
  return `note: --system: checking this machine's ${added.join(', ') || 'configs as named'}.`;
}

/** Shows a finding's file as the user wrote it: the given spelling for inputs, else relative to cwd. */
function displayer(groups: Group[]): (file: string) => string {
  const given = new Map<string, string>();
  let anyAbsolute = false;
  for (const g of groups) for (const i of g) {
    given.set(path.resolve(i.path), i.path);
    if (path.isAbsolute(i.path)) anyAbsolute = true;
  }
  const cwd = process.cwd();
  return (file) => {
    const abs = path.resolve(file);
    const g = given.get(abs);
    if (g !== undefined) return g;
    if (!anyAbsolute && path.isAbsolute(file) && (abs === cwd || abs.startsWith(cwd + path.sep))) return path.relative(cwd, abs);
    return file;
  };
}

/** Says which Cyrus files an Exim config was paired with where one call gave several of a kind. */
function pairingNotes(groups: Group[], display: (file: string) => string): string[] {
  const out: string[] = [];
  for (const g of groups) {
    const p = pairingOf(g);
    if (!p.exim.length || !p.alone.length) continue;
    const partners = [p.cyrus, p.imapd].filter((i): i is Input => i !== undefined).map((i) => display(i.path));
    out.push(`note: ${p.exim.map((i) => display(i.path)).join(', ')} ${p.exim.length > 1 ? 'are' : 'is'} paired with ${partners.join(' and ')}; ${p.alone.map((i) => display(i.path)).join(', ')} ${p.alone.length > 1 ? 'were' : 'was'} checked on ${p.alone.length > 1 ? 'their' : 'its'} own. The first cyrus.conf and imapd.conf given are the partners: check each setup in a call (or a directory) of its own.`);
  }
  return out;
}

function runGroups(groups: Group[], opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const g of groups) append(out, checkProject(g, opts, host));
  // Two groups (directories) may share an include: its findings are said once.
  return groups.length > 1 ? distinctFindings(out) : out;
}

export async function runCheck(argv: string[]): Promise<number> {
  host = cachingDiskHost();
  const args = parseArgs(argv, {
    values: ['exim', 'cyrus', 'imapd', 'define', 'exim-version', 'cyrus-version', 'format'],
    switches: ['fix', 'help', 'no-color', 'system'],
    short: { D: 'define', h: 'help' },
  });
  if (args.switches.has('help')) {
    process.stdout.write(CHECK_USAGE + '\n');
    return 0;
  }
  const format = (one(args, 'format', FORMATS) ?? 'text') as Format;
  const opts: CheckOptions = {
    eximVersion: (one(args, 'exim-version', ['latest', '4.96']) ?? 'latest') as EximVersion,
    cyrusVersion: (one(args, 'cyrus-version', ['latest', '3.6']) ?? 'latest') as CyrusVersion,
    defines: parseDefines(args.flags.get('define') ?? []),
  };
  if (!args.positional.length && !args.switches.has('system') && !['exim', 'cyrus', 'imapd'].some((f) => args.flags.has(f))) {
    throw new UsageError('check needs at least one PATH (or --exim/--cyrus/--imapd, or --system)');
  }
  let groups: Group[];
  let systemNote: string | undefined;
  try {
    if (args.switches.has('system')) systemNote = addSystemConfigs(args);
    groups = collectInputs(args);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`exim-cyrus check: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  let findings = runGroups(groups, opts);
  const display = displayer(groups);
  // Report to stderr when stdout must hold exactly one JSON document.
  const note = (s: string) => (format === 'text' ? process.stdout : process.stderr).write(s + '\n');
  if (systemNote) note(systemNote);
  for (const n of pairingNotes(groups, display)) note(n);
  for (const g of groups) for (const i of g) {
    if (i.kind !== 'exim') continue;
    const s = eximSourceOf(i.path, host);
    const after = s.prelude.map((f) => path.basename(f)).join(', ');
    if (s.reason) note(`note: ${display(i.path)} is checked as ${display(s.root)}${after ? ` (after ${after})` : ''}: ${s.reason}${s.macros ? `; ${s.macros}` : ''}.`);
    else if (s.macros) note(`note: ${display(i.path)} is checked${after ? ` after ${after},` : ''} ${s.macros}.`);
  }

  if (args.switches.has('fix')) {
    const result = applyFixes(findings, host);
    for (const f of result.changed) note(`fixed ${f.applied} problem${f.applied === 1 ? '' : 's'} in ${display(f.file)}: ${f.titles.join('; ')}`);
    for (const f of result.failed) note(`could not write ${display(f.file)}: ${f.reason}`);
    if (result.deferred) note(`${result.deferred} more fix${result.deferred === 1 ? '' : 'es'} touch${result.deferred === 1 ? 'es' : ''} lines changed now: run --fix again.`);
    for (const n of result.notes) note(`note: ${n}`);
    if (result.manual) note(`note: ${result.manual} finding${result.manual === 1 ? ' has' : 's have'} only a fix to weigh first (it would send mail that now goes elsewhere to Cyrus, or needs mailboxes made first), which --fix does not apply: see the message${result.manual === 1 ? '' : 's'}.`);
    if (result.changed.length) {
      // Read everything afresh: a fix that keeps a file's size could land within its
      // mtime's granularity, and the cache would not see it.
      host = cachingDiskHost();
      findings = runGroups(groups, opts);
    } else if (!result.deferred && !result.failed.length && !result.manual) note('nothing to fix.');
  }

  const unreadable = findings.filter((f) => f.code === 'input/unreadable'
    && groups.some((g) => g.some((i) => path.resolve(i.path) === path.resolve(f.file))));
  if (unreadable.length) {
    for (const f of unreadable) process.stderr.write(`exim-cyrus check: ${display(f.file)}: ${f.message}\n`);
    return 2;
  }

  const wire = findings.map((f) => toWire(f, display));
  const files = groups.reduce((n, g) => n + g.length, 0);
  if (format === 'json') process.stdout.write(formatJson(wire));
  else if (format === 'sarif') process.stdout.write(formatSarif(wire, VERSION));
  else {
    const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && !args.switches.has('no-color');
    process.stdout.write(formatText(wire, { colour, files }));
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
