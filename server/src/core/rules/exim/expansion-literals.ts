// Item arguments written out as plain text that Exim refuses whatever the message, as
// expand.c reads them (each seen with exim4 -bV on a value it expands at load): numbers for
// length, substr, hash, nhash (strtol in base 10, nothing after the digits; the second a
// positive one) and listextract; hmac's algorithm; imapfolder's one-character separator;
// certextract's certificate variable; prvs's qualified address; sort's comparator. An argument with an
// expansion in it, or a macro's name left as it stands (undefined-macro's), is not judged.
import type { ExpansionNode } from '../../exim/expansion';
import { plainText } from '../../exim/expansion';

export interface LiteralProblem { arg: number; message: string }

/** A macro's name left as it stands (the test suite's PORT_D comes with -D): undefined-macro's finding. */
export const MACRO_NAME = /^\s*[A-Z][A-Za-z0-9_]*\s*$/;
const NUMBER = /^\s*[+-]?\d+$/;
const SORT_COMPARATORS = new Set(['<', '<=', '>', '>=', 'lt', 'lti', 'le', 'lei', 'gt', 'gti', 'ge', 'gei']);

/** Exim's numbers in length, substr, hash and nhash: which argument is which after it moves them. */
function numberProblems(name: string, args: readonly (readonly ExpansionNode[])[], out: LiteralProblem[]): void {
  // The last argument is the string; before it, length has one number (which must not be
  // negative), the others one or two, the second of which must not be.
  const numbers = name === 'length' ? [{ k: 0, positive: true }] : args.length === 3 ? [{ k: 0, positive: false }, { k: 1, positive: true }] : [{ k: 0, positive: false }];
  for (const { k, positive } of numbers) {
    const t = literal(args[k]);
    if (t === undefined || t === '') continue;
    if (NUMBER.test(t) && !(positive && /^\s*-\s*0*[1-9]/.test(t))) continue;
    out.push({ arg: k, message: `"${t}" is not a${positive ? ' positive' : ''} number, where "\${${name}" needs one` });
  }
}

function literal(arg: readonly ExpansionNode[] | undefined): string | undefined {
  if (!arg) return undefined;
  const t = plainText(arg);
  return t === undefined || MACRO_NAME.test(t) ? undefined : t;
}

export function itemLiteralProblems(name: string, args: readonly (readonly ExpansionNode[])[]): LiteralProblem[] {
  const out: LiteralProblem[] = [];
  switch (name) {
    case 'length':
      if (args.length === 2) numberProblems(name, args, out);
      break;
    case 'substr': case 'hash': case 'nhash':
      if (args.length === 2 || args.length === 3) numberProblems(name, args, out);
      break;
    case 'listextract': {
      const t = literal(args[0])?.trim();
      if (t === '') out.push({ arg: 0, message: 'The first argument of "${listextract" is empty, where it needs the number of the item to take' });
      else if (t !== undefined && !/^-?\d+$/.test(t)) out.push({ arg: 0, message: `"${t}" is not a number, where "\${listextract" needs the number of the item to take` });
      break;
    }
    case 'hmac': {
      const t = literal(args[0]);
      if (t !== undefined && t !== 'md5' && t !== 'sha1') out.push({ arg: 0, message: `"${t}" is no hmac algorithm Exim knows: it takes md5 or sha1, in lower case` });
      break;
    }
    case 'imapfolder': {
      const t = args.length >= 2 ? literal(args[1]) : undefined;
      if (t !== undefined && t.length !== 1) out.push({ arg: 1, message: `The separator of "\${imapfolder" must be one character, not "${t}"` });
      break;
    }
    case 'certextract': {
      const t = args.length >= 2 ? literal(args[1]) : undefined;
      if (t !== undefined) out.push({ arg: 1, message: `"${t}" is no certificate variable: "\${certextract" takes one as its second argument, e.g. $tls_in_peercert` });
      break;
    }
    case 'sort': {
      // Read as written, never expanded: one of the ordering conditions, with no space around.
      const t = args.length >= 2 ? plainText(args[1]) : undefined;
      if (t !== undefined && !SORT_COMPARATORS.has(t)) out.push({ arg: 1, message: `"${t}" is no comparator "\${sort" can use: it takes <, <=, >, >= (numbers) or lt, le, gt, ge and their case-blind lti, lei, gti, gei (strings), written alone` });
      break;
    }
    case 'prvs': {
      const t = literal(args[0]);
      if (t !== undefined && !t.includes('@')) out.push({ arg: 0, message: `"${t}" is no qualified address, which "\${prvs" needs first (local@domain)` });
      break;
    }
  }
  return out;
}
