// Every place a transport, router, ACL, named list or macro is defined or referred to,
// from the model. Definition, references, rename and hover all start here.
import type { EximConfig as EximModel, Loc, OptionSetting } from '../exim/model';
import type { ExpansionNode } from '../exim/expansion';
import { walkExpansion } from '../exim/expansion-parser';
import type { Range } from '../text';
import { containsPos, type Position } from '../text';
import { whereOfAclOption } from '../catalog/exim';
import { TRANSPORT_OPTIONS } from '../rules/exim/names';

export type NameKind = 'transport' | 'router' | 'authenticator' | 'acl' | 'list' | 'macro';

export interface Occurrence { kind: NameKind; name: string; file: string; range: Range; isDefinition: boolean }

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
function plainName(m: EximModel, loc: Loc | undefined): { name: string; range: Range } | undefined {
  if (!loc) return undefined;
  const t = textAt(m, loc);
  if (!t) return undefined;
  const mm = /^(\s*)([A-Za-z0-9_][\w.-]*)\s*$/.exec(t.text);
  if (!mm) return undefined;
  const s = t.offset + mm[1].length;
  return { name: mm[2], range: { start: t.lines.positionAt(s), end: t.lines.positionAt(s + mm[2].length) } };
}

/** The first word of a value, when it is a plain name (`acl = name arg…`). */
function firstWord(m: EximModel, loc: Loc | undefined): { name: string; range: Range } | undefined {
  if (!loc) return undefined;
  const t = textAt(m, loc);
  if (!t) return undefined;
  const mm = /^(\s*)([A-Za-z0-9_][\w.-]*)(?=\s|$)/.exec(t.text);
  if (!mm) return undefined;
  const s = t.offset + mm[1].length;
  return { name: mm[2], range: { start: t.lines.positionAt(s), end: t.lines.positionAt(s + mm[2].length) } };
}

/** `+name` references inside a value, or inside the list argument of a `match_*` condition. */
function listRefs(m: EximModel, loc: Loc | undefined, out: Occurrence[]): void {
  if (!loc) return;
  const t = textAt(m, loc);
  if (!t) return;
  const re = /(^|[\s:;!<>,=])\+([A-Za-z0-9_][\w-]*)/g;
  let x: RegExpExecArray | null;
  while ((x = re.exec(t.text))) {
    const s = t.offset + x.index + x[1].length + 1;
    out.push({ kind: 'list', name: x[2], file: loc.file, range: { start: t.lines.positionAt(s), end: t.lines.positionAt(s + x[2].length) }, isDefinition: false });
  }
}

/**
 * Names inside string expansions: `${acl{name}…}` and `${if acl{{name}…}}` call an ACL;
 * `match_domain{…}{+name}` and its kin match against named lists.
 */
function expansionRefs(m: EximModel, file: string, nodes: ExpansionNode[] | undefined, out: Occurrence[]): void {
  if (!nodes) return;
  for (const n of walkExpansion(nodes)) {
    if ((n.kind === 'item' || n.kind === 'condition') && n.name === 'acl') {
      const first = n.args[0];
      if (first?.length === 1 && first[0].kind === 'text') {
        const p = plainName(m, { file, range: first[0].range });
        if (p && p.name === first[0].text.trim()) out.push({ kind: 'acl', ...p, file, isDefinition: false });
      }
    } else if (n.kind === 'condition' && LIST_CONDITIONS.has(n.name)) {
      for (const part of n.args[1] ?? []) if (part.kind === 'text') listRefs(m, { file, range: part.range }, out);
    }
  }
}

function optionRefs(m: EximModel, o: OptionSetting, section: string, out: Occurrence[]): void {
  if (TRANSPORT_OPTIONS.has(o.name)) {
    const n = plainName(m, o.valueLoc);
    if (n) out.push({ kind: 'transport', ...n, file: o.valueLoc!.file, isDefinition: false });
  }
  if (section === 'routers' && ROUTER_OPTIONS.has(o.name)) {
    const n = plainName(m, o.valueLoc);
    if (n) out.push({ kind: 'router', ...n, file: o.valueLoc!.file, isDefinition: false });
  }
  if (section === 'main' && whereOfAclOption(o.name)) {
    const n = plainName(m, o.valueLoc);
    if (n) out.push({ kind: 'acl', ...n, file: o.valueLoc!.file, isDefinition: false });
  }
  listRefs(m, o.valueLoc, out);
  if (o.valueLoc) expansionRefs(m, o.valueLoc.file, o.expansion, out);
}

export function occurrences(m: EximModel): Occurrence[] {
  const out: Occurrence[] = [];
  const def = (kind: NameKind, name: string, loc: Loc) => out.push({ kind, name, file: loc.file, range: loc.range, isDefinition: true });
  for (const t of m.transports) def('transport', t.name, t.nameLoc);
  for (const r of m.routers) def('router', r.name, r.nameLoc);
  for (const a of m.authenticators) def('authenticator', a.name, a.nameLoc);
  for (const a of m.acls) def('acl', a.name, a.nameLoc);
  for (const l of m.lists) def('list', l.name, l.nameLoc);
  for (const mac of m.macros.values()) if (mac.loc && mac.origin === 'config') def('macro', mac.name, mac.loc);
  for (const o of m.main) optionRefs(m, o, 'main', out);
  for (const l of m.lists) {
    listRefs(m, l.valueLoc, out);
    for (const it of l.items) expansionRefs(m, it.loc.file, it.expansion, out);
  }
  for (const inst of [...m.routers, ...m.transports, ...m.authenticators]) for (const o of inst.options) optionRefs(m, o, inst.section, out);
  for (const a of m.acls) for (const st of a.statements) for (const it of st.items) {
    if (it.name === 'acl') {
      // `acl = name arg1 arg2 …`: the first word is the ACL.
      const n = firstWord(m, it.valueLoc);
      if (n) out.push({ kind: 'acl', ...n, file: it.valueLoc!.file, isDefinition: false });
    }
    listRefs(m, it.valueLoc, out);
    if (it.valueLoc) expansionRefs(m, it.valueLoc.file, it.expansion, out);
  }
  for (const u of m.macroUses) out.push({ kind: 'macro', name: u.name, file: u.loc.file, range: u.loc.range, isDefinition: false });
  return dedupe(out);
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
