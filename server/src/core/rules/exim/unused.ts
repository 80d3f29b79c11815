// Hints for definitions nothing refers to: transports, named lists, ACLs and macros. A
// name that appears anywhere in an expanded value counts as used, because expansions can
// build references we cannot follow (`transport = ${if ...{t1}{t2}}`); so does a transport
// or ACL name that a selecting value may build from a part of it
// (`transport = remote_smtp${if …{_dkim}}` uses remote_smtp_dkim).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, Loc, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { takeListRefs, TRANSPORT_OPTIONS } from './names';
import { LIST_REF } from './lists';
import { aclCallName, aclNameOf, SELECTING_OPTIONS } from './acl-where';
import { MacroMap } from '../../exim/macros';
import { skippedLinesOf } from '../../exim/parser';
import { DEBIAN_PLACEHOLDER_MACRO } from '../../exim/confd';
import { builtNames, wholeWord, type BuiltNames } from './built-names';

/**
 * Macros that mark a place for a tool rather than hold a value: Debian's
 * update-exim4.conf replaces the `UPEX4CmacrosUPEX4C = 1` line of its template (and of
 * conf.d/main/01_exim4-config_listmacrosdefs) with the debconf macro definitions.
 */
const PLACEHOLDER_MACROS = [DEBIAN_PLACEHOLDER_MACRO];

/** Each distinct value with "$" in it once: configs repeat the same conditions and messages. */
function expandedValues(cfg: EximConfig): Set<string> {
  const out = new Set<string>();
  for (const s of cfg.main) if (s.value?.includes('$')) out.add(s.value);
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) for (const inst of list) for (const s of inst.options) if (s.value?.includes('$')) out.add(s.value);
  for (const a of cfg.acls) for (const st of a.statements) for (const it of st.items) if (it.value?.includes('$')) out.add(it.value);
  for (const l of cfg.lists) if (l.value.includes('$')) out.add(l.value);
  return out;
}

/**
 * Whether a name appears as a whole word in some expanded value. The words of all values
 * are hashed once, so the check costs one set lookup per definition instead of a scan of
 * every value (thousands of lists times thousands of values took minutes); the words
 * themselves are made only when a name's hash is among them, that is when some name is
 * mentioned (a large config has thousands of words and, often, nothing mentioned).
 */
class Mentions {
  private readonly hashes = new Set<number>();
  private words: Set<string> | undefined;
  constructor(private readonly values: Set<string>) {
    for (const v of values) addWordHashes(v, this.hashes);
  }
  has(name: string): boolean {
    if (/^[A-Za-z0-9_]+$/.test(name)) {
      if (!this.hashes.has(wordHash(name, 0, name.length))) return false;
      if (!this.words) {
        this.words = new Set();
        for (const v of this.values) addWords(v, this.words);
      }
      return this.words.has(name);
    }
    const re = wholeWord(name);
    for (const v of this.values) if (re.test(v)) return true;
    return false;
  }
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** A hash of v[start, end) that fits a small integer (a set of them holds no strings). */
function wordHash(v: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + v.charCodeAt(i)) | 0;
  return h & 0x3fffffff;
}

/**
 * The hashes of the maximal runs of [A-Za-z0-9_] in `v`. One pass, the character test
 * written out: every expanded value of the config is read once per check, mostly before
 * this is optimised, and a call per character was most of its time.
 */
function addWordHashes(v: string, into: Set<number>): void {
  const n = v.length;
  let h = 0, inWord = false;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) {
      h = (Math.imul(h, 31) + c) | 0;
      inWord = true;
    } else if (inWord) {
      into.add(h & 0x3fffffff);
      h = 0;
      inWord = false;
    }
  }
  if (inWord) into.add(h & 0x3fffffff);
}

/** The maximal runs of [A-Za-z0-9_] in `v`. */
function addWords(v: string, into: Set<string>): void {
  let i = 0;
  while (i < v.length) {
    while (i < v.length && !isWordChar(v.charCodeAt(i))) i++;
    const start = i;
    while (i < v.length && isWordChar(v.charCodeAt(i))) i++;
    if (i > start) into.add(v.slice(start, i));
  }
}

const CONDITIONAL = /^[ \t]*\.(?:ifdef|ifndef|elifdef|elifndef) ([^\r\n]*)/gm;

/**
 * The words of every `.ifdef`, `.ifndef`, `.elifdef` and `.elifndef` line, skipped branches
 * included. Exim decides such a line by substituting macros in it, so a macro named there
 * is used; the reader does not record those lines as uses, so they are read from the text.
 */
function conditionalWords(cfg: EximConfig): string[] {
  const words = new Set<string>();
  for (const f of cfg.files.values()) {
    if (!f.text.includes('.if') && !f.text.includes('.elif')) continue;
    for (const m of f.text.matchAll(CONDITIONAL)) addWords(m[1], words);
  }
  return [...words];
}

/** A hint on a definition; its place is read once (each read of a model's Loc makes one). */
function unusedFinding(at: Loc, message: string): Finding {
  return finding('exim/unused-definition', at.file, at.range, message);
}

export function checkUnused(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  // The words of every expanded value are collected only when some definition is not
  // used otherwise (in most configs, none).
  let words: Mentions | undefined;
  const mentions = { has: (name: string) => (words ??= new Mentions(expandedValues(cfg))).has(name) };
  // One function per kind of definition: each is small to optimise, and one that does not
  // run (a config without lists) is not compiled.
  const skipped = new SkippedUses(cfg);
  if (cfg.transports.length) unusedTransports(cfg, mentions, skipped, out);
  if (cfg.lists.length) unusedLists(cfg, mentions, skipped, out);
  if (cfg.acls.length) unusedAcls(cfg, mentions, skipped, out);
  unusedMacros(cfg, out);
  return out;
}

interface Mentioned { has(name: string): boolean }

/**
 * Names used in the branches Exim skips: a transport that only a skipped router uses (a
 * Debian configtype not chosen) is used when that branch is taken, as references and
 * rename count it. Read only when a definition is otherwise unused.
 */
class SkippedUses {
  private uses: { transports: Set<string>; lists: Set<string>; acls: Set<string> } | undefined;
  constructor(private readonly cfg: EximConfig) {}
  has(kind: 'transports' | 'lists' | 'acls', name: string): boolean {
    return (this.uses ??= skippedUses(this.cfg))[kind].has(name);
  }
}

const SETTING = /^\s*(?:(?:accept|defer|deny|discard|drop|require|warn)\s+)?(?:!\s*)?(\w+)\s*=\s*([A-Za-z0-9_][\w.-]*)\s*$/;

function skippedUses(cfg: EximConfig): { transports: Set<string>; lists: Set<string>; acls: Set<string> } {
  const out = { transports: new Set<string>(), lists: new Set<string>(), acls: new Set<string>() };
  for (const { text } of skippedLinesOf(cfg)) {
    const m = SETTING.exec(text);
    if (m) {
      if (TRANSPORT_OPTIONS.has(m[1])) out.transports.add(m[2]);
      else if (m[1] === 'acl' || SELECTING_OPTIONS.has(m[1])) out.acls.add(m[2]);
    }
    if (text.includes('+')) for (const r of text.matchAll(LIST_REF)) out.lists.add(r[2]);
  }
  return out;
}

function unusedTransports(cfg: EximConfig, mentions: Mentioned, skipped: SkippedUses, out: Finding[]): void {
  const usedTransports = new Set<string>();
  // Names built at run time are looked for only when some transport option expands.
  let expands = false;
  let built: BuiltNames | undefined;
  const transportsIn = (settings: OptionSetting[]) => {
    for (const s of settings) if (TRANSPORT_OPTIONS.has(s.name) && s.value) { usedTransports.add(s.value.trim()); if (s.value.includes('$')) expands = true; }
  };
  transportsIn(cfg.main);
  for (const r of cfg.routers) transportsIn(r.options);
  for (const t of cfg.transports) transportsIn(t.options);
  for (const t of cfg.transports) {
    if (usedTransports.has(t.name) || mentions.has(t.name) || skipped.has('transports', t.name) || (expands && (built ??= builtNames(cfg, 'transport')).has(t.name))) continue;
    out.push(unusedFinding(t.nameLoc, `The transport "${t.name}" is not used by any router.`));
  }
}

function unusedLists(cfg: EximConfig, mentions: Mentioned, skipped: SkippedUses, out: Finding[]): void {
  const usedLists = takeListRefs(cfg).used;
  for (const l of cfg.lists) {
    if (usedLists.get(l.kind)?.has(l.name) || mentions.has(l.name) || skipped.has('lists', l.name)) continue;
    out.push(unusedFinding(l.nameLoc, `The ${l.kind} "${l.name}" is never referenced as "+${l.name}".`));
  }
}

function unusedAcls(cfg: EximConfig, mentions: Mentioned, skipped: SkippedUses, out: Finding[]): void {
  const usedAcls = new Set<string>();
  let expands = false;
  let built: BuiltNames | undefined;
  const selecting = SELECTING_OPTIONS;
  for (const s of cfg.main) if (selecting.has(s.name)) { const n = aclNameOf(s.value); if (n) usedAcls.add(n); if (s.value?.includes('$')) expands = true; }
  for (const a of cfg.acls) for (const st of a.statements) for (const it of st.items) {
    if (it.name === 'acl') { const n = aclCallName(it.value); if (n) usedAcls.add(n); if (it.value?.includes('$')) expands = true; }
  }
  for (const a of cfg.acls) {
    if (usedAcls.has(a.name) || mentions.has(a.name) || skipped.has('acls', a.name) || (expands && (built ??= builtNames(cfg, 'acl')).has(a.name))) continue;
    out.push(unusedFinding(a.nameLoc, `The ACL "${a.name}" is not selected by any acl_smtp_* option or called with "acl =".`));
  }
}

function unusedMacros(cfg: EximConfig, out: Finding[]): void {
  let usedMacros: Set<string> | undefined;
  let tested: string[] | undefined;
  // The config's own macros only: the ~800 built-ins are never walked.
  const macros = cfg.macros instanceof MacroMap ? cfg.macros.ownValues() : cfg.macros.values();
  for (const m of macros) {
    if (m.origin !== 'config' || !m.loc) continue;
    if (!usedMacros) {
      usedMacros = new Set(PLACEHOLDER_MACROS);
      for (const u of cfg.macroUses) usedMacros.add(u.name);
    }
    if (usedMacros.has(m.name)) continue;
    tested ??= conditionalWords(cfg);
    // Exim substitutes a macro wherever its name starts a word, so `.ifdef MAIN_TLS_ENABLE`
    // tests MAIN_TLS too.
    if (tested.some((w) => w.startsWith(m.name))) continue;
    out.push(unusedFinding(m.loc, `The macro "${m.name}" is defined but never used.`));
  }
}
