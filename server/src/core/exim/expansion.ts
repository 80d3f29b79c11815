// String-expansion syntax tree (`${item{...}{...}}`, `${op:...}`, `${if cond {..}{..}}`,
// `$var`, `${var}`, `\N...\N`, escapes). Filled in by the expansion parser.
import type { Range } from '../text';

export type ExpansionNode =
  | { kind: 'text'; text: string; range: Range }
  | { kind: 'escape'; text: string; range: Range }
  | { kind: 'literal'; text: string; range: Range } /* \N...\N */
  | { kind: 'variable'; name: string; braced: boolean; range: Range; nameRange: Range }
  /* options: the words between the arguments (a lookup's type, `fail`), optionRange: where the first is */
  | { kind: 'item'; name: string; range: Range; nameRange: Range; args: ExpansionNode[][]; options?: string; optionRange?: Range; argsBefore?: number }
  | { kind: 'operator'; name: string; range: Range; nameRange: Range; arg: ExpansionNode[] }
  | { kind: 'condition'; name: string; negated: boolean; range: Range; nameRange: Range; args: ExpansionNode[][] }
  /* deep: nested past the parser's bound, and whether that is deep enough to crash Exim */
  | { kind: 'error'; message: string; range: Range; deep?: 'crash' | 'unchecked' };

/** A `${lookup}` item's type as written: the first word between its arguments ("" when none). */
export function lookupTypeOf(n: Extract<ExpansionNode, { kind: 'item' }>): string {
  return n.options?.trim().split(/\s+/)[0] ?? '';
}

/** An argument's text when it is written out as plain text only (no variable, item or escape). */
export function plainText(arg: readonly ExpansionNode[]): string | undefined {
  let s = '';
  for (const x of arg) {
    if (x.kind !== 'text') return undefined;
    s += x.text;
  }
  return s;
}
