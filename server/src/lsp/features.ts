// Request handlers for the editor features: protocol params → core features → protocol results.
import type { Connection, TextDocuments, CompletionItem, DocumentSymbol, SymbolInformation, WorkspaceEdit, CodeAction, InlayHint } from 'vscode-languageserver/node';
import { CompletionItemKind, CompletionItemTag, SymbolKind, MarkupKind, ResponseError, ErrorCodes, FoldingRangeKind, CodeActionKind, InsertTextFormat, DocumentHighlightKind } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit as CoreEdit } from '../core/diagnostic';
import type { ConfigWorkspace } from '../core/features/workspace';
import type * as F from '../core/features';
import { loadChecker } from './core';
import { isUntitledPath, toDiagnostic, toLspRange, type CompletionSupport, type DiagnosticSupport, type HoverSupport, type SignatureSupport, type UriMap } from './convert';
import { markdownToPlainText } from './plain-text';
import { inLineBreak, lineBreakOf } from '../core/text';

/** The one semantic token type the server sends: lines of the branches Exim skips. */
export const SEMANTIC_LEGEND = { tokenTypes: ['comment'], tokenModifiers: [] as string[] };

export interface FeatureContext {
  connection: Connection;
  /** Getter: the workspace comes into being with the checker (lsp/core.ts). */
  ws: () => ConfigWorkspace;
  uris: UriMap;
  documents: TextDocuments<TextDocument>;
  safe: <P, R>(what: string, fallback: R, f: (p: P) => R) => (p: P) => R;
  /** The command callout lenses run: the client's own, or undefined for the server's. */
  lensCommand: () => string | undefined;
  /** What the client shows of a diagnostic; a code action's diagnostics are shaped like the published ones. */
  diagnosticSupport: () => DiagnosticSupport;
  /** The format of completion documentation, and how the client marks a deprecated item. */
  completionSupport: () => CompletionSupport;
  /** The format of hover contents. */
  hoverSupport: () => HoverSupport;
  /** How the client takes a signature's parameters. */
  signatureSupport: () => SignatureSupport;
}

const COMPLETION_KIND: Record<F.CompletionKind, CompletionItemKind> = {
  option: CompletionItemKind.Property, value: CompletionItemKind.Value, driver: CompletionItemKind.Class,
  transport: CompletionItemKind.Reference, router: CompletionItemKind.Reference, list: CompletionItemKind.Reference,
  acl: CompletionItemKind.Reference, verb: CompletionItemKind.Keyword, condition: CompletionItemKind.Operator,
  modifier: CompletionItemKind.Operator, expansion: CompletionItemKind.Function, variable: CompletionItemKind.Variable,
  keyword: CompletionItemKind.Keyword, program: CompletionItemKind.File, argument: CompletionItemKind.Field,
  macro: CompletionItemKind.Constant, section: CompletionItemKind.Module, lookup: CompletionItemKind.Interface,
};

const SYMBOL_KIND: Record<F.SymbolKind, SymbolKind> = {
  section: SymbolKind.Namespace, router: SymbolKind.Function, transport: SymbolKind.Class, authenticator: SymbolKind.Interface,
  acl: SymbolKind.Method, list: SymbolKind.Array, macro: SymbolKind.Constant, option: SymbolKind.Property,
  statement: SymbolKind.Event, service: SymbolKind.Object, entry: SymbolKind.Object, include: SymbolKind.File,
  partition: SymbolKind.Package,
};

/** Rejects params that are not shaped like a text-document position request. */
function posParams(p: any): { uri: string; position: { line: number; character: number } } {
  const uri = p?.textDocument?.uri;
  const pos = p?.position;
  if (typeof uri !== 'string' || !pos || !Number.isFinite(pos.line) || !Number.isFinite(pos.character)) {
    throw new ResponseError(ErrorCodes.InvalidParams, 'expected { textDocument: { uri }, position: { line, character } }');
  }
  return { uri, position: { line: Math.max(0, Math.floor(pos.line)), character: Math.max(0, Math.floor(pos.character)) } };
}

function docParams(p: any): string {
  const uri = p?.textDocument?.uri;
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'expected { textDocument: { uri } }');
  return uri;
}

/** The core writes `\n`; a CRLF document gets `\r\n`, or its lines would end two ways. */
export function workspaceEdit(edits: CoreEdit[], uris: UriMap, textOf: (file: string) => string | undefined = () => undefined): WorkspaceEdit {
  const changes: Record<string, { range: ReturnType<typeof toLspRange>; newText: string }[]> = {};
  const breaks = new Map<string, '\n' | '\r\n'>();
  for (const e of edits) {
    let br = breaks.get(e.file);
    if (!br) breaks.set(e.file, br = lineBreakOf(textOf(e.file)));
    const newText = inLineBreak(e.newText, br);
    (changes[uris.uriOf(e.file)] ??= []).push({ range: toLspRange(e.range), newText });
  }
  return { changes };
}

export function registerFeatures(c: FeatureContext): void {
  const { connection, ws, uris, safe } = c;
  const file = (uri: string) => uris.pathOf(uri);
  /** A path under an untitled buffer's stand-in directory (a relative include of it): nothing to open. */
  const unreal = (f: string) => isUntitledPath(f) && !ws().isOpen(f);
  const textOf = (f: string) => ws().host.readFile(f);

  connection.onCompletion(safe('completion', [] as CompletionItem[], (p) => {
    const { uri, position } = posParams(p);
    const cs = c.completionSupport();
    return loadChecker().completion(ws(), file(uri), position).map((e): CompletionItem => {
      const item: CompletionItem = { label: e.label, kind: COMPLETION_KIND[e.kind] ?? CompletionItemKind.Text, detail: e.detail };
      // A bare string is plain text to every client, including those older than MarkupContent.
      if (e.documentation) item.documentation = cs.documentation === MarkupKind.Markdown ? { kind: MarkupKind.Markdown, value: e.documentation } : markdownToPlainText(e.documentation);
      if (e.sortText) item.sortText = e.sortText;
      if (e.deprecated) {
        if (cs.deprecatedTag) item.tags = [CompletionItemTag.Deprecated];
        else if (cs.deprecatedProperty) item.deprecated = true;
      }
      if (e.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
      const text = e.insertText ?? e.label;
      if (e.replace) item.textEdit = { range: toLspRange(e.replace), newText: text };
      else item.insertText = text;
      if (e.replace) item.filterText = e.label;
      return item;
    });
  }));

  connection.onHover(safe('hover', null, (p) => {
    const { uri, position } = posParams(p);
    const h = loadChecker().hover(ws(), file(uri), position);
    if (!h) return null;
    const contents = c.hoverSupport().contents === MarkupKind.Markdown ? { kind: MarkupKind.Markdown, value: h.markdown } : { kind: MarkupKind.PlainText, value: markdownToPlainText(h.markdown) };
    return { contents, range: h.range ? toLspRange(h.range) : undefined };
  }));

  connection.onSignatureHelp(safe('signatureHelp', null, (p) => {
    const { uri, position } = posParams(p);
    const h = loadChecker().signatureHelp(ws(), file(uri), position);
    if (!h) return null;
    const offsets = c.signatureSupport().labelOffsets;
    return {
      signatures: h.signatures.map((sig) => ({
        label: sig.label,
        documentation: sig.documentation,
        parameters: sig.parameters.map((q) => ({ label: offsets ? q.label : sig.label.slice(q.label[0], q.label[1]), documentation: q.documentation })),
      })),
      activeSignature: h.activeSignature,
      activeParameter: h.activeParameter,
    };
  }));

  connection.onDocumentHighlight(safe('documentHighlight', [], (p) => {
    const { uri, position } = posParams(p);
    return loadChecker().documentHighlights(ws(), file(uri), position).map((h) => ({ range: toLspRange(h.range), kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
  }));

  connection.onDefinition(safe('definition', [], (p) => {
    const { uri, position } = posParams(p);
    return loadChecker().definition(ws(), file(uri), position).filter((l) => !unreal(l.file)).map((l) => ({ uri: uris.uriOf(l.file), range: toLspRange(l.range) }));
  }));

  connection.onReferences(safe('references', [], (p: any) => {
    const { uri, position } = posParams(p);
    return loadChecker().references(ws(), file(uri), position, p?.context?.includeDeclaration !== false).map((l) => ({ uri: uris.uriOf(l.file), range: toLspRange(l.range) }));
  }));

  connection.onPrepareRename(safe('prepareRename', null, (p) => {
    const { uri, position } = posParams(p);
    const r = loadChecker().prepareRename(ws(), file(uri), position);
    if (!r) return null;
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return { range: toLspRange(r.range), placeholder: r.placeholder };
  }));

  connection.onRenameRequest(safe('rename', null, (p: any) => {
    const { uri, position } = posParams(p);
    if (typeof p?.newName !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'expected newName');
    const r = loadChecker().rename(ws(), file(uri), position, p.newName);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return workspaceEdit(r.edits, uris, textOf);
  }));

  connection.onDocumentSymbol(safe('documentSymbol', [] as DocumentSymbol[], (p) => {
    const conv = (n: F.SymbolNode): DocumentSymbol => ({
      name: n.name || '?', kind: SYMBOL_KIND[n.kind] ?? SymbolKind.Object, detail: n.detail,
      range: toLspRange(n.range), selectionRange: toLspRange(n.selectionRange), children: n.children.map(conv),
    });
    return loadChecker().documentSymbols(ws(), file(docParams(p))).map(conv);
  }));

  connection.onWorkspaceSymbol(safe('workspaceSymbol', [] as SymbolInformation[], (p: any) =>
    loadChecker().workspaceSymbols(ws(), typeof p?.query === 'string' ? p.query : '').map((s): SymbolInformation => ({
      name: s.name, kind: SYMBOL_KIND[s.kind] ?? SymbolKind.Object, containerName: s.container,
      location: { uri: uris.uriOf(s.file), range: toLspRange(s.range) },
    }))));

  connection.onFoldingRanges(safe('foldingRange', [], (p) =>
    loadChecker().foldingRanges(ws(), file(docParams(p))).map((r) => ({
      startLine: r.startLine, endLine: r.endLine,
      kind: r.kind === 'comment' ? FoldingRangeKind.Comment : r.kind === 'region' ? FoldingRangeKind.Region : undefined,
    }))));

  // Skipped `.ifdef` branches as comment tokens: themes draw them like comments, faded.
  connection.languages.semanticTokens.on(safe('semanticTokens', { data: [] as number[] }, (p) => {
    const data: number[] = [];
    let prev = { line: 0, character: 0 };
    for (const r of loadChecker().inactiveRanges(ws(), file(docParams(p)))) {
      const { line, character } = r.start;
      data.push(line - prev.line, line === prev.line ? character - prev.character : character, r.end.character - character, 0, 0);
      prev = r.start;
    }
    return { data };
  }));

  // Label parts with a location: the client links each to where that listener or transport is written.
  connection.languages.inlayHint.on(safe('inlayHint', [] as InlayHint[], (p: any) =>
    loadChecker().inlayHints(ws(), file(docParams(p)), p?.range?.start && p?.range?.end ? p.range : undefined)
      .map((h): InlayHint => ({
        position: h.position, paddingLeft: true,
        label: h.parts.map((x) => (x.target ? { value: x.value, location: { uri: uris.uriOf(x.target.file), range: toLspRange(x.target.range) } } : { value: x.value })),
      }))));

  connection.onDocumentLinks(safe('documentLink', [], (p) =>
    loadChecker().documentLinks(ws(), file(docParams(p))).filter((l) => !unreal(l.target)).map((l) => ({ range: toLspRange(l.range), target: uris.uriOf(l.target), tooltip: l.tooltip }))));

  connection.onCodeAction(safe('codeAction', [] as CodeAction[], (p: any) => {
    const uri = docParams(p);
    const r = p?.range;
    if (!r?.start || !r?.end) throw new ResponseError(ErrorCodes.InvalidParams, 'expected range');
    return loadChecker().codeActions(ws(), file(uri), r).map((a): CodeAction => ({
      title: a.title, kind: CodeActionKind.QuickFix, isPreferred: a.fix.preferred,
      diagnostics: [toDiagnostic(a.finding, uris, c.diagnosticSupport())], edit: workspaceEdit(a.fix.edits, uris, textOf),
    }));
  }));

  connection.onCodeLens(safe('codeLens', [], (p) => {
    const uri = docParams(p);
    // The document travels with the lens: the server's command reads its folder's settings.
    return loadChecker().codeLenses(ws(), file(uri), c.lensCommand()).map((l) => ({
      range: toLspRange(l.range),
      command: { title: l.title, command: l.command, arguments: l.args.map((a) => (a && typeof a === 'object' ? { ...a, uri } : a)) },
    }));
  }));
}
