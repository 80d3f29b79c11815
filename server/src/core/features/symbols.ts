// Outline, workspace symbols and folding. The outline comes from the model when there is
// one; folding needs only the text, so it works on a file the parser rejects.
import * as path from 'node:path';
import type { EximConfig as EximModel, Loc, SectionName } from '../exim/model';
import type { CyrusConf, ImapdConf } from '../cyrus';
import type { LineIndex, Range } from '../text';
import type { FoldRange, SymbolNode, WorkspaceSymbol } from './types';
import { instanceHeader, isComment } from './exim-context';
import { sectionNamed } from '../exim/sections';

const inFile = (file: string, loc: Loc | undefined) => !!loc && path.resolve(loc.file) === file;
const span = (a: Range, b: Range): Range => ({ start: a.start, end: b.end });

export function eximOutline(m: EximModel, file: string): SymbolNode[] {
  const f = path.resolve(file);
  const sections = m.sections.filter((s) => inFile(f, s.loc));
  const items: SymbolNode[] = [];
  for (const l of m.lists) if (inFile(f, l.loc)) items.push({ name: l.name, kind: 'list', detail: l.kind, range: l.loc.range, selectionRange: l.nameLoc.range, children: [] });
  for (const mac of m.macros.values()) if (mac.origin === 'config' && inFile(f, mac.loc)) items.push({ name: mac.name, kind: 'macro', detail: mac.value.slice(0, 60), range: mac.loc!.range, selectionRange: mac.loc!.range, children: [] });
  for (const inst of [...m.routers, ...m.transports, ...m.authenticators]) {
    if (!inFile(f, inst.nameLoc)) continue;
    const kind = inst.section === 'routers' ? 'router' : inst.section === 'transports' ? 'transport' : 'authenticator';
    items.push({ name: inst.name, kind, detail: inst.driver ? `driver ${inst.driver}` : kind, range: inFile(f, inst.loc) ? span(inst.nameLoc.range, inst.loc.range) : inst.nameLoc.range, selectionRange: inst.nameLoc.range, children: [] });
  }
  for (const a of m.acls) {
    if (!inFile(f, a.nameLoc)) continue;
    const children = a.statements.filter((s) => inFile(f, s.loc)).map((s): SymbolNode => ({ name: s.verb, kind: 'statement', detail: s.items.map((i) => (i.negated ? '!' : '') + i.name).join(' '), range: s.loc.range, selectionRange: s.verbLoc.range, children: [] }));
    items.push({ name: a.name, kind: 'acl', detail: 'ACL', range: inFile(f, a.loc) ? span(a.nameLoc.range, a.loc.range) : a.nameLoc.range, selectionRange: a.nameLoc.range, children });
  }
  items.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  if (!sections.length) return items;
  // Items nest under the section whose `begin` precedes them; main-section items stay at the top.
  const out: SymbolNode[] = [];
  const sorted = [...sections].sort((a, b) => a.loc.range.start.line - b.loc.range.start.line);
  const nodes = sorted.map((s, i): SymbolNode => {
    const next = sorted[i + 1];
    const endLine = next ? Math.max(s.loc.range.start.line, next.loc.range.start.line - 1) : Number.MAX_SAFE_INTEGER;
    return { name: `begin ${s.name}`, kind: 'section', range: { start: s.loc.range.start, end: { line: endLine, character: 0 } }, selectionRange: s.loc.range, children: [] };
  });
  for (const it of items) {
    const host = [...nodes].reverse().find((n) => n.range.start.line <= it.range.start.line);
    if (host) host.children.push(it); else out.push(it);
  }
  for (const n of nodes) {
    const last = n.children.at(-1);
    n.range = { start: n.range.start, end: last && last.range.end.line > n.selectionRange.end.line ? last.range.end : n.selectionRange.end };
    out.push(n);
  }
  return out;
}

export function cyrusOutline(c: CyrusConf): SymbolNode[] {
  return (c.sections ?? []).map((s) => ({
    name: s.name, kind: 'section' as const, range: s.blockLoc.range, selectionRange: s.headerLoc.range,
    children: s.entries.map((e): SymbolNode => ({ name: e.name, kind: 'service', detail: e.argMap.get('cmd')?.value ?? '', range: e.loc.range, selectionRange: e.nameLoc.range, children: [] })),
  }));
}

/** imapd.conf is flat: one symbol per setting of the file, partitions and `@include`s told apart. */
export function imapdOutline(c: ImapdConf, file: string): SymbolNode[] {
  const f = path.resolve(file);
  return (c.settings ?? []).filter((s) => inFile(f, s.loc)).map((s): SymbolNode => ({
    name: s.rawName,
    kind: s.kind === 'partition' ? 'partition' : s.kind === 'include' ? 'include' : 'option',
    detail: s.value.length > 60 ? s.value.slice(0, 59) + '…' : s.value,
    range: s.loc.range, selectionRange: s.nameLoc.range, children: [],
  }));
}

export function flattenSymbols(nodes: SymbolNode[], file: string, container?: string, out: WorkspaceSymbol[] = []): WorkspaceSymbol[] {
  for (const n of nodes) {
    if (n.kind !== 'section' && n.kind !== 'statement') out.push({ name: n.name, kind: n.kind, file, range: n.selectionRange, container });
    flattenSymbols(n.children, file, n.kind === 'section' ? n.name : n.name, out);
  }
  return out;
}

/** Folds for Exim: sections, instances/ACLs, runs of comments, `.ifdef` blocks. */
export function eximFolding(lines: LineIndex): FoldRange[] {
  const out: FoldRange[] = [];
  const n = lines.lineCount;
  const lastContent = (from: number, to: number) => {
    let e = to;
    while (e > from && (!lines.lineText(e).trim() || isComment(lines.lineText(e)))) e--;
    return e;
  };
  let section = -1, inst = -1, commentStart = -1;
  const ifs: number[] = [];
  // An instance's fold ends on its last line at the `.if` depth it starts at: it neither
  // ends inside a region opened after it nor runs past the `.endif`/`.else` of the region
  // it starts in, so it nests with the `.ifdef` folds (an editor drops folds that cross).
  let instDepth = 0, instEnd = -1, continued = false;
  let sectionName: SectionName | undefined;
  const closeInst = () => { if (inst >= 0 && instEnd > inst) out.push({ startLine: inst, endLine: instEnd }); inst = -1; };
  for (let l = 0; l < n; l++) {
    const t = lines.lineText(l);
    if (isComment(t)) { if (commentStart < 0) commentStart = l; continue; }
    if (commentStart >= 0) { if (l - 1 > commentStart) out.push({ startLine: commentStart, endLine: l - 1, kind: 'comment' }); commentStart = -1; }
    const begin = /^\s*begin\s+(\w+)/.exec(t);
    if (begin) {
      sectionName = sectionNamed(begin[1]);
      closeInst();
      if (section >= 0) { const e = lastContent(section, l - 1); if (e > section) out.push({ startLine: section, endLine: e }); }
      section = l;
      continue;
    }
    if (/^\s*\.if/.test(t)) { ifs.push(l); continue; }
    if (/^\s*\.(?:else|elif)/.test(t)) { if (inst >= 0 && ifs.length <= instDepth) closeInst(); continue; }
    if (/^\s*\.endif/.test(t)) {
      if (inst >= 0 && ifs.length <= instDepth) closeInst();
      const s = ifs.pop();
      if (s !== undefined && l > s) out.push({ startLine: s, endLine: l, kind: 'region' });
      if (inst >= 0 && ifs.length === instDepth) instEnd = l;
      continue;
    }
    const continuation = continued;
    continued = /\\\s*$/.test(t);
    if (continuation) { if (inst >= 0 && ifs.length === instDepth) instEnd = l; continue; }
    if (section >= 0 && instanceHeader(t, sectionName) && /^\S/.test(t)) { closeInst(); inst = l; instDepth = ifs.length; instEnd = l; continue; }
    if (inst >= 0 && t.trim() && ifs.length === instDepth) instEnd = l;
  }
  if (commentStart >= 0 && n - 1 > commentStart) out.push({ startLine: commentStart, endLine: n - 1, kind: 'comment' });
  closeInst();
  if (section >= 0) { const e = lastContent(section, n - 1); if (e > section) out.push({ startLine: section, endLine: e }); }
  return out;
}

/** Folds for cyrus.conf's `SECTION { … }` blocks and comment runs; imapd.conf has only comments. */
export function braceFolding(lines: LineIndex): FoldRange[] {
  const out: FoldRange[] = [];
  const open: number[] = [];
  let commentStart = -1;
  for (let l = 0; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    if (isComment(t)) { if (commentStart < 0) commentStart = l; continue; }
    if (commentStart >= 0) { if (l - 1 > commentStart) out.push({ startLine: commentStart, endLine: l - 1, kind: 'comment' }); commentStart = -1; }
    const code = t.replace(/#[^]*$/, '');
    for (const ch of code) {
      if (ch === '{') open.push(l);
      else if (ch === '}') { const s = open.pop(); if (s !== undefined && l > s) out.push({ startLine: s, endLine: l }); }
    }
  }
  if (commentStart >= 0 && lines.lineCount - 1 > commentStart) out.push({ startLine: commentStart, endLine: lines.lineCount - 1, kind: 'comment' });
  return out;
}
