// Between the core's plain data and the protocol's shapes. The core speaks paths; the
// protocol speaks URIs, and the client's spelling of a URI must be echoed back exactly or
// it will not match the open document.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ClientCapabilities, Diagnostic, DiagnosticRelatedInformation, Range as LspRange } from 'vscode-languageserver/node';
import { CompletionItemTag, DiagnosticSeverity, DiagnosticTag, MarkupKind } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../core/diagnostic';
import { visibleText } from '../core/visible-text';
import type { Range } from '../core/text';

/** The README's rule table (one `## Rules` heading; rows have no anchors of their own). */
export const RULES_DOC = 'https://example.invalid/exim-cyrus/blob/main/README.md#rules';

const UNTITLED_ROOT = path.join(path.sep, '__untitled__');

export class UriMap {
  private readonly toUri = new Map<string, string>();
  /** Paths of open documents: their spelling is the one the client's document manager knows. */
  private readonly pinned = new Set<string>();

  /**
   * The path the core uses for a URI; non-file URIs (untitled buffers) get a stand-in path.
   * Spellings of one path (`%2B` or `+`) meet at the path; the last one seen is echoed
   * back, except that an open document keeps the spelling it was opened with.
   */
  pathOf(uri: string): string {
    let p: string;
    try {
      p = uri.startsWith('file:') ? path.resolve(fileURLToPath(uri)) : path.join(UNTITLED_ROOT, encodeURIComponent(uri));
    } catch {
      p = path.join(UNTITLED_ROOT, encodeURIComponent(uri));
    }
    if (!this.pinned.has(p)) this.toUri.set(p, uri);
    return p;
  }

  /** A document opened under this spelling. */
  open(uri: string): string {
    const p = this.pathOf(uri);
    this.toUri.set(p, uri);
    this.pinned.add(p);
    return p;
  }

  /** The document is closed: other spellings may be echoed again. */
  close(uri: string): void {
    this.pinned.delete(this.pathOf(uri));
  }

  uriOf(file: string): string {
    const abs = path.resolve(file);
    return this.toUri.get(abs) ?? pathToFileURL(abs).toString();
  }
}

export function isUntitledPath(p: string): boolean {
  return p.startsWith(UNTITLED_ROOT + path.sep);
}

/**
 * An untitled buffer has no directory, so a relative `.include` in it resolves to nothing
 * real: the finding says so instead of naming the stand-in path. `text` is the buffer's.
 */
export function forUntitled(f: Finding, text: string | undefined): Finding {
  if (f.code !== 'exim/include-not-found' || !f.message.includes(UNTITLED_ROOT + path.sep)) return f;
  const lines = (text ?? '').split(/\r?\n/);
  const r = f.range;
  const written = r.start.line === r.end.line ? lines[r.start.line]?.slice(r.start.character, r.end.character).replace(/^"(.*)"$/, '$1') : undefined;
  return {
    ...f,
    message: `This buffer has not been saved, so it has no directory to resolve the relative path${written ? ` "${written}"` : ''} against: the include can be read once the file is saved (or write an absolute path).`,
  };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspRange(r: Range): LspRange {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/**
 * What the client said it shows of a diagnostic (LSP 3.17 `textDocument.publishDiagnostics`),
 * read once at initialize. Fields it did not declare are not sent: a big file has thousands
 * of diagnostics, and the link to the rule table alone is a fifth of their JSON.
 */
export interface DiagnosticSupport {
  codeDescription: boolean;
  relatedInformation: boolean;
  /** The `DiagnosticTag` values it knows. */
  tags: ReadonlySet<number>;
}

/** Before initialize, and for a client that declares nothing. */
export const NO_DIAGNOSTIC_SUPPORT: DiagnosticSupport = Object.freeze({ codeDescription: false, relatedInformation: false, tags: new Set<number>() });

export function diagnosticSupport(caps: ClientCapabilities | undefined): DiagnosticSupport {
  const p = caps?.textDocument?.publishDiagnostics;
  const valueSet: unknown = p?.tagSupport?.valueSet;
  return {
    codeDescription: p?.codeDescriptionSupport === true,
    relatedInformation: p?.relatedInformation === true,
    tags: new Set(Array.isArray(valueSet) ? valueSet.filter((t): t is number => typeof t === 'number') : []),
  };
}

/** One object for every diagnostic: a big file has thousands, and they are only serialised. */
const CODE_DESCRIPTION = Object.freeze({ href: RULES_DOC });
const UNNECESSARY = Object.freeze([DiagnosticTag.Unnecessary]) as DiagnosticTag[];

export function toDiagnostic(f: Finding, uris: UriMap, support: DiagnosticSupport): Diagnostic {
  const source = f.source ?? (f.code === 'exim/external' ? 'exim' : 'exim-cyrus');
  const d: Diagnostic = {
    range: toLspRange(f.range),
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Error,
    code: f.code,
    source,
    message: f.related?.length && !support.relatedInformation ? withRelatedLines(f, uris) : visibleText(f.message),
  };
  if (support.codeDescription) d.codeDescription = CODE_DESCRIPTION;
  if (f.related?.length && support.relatedInformation) {
    d.relatedInformation = f.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri: uris.uriOf(r.file), range: toLspRange(r.range) },
      message: visibleText(r.message),
    }));
  }
  if (f.code === 'exim/unused-definition' && support.tags.has(DiagnosticTag.Unnecessary)) d.tags = UNNECESSARY;
  return d;
}

/**
 * For a client that cannot show related information: the lines it names are written below
 * the message, as the CLI's text output does, because a link finding's message names the
 * transport or lmtpd service on the other side but not the file and line it is on.
 */
function withRelatedLines(f: Finding, uris: UriMap): string {
  const dir = path.dirname(f.file);
  const lines = f.related!.map((r) => {
    const rel = path.relative(dir, r.file);
    const name = isUntitledPath(r.file) ? uris.uriOf(r.file) : rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : r.file;
    return `  ${name}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${visibleText(r.message)}`;
  });
  return [visibleText(f.message), ...lines].join('\n');
}

/**
 * The format a client reads hover contents or completion documentation in: the first of
 * the formats it lists (in its order of preference) that we write. LSP gives no default for
 * a client that lists none, and Markdown sent to a client that does not render it shows its
 * marks, so that client gets plain text.
 */
export function markupFormat(formats: unknown): MarkupKind {
  if (Array.isArray(formats)) for (const f of formats) if (f === MarkupKind.Markdown || f === MarkupKind.PlainText) return f;
  return MarkupKind.PlainText;
}

/**
 * What the client reads of a completion item (LSP `completion.completionItem`): the format of
 * its documentation, and how it can be told the item is deprecated — the Deprecated tag
 * (3.15), else the older `deprecated` property, else not at all (the documentation still
 * says so).
 */
export interface CompletionSupport { documentation: MarkupKind; deprecatedTag: boolean; deprecatedProperty: boolean }

export const NO_COMPLETION_SUPPORT: CompletionSupport = Object.freeze({ documentation: MarkupKind.PlainText, deprecatedTag: false, deprecatedProperty: false });

export function completionSupport(caps: ClientCapabilities | undefined): CompletionSupport {
  const item = caps?.textDocument?.completion?.completionItem;
  const valueSet: unknown = item?.tagSupport?.valueSet;
  return {
    documentation: markupFormat(item?.documentationFormat),
    deprecatedTag: Array.isArray(valueSet) && valueSet.includes(CompletionItemTag.Deprecated),
    deprecatedProperty: item?.deprecatedSupport === true,
  };
}

/** What the client reads of a hover (LSP `textDocument.hover`): the format of its contents. */
export interface HoverSupport { contents: MarkupKind }

export const NO_HOVER_SUPPORT: HoverSupport = Object.freeze({ contents: MarkupKind.PlainText });

export function hoverSupport(caps: ClientCapabilities | undefined): HoverSupport {
  return { contents: markupFormat(caps?.textDocument?.hover?.contentFormat) };
}

/**
 * What the client reads of signature help: whether a parameter may be given as offsets in
 * the label (LSP 3.14). Without that it gets the parameter's name, which a client finds by
 * searching the label.
 */
export interface SignatureSupport { labelOffsets: boolean }

export const NO_SIGNATURE_SUPPORT: SignatureSupport = Object.freeze({ labelOffsets: false });

export function signatureSupport(caps: ClientCapabilities | undefined): SignatureSupport {
  return { labelOffsets: caps?.textDocument?.signatureHelp?.signatureInformation?.parameterInformation?.labelOffsetSupport === true };
}
