// The editor features over a ConfigWorkspace: one function per request, plain data in and
// out. Every function tolerates a file it does not know and a position past the end.
import * as path from 'node:path';
import { append } from '../append';
import type { Finding, Fix } from '../diagnostic';
import { LineIndex, type Position, type Range, comparePos } from '../text';
import type { CyrusConf, ImapdConf } from '../cyrus';
import type { EximConfig } from '../exim';
import type { ConfigWorkspace, Analysis } from './workspace';
import type { CalloutTarget, CodeLensEntry, CompletionEntry, InlayHintEntry, DocLink, FoldRange, HighlightEntry, HoverInfo, Location, RenameResult, SignatureHelpInfo, SymbolNode, WorkspaceSymbol } from './types';
import { eximCompletion } from './exim-completion';
import { eximHover } from './exim-hover';
import { eximSignatureHelp } from './exim-signature';
import { cyrusConfCompletion, cyrusConfHover, imapdCompletion, imapdHover } from './cyrus-features';
import { definition as eximDefinition, highlights as eximHighlights, prepareRename as eximPrepareRename, references as eximReferences, rename as eximRename } from './navigation';
import { braceFolding, cyrusOutline, eximFolding, eximOutline, flattenSymbols, imapdOutline } from './symbols';
import { calloutLenses, cyrusTargets, eximTargets } from './callout-targets';
import { skippedLinesOf } from '../exim/parser';
import { linkHints } from './link-hints';
import { lmtpListeners } from '../cyrus/facts';

export * from './types';
export { ConfigWorkspace, type Analysis, type FolderSettings } from './workspace';
export { findCandidates, kindByName, type Pairing } from './pairing';
export { CALLOUT_LENS_COMMAND } from './callout-targets';

interface Doc { file: string; text: string; lines: LineIndex }

/** The last text indexed: requests in a row (hover, completion, links) are mostly on one unchanged document. */
let lastIndexed: LineIndex | undefined;

function docOf(ws: ConfigWorkspace, file: string): Doc | undefined {
  const abs = path.resolve(file);
  const text = ws.host.readFile(abs);
  if (text === undefined) return undefined;
  if (lastIndexed?.text !== text) lastIndexed = new LineIndex(text);
  return { file: abs, text, lines: lastIndexed };
}

/** Positions from a client may be past the end of a line or the file: clamp them. */
function clamp(d: Doc, p: Position): Position {
  const line = Math.max(0, Math.min(p?.line ?? 0, d.lines.lineCount - 1));
  return { line, character: Math.max(0, Math.min(p?.character ?? 0, d.lines.lineText(line).length)) };
}

function cyrusModel(a: Analysis | undefined): CyrusConf | undefined {
  const c = a?.cyrus as CyrusConf | undefined;
  return c && Array.isArray(c.entries) ? c : undefined;
}

function imapdModel(a: Analysis | undefined): ImapdConf | undefined {
  const c = a?.imapd as ImapdConf | undefined;
  return c && Array.isArray(c.settings) ? c : undefined;
}

function analysis(ws: ConfigWorkspace, file: string): Analysis | undefined {
  try { return ws.analyseFile(file); } catch { return undefined; }
}

export function completion(ws: ConfigWorkspace, file: string, p: Position): CompletionEntry[] {
  const d = docOf(ws, file);
  if (!d) return [];
  const pos = clamp(d, p);
  const kind = ws.kindOf(d.file);
  const opts = ws.settingsFor(d.file).options;
  if (kind === 'cyrus-conf') return cyrusConfCompletion(d.lines, pos, opts);
  if (kind === 'imapd-conf') return imapdCompletion(d.lines, pos, opts);
  if (kind !== 'exim') return [];
  const a = analysis(ws, d.file);
  const cyrus = cyrusModel(a);
  return eximCompletion(d.lines, pos, d.file, a?.exim, opts, cyrus ? lmtpListeners(cyrus) : undefined);
}

export function hover(ws: ConfigWorkspace, file: string, p: Position): HoverInfo | undefined {
  const d = docOf(ws, file);
  if (!d) return undefined;
  const pos = clamp(d, p);
  const kind = ws.kindOf(d.file);
  const opts = ws.settingsFor(d.file).options;
  if (kind === 'cyrus-conf') return cyrusConfHover(d.lines, pos, opts);
  if (kind === 'imapd-conf') return imapdHover(d.lines, pos, opts);
  if (kind !== 'exim') return undefined;
  return eximHover(d.lines, pos, d.file, analysis(ws, d.file)?.exim, opts);
}

/** Which argument of which expansion item or condition the cursor is in (Exim files only). */
export function signatureHelp(ws: ConfigWorkspace, file: string, p: Position): SignatureHelpInfo | undefined {
  const d = docOf(ws, file);
  if (!d || ws.kindOf(d.file) !== 'exim') return undefined;
  return eximSignatureHelp(d.lines, clamp(d, p), d.file);
}

function withModel<T>(ws: ConfigWorkspace, file: string, p: Position, fallback: T, f: (m: EximConfig, pos: Position) => T): T {
  const d = docOf(ws, file);
  if (!d || ws.kindOf(d.file) !== 'exim') return fallback;
  const m = analysis(ws, d.file)?.exim;
  return m ? f(m, clamp(d, p)) : fallback;
}

export function definition(ws: ConfigWorkspace, file: string, p: Position): Location[] {
  const links = documentLinks(ws, file).filter((l) => comparePos(l.range.start, p) <= 0 && comparePos(p, l.range.end) <= 0);
  if (links.length) return links.map((l) => ({ file: l.target, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }));
  return withModel(ws, file, p, [], (m, pos) => eximDefinition(m, file, pos));
}

export function references(ws: ConfigWorkspace, file: string, p: Position, includeDeclaration = true): Location[] {
  return withModel(ws, file, p, [], (m, pos) => eximReferences(m, file, pos, includeDeclaration));
}

/** The name under the cursor and its other places in this file: where it is defined counts as written. */
export function documentHighlights(ws: ConfigWorkspace, file: string, p: Position): HighlightEntry[] {
  return withModel(ws, file, p, [], (m, pos) => eximHighlights(m, file, pos));
}

export function prepareRename(ws: ConfigWorkspace, file: string, p: Position): { range: Range; placeholder: string } | { error: string } | undefined {
  return withModel(ws, file, p, undefined, (m, pos) => eximPrepareRename(m, file, pos));
}

export function rename(ws: ConfigWorkspace, file: string, p: Position, newName: string): RenameResult {
  return withModel<RenameResult>(ws, file, p, { error: 'Rename works on Exim transports, routers, ACLs, named lists and macros.' }, (m, pos) => eximRename(m, file, pos, newName));
}

export function documentSymbols(ws: ConfigWorkspace, file: string): SymbolNode[] {
  const abs = path.resolve(file);
  const kind = ws.kindOf(abs);
  const a = analysis(ws, abs);
  if (kind === 'exim') {
    const m = a?.exim;
    return m ? eximOutline(m, abs) : [];
  }
  if (kind === 'cyrus-conf') {
    const c = cyrusModel(a);
    return c && path.resolve(c.file) === abs && Array.isArray(c.sections) ? cyrusOutline(c) : [];
  }
  if (kind === 'imapd-conf') {
    const c = imapdModel(a);
    return c ? imapdOutline(c, abs) : [];
  }
  return [];
}

/** Symbols of every open file's pairing, matched by a case-insensitive subsequence of the query. */
export function workspaceSymbols(ws: ConfigWorkspace, query: string): WorkspaceSymbol[] {
  const q = (typeof query === 'string' ? query : '').toLowerCase();
  const files = new Set<string>();
  for (const f of ws.openFiles()) {
    files.add(f);
    const a = analysis(ws, f);
    const m = a?.exim;
    if (m) for (const k of m.files.keys()) files.add(path.resolve(k));
  }
  const out: WorkspaceSymbol[] = [];
  for (const f of files) append(out, flattenSymbols(documentSymbols(ws, f), f));
  const matches = (name: string) => {
    let i = 0;
    for (const c of name.toLowerCase()) if (c === q[i]) i++;
    return i === q.length;
  };
  return out.filter((s) => matches(s.name)).slice(0, 1000);
}

export function foldingRanges(ws: ConfigWorkspace, file: string): FoldRange[] {
  const d = docOf(ws, file);
  if (!d) return [];
  return ws.kindOf(d.file) === 'exim' ? eximFolding(d.lines) : braceFolding(d.lines);
}

/**
 * The lines of the branches Exim skips in this file (an `.ifdef` whose macro is not defined
 * with this configuration's macros and -D settings, Debian's `DCconfig_*` blocks), each from
 * its first non-blank character: editors show them faded, as code that does not run.
 */
export function inactiveRanges(ws: ConfigWorkspace, file: string): Range[] {
  const d = docOf(ws, file);
  if (!d || ws.kindOf(d.file) !== 'exim') return [];
  const m = analysis(ws, d.file)?.exim;
  if (!m) return [];
  const out: Range[] = [];
  for (const s of skippedLinesOf(m)) {
    if (s.file !== d.file || s.line >= d.lines.lineCount) continue;
    const t = d.lines.lineText(s.line);
    const start = t.search(/\S/);
    if (start >= 0) out.push({ start: { line: s.line, character: start }, end: { line: s.line, character: t.length } });
  }
  return out;
}

/** Where the Exim ↔ Cyrus link goes, as notes at the ends of the lines of this file that set it up. */
export function inlayHints(ws: ConfigWorkspace, file: string, range?: Range): InlayHintEntry[] {
  const d = docOf(ws, file);
  const a = d ? analysis(ws, d.file) : undefined;
  if (!d || !a) return [];
  const hints = linkHints({ exim: a.exim, cyrus: cyrusModel(a), imapd: imapdModel(a) }, d.file, d.lines, ws.host);
  return range ? hints.filter((h) => h.position.line >= range.start.line && h.position.line <= range.end.line) : hints;
}

/** `.include` paths as links to the file they name (after macro expansion, when the model knows). */
export function documentLinks(ws: ConfigWorkspace, file: string): DocLink[] {
  const d = docOf(ws, file);
  if (!d || ws.kindOf(d.file) !== 'exim') return [];
  const m = analysis(ws, d.file)?.exim;
  const out: DocLink[] = [];
  for (let l = 0; l < d.lines.lineCount; l++) {
    const t = d.lines.lineText(l);
    const x = /^(\s*\.include(?:_if_exists)?\s+)(\S.*?)\s*$/.exec(t);
    if (!x) continue;
    const written = x[2].replace(/^"(.*)"$/, '$1');
    const inc = m?.includes.find((i) => path.resolve(i.loc.file) === d.file && i.loc.range.start.line <= l && l <= i.loc.range.end.line);
    const target = inc?.resolved ?? path.resolve(path.dirname(d.file), written);
    // A line Exim skips has no include in the model and its macros are not expanded: the
    // path may name a macro its branch would define (Debian's `.include
    // CHECK_RCPT_LOCAL_ACL_FILE` under `.ifdef CHECK_RCPT_LOCAL_ACL_FILE`), so it is a link
    // only to a file that is there. A path Exim reads stays a link, to create the file.
    if (!inc && m?.files.has(d.file) && ws.host.readFile(target) === undefined) continue;
    out.push({ range: { start: { line: l, character: x[1].length }, end: { line: l, character: x[1].length + x[2].length } }, target, tooltip: `Open ${target}` });
  }
  return out;
}

export interface CodeActionEntry { title: string; fix: Fix; finding: Finding }

/** The fixes of findings in a file that overlap the range. */
export function codeActions(ws: ConfigWorkspace, file: string, r: Range): CodeActionEntry[] {
  const abs = path.resolve(file);
  const a = analysis(ws, abs);
  const out: CodeActionEntry[] = [];
  for (const f of a?.byFile.get(abs) ?? []) {
    if (!f.fixes?.length) continue;
    if (comparePos(f.range.end, r.start) < 0 || comparePos(r.end, f.range.start) < 0) continue;
    for (const fix of f.fixes) out.push({ title: fix.title, fix, finding: f });
  }
  return out;
}

export function calloutTargets(ws: ConfigWorkspace, file?: string): CalloutTarget[] {
  const files = file ? [path.resolve(file)] : ws.openFiles();
  const out: CalloutTarget[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const a = analysis(ws, f);
    if (!a) continue;
    const m = a.exim;
    const found = [...(m ? eximTargets(m, ws.host) : [])];
    const cyrus = cyrusModel(a);
    if (cyrus) found.push(...cyrusTargets(cyrus));
    for (const t of found) {
      const key = `${t.label}|${t.target}`;
      if (!seen.has(key)) { seen.add(key); out.push(t); }
    }
  }
  return out;
}

/** "Run LMTP callout" above each LMTP transport and lmtpd service; `command` is what the lens runs. */
export function codeLenses(ws: ConfigWorkspace, file: string, command?: string): CodeLensEntry[] {
  const abs = path.resolve(file);
  const kind = ws.kindOf(abs);
  if (kind === 'cyrus-conf') {
    const c = cyrusModel(analysis(ws, abs));
    return c && path.resolve(c.file) === abs ? calloutLenses(cyrusTargets(c), abs, command) : [];
  }
  if (kind !== 'exim') return [];
  const m = analysis(ws, abs)?.exim;
  return m ? calloutLenses(eximTargets(m, ws.host), abs, command) : [];
}
