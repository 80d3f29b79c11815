// Every place a transport, router, ACL, named list or macro is defined or referred to,
// from the model. Definition, references, rename and hover all start here.
import type { EximConfig as EximModel, Loc, MacroUse, OptionSetting } from '../exim/model';
import type { ExpansionNode } from '../exim/expansion';
import { walkExpansion } from '../exim/expansion-parser';
import type { Range } from '../text';
import { containsPos, type Position } from '../text';
import { aclCondition, eximDriver, lookupOption, whereOfAclOption } from '../catalog/exim';
import { aclListKind, LIST_REF, locOfText } from '../rules/exim/lists';
import { TRANSPORT_OPTIONS } from '../rules/exim/names';
import { macroLines, skippedLines, type MacroLine } from './exim-macro-lines';

export type NameKind = 'transport' | 'router' | 'authenticator' | 'acl' | 'list' | 'macro';

export interface Occurrence { kind: NameKind; name: string; file: string; range: Range; isDefinition: boolean }

/** A name that a macro from outside the config (`-D`, update-exim4.conf.conf) gives where a name is read. */
export interface OutsideName { kind: NameKind; name: string; macro: string; origin: 'define' | 'debian' }

/** Generic router options whose value is the name of another router. */
export const ROUTER_OPTIONS = new Set(['pass_router', 'redirect_router']);
/** Expansion conditions whose second argument is a list that may name lists with `+name`. */
const LIST_CONDITIONS = new Set(['match_domain', 'match_address', 'match_local_part', 'match_ip']);

/** The text a Loc covers, from the model's copy of the file. */
function textAt(m: EximModel, loc: Loc): { text: string; offset: number; lines: import('../text').LineIndex } | undefined {
  const f = m.files.get(loc.file);
  if (!f) return undefined;
  const s = f.lines.offsetAt(loc.range.start), e = f.lines.offsetAt(loc.range.end);
  return { text: f.text.slice(s, e), offset: s, lines: f.lines };
}

/** A whole-word value as written (no expansion, no list): the name it refers to, with its exact range. */
function plainName(m: EximModel, loc: Loc | undefined): Written | undefined {
  if (!loc) return undefined;
  const t = textAt(m, loc);
  if (!t) return undefined;
  const mm = /^(\s*)([A-Za-z0-9_][\w.-]*)\s*$/.exec(t.text);
  if (!mm) return undefined;
  const s = t.offset + mm[1].length;
  return { name: mm[2], range: { start: t.lines.positionAt(s), end: t.lines.positionAt(s + mm[2].length) } };
}

/** The first word of a value, when it is a plain name (`acl = name arg…`). */
function firstWord(m: EximModel, loc: Loc | undefined): Written | undefined {
  if (!loc) return undefined;
  const t = textAt(m, loc);
  if (!t) return undefined;
  const mm = /^(\s*)([A-Za-z0-9_][\w.-]*)(?=\s|$)/.exec(t.text);
  if (!mm) return undefined;
  const s = t.offset + mm[1].length;
  return { name: mm[2], range: { start: t.lines.positionAt(s), end: t.lines.positionAt(s + mm[2].length) } };
}

type Written = { name: string; range: Range };
type Pick = (m: EximModel, loc: Loc) => Written | undefined;

/**
 * What the occurrences are collected with: the macro uses by place, and the definitions
 * in force by name, so that a name that comes out of a macro is found where the macro's
 * definition writes it.
 */
class Names {
  readonly out: Occurrence[] = [];
  readonly outside: OutsideName[] = [];
  private readonly usesAt = new Map<string, string>();
  private readonly usesOnLine = new Map<string, MacroUse[]>();
  private readonly defs = new Map<string, MacroLine[]>();
  /** Definitions in branches Exim skips: what the macro would say if the branch were taken. */
  private readonly skippedDefs = new Map<string, MacroLine[]>();
  private readonly macroNames = new Set<string>();
  constructor(readonly m: EximModel, lines: MacroLine[]) {
    for (const u of m.macroUses) {
      this.usesAt.set(key(u.loc.file, u.loc.range), u.name);
      const k = `${u.loc.file}\0${u.loc.range.start.line}`;
      const list = this.usesOnLine.get(k);
      if (list) list.push(u); else this.usesOnLine.set(k, [u]);
    }
    for (const mac of m.macros.values()) this.macroNames.add(mac.name);
    for (const l of lines) {
      if (l.kind !== 'define') continue;
      this.macroNames.add(l.name);
      if (!l.value) continue;
      const map = l.active ? this.defs : this.skippedDefs;
      const list = map.get(l.name);
      if (list) list.push(l); else map.set(l.name, [l]);
    }
  }

  /** Macros used inside a Loc, each with the value Locs of its definitions in force. */
  private macrosIn(loc: Loc): { name: string; values: Loc[] }[] {
    const out: { name: string; values: Loc[] }[] = [];
    for (let line = loc.range.start.line; line <= loc.range.end.line; line++) for (const u of this.usesOnLine.get(`${loc.file}\0${line}`) ?? []) {
      if (!containsPos(loc.range, u.loc.range.start) || !containsPos(loc.range, u.loc.range.end)) continue;
      out.push({ name: u.name, values: (this.defs.get(u.name) ?? []).map((d) => ({ file: d.file, range: d.value!.range })) });
    }
    return out;
  }

  /**
   * The name a value refers to, where it is written: in the value itself, or, when the
   * value is a macro, in the value of that macro's definition (`MAIN_ACL_CHECK_RCPT =
   * acl_check_rcpt`, then `acl_smtp_rcpt = MAIN_ACL_CHECK_RCPT`). `expected` is the value
   * with macros expanded, which tells the definition in force when there are several.
   */
  through(loc: Loc | undefined, pick: Pick, expected?: string, depth = 0): (Written & { file: string }) | undefined {
    if (!loc || depth > 8) return undefined;
    const w = pick(this.m, loc);
    if (!w) return undefined;
    const macro = this.usesAt.get(key(loc.file, w.range));
    if (macro === undefined) return { ...w, file: loc.file };
    const candidates = this.defs.get(macro) ?? [];
    let fallback: (Written & { file: string }) | undefined;
    for (let i = candidates.length - 1; i >= 0; i--) {
      const d = candidates[i];
      const hit = this.through({ file: d.file, range: d.value!.range }, plainName, expected, depth + 1);
      if (!hit) continue;
      if (expected === undefined || hit.name === expected) return hit;
      fallback ??= hit;
    }
    return expected === undefined ? fallback : undefined;
  }

  ref(kind: NameKind, w: (Written & { file: string }) | undefined): void {
    if (w) this.out.push({ kind, name: w.name, file: w.file, range: w.range, isDefinition: false });
  }

  /**
   * A reference through `through`, and the names that the macro's definitions in skipped
   * branches give (Debian's `.ifndef MAIN_ACL_CHECK_RCPT` default when localmacros sets
   * it): a rename must keep them right for when the branch is taken.
   */
  refThrough(kind: NameKind, loc: Loc | undefined, pick: Pick, expected?: string): void {
    this.ref(kind, this.through(loc, pick, expected));
    const w = loc && pick(this.m, loc);
    const macro = w && this.usesAt.get(key(loc.file, w.range));
    if (!macro) return;
    const inForce = this.m.macros.get(macro);
    if (inForce && (inForce.origin === 'define' || inForce.origin === 'debian')) {
      const name = expected ?? inForce.value.trim().split(/\s+/)[0];
      if (name) this.outside.push({ kind, name, macro, origin: inForce.origin });
    }
    for (const d of this.skippedDefs.get(macro) ?? []) {
      const v = plainName(this.m, { file: d.file, range: d.value!.range });
      if (v && !this.macroNames.has(v.name)) this.ref(kind, { ...v, file: d.file });
    }
  }

  /** `+name` references inside a value, or inside the list argument of a `match_*` condition, and in the macros it uses. */
  listRefs(loc: Loc | undefined, depth = 0): void {
    if (!loc || depth > 8) return;
    const t = textAt(this.m, loc);
    if (!t) return;
    const re = new RegExp(LIST_REF);
    let x: RegExpExecArray | null;
    while ((x = re.exec(t.text))) {
      const s = t.offset + x.index + x[1].length + 1;
      this.out.push({ kind: 'list', name: x[2], file: loc.file, range: { start: t.lines.positionAt(s), end: t.lines.positionAt(s + x[2].length) }, isDefinition: false });
    }
    // A macro name holds an upper-case letter.
    if (!/[A-Z]/.test(t.text)) return;
    for (const mac of this.macrosIn(loc)) for (const v of mac.values) this.listRefs(v, depth + 1);
  }

  /**
   * Names inside string expansions: `${acl{name}…}` and `${if acl{{name}…}}` call an ACL;
   * `match_domain{…}{+name}` and its kin match against named lists.
   */
  expansionRefs(file: string, nodes: ExpansionNode[] | undefined): void {
    if (!nodes) return;
    for (const n of walkExpansion(nodes)) {
      if ((n.kind === 'item' || n.kind === 'condition') && n.name === 'acl') {
        const first = n.args[0];
        if (first?.length === 1 && first[0].kind === 'text') this.refThrough('acl', { file, range: first[0].range }, plainName, first[0].text.trim());
      } else if (n.kind === 'condition' && LIST_CONDITIONS.has(n.name)) {
        for (const part of n.args[1] ?? []) if (part.kind === 'text') this.listRefs({ file, range: part.range });
      }
    }
  }

  /**
   * A defined name that is the whole of a result of `${if …{yes}{no}}` in a value that
   * names a transport or ACL (`transport = ${if eq{$local_part}{t1}{local_delivery}{…}}`):
   * what the expansion gives is that name, so a rename must follow it.
   */
  ifResults(kind: NameKind, file: string, nodes: ExpansionNode[] | undefined, defined: readonly { name: string }[]): void {
    if (!nodes) return;
    for (const n of walkExpansion(nodes)) {
      if (n.kind !== 'item' || n.name !== 'if') continue;
      for (const arg of n.args.slice(1)) {
        if (arg.length !== 1 || arg[0].kind !== 'text') continue;
        const w = plainName(this.m, { file, range: arg[0].range });
        if (w && defined.some((d) => d.name === w.name)) this.ref(kind, { ...w, file });
      }
    }
  }

  /** `scope` is where the option is looked up: main, the instance's driver, or its section when the driver is unknown. */
  optionRefs(o: OptionSetting, section: string, scope: string): void {
    const expected = o.value?.trim();
    if (TRANSPORT_OPTIONS.has(o.name)) this.refThrough('transport', o.valueLoc, plainName, expected);
    if (section === 'routers' && ROUTER_OPTIONS.has(o.name)) this.refThrough('router', o.valueLoc, plainName, expected);
    if (section === 'main' && whereOfAclOption(o.name)) this.refThrough('acl', o.valueLoc, plainName, expected);
    if (o.valueLoc && o.expansion) {
      if (TRANSPORT_OPTIONS.has(o.name)) this.ifResults('transport', o.valueLoc.file, o.expansion, this.m.transports);
      if (section === 'main' && whereOfAclOption(o.name)) this.ifResults('acl', o.valueLoc.file, o.expansion, this.m.acls);
    }
    // A known option that takes no list names none: its `+` is text (`tls_require_ciphers =
    // NORMAL:+VERS-TLS1.2`). An option the catalog does not know there may still be one,
    // and route_list's rules start with a domain pattern (`+cyrus_domains 127.0.0.1`).
    const known = lookupOption(scope, o.name);
    if (!known || known.listKind || o.name === 'route_list') this.listRefs(o.valueLoc);
    if (o.valueLoc) this.expansionRefs(o.valueLoc.file, o.expansion);
  }
}

const key = (file: string, r: Range) => `${file}\0${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;

export function occurrences(m: EximModel): Occurrence[] {
  const lines = macroLines(m);
  const n = new Names(m, lines);
  const out = n.out;
  const def = (kind: NameKind, name: string, loc: Loc) => out.push({ kind, name, file: loc.file, range: loc.range, isDefinition: true });
  for (const t of m.transports) def('transport', t.name, t.nameLoc);
  for (const r of m.routers) def('router', r.name, r.nameLoc);
  for (const a of m.authenticators) def('authenticator', a.name, a.nameLoc);
  for (const a of m.acls) def('acl', a.name, a.nameLoc);
  for (const l of m.lists) def('list', l.name, l.nameLoc);
  for (const mac of m.macros.values()) if (mac.loc && mac.origin === 'config') def('macro', mac.name, mac.loc);
  // Redefinitions, definitions in skipped branches, `.ifdef NAME` and uses in skipped lines.
  for (const l of lines) out.push({ kind: 'macro', name: l.name, file: l.file, range: l.range, isDefinition: l.kind === 'define' });
  for (const o of m.main) n.optionRefs(o, 'main', 'main');
  for (const l of m.lists) {
    n.listRefs(l.valueLoc);
    for (const it of l.items) n.expansionRefs(it.loc.file, it.expansion);
  }
  for (const inst of [...m.routers, ...m.transports, ...m.authenticators]) {
    // As the rules look options up (rules/exim/names.ts).
    const scope = inst.driver && eximDriver(inst.driver) ? inst.driver : inst.section;
    for (const o of inst.options) n.optionRefs(o, inst.section, scope);
  }
  for (const a of m.acls) for (const st of a.statements) for (const it of st.items) {
    // `acl = name arg1 arg2 …`: the first word is the ACL.
    if (it.name === 'acl') n.refThrough('acl', it.valueLoc, firstWord, it.value?.trim().split(/\s+/)[0]);
    if (aclListKind(it.name) || !aclCondition(it.name)) n.listRefs(it.valueLoc);
    if (it.valueLoc) n.expansionRefs(it.valueLoc.file, it.expansion);
  }
  // A rewrite rule's pattern is an address-list item (`+name`, `*@+name`).
  for (const r of m.rewrite) if (r.pattern.includes('+')) n.listRefs(locOfText(m, r.loc, r.pattern));
  for (const u of m.macroUses) out.push({ kind: 'macro', name: u.name, file: u.loc.file, range: u.loc.range, isDefinition: false });
  skippedRefs(m, out);
  outsideOf.set(m, n.outside);
  return dedupe(out);
}

const SKIPPED_SETTING = /^(\s*(?:(?:accept|defer|deny|discard|drop|require|warn)\s+)?(?:!\s*)?)(\w+)(\s*=\s*)([A-Za-z0-9_][\w.-]*)(?=\s|$)/;

/**
 * Names written in branches Exim skips (Debian's `.ifdef DCconfig_smarthost` routers):
 * not read now, but read when the branch is taken, so a rename must keep them right. Only
 * names the config defines count, where an option that takes a name of that kind names
 * one, or as `+name` of a defined list.
 */
function skippedRefs(m: EximModel, out: Occurrence[]): void {
  const skipped = skippedLines(m);
  if (!skipped.length) return;
  const defined: Partial<Record<NameKind, Set<string>>> = {
    transport: new Set(m.transports.map((t) => t.name)), router: new Set(m.routers.map((r) => r.name)),
    acl: new Set(m.acls.map((a) => a.name)), list: new Set(m.lists.map((l) => l.name)),
  };
  const ref = (kind: NameKind, name: string, file: string, line: number, start: number) => {
    if (defined[kind]?.has(name)) out.push({ kind, name, file, range: { start: { line, character: start }, end: { line, character: start + name.length } }, isDefinition: false });
  };
  for (const s of skipped) {
    const x = SKIPPED_SETTING.exec(s.text);
    if (x) {
      const kind: NameKind | undefined = TRANSPORT_OPTIONS.has(x[2]) ? 'transport' : ROUTER_OPTIONS.has(x[2]) ? 'router'
        : whereOfAclOption(x[2]) || x[2] === 'acl' ? 'acl' : undefined;
      if (kind) ref(kind, x[4], s.file, s.line, x[1].length + x[2].length + x[3].length);
    }
    if (!s.text.includes('+')) continue;
    for (const y of s.text.matchAll(LIST_REF)) ref('list', y[2], s.file, s.line, y.index! + y[1].length + 1);
  }
}

/** One occurrence per place: a `+name` may be found both in the value's text and in its expansion. */
function dedupe(list: Occurrence[]): Occurrence[] {
  const seen = new Set<string>();
  return list.filter((o) => {
    const key = `${o.kind}\0${o.file}\0${o.range.start.line}:${o.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The macro definition's name range: `loc` may cover the whole `NAME = value` line. */
export function macroNameRange(m: EximModel, o: Occurrence): Range {
  if (o.kind !== 'macro' || !o.isDefinition) return o.range;
  const t = textAt(m, { file: o.file, range: o.range });
  if (!t) return o.range;
  const i = t.text.indexOf(o.name);
  if (i < 0) return o.range;
  return { start: t.lines.positionAt(t.offset + i), end: t.lines.positionAt(t.offset + i + o.name.length) };
}

/** Per model, which is never changed once built: hovering and navigating need not walk it again. */
const indexed = new WeakMap<EximModel, Occurrence[]>();
const outsideOf = new WeakMap<EximModel, OutsideName[]>();

/** The names macros from outside the config give (found with the occurrences). */
export function namedOutside(m: EximModel): OutsideName[] {
  if (!outsideOf.has(m)) occurrences(m);
  return outsideOf.get(m) ?? [];
}

export function occurrenceAt(m: EximModel, file: string, p: Position): { occ: Occurrence; all: Occurrence[] } | undefined {
  let all = indexed.get(m);
  if (!all) {
    all = occurrences(m).map((o) => ({ ...o, range: macroNameRange(m, o) }));
    indexed.set(m, all);
  }
  const occ = all.find((o) => o.file === file && containsPos(o.range, p));
  return occ ? { occ, all } : undefined;
}

/** Routers and transports share no namespace with each other, lists share one across kinds. */
export function sameEntity(a: Occurrence, b: Occurrence): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/**
 * The names (transports, ACLs, lists, …) a macro's value refers to where the macro is used
 * for one: the references found inside the value of its definitions.
 */
export function namedBy(m: EximModel, macro: string, all: Occurrence[]): Occurrence[] {
  const values = macroLines(m).filter((l) => l.kind === 'define' && l.name === macro && l.value).map((l) => ({ file: l.file, range: l.value!.range }));
  return all.filter((o) => o.kind !== 'macro' && !o.isDefinition
    && values.some((v) => v.file === o.file && containsPos(v.range, o.range.start) && containsPos(v.range, o.range.end)));
}
