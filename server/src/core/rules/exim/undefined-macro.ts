// Words that look like macro uses but name no macro. Exim substitutes a macro wherever its
// name occurs in a line after its definition, and leaves any other word as it is: so a
// misspelt or never-defined `hosts = MY_RELAY_HOSTS` is silently a host called
// "MY_RELAY_HOSTS" (`exim -bP` shows it so, `exim -bV` accepts it). Only words that
// clearly mean a macro are reported: a macro used above its definition, one defined only
// in a conditional branch not taken, a near miss of a defined macro (with a fix), and,
// outside text, an upper-case name with an underscore. That keeps quiet on the upper-case
// words configs hold for other reasons (cipher and environment names, SQL, message text).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, Loc } from '../../exim/model';
import type { ExpansionNode } from '../../exim/expansion';
import { codeAt, isNameChar, MacroMap } from '../../exim/macros';
import type { CheckOptions } from '../../options';
import type { Range } from '../../text';
import { forEachNode } from './expansion';
import { didYouMean, nearest, replaceFix, runTime, sharedNames } from './suggest';

/**
 * How much a value's upper-case words say. In `plain` values (hosts, domains, paths,
 * transports, data) an upper-case name with an underscore is a macro; in `text` the same
 * shape is normal (message text, cipher and environment names), and only a near miss of a
 * defined macro, or one the config defines elsewhere, is reported.
 */
type Context = 'plain' | 'text';

/** Options and ACL conditions/modifiers whose values are text, or names from another namespace. */
const TEXT_VALUES = new Set([
  // Text for people or logs.
  'message', 'log_message', 'logwrite', 'add_header', 'remove_header', 'headers_add', 'headers_remove',
  'gecos_name', 'debug_print', 'smtp_banner', 'received_header_text', 'message_prefix', 'message_suffix',
  'text', 'subject', 'dsn_from',
  // Environment variable names (`keep_environment = PATH : LD_LIBRARY_PATH`).
  'keep_environment', 'add_environment', 'environment',
  // TLS cipher and priority names (`TLS_AES_256_GCM_SHA384`, GnuTLS `%SERVER_PRECEDENCE`).
  'tls_require_ciphers', 'openssl_options', 'encrypted',
  // Patterns, and lookups' servers and queries.
  'regex', 'mime_regex', 'ldap_default_servers', 'mysql_servers', 'pgsql_servers', 'oracle_servers', 'ibase_servers', 'redis_servers',
]);

/** Expansion items whose arguments are another language's text: queries, commands, environment names. */
const TEXT_ITEMS = new Set(['lookup', 'env', 'perl', 'run', 'dlfunc', 'readsocket']);

/**
 * Debian's update-exim4.conf replaces the `UPEX4CmacrosUPEX4C = 1` line of its template
 * (and of conf.d) with definitions of these, from update-exim4.conf.conf (some only for
 * some settings): the config as shipped uses them without defining them.
 */
const DEBIAN_PLACEHOLDER = 'UPEX4CmacrosUPEX4C';
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
  return TEXT_VALUES.has(name) ? 'text' : 'plain';
}

function forEachSite(cfg: EximConfig, visit: SiteVisitor): void {
  const settings = (list: EximConfig['main']) => {
    for (const s of list) if (s.value) visit(s.value, s, contextOf(s.name));
  };
  settings(cfg.main);
  settings(cfg.local_scan);
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) for (const inst of list) settings(inst.options);
  // A list has no expansion tree of its own: its items are expanded when it is used.
  for (const l of cfg.lists) visit(l.value, l, 'plain');
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
  for (const f of cfg.files.values()) {
    // The lines that start `NAME =` are found by one native search over the text, not a
    // loop over every line (it ran, mostly unoptimised, over every line of the config).
    const t = f.text;
    DEFINITION.lastIndex = 0;
    for (let m; (m = DEFINITION.exec(t));) {
      const at = m.index;
      // Where the reader starts a line: `^` also matches after U+2028 and U+2029.
      if (at > 0 && t.charCodeAt(at - 1) !== 10 && t.charCodeAt(at - 1) !== 13) continue;
      const name = m[2];
      if (out.has(name)) continue;
      const line = f.lines.positionAt(at).line;
      // A line continuing the one before (`A1=01:B1=02:\`) is not a definition.
      if (line > 0 && /\\[ \t]*\r?$/.test(f.lines.lineText(line - 1))) continue;
      const ch = m[1].length;
      out.set(name, { file: f.path, range: { start: { line, character: ch }, end: { line, character: ch + name.length } } });
    }
  }
  return out;
}
/** A line that starts `NAME =`: its indent and the name. */
const DEFINITION = /^([ \t]*)([A-Z][A-Za-z0-9_]*)[ \t]*=/gm;

function inside(r: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, r.start) && le(r.end, outer.end);
}

function textRanges(nodes: ExpansionNode[] | undefined): Range[] {
  const out: Range[] = [];
  if (nodes) forEachNode(nodes, (n) => { if (n.kind === 'item' && TEXT_ITEMS.has(n.name)) out.push(n.range); });
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

function where(loc: Loc, from: Loc): string {
  return `line ${loc.range.start.line + 1}${loc.file === from.file ? '' : ` of ${loc.file}`}`;
}

export function checkUndefinedMacros(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const own = [...(cfg.macros instanceof MacroMap ? cfg.macros.ownValues() : cfg.macros.values())].filter((m) => m.origin !== 'builtin');
  const debian = cfg.macros.has(DEBIAN_PLACEHOLDER);
  const macroNames = own.map((m) => m.name).filter((n) => n !== DEBIAN_PLACEHOLDER);
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
  let usesAt: Map<string, Range[]> | undefined;
  const touchesUse = (at: Loc) => {
    if (!usesAt) {
      usesAt = new Map();
      for (const u of cfg.macroUses) {
        const key = `${u.loc.range.start.line}\n${u.loc.file}`;
        const l = usesAt.get(key);
        if (l) l.push(u.loc.range); else usesAt.set(key, [u.loc.range]);
      }
    }
    return (usesAt.get(`${at.range.start.line}\n${at.file}`) ?? []).some((r) =>
      r.start.character < at.range.end.character && at.range.start.character < r.end.character);
  };

  forEachSite(cfg, (value, site, context) => {
    let text: Range[] | undefined;
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
        if (!guess && (context === 'text' || !CAPS_WITH_UNDERSCORE.test(word))) continue;
      }
      if (ownNames().has(word)) continue;
      if (!(loc ??= site.valueLoc)) return;
      const at = wordLoc(cfg, loc, word, occurrencesBefore(value, word, ws));
      if (!at || touchesUse(at)) continue;
      if (!macro && !def && !guess) {
        // Only the shape speaks for it: not where upper-case words are another language's.
        text ??= textRanges(site.expansion);
        if (text.some((r) => inside(at.range, r))) continue;
      }
      let message: string;
      if (macro) {
        message = `The macro ${word} is used before it is defined (${where(macro.loc!, loc)}); Exim substitutes a macro only in the lines after its definition, so here it is the literal text "${word}". Move the definition up.`;
      } else if (def) {
        const refused = cfg.parseFindings.some((f) => f.file === def.file && f.range.start.line === def.range.start.line && f.severity === 'error');
        message = refused
          ? `The definition of ${word} (${where(def, loc)}) is refused, so here Exim reads the literal text "${word}"; fix that definition.`
          : `${word} is defined (${where(def, loc)}) only in a conditional branch that is not taken, so here Exim reads the literal text "${word}". Define it for this case too, or guard this line with the same .ifdef.`;
      } else {
        message = `${word} looks like a macro, but no macro ${word} is defined, so Exim reads it as the literal text "${word}".${didYouMean(guess)}`
          + (guess ? '' : ' Define it before this line (or with -D), or write the value itself.');
      }
      out.push(finding('exim/undefined-macro', at.file, at.range, message, runTime(guess ? replaceFix(at, guess) : undefined)));
    }
  });
  return out;
}
