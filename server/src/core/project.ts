import * as path from 'node:path';
import type { Finding } from './diagnostic';
import { finding, sortFindings } from './diagnostic';
import type { SourceHost } from './host';
import { diskHost } from './host';
import type { CheckOptions } from './options';
import { defaultOptions } from './options';
import { range } from './text';
import { append } from './append';
import { checkExim, loadExim, type ParsedExim } from './exim';
import { confdFiles, debianEximChoice, debianMacroSet, isConfd } from './exim/confd';
import { parseExim } from './exim/parser';
import { checkCyrusConf, checkImapdConf, loadCyrusConf, loadImapdConf, type CyrusConf, type ImapdConf } from './cyrus';
import { checkLinks } from './rules/link';

export type FileKind = 'exim' | 'cyrus-conf' | 'imapd-conf';

export interface Input { path: string; kind: FileKind }

const EXIM_NAMES = new Set(['exim.conf', 'exim4.conf', 'exim4.conf.template', 'configure']);

/**
 * Recognises a file by its name, then by its content. A directory is an Exim config when
 * it is (or holds) a Debian split `conf.d`.
 */
export function classifyPath(p: string, host: SourceHost = diskHost): FileKind | undefined {
  const base = path.basename(p);
  if (host.isDirectory(p)) {
    const entries = host.readDir(p) ?? [];
    if (base === 'conf.d' || entries.includes('main') && entries.includes('router')) return 'exim';
    // Debian's /etc/exim4: which config it holds is decided by eximSourceOf.
    if (entries.includes('conf.d') || entries.includes('update-exim4.conf.conf')) return 'exim';
    return undefined;
  }
  if (EXIM_NAMES.has(base) || base.endsWith('.exim')) return 'exim';
  if (base === 'cyrus.conf' || base.endsWith('.cyrus.conf')) return 'cyrus-conf';
  if (base === 'imapd.conf' || base.endsWith('.imapd.conf')) return 'imapd-conf';
  const text = host.readFile(p);
  return text === undefined ? undefined : classifyText(text);
}

export function classifyText(text: string): FileKind | undefined {
  const head = text.slice(0, 64 * 1024);
  if (/^\s*(SERVICES|START|EVENTS|DAEMON)\s*\{/m.test(head)) return 'cyrus-conf';
  if (/^\s*begin\s+(acl|routers|transports|authenticators|retry|rewrite)\b/m.test(head)
    || /^\s*(domainlist|hostlist|addresslist|localpartlist)\s+\w+\s*=/m.test(head)) return 'exim';
  if (/^\s*(configdirectory|partition-\w+|sasl_\w+|virtdomains|admins|lmtpsocket)\s*:/m.test(head)) return 'imapd-conf';
  return undefined;
}

/** What an Exim input stands for: the files Exim reads, and the macros Debian adds. */
export interface EximSource {
  root: string;
  /** Files read before `root`, as one text: exim4.conf.localmacros before the template. */
  prelude: string[];
  /** Why this root was chosen, when the input was a Debian /etc/exim4-like directory. */
  reason?: string;
  /** Macros update-exim4.conf would define (a `-D` of the user's wins over them). */
  defines?: Record<string, string>;
  /** Which macros, in words for the user. */
  macros?: string;
}

/**
 * What an Exim input stands for. A Debian /etc/exim4-like directory (holding conf.d or
 * update-exim4.conf.conf) stands for the config Debian runs from it: exim4.conf, else
 * conf.d or exim4.conf.template as dc_use_split_config says; `reason` tells which and why.
 * The template and conf.d are what update-exim4.conf turns into Exim's config: they are read
 * with the macros it writes from update-exim4.conf.conf (DCconfig_<type>, MAIN_LOCAL_DOMAINS,
 * …), and the template after exim4.conf.localmacros, whichever way they were named.
 */
export function eximSourceOf(p: string, host: SourceHost): EximSource {
  let source = chosenSource(p, host);
  const base = path.basename(source.root);
  if (base !== 'conf.d' && base !== 'exim4.conf.template') return source;
  const dir = path.dirname(source.root);
  if (!host.readDir(dir)?.includes('update-exim4.conf.conf')) return source;
  if (base === 'exim4.conf.template' && !source.prelude.length) {
    const lm = path.join(dir, 'exim4.conf.localmacros');
    if (host.readFile(lm) !== undefined) source = { ...source, prelude: [lm] };
  }
  const files = base === 'conf.d' ? (isConfd(source.root, host) ? confdFiles(source.root, host) : []) : [...source.prelude, source.root];
  const set = debianMacroSet(dir, files, host);
  return set ? { ...source, defines: set.defines, macros: set.note } : source;
}

function chosenSource(p: string, host: SourceHost): EximSource {
  if (host.isDirectory(p) && path.basename(p) !== 'conf.d') {
    const entries = host.readDir(p) ?? [];
    if (entries.includes('conf.d') || entries.includes('update-exim4.conf.conf')) {
      const c = debianEximChoice(p, host);
      if (c) return c;
      if (entries.includes('conf.d')) return { root: path.join(p, 'conf.d'), prelude: [] };
    }
  }
  return { root: p, prelude: [] };
}

/** Expands directories: a Debian /etc/exim4 stands for the config Debian runs from it. */
export function eximRootOf(p: string, host: SourceHost): string {
  return chosenSource(p, host).root;
}

/** The models of one setup: an Exim config and the Cyrus files it is paired with. */
export interface Models { exim?: ParsedExim; cyrus?: CyrusConf; imapd?: ImapdConf }

/**
 * Runs `f`; a rule or parser that throws costs its own results, never the others'.
 * Without `onError` the exception propagates (the CLI reports it as an internal error).
 */
type Guard = <T>(what: string, f: () => T) => T | undefined;
const unguarded: Guard = (_what, f) => f();

const KIND_NAMES: Record<FileKind, string> = { exim: 'an Exim configuration', 'cyrus-conf': 'a cyrus.conf', 'imapd-conf': 'an imapd.conf' };

/** How much of a file's start is looked at to tell text from binary. */
const SNIFF_CHARS = 8192;
/** The characters notText counts: controls other than white space, NUL and DEL included. */
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f]/;

/**
 * Why `text` is binary rather than a config, or undefined: NUL bytes (a single stray one
 * is left to the parsers, which name its line), or more than one in ten characters of its
 * start being control characters other than white space. Config files, Latin-1 ones
 * included, have neither.
 */
export function notText(text: string): string | undefined {
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  // Nearly every file has none of them: one scan by the regex engine says so.
  if (!CONTROL.test(head)) return undefined;
  let control = 0, nuls = 0, firstNul = -1;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0 && nuls++ === 0) firstNul = i;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13) || c === 127) control++;
  }
  if (nuls > 1) return `it holds NUL bytes, the first at byte ${Buffer.byteLength(head.slice(0, firstNul))}`;
  return control * 10 > head.length ? `${control} of its first ${head.length} characters are control characters` : undefined;
}

/** Loads one input into `into`, or returns an input/unreadable finding. */
export function loadInput(input: Input, into: Models, opts: CheckOptions, host: SourceHost, guard: Guard = unguarded): Finding | undefined {
  const source = input.kind === 'exim' ? eximSourceOf(input.path, host) : undefined;
  const p = source?.root ?? input.path;
  if (!host.isDirectory(p) && host.readFile(p) === undefined) {
    return finding('input/unreadable', p, range(0, 0, 0, 0), `Cannot read ${p}: no such file, not a regular file, or too large.`);
  }
  // A binary file would give a parse error on nearly every line: say what it is instead.
  for (const f of [...source?.prelude ?? [], p]) {
    const text = host.isDirectory(f) ? undefined : host.readFile(f);
    const why = text === undefined ? undefined : notText(text);
    if (why) {
      return finding('input/unreadable', f, range(0, 0, 0, 0),
        `${f} is not a text file (${why}), so it cannot be ${KIND_NAMES[input.kind]}. Check the path: give the configuration file itself, not a compiled, compressed or database file.`);
    }
  }
  const eximOpts = source?.defines ? { ...opts, defines: { ...source.defines, ...opts.defines } } : opts;
  // Debian reads exim4.conf.localmacros and the template as one file.
  if (source?.prelude.length) into.exim = guard('loading the Exim configuration', () => parseExim(path.resolve(p), [...source.prelude, p].map((f) => path.resolve(f)), eximOpts, host));
  else if (input.kind === 'exim') into.exim = guard('loading the Exim configuration', () => loadExim(p, eximOpts, host));
  else if (input.kind === 'cyrus-conf') into.cyrus = guard('loading cyrus.conf', () => loadCyrusConf(p, opts, host));
  else into.imapd = guard('loading imapd.conf', () => loadImapdConf(p, opts, host));
  return undefined;
}

/** Each file's own rules. The cyrus.conf tells which imapd.conf service prefixes (`lmtp_admins`, …) are real. */
export function checkFiles(m: Models, opts: CheckOptions, guard: Guard = unguarded): Finding[] {
  const out: Finding[] = [];
  if (m.exim) append(out, guard('checking the Exim configuration', () => checkExim(m.exim!, opts)) ?? []);
  if (m.cyrus) append(out, guard('checking cyrus.conf', () => checkCyrusConf(m.cyrus!, opts)) ?? []);
  if (m.imapd) append(out, guard('checking imapd.conf', () => checkImapdConf(m.imapd!, opts, m.cyrus)) ?? []);
  return out;
}

/** How the Exim config lines up with Cyrus. Rules that need a Cyrus file skip themselves without one. */
export function checkPairing(m: Models, opts: CheckOptions, host: SourceHost, guard: Guard = unguarded): Finding[] {
  if (!m.exim) return [];
  return guard('checking how Exim and Cyrus line up', () => checkLinks({ exim: m.exim!, cyrus: m.cyrus, imapd: m.imapd, host }, opts)) ?? [];
}

/** Loads, then checks, one setup. What the editor does for each pairing. */
export function analyseSetup(inputs: Input[], opts: CheckOptions, host: SourceHost, guard: Guard = unguarded): { models: Models; findings: Finding[] } {
  const models: Models = {};
  const out: Finding[] = [];
  for (const input of inputs) {
    const unreadable = loadInput(input, models, opts, host, guard);
    if (unreadable) out.push(unreadable);
  }
  append(append(out, checkFiles(models, opts, guard)), checkPairing(models, opts, host, guard));
  return { models, findings: sortFindings(out) };
}

/**
 * Which Cyrus files of one call the link checks pair its Exim configs with: the first
 * cyrus.conf and the first imapd.conf given. Later ones are checked on their own.
 */
export function pairingOf(inputs: Input[]): { exim: Input[]; cyrus?: Input; imapd?: Input; alone: Input[] } {
  const exim = inputs.filter((i) => i.kind === 'exim');
  const cyrus = inputs.find((i) => i.kind === 'cyrus-conf');
  const imapd = inputs.find((i) => i.kind === 'imapd-conf');
  return { exim, cyrus, imapd, alone: inputs.filter((i) => i.kind !== 'exim' && i !== cyrus && i !== imapd) };
}

/**
 * Checks every input. Each Exim config is checked on its own; the Cyrus files given in the
 * same call are what the link checks pair each Exim config with (see pairingOf). Each Exim
 * config is checked as soon as it is loaded, so only one model is alive at a time (a call
 * may name a thousand configs); the findings are gathered in the order loading all, then
 * checking all would give them.
 */
export function checkProject(inputs: Input[], opts: CheckOptions = defaultOptions, host: SourceHost = diskHost): Finding[] {
  const loaded: Finding[][] = inputs.map(() => []);
  const checked: Finding[] = [];
  const cyrus: Models = {}, imapd: Models = {};
  const pairing = pairingOf(inputs);
  inputs.forEach((input, n) => {
    if (input.kind === 'exim') return;
    const into: Models = input === pairing.cyrus ? cyrus : input === pairing.imapd ? imapd : {};
    const unreadable = loadInput(input, into, opts, host);
    if (unreadable) loaded[n].push(unreadable);
    else if (into !== cyrus && into !== imapd) append(loaded[n], checkFiles(into, opts));
  });
  const paired = checkFiles({ cyrus: cyrus.cyrus, imapd: imapd.imapd }, opts);
  inputs.forEach((input, n) => {
    if (input.kind !== 'exim') return;
    const e: Models = {};
    const unreadable = loadInput(input, e, opts, host);
    if (unreadable) { loaded[n].push(unreadable); return; }
    append(checked, checkFiles(e, opts));
    append(checked, checkPairing({ exim: e.exim, cyrus: cyrus.cyrus, imapd: imapd.imapd }, opts, host));
  });
  return sortFindings(loaded.flat().concat(paired, checked));
}
