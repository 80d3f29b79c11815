// Every place a transport, router, ACL, named list or macro is defined or referred to,
// from the model. Definition, references, rename and hover all start here.
import type { EximConfig as EximModel, Loc, OptionSetting } from '../exim/model';
import type { Range } from '../text';
import { containsPos, type Position } from '../text';
import { whereOfAclOption } from '../catalog/exim';

export type NameKind = 'transport' | 'router' | 'authenticator' | 'acl' | 'list' | 'macro';

export interface Occurrence { kind: NameKind; name: string; file: string; range: Range; isDefinition: boolean }

const TRANSPORT_OPTIONS = new Set(['transport', 'file_transport', 'pipe_transport', 'reply_transport', 'directory_transport']);

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

/** `+name` references inside a value. */
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

function optionRefs(m: EximModel, o: OptionSetting, section: string, out: Occurrence[]): void {
  if (section === 'routers' && TRANSPORT_OPTIONS.has(o.name)) {
    const n = plainName(m, o.valueLoc);
    if (n) out.push({ kind: 'transport', ...n, file: o.valueLoc!.file, isDefinition: false });
  }
  if (section === 'main' && whereOfAclOption(o.name)) {
    const n = plainName(m, o.valueLoc);
    if (n) out.push({ kind: 'acl', ...n, file: o.valueLoc!.file, isDefinition: false });
  }
  listRefs(m, o.valueLoc, out);
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
  for (const l of m.lists) listRefs(m, l.valueLoc, out);
  for (const inst of [...m.routers, ...m.transports, ...m.authenticators]) for (const o of inst.options) optionRefs(m, o, inst.section, out);
  for (const a of m.acls) for (const st of a.statements) for (const it of st.items) {
    if (it.name === 'acl') {
      const n = plainName(m, it.valueLoc);
      if (n) out.push({ kind: 'acl', ...n, file: it.valueLoc!.file, isDefinition: false });
    }
    listRefs(m, it.valueLoc, out);
  }
  for (const u of m.macroUses) out.push({ kind: 'macro', name: u.name, file: u.loc.file, range: u.loc.range, isDefinition: false });
  return out;
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
