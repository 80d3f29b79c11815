// Definition, references and rename over the Exim model's names.
import * as path from 'node:path';
import type { TextEdit } from '../diagnostic';
import type { EximConfig as EximModel } from '../exim/model';
import type { ExpansionNode } from '../exim/expansion';
import { builtNames, selectingLoc, selectingValues, wholeWord } from '../rules/exim/built-names';
import { comparePos, type Position, type Range } from '../text';
import type { Location, RenameResult } from './types';
import { namedBy, namedOutside, occurrenceAt, sameEntity, type NameKind, type Occurrence } from './exim-names';
import { DEBIAN_PLACEHOLDER_MACRO } from '../exim/confd';

/**
 * Names Exim accepts, as readconf.c reads them (checked against Exim 4.96's `-bV`): a
 * router, transport, authenticator or ACL name starts with a letter, then letters, digits
 * and `_`, at most 63 characters; a named list's name is letters, digits and `_` of any
 * length (Exim's `+name` matcher finds nothing else); a macro starts with an upper-case
 * letter, at most 63 characters.
 */
const INSTANCE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const NAME_MAX = 63;
const NAME_RULES: Record<NameKind, { re: RegExp; max?: number; what: string }> = {
  transport: { re: INSTANCE_NAME, max: NAME_MAX, what: 'a transport name' },
  router: { re: INSTANCE_NAME, max: NAME_MAX, what: 'a router name' },
  authenticator: { re: INSTANCE_NAME, max: NAME_MAX, what: 'an authenticator name' },
  acl: { re: INSTANCE_NAME, max: NAME_MAX, what: 'an ACL name' },
  list: { re: /^[A-Za-z0-9_]+$/, what: 'a named list name' },
  macro: { re: /^[A-Z][A-Za-z0-9_]*$/, max: NAME_MAX, what: 'a macro name' },
};
const SPELLING: Record<NameKind, string> = {
  transport: 'a letter, then letters, digits or _', router: 'a letter, then letters, digits or _',
  authenticator: 'a letter, then letters, digits or _', acl: 'a letter, then letters, digits or _',
  list: 'letters, digits or _ only', macro: 'an upper-case letter, then letters, digits or _',
};
const RESERVED = new Set(['begin', 'driver', 'domainlist', 'hostlist', 'addresslist', 'localpartlist', 'hide']);
/** In a host list `+include_unknown` and its kin are switches, never list references. */
const HOSTLIST_SWITCHES = new Set(['include_unknown', 'ignore_unknown', 'include_defer', 'ignore_defer']);

/** Why Exim would refuse `name` for a `kind`, or undefined when it is fine. */
export function nameError(kind: NameKind, name: unknown): string | undefined {
  const rule = NAME_RULES[kind];
  if (typeof name !== 'string' || !name) return `The new name is empty: ${rule.what} is ${SPELLING[kind]}.`;
  if (!rule.re.test(name)) return `"${name}" is not ${rule.what}: Exim wants ${SPELLING[kind]}.`;
  if (rule.max && name.length > rule.max) return `"${name}" is too long for ${rule.what}: Exim allows at most ${rule.max} characters (this one has ${name.length}).`;
  if (RESERVED.has(name) || (kind === 'list' && HOSTLIST_SWITCHES.has(name))) return `"${name}" is a word Exim reserves; choose another name.`;
  return undefined;
}

const abs = (f: string) => path.resolve(f);

/** In the order of the files as Exim reads them, then by place. */
function inOrder(m: EximModel, list: Occurrence[]): Location[] {
  const rank = new Map([...m.files.keys()].map((f, i) => [f, i]));
  return [...list]
    .sort((a, b) => (rank.get(a.file) ?? -1) - (rank.get(b.file) ?? -1) || comparePos(a.range.start, b.range.start))
    .map((o) => ({ file: o.file, range: o.range }));
}

/**
 * A macro's definitions; where the macro stands for a name (`transport = LOCAL_DELIVERY`
 * with `LOCAL_DELIVERY = mail_spool`), that name's definition follows them.
 */
export function definition(m: EximModel, file: string, p: Position): Location[] {
  const hit = occurrenceAt(m, abs(file), p);
  if (!hit) return [];
  const defs = inOrder(m, hit.all.filter((o) => o.isDefinition && sameEntity(o, hit.occ)));
  if (hit.occ.kind !== 'macro') return defs;
  const named = namedBy(m, hit.occ.name, hit.all);
  return [...defs, ...inOrder(m, hit.all.filter((o) => o.isDefinition && named.some((n) => sameEntity(n, o))))];
}

export function references(m: EximModel, file: string, p: Position, includeDeclaration: boolean): Location[] {
  const hit = occurrenceAt(m, abs(file), p);
  if (!hit) return [];
  return inOrder(m, hit.all.filter((o) => sameEntity(o, hit.occ) && (includeDeclaration || !o.isDefinition)));
}

/** The name's places in `file`, in order, each once; written where only its definition is there. */
export function highlights(m: EximModel, file: string, p: Position): { range: Range; write: boolean }[] {
  const f = abs(file);
  const hit = occurrenceAt(m, f, p);
  if (!hit) return [];
  const at = new Map<string, { range: Range; write: boolean }>();
  for (const o of hit.all) {
    if (!sameEntity(o, hit.occ) || o.file !== f) continue;
    const k = `${o.range.start.line}:${o.range.start.character}:${o.range.end.line}:${o.range.end.character}`;
    const h = at.get(k);
    if (h) h.write &&= o.isDefinition;
    else at.set(k, { range: o.range, write: o.isDefinition });
  }
  return [...at.values()].sort((a, b) => comparePos(a.range.start, b.range.start));
}

/**
 * Why a name that is defined here still cannot be renamed: something a rename cannot edit
 * holds it (a macro given with -D or by update-exim4.conf.conf), or a tool looks for it.
 */
function fixedName(m: EximModel, occ: Occurrence): string | undefined {
  if (occ.kind === 'macro' && occ.name === DEBIAN_PLACEHOLDER_MACRO) return `Debian's update-exim4.conf puts its macros in place of the "${occ.name}" line, found by that name: it cannot be renamed.`;
  const held = namedOutside(m).find((o) => o.kind === occ.kind && o.name === occ.name);
  if (!held) return undefined;
  const where = held.origin === 'debian' ? 'update-exim4.conf sets from update-exim4.conf.conf' : 'is given from outside the file (exim -D, or the eximCyrus.defines setting)';
  return `"${occ.name}" is also named by the macro ${held.macro}, which ${where}; a rename here would not change it there. Change that value along with a rename by hand.`;
}

/**
 * A value that builds a transport or ACL name at run time with this name as one part of it
 * (`transport = remote_smtp${if eq{$x}{dkim}{_dkim}}`): a rename can change neither the
 * part (the other names built from it would change too) nor leave it (the value would name
 * what no longer exists). Only what the value gives as its result counts: its own text and
 * the strings ${if} chooses between, not the strings a condition compares.
 */
function composedName(m: EximModel, occ: Occurrence): string | undefined {
  if (occ.kind !== 'transport' && occ.kind !== 'acl') return undefined;
  const word = wholeWord(occ.name);
  const composed = (seq: ExpansionNode[]): boolean => seq.some((n) => {
    if (n.kind === 'text') return word.test(n.text) && !(seq.length === 1 && n.text.trim() === occ.name);
    return n.kind === 'item' && n.name === 'if' && n.args.slice(1).some(composed);
  });
  // The values that select one: as the unused hint and built-names read them.
  for (const o of selectingValues(m, occ.kind)) {
    if (!o.value?.includes('$') || !word.test(o.value)) continue;
    const tree = o.expansion;
    if (!tree || !composed(tree)) continue;
    const at = selectingLoc(o);
    const written = 'section' in o ? o.rawValue ?? o.value : o.value;
    return `"${occ.name}" is part of ${occ.kind === 'acl' ? 'an ACL' : 'a transport'} name built at run time in "${o.name} = ${written}" (${path.basename(at.file)} line ${at.range.start.line + 1}): a rename can neither follow it there nor leave it. Rename by hand, changing that value too.`;
  }
  // The name itself may be what such a value builds (acl_smtp_rcpt = acl_rcpt_$local_part).
  const by = builtNames(m, occ.kind).by(occ.name);
  if (by) {
    const where = `"${by.option} = ${by.value}" (${path.basename(by.loc.file)} line ${by.loc.range.start.line + 1})`;
    const kind = occ.kind === 'acl' ? 'an ACL' : 'a transport';
    if (by.at === 'whole') return `"${occ.name}" is ${kind} name built at run time by ${where}, which a rename cannot follow. Rename by hand, changing that value too.`;
    const shape = by.at === 'start' ? `starting with "${by.part}"` : `ending in "${by.part}"`;
    return `"${occ.name}" may be ${kind} name built at run time: ${where} builds names ${shape}, which a rename cannot follow. Rename by hand, if that value does not build this name.`;
  }
  return undefined;
}

export function prepareRename(m: EximModel, file: string, p: Position): { range: Range; placeholder: string } | { error: string } | undefined {
  const hit = occurrenceAt(m, abs(file), p);
  if (!hit) return { error: 'Nothing to rename here: place the cursor on a transport, router, ACL, named list or macro.' };
  if (!hit.all.some((o) => o.isDefinition && sameEntity(o, hit.occ))) return { error: `"${hit.occ.name}" is not defined in this configuration, so it cannot be renamed.` };
  const fixed = fixedName(m, hit.occ) ?? composedName(m, hit.occ);
  if (fixed) return { error: fixed };
  return { range: hit.occ.range, placeholder: hit.occ.name };
}

export function rename(m: EximModel, file: string, p: Position, newName: string): RenameResult {
  const hit = occurrenceAt(m, abs(file), p);
  if (!hit) return { error: 'Nothing to rename here: place the cursor on a transport, router, ACL, named list or macro.' };
  const { kind, name } = hit.occ;
  const bad = nameError(kind, newName);
  if (bad) return { error: bad };
  if (newName === name) return { edits: [] };
  if (hit.all.some((o) => o.isDefinition && o.kind === kind && o.name === newName)) return { error: `A ${kind} named "${newName}" already exists.` };
  if (kind === 'macro') {
    // readconf.c refuses a macro whose name contains an earlier macro's name (built-in and
    // -D ones come first), and a later macro containing this one would be refused in turn.
    for (const other of m.macros.values()) {
      if (other.name === name) continue;
      if (newName.includes(other.name)) return { error: `"${newName}" contains the name of the macro "${other.name}"; Exim refuses such a definition.` };
      if (other.origin === 'config' && other.name.includes(newName)) return { error: `The macro "${other.name}" contains "${newName}"; Exim would refuse one of the two definitions.` };
    }
  }
  if (!hit.all.some((o) => o.isDefinition && sameEntity(o, hit.occ))) return { error: `"${name}" is not defined in this configuration, so it cannot be renamed.` };
  const fixed = fixedName(m, hit.occ) ?? composedName(m, hit.occ);
  if (fixed) return { error: fixed };
  const seen = new Set<string>();
  const edits: TextEdit[] = [];
  for (const o of hit.all) {
    if (!sameEntity(o, hit.occ)) continue;
    const key = `${o.file}:${o.range.start.line}:${o.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edits.push({ file: o.file, range: o.range, newText: newName });
  }
  return { edits };
}
