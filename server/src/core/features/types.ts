// The editor features' results, as plain data: the language server maps them onto the
// protocol, and any other front end can use them as they are.
import type { Position, Range } from '../text';
import type { TextEdit } from '../diagnostic';

export interface Location { file: string; range: Range }

export type CompletionKind =
  | 'option' | 'value' | 'driver' | 'transport' | 'router' | 'list' | 'acl' | 'verb' | 'condition'
  | 'modifier' | 'expansion' | 'variable' | 'keyword' | 'program' | 'argument' | 'macro' | 'section' | 'lookup';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  /** One line shown beside the label: the type, or where a name is defined. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert when it differs from the label (may be a snippet when `snippet`). */
  insertText?: string;
  snippet?: boolean;
  /** The text the entry replaces: the word being typed. */
  replace?: Range;
  sortText?: string;
  deprecated?: boolean;
}

export interface HoverInfo { markdown: string; range?: Range }

export type SymbolKind =
  | 'section' | 'router' | 'transport' | 'authenticator' | 'acl' | 'list' | 'macro' | 'option'
  | 'statement' | 'service' | 'entry' | 'include' | 'partition';

export interface SymbolNode {
  name: string;
  kind: SymbolKind;
  detail?: string;
  range: Range;
  selectionRange: Range;
  children: SymbolNode[];
}

export interface WorkspaceSymbol { name: string; kind: SymbolKind; file: string; range: Range; container?: string }

export interface FoldRange { startLine: number; endLine: number; kind?: 'comment' | 'region' }

export interface DocLink { range: Range; target: string; tooltip?: string }

export type RenameResult = { edits: TextEdit[] } | { error: string };

/** A place the user can start an LMTP callout from, and where it would connect. */
export interface CalloutTarget {
  label: string;
  description: string;
  /** What the LMTP client connects to: `host:port`, `[v6]:port` or a socket path. */
  target: string;
  host?: string;
  port?: number;
  socket?: string;
  /** The definition the target comes from (an LMTP transport or an lmtpd service line). */
  origin?: Location;
}

export interface CodeLensEntry { range: Range; title: string; command: string; args: unknown[] }

/** A note shown inline at the end of a line (where a Cyrus transport delivers, …). */
export interface InlayHintEntry { position: Position; label: string; parts: InlayHintPart[] }

/** A piece of a hint's label; one with a target is a link to where that thing is written. */
export interface InlayHintPart { value: string; target?: { file: string; range: Range } }

/** One form of an expansion item or condition; each parameter is [start, end) of its name in the label. */
export interface SignatureEntry { label: string; documentation?: string; parameters: { label: [number, number]; documentation?: string }[] }

export interface SignatureHelpInfo { signatures: SignatureEntry[]; activeSignature: number; activeParameter: number }

/** A place of the name under the cursor in the same file; `write` where it is defined. */
export interface HighlightEntry { range: Range; write: boolean }
