// Words that look like macro uses but name no macro. Exim substitutes a macro wherever its
// name occurs in a line after its definition, and leaves any other word as it is: so a
// misspelt or never-defined `hosts = MY_RELAY_HOSTS` is silently a host called
// "MY_RELAY_HOSTS" (`exim -bP` shows it so, `exim -bV` accepts it). Only words that
// clearly mean a macro are reported: a macro used above its definition, one defined only
// in a conditional branch not taken, a near miss of a defined macro (with a fix), and,
// outside text, an upper-case name with an underscore. That keeps quiet on the upper-case
// words configs hold for other reasons (cipher and environment names, SQL, message text).
// The same words in a macro's value are read where the macro is used: Exim rescans what it
// substituted, so a word there is replaced by a macro defined by then (even after the
// holder), and is literal text where none is; it is reported in the value, naming that use.
// Environment variable names are never macro uses however they are spelt (`${env{NAME}}`,
// keep_environment, `NAME=` in add_environment): a definition moved above one would replace
// the name Exim is meant to look up.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, Loc, Macro, MacroUse, SourceFile } from '../../exim/model';
import type { ExpansionNode } from '../../exim/expansion';
import { codeAt, isNameChar, MacroMap } from '../../exim/macros';
import { DEBIAN_PLACEHOLDER_MACRO } from '../../exim/confd';
import type { CheckOptions } from '../../options';
import { endsInBackslash, type Range } from '../../text';
import { forEachNode } from './expansion';
import { atOffsets, parseExpansion } from '../../exim/expansion-parser';
import { didYouMean, nearest, replaceFix, runTime, sharedNames } from './suggest';

/**
 * How much a value's upper-case words say. In `plain` values (hosts, domains, paths,
 * transports, data) an upper-case name with an underscore is a macro; in `text` the same
 * shape is normal (message text, cipher names), and only a near miss of a defined macro, or
 * one the config defines elsewhere, is reported. In `environment` values every word is an
 * environment variable's name, and in `settings` the word before each "=" is: none is
 * reported, and the rest of `settings` is text.
 */
type Context = 'plain' | 'text' | 'environment' | 'settings';

/** Options and ACL conditions/modifiers whose values are text, or names from another namespace. */
const TEXT_VALUES = new Set([
  // Text for people or logs.
  'message', 'log_message', 'logwrite', 'add_header', 'remove_header', 'headers_add', 'headers_remove',
  'gecos_name', 'debug_print', 'smtp_banner', 'received_header_text', 'message_prefix', 'message_suffix',
  'text', 'subject', 'dsn_from',
  // TLS cipher and priority names (`TLS_AES_256_GCM_SHA384`, GnuTLS `%SERVER_PRECEDENCE`).
  'tls_require_ciphers', 'openssl_options', 'encrypted',
  // Patterns, and lookups' servers and queries.
  'regex', 'mime_regex', 'ldap_default_servers', 'mysql_servers', 'pgsql_servers', 'oracle_servers', 'ibase_servers', 'redis_servers',
]);

/** Options whose words are all names of environment variables. */
const ENVIRONMENT_NAMES = new Set(['keep_environment']);
/** Options that set environment variables (`add_environment = TZ=UTC`): names before "=", text after. */
const ENVIRONMENT_SETTINGS = new Set(['add_environment', 'environment']);

/**
 * Expansion items whose arguments are another language's text: queries, commands. (`env`'s
 * name is an environment variable's, never reported; its other arguments are strings of ours.)
 */
const TEXT_ITEMS = new Set(['lookup', 'perl', 'run', 'dlfunc', 'readsocket']);

/**
 * Debian's update-exim4.conf replaces the `UPEX4CmacrosUPEX4C = 1` line of its template
 * (and of conf.d) with definitions of these, from update-exim4.conf.conf (some only for
 * some settings): the config as shipped uses them without defining them.
 */
const DEBIAN_GENERATED = new Set([
  'MAIN_LOCAL_INTERFACES', 'DC_minimaldns', 'MAIN_HARDCODE_PRIMARY_HOSTNAME', 'HIDE_MAILNAME', 'MAIN_PACKAGE_VERSION',
  'MAIN_LOCAL_DOMAINS', 'MAIN_RELAY_TO_DOMAINS', 'ETC_MAILNAME', 'LOCAL_DELIVERY', 'MAIN_RELAY_NETS', 'DCreadhost',
  'DCsmarthost', 'DC_eximconfig_configtype',
]);

/**
 * Where a value is written and its expansion tree: read only for a word worth reporting
 * (the model places a Loc and parses a tree each time one is read, and few values hold one).
 */
interface Site { readonly valueLoc?: Loc; readonly expansion?: ExpansionNode[] }
type SiteVisitor = (value: string, site: Site, context: Context) => void;

/**
 * A whole word that starts with an upper-case letter, as a macro name does; `$Var`, `+list`
 * and `\X` escapes are not macro uses. Found by the regular expression engine rather than
 * by a loop over every character of every value.
 */
const CANDIDATE = /(?<![A-Za-z0-9_$+\\])[A-Z][A-Za-z0-9_]*/g;
const CAPS_WITH_UNDERSCORE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const ALL_CAPS = /^[A-Z][A-Z0-9_]*$/;
/**
 * A value that is a macro's name left as it stands (no macro of that name is defined): this
 * rule's finding, not a malformed value for the other rules to judge.
 */
export const isMacroName = (value: string): boolean => ALL_CAPS.test(value.trim());
/**
 * Shorter upper-case words without an underscore are too often acronyms (PATH, ECDSA) to
 * call them a misspelt macro.
 */
const GUESS_MIN_LENGTH = 6;

/** How many whole-word occurrences of `word` there are in `value` before offset `end`. */
function occurrencesBefore(value: string, word: string, end: number): number {
  let n = 0;
  for (let at = value.indexOf(word); at >= 0 && at < end; at = value.indexOf(word, at + 1)) {
    if ((at === 0 || !isNameChar(value.charCodeAt(at - 1))) && !isNameChar(codeAt(value, at + word.length))) n++;
  }
  return n;
}

function contextOf(name: string): Context {
  return ENVIRONMENT_NAMES.has(name) ? 'environment' : ENVIRONMENT_SETTINGS.has(name) ? 'settings' : TEXT_VALUES.has(name) ? 'text' : 'plain';
}

const HAS_CAPITAL = /[A-Z]/;

/** A named list as a site: its items' trees stand for its own. */
class ListSite {
  constructor(private readonly l: EximConfig['lists'][number]) {}
  get valueLoc() { return this.l.valueLoc; }
  get expansion() { return this.l.items.flatMap((i) => i.expansion ?? []); }
}

function forEachSite(cfg: EximConfig, visit: SiteVisitor): void {
  const settings = (list: EximConfig['main']) => {
    for (const s of list) if (s.value) visit(s.value, s, contextOf(s.name));
  };
  settings(cfg.main);
  settings(cfg.local_scan);
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) for (const inst of list) settings(inst.options);
  // A list has no expansion tree of its own: its items are expanded when it is used, and
  // their trees stand for it.
  for (const l of cfg.lists) {
    // Most lists hold no upper-case word at all: no site is made for them (a large config has thousands).
    if (!HAS_CAPITAL.test(l.value)) continue;
    visit(l.value, new ListSite(l), 'plain');
  }
  for (const a of cfg.acls) for (const st of a.statements) for (const it of st.items) {
    if (it.value) visit(it.value, it, contextOf(it.name));
  }
}

/**
 * Macro definitions written in the config's files, wherever they are: one inside a
 * conditional branch that is not taken is not in the macro table, yet says the name is
 * meant as a macro.
 */
function writtenDefinitions(cfg: EximConfig): Map<string, Loc> {
  const out = new Map<string, Loc>();
  // In the retry and rewrite sections "NAME = ..." is a rule: Exim defines nothing there.
  const rules = new Set<string>();
  for (const r of [...cfg.retry, ...cfg.rewrite]) rules.add(`${r.loc.range.start.line}\n${r.loc.file}`);
  for (const f of cfg.files.values()) {
    forEachDefinitionLine(f, (line, nameStart, nameEnd) => {
      const name = f.text.slice(nameStart, nameEnd);
      if (out.has(name)) return;
      // A line continuing the one before (`A1=01:B1=02:\`) is not a definition.
      if (line > 0 && endsInBackslash(f.lines.lineText(line - 1))) return;
      if (rules.has(`${line}\n${f.path}`)) return;
      const ch = nameStart - f.lines.lineStarts[line];
      out.set(name, { file: f.path, range: { start: { line, character: ch }, end: { line, character: ch + name.length } } });
    });
  }
  return out;
}

/**
 * Calls `visit` for each line that starts `NAME =` (white space, an upper-case name, white
 * space, `=`), with where the name is and where the `=` is. Only each line's start is looked
 * at: a regular expression anchored with ^ and m tried every character of the config.
 */
function forEachDefinitionLine(f: SourceFile, visit: (line: number, nameStart: number, nameEnd: number, equals: number) => void): void {
  const t = f.text, starts = f.lines.lineStarts;
  for (let line = 0; line < starts.length; line++) {
    let i = starts[line];
    let c = codeAt(t, i);
    while (c === 32 || c === 9) c = codeAt(t, ++i);
    if (c < 65 || c > 90) continue;
    const nameStart = i;
    do c = codeAt(t, ++i); while (isNameChar(c));
    const nameEnd = i;
    while (c === 32 || c === 9) c = codeAt(t, ++i);
    if (c === 61) visit(line, nameStart, nameEnd, i);
  }
}

function inside(r: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, r.start) && le(r.end, outer.end);
}

function textRanges(nodes: ExpansionNode[] | undefined): Range[] {
  const out: Range[] = [];
  if (nodes) forEachNode(nodes, (n) => { if (n.kind === 'item' && TEXT_ITEMS.has(n.name)) out.push(n.range); });
  return out;
}

/** Where the names of `${env{NAME}...}` items are: the first argument only (the others may well hold macros). */
function envNameRanges(nodes: readonly ExpansionNode[] | undefined): Range[] {
  const out: Range[] = [];
  if (nodes) {
    forEachNode(nodes, (n) => {
      const name = n.kind === 'item' && n.name === 'env' ? n.args[0] : undefined;
      if (name?.length) out.push({ start: name[0].range.start, end: name[name.length - 1].range.end });
    });
  }
  return out;
}

/**
 * Names the config tests with `.ifdef`, `.ifndef` or their `.elif` forms: its author knows
 * they may be undefined, so the shape of a word alone does not call it a mistake (Exim's own
 * default config has `tls_sni = ROUTER_SMARTHOST` in a transport only the router under
 * `.ifdef ROUTER_SMARTHOST` uses).
 */
function testedNames(cfg: EximConfig): Set<string> {
  const out = new Set<string>();
  for (const f of cfg.files.values()) {
    const t = f.text, starts = f.lines.lineStarts;
    for (let line = 0; line < starts.length; line++) {
      let i = starts[line];
      while (codeAt(t, i) === 32 || codeAt(t, i) === 9) i++;
      if (codeAt(t, i) !== 46) continue;
      const m = /^\.(?:el)?ifn?def[ \t]+([A-Za-z0-9_]+)/.exec(t.slice(i, i + 200));
      if (m) out.add(m[1]);
    }
  }
  return out;
}

/**
 * Where the `nth` whole-word occurrence of `word` is written inside `loc`; undefined when it
 * is not written there (it came from another macro's replacement text).
 */
function wordLoc(cfg: EximConfig, loc: Loc, word: string, nth: number): Loc | undefined {
  const f = cfg.files.get(loc.file);
  if (!f) return undefined;
  const a = f.lines.offsetAt(loc.range.start), b = f.lines.offsetAt(loc.range.end);
  const src = f.text.slice(a, b);
  let k = 0;
  for (let at = src.indexOf(word); at >= 0; at = src.indexOf(word, at + 1)) {
    if (at > 0 && isNameChar(src.charCodeAt(at - 1))) continue;
    if (isNameChar(codeAt(src, at + word.length))) continue;
    if (k++ < nth) continue;
    return { file: loc.file, range: { start: f.lines.positionAt(a + at), end: f.lines.positionAt(a + at + word.length) } };
  }
  return undefined;
}

const NO_USES: readonly MacroUse[] = [];

/** A word a macro's value holds: where it is written, in which macro, and the use that brought it. */
interface Held { readonly at: Loc; readonly holder: string; readonly use: Loc; readonly via: string; readonly key: string; readonly value: Loc }

function overlaps(r: Range, outer: Range): boolean {
  const lt = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
  return lt(r.start, outer.end) && lt(outer.start, r.end);
}

/**
 * Where each macro's value is written, for every `NAME =` and `NAME ==` line (with the
 * lines continuing it), in the files' order: the words a macro brings into a line are
 * looked for there.
 */
function definitionValues(cfg: EximConfig): Map<string, Loc[]> {
  const out = new Map<string, Loc[]>();
  for (const f of cfg.files.values()) {
    const t = f.text;
    forEachDefinitionLine(f, (line, nameStart, nameEnd, equals) => {
      if (line > 0 && endsInBackslash(f.lines.lineText(line - 1))) return;
      // The value starts after `=` or `==` and the white space after it.
      let i = equals + 1;
      if (codeAt(t, i) === 61) i++;
      for (let c = codeAt(t, i); c === 32 || c === 9; c = codeAt(t, ++i));
      const start = { line, character: i - f.lines.lineStarts[line] };
      let end = line;
      while (end + 1 < f.lines.lineCount && endsInBackslash(f.lines.lineText(end))) end++;
      const loc: Loc = { file: f.path, range: { start, end: { line: end, character: f.lines.lineText(end).length } } };
      const name = t.slice(nameStart, nameEnd);
      const l = out.get(name);
      if (l) l.push(loc); else out.set(name, [loc]);
    });
  }
  return out;
}


function writtenAt(cfg: EximConfig, loc: Loc): string | undefined {
  const f = cfg.files.get(loc.file);
  return f?.text.slice(f.lines.offsetAt(loc.range.start), f.lines.offsetAt(loc.range.end));
}

function where(loc: Loc, from: Loc): string {
  return `line ${loc.range.start.line + 1}${loc.file === from.file ? '' : ` of ${loc.file}`}`;
}

export function checkUndefinedMacros(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const own = [...(cfg.macros instanceof MacroMap ? cfg.macros.ownValues() : cfg.macros.values())].filter((m) => m.origin !== 'builtin');
  const debian = cfg.macros.has(DEBIAN_PLACEHOLDER_MACRO);
  const macroNames = own.map((m) => m.name).filter((n) => n !== DEBIAN_PLACEHOLDER_MACRO);
  if (debian) macroNames.push(...DEBIAN_GENERATED);
  // The same list for the same names: a word's nearest macro is found once for every config
  // (and every check of an edited one) that defines the same macros.
  const candidates = sharedNames(macroNames);
  let written: Map<string, Loc> | undefined;
  // Names of the config's own things: an ACL, driver or list may well be called CHECK_RCPT.
  let names: Set<string> | undefined;
  const ownNames = () => {
    if (names) return names;
    names = new Set<string>();
    for (const x of [cfg.acls, cfg.routers, cfg.transports, cfg.authenticators, cfg.lists]) for (const y of x) names.add(y.name);
    return names;
  };
  // Macro uses per file and line: a word some macro was substituted into is left alone.
  let usesAt: Map<string, MacroUse[]> | undefined;
  const usesOn = (file: string, line: number) => {
    if (!usesAt) {
      usesAt = new Map();
      for (const u of cfg.macroUses) {
        const key = `${u.loc.range.start.line}\n${u.loc.file}`;
        const l = usesAt.get(key);
        if (l) l.push(u); else usesAt.set(key, [u]);
      }
    }
    return usesAt.get(`${line}\n${file}`) ?? NO_USES;
  };
  const touchesUse = (at: Loc) => usesOn(at.file, at.range.start.line).some(({ loc: { range: r } }) =>
    r.start.character < at.range.end.character && at.range.start.character < r.end.character);
  // Macro uses in a stretch of lines, for the words a substituted macro brought.
  const usesWithin = (within: Loc) => {
    const out: MacroUse[] = [];
    for (let line = within.range.start.line; line <= within.range.end.line; line++) {
      for (const u of usesOn(within.file, line)) if (inside(u.loc.range, within.range)) out.push(u);
    }
    return out;
  };
  const refused = (def: Loc) => cfg.parseFindings.some((f) => f.file === def.file && f.range.start.line === def.range.start.line && f.severity === 'error');
  let definitions: Map<string, Loc[]> | undefined;
  const reported = new Set<string>();
  /**
   * The definition whose value has `word` written in it, among the macros substituted into
   * `site` and, for a macro whose definition used other macros, theirs (the nested case);
   * with the use on the site's line that brought it.
   */
  const heldIn = (word: string, siteLoc: Loc): Held | undefined => {
    definitions ??= definitionValues(cfg);
    // A macro's own name in its value is not rescanned for it: literal, but no undefined macro.
    const seen = new Set<string>([word]);
    // `via` is the name written at the use: the macro that brought the holder's, if another.
    const queue = usesWithin(siteLoc).map((u) => ({ name: u.name, use: u.loc, via: writtenAt(cfg, u.loc) ?? u.name }));
    for (let k = 0; k < queue.length; k++) {
      const { name, use, via } = queue[k];
      if (seen.has(name)) continue;
      seen.add(name);
      const m = cfg.macros.get(name);
      if (!m || m.origin !== 'config' || !m.loc) continue;
      for (const d of definitions.get(name) ?? []) {
        const at = wordLoc(cfg, d, word, 0);
        if (at) return { at, holder: name, use, via, key: `${at.file}\n${at.range.start.line}\n${at.range.start.character}`, value: d };
        for (const u of usesWithin(d)) queue.push({ name: u.name, use, via });
      }
    }
    return undefined;
  };
  const heldFinding = (word: string, held: Held, macro: Macro | undefined, def: Loc | undefined, guess: string | undefined): Finding => {
    const { at, holder, use, via } = held;
    const used = `${where(use, at)}${via === holder ? '' : `, through ${via}`}`;
    const there = `where ${holder} is used (${used})`;
    let message: string;
    if (macro) {
      message = `${word}, in the value of ${holder}, is defined (${where(macro.loc!, at)}) only after ${holder} is used (${used}), so there Exim reads the literal text "${word}". Move the definition of ${word} above that use.`;
    } else if (def) {
      message = refused(def)
        ? `${word}, in the value of ${holder}, has a definition (${where(def, at)}) that is refused, so ${there} Exim reads the literal text "${word}"; fix that definition.`
        : `${word}, in the value of ${holder}, is defined (${where(def, at)}) only in a conditional branch that is not taken, so ${there} Exim reads the literal text "${word}". Define it for this case too.`;
    } else {
      message = `${word}, in the value of ${holder}, looks like a macro, but no macro ${word} is defined ${there}, so there Exim reads it as the literal text "${word}".${didYouMean(guess)}`
        + (guess ? '' : ` Define ${word} before that use (or with -D), or write the value itself.`);
    }
    return finding('exim/undefined-macro', at.file, at.range, message, runTime(guess ? replaceFix(at, guess) : undefined));
  };

  let tested: Set<string> | undefined;
  forEachSite(cfg, (value, site, context) => {
    if (context === 'environment') return;
    let text: Range[] | undefined;
    let envNames: Range[] | undefined;
    // Parsed at most once (each read of a site's tree parses it again).
    let tree: ExpansionNode[] | undefined | null = null;
    const treeOf = () => tree === null ? (tree = site.expansion) : tree;
    // Placed at the first word that needs it; a value with no place has nothing to report.
    let loc: Loc | undefined;
    CANDIDATE.lastIndex = 0;
    for (let m; (m = CANDIDATE.exec(value));) {
      const word = m[0], ws = m.index;
      if (debian && DEBIAN_GENERATED.has(word)) continue;
      // Whether the word would be reported, decided before the (dearer) search for where it is.
      let guess: string | undefined;
      const macro = cfg.macros.get(word);
      const def = macro ? undefined : (written ??= writtenDefinitions(cfg)).get(word);
      if (macro) {
        // Defined, yet left as it is: this line comes before the definition.
        if (macro.origin !== 'config' || !macro.loc) continue;
      } else if (!def) {
        guess = ALL_CAPS.test(word) && (word.length >= GUESS_MIN_LENGTH || word.includes('_')) ? nearest(word, candidates) : undefined;
        if (!guess && (context !== 'plain' || !CAPS_WITH_UNDERSCORE.test(word))) continue;
      }
      if (ownNames().has(word)) continue;
      // The name an add_environment or a pipe's environment sets.
      if (context === 'settings' && codeAt(value, ws + word.length) === 61) continue;
      if (!macro && !def && !guess) {
        // A file's name in a path (`/run/secrets/SMTP_PASSWORD`): a macro holding part of a
        // path comes first in it (`CONFDIR/aliases`).
        if (codeAt(value, ws - 1) === 47) continue;
        if ((tested ??= testedNames(cfg)).has(word)) continue;
      }
      if (!(loc ??= site.valueLoc)) return;
      const at = wordLoc(cfg, loc, word, occurrencesBefore(value, word, ws));
      if (!at || touchesUse(at)) {
        // Not written here: a macro substituted on this line brought it, and no macro of its
        // name was there to replace it. It is reported once, where its holder's value has it.
        const held = heldIn(word, loc);
        if (!held || reported.has(held.key) || inEnvName(cfg, held.at, held.value)) continue;
        // Defined above the use, yet left as it is: not a case this rule can explain.
        if (macro && macro.loc!.file === held.use.file && macro.loc!.range.start.line < held.use.range.start.line) continue;
        if (!macro && !def && !guess) {
          text ??= textRanges(treeOf());
          if (text.some((r) => overlaps(held.use.range, r))) continue;
        }
        reported.add(held.key);
        out.push(heldFinding(word, held, macro, def, guess));
        continue;
      }
      envNames ??= envNameRanges(treeOf());
      if (envNames.some((r) => inside(at.range, r))) continue;
      if (!macro && !def && !guess) {
        // Only the shape speaks for it: not where upper-case words are another language's.
        text ??= textRanges(treeOf());
        if (text.some((r) => inside(at.range, r))) continue;
      }
      let message: string;
      if (macro) {
        message = `The macro ${word} is used before it is defined (${where(macro.loc!, loc)}); Exim substitutes a macro only in the lines after its definition, so here it is the literal text "${word}". Move the definition up.`;
      } else if (def) {
        message = refused(def)
          ? `The definition of ${word} (${where(def, loc)}) is refused, so here Exim reads the literal text "${word}"; fix that definition.`
          : `${word} is defined (${where(def, loc)}) only in a conditional branch that is not taken, so here Exim reads the literal text "${word}". Define it for this case too, or guard this line with the same .ifdef.`;
      } else {
        message = `${word} looks like a macro, but no macro ${word} is defined, so Exim reads it as the literal text "${word}".${didYouMean(guess)}`
          + (guess ? '' : ' Define it before this line (or with -D), or write the value itself.');
      }
      out.push(finding('exim/undefined-macro', at.file, at.range, message, runTime(guess ? replaceFix(at, guess) : undefined)));
    }
  });
  selfReferences(cfg, own, () => definitions ??= definitionValues(cfg), out);
  return out;
}

/**
 * A macro whose first definition names the macro itself (`FOO = FOO : example.org`): Exim
 * substitutes into a definition only the macros defined before it, so the word stays
 * (exim4 -bP: the list's first item is the literal "FOO"), and what was meant to be extended
 * is lost. After an earlier definition, `FOO == FOO : x` takes the old value, as meant.
 */
/**
 * Whether the word at `at`, in a macro's value written at `value`, names an environment
 * variable there (`IMAP_HOST = ${env{EXIM_IMAP_HOST}}`).
 */
function inEnvName(cfg: EximConfig, at: Loc, value: Loc): boolean {
  const f = cfg.files.get(value.file);
  const text = writtenAt(cfg, value);
  if (!f || text === undefined || !text.includes('env')) return false;
  const a = f.lines.offsetAt(at.range.start) - f.lines.offsetAt(value.range.start);
  const b = a + (f.lines.offsetAt(at.range.end) - f.lines.offsetAt(at.range.start));
  return envNameRanges(parseExpansion(text, atOffsets)).some((r) => r.start.character <= a && b <= r.end.character);
}

function selfReferences(cfg: EximConfig, own: readonly Macro[], definitions: () => Map<string, Loc[]>, out: Finding[]): void {
  for (const m of own) {
    if (m.origin !== 'config' || !m.loc || !m.value.includes(m.name)) continue;
    // Found by reading every definition line: done only for a value that names its macro.
    const first = definitions().get(m.name)?.[0];
    const at = first && wordLoc(cfg, first, m.name, 0);
    if (!at) continue;
    // `HAVE_MM3 = ${env{HAVE_MM3}{$value}fail}`: the environment variable's name, not the macro.
    if (inEnvName(cfg, at, first)) continue;
    // Debian's update-exim4.conf writes its own MAIN_* values under .ifndef, after the parts
    // that come first: this definition shadows them.
    const debian = /^MAIN_|^CHECK_|^DC/.test(m.name) && cfg.macros.has(DEBIAN_PLACEHOLDER_MACRO)
      ? ` (Debian's own value for ${m.name} is set only when it is not defined yet, so it is not there to extend either)` : '';
    out.push(finding('exim/undefined-macro', at.file, at.range,
      `The value of ${m.name} names ${m.name} itself, which is not defined before this line: Exim substitutes into a definition only the macros defined above it, so it keeps the literal text "${m.name}" there, and wherever ${m.name} is used that word is part of it, not the value it was meant to extend${debian}. Write that value out in full here, or define ${m.name} first and extend it with "==".`, runTime()));
  }
}
