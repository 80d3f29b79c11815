// Definition, references and rename over the Exim model's names.
import * as path from 'node:path';
import type { TextEdit } from '../diagnostic';
import type { EximConfig as EximModel } from '../exim/model';
import type { Position, Range } from '../text';
import type { Location, RenameResult } from './types';
import { occurrenceAt, sameEntity, type NameKind } from './exim-names';

const NAME_RULES: Record<NameKind, { re: RegExp; what: string }> = {
  transport: { re: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, what: 'a transport name (letters, digits, _ . -)' },
  router: { re: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, what: 'a router name (letters, digits, _ . -)' },
  authenticator: { re: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, what: 'an authenticator name (letters, digits, _ . -)' },
  acl: { re: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, what: 'an ACL name (letters, digits, _ . -)' },
  list: { re: /^[A-Za-z0-9_][A-Za-z0-9_-]*$/, what: 'a named list name (letters, digits, _ -)' },
  macro: { re: /^[A-Z][A-Za-z0-9_]*$/, what: 'a macro name (an upper-case letter, then letters, digits, _)' },
};
const RESERVED = new Set(['begin', 'driver', 'domainlist', 'hostlist', 'addresslist', 'localpartlist', 'hide']);

const abs = (f: string) => path.resolve(f);

export function definition(m: EximModel, file: string, p: Position): Location[] {
  const hit = occurrenceAt(m, abs(file), p);
  if (!hit) return [];
  return hit.all.filter((o) => o.isDefinition && sameEntity(o, hit.occ)).map((o) => ({ file: o.file, range: o.range }));
}

export function references(m: EximModel, file: string, p: Position, includeDeclaration: boolean): Location[] {
  const hit = occurrenceAt(m, abs(file), p);
  if (!hit) return [];
  return hit.all.filter((o) => sameEntity(o, hit.occ) && (includeDeclaration || !o.isDefinition)).map((o) => ({ file: o.file, range: o.range }));
}

export function prepareRename(m: EximModel, file: string, p: Position): { range: Range; placeholder: string } | { error: string } | undefined {
  const hit = occurrenceAt(m, abs(file), p);
  if (!hit) return { error: 'Nothing to rename here: place the cursor on a transport, router, ACL, named list or macro.' };
  if (!hit.all.some((o) => o.isDefinition && sameEntity(o, hit.occ))) return { error: `"${hit.occ.name}" is not defined in this configuration, so it cannot be renamed.` };
  return { range: hit.occ.range, placeholder: hit.occ.name };
}

export function rename(m: EximModel, file: string, p: Position, newName: string): RenameResult {
  const hit = occurrenceAt(m, abs(file), p);
  if (!hit) return { error: 'Nothing to rename here: place the cursor on a transport, router, ACL, named list or macro.' };
  const { kind, name } = hit.occ;
  const rule = NAME_RULES[kind];
  if (typeof newName !== 'string' || !rule.re.test(newName) || RESERVED.has(newName)) return { error: `"${newName}" is not ${rule.what}.` };
  if (newName === name) return { edits: [] };
  if (hit.all.some((o) => o.isDefinition && o.kind === kind && o.name === newName)) return { error: `A ${kind} named "${newName}" already exists.` };
  if (!hit.all.some((o) => o.isDefinition && sameEntity(o, hit.occ))) return { error: `"${name}" is not defined in this configuration, so it cannot be renamed.` };
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
