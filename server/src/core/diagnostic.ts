import type { Range } from './text';
import type { RuleCode } from './rules/codes';
import { RULES } from './rules/codes';
import { sameFinding } from './finding-key';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A text edit in one file. `file` is the same path string the finding uses. */
export interface TextEdit { file: string; range: Range; newText: string }

/**
 * A quick fix: applied only when the user asks (code action, or `check --fix`). A `manual`
 * one is a change to weigh first (it sends mail that now goes elsewhere to Cyrus, or needs
 * mailboxes made before it): offered in the editor, never applied by `check --fix`.
 */
export interface Fix { title: string; edits: TextEdit[]; preferred?: boolean; manual?: boolean }

export interface Related { file: string; range: Range; message: string }

/**
 * One finding of one rule. Every layer above the core (CLI, LSP) only formats these:
 * the message already says what is wrong and what to do.
 */
export interface Finding {
  file: string;
  range: Range;
  severity: Severity;
  code: RuleCode;
  message: string;
  related?: Related[];
  fixes?: Fix[];
  /** Where the finding comes from when not from our rules, e.g. 'exim' for `exim -bV`. */
  source?: string;
}

/** Builds a finding with the rule's default severity unless one is given. */
export function finding(code: RuleCode, file: string, range: Range, message: string,
  extra: Partial<Omit<Finding, 'code' | 'file' | 'range' | 'message'>> = {}): Finding {
  return { file, range, code, message, severity: extra.severity ?? RULES[code].severity, ...extra };
}

/**
 * The findings with each one said once: an include shared by several configs checked in one
 * call (or a cyrus.conf paired with each of them) gets the same finding from every config,
 * and a reader wants it once. Keeps the first of each, so the order stays.
 */
export function distinctFindings(list: readonly Finding[]): Finding[] {
  // Bucketed by file and start position, compared field by field only within a bucket: a
  // string key per finding (messages included) was a tenth of checking a large config.
  const seen = new Map<string, Map<number, Finding[]>>();
  return list.filter((f) => {
    let byPlace = seen.get(f.file);
    if (!byPlace) seen.set(f.file, byPlace = new Map());
    // (A line past 2^20 characters may share a bucket with the next line: sameFinding tells them apart.)
    const at = f.range.start.line * 0x100000 + f.range.start.character;
    const bucket = byPlace.get(at);
    if (!bucket) { byPlace.set(at, [f]); return true; }
    if (bucket.some((g) => sameFinding(f, g))) return false;
    bucket.push(f);
    return true;
  });
}

export function sortFindings(list: Finding[]): Finding[] {
  return list.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1
    : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
