// Item arguments written out as plain text that Exim refuses whatever the message, as
// expand.c reads them (each seen with exim4 -bV on a value it expands at load): numbers for
// length, substr, hash, nhash (strtol in base 10, nothing after the digits; the second a
// positive one) and listextract; hmac's algorithm; imapfolder's one-character separator;
// certextract's certificate variable; prvs's qualified address; sort's comparator. The same
// for what some operators are given (exim4 -be): an IP address, an arithmetic expression,
// digits of a base, a time. An argument with an expansion in it, or a macro's name left as
// it stands (undefined-macro's), is not judged.
import type { ExpansionNode } from '../../exim/expansion';
import { plainText } from '../../exim/expansion';
import { evalExpression } from '../../exim/arithmetic';
import { eximIpAddress, maskValue } from '../../exim/ip-address';

/** `whenWorkedOut`: Exim finds it when it works the item out, not when it reads it (in a branch it skips, never). */
export interface LiteralProblem { arg: number; message: string; whenWorkedOut?: true }

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
      if (t !== undefined && t !== 'md5' && t !== 'sha1') out.push({ arg: 0, whenWorkedOut: true, message: `"${t}" is no hmac algorithm Exim knows: it takes md5 or sha1, in lower case` });
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
      if (t !== undefined && !t.includes('@')) out.push({ arg: 0, whenWorkedOut: true, message: `"${t}" is no qualified address, which "\${prvs" needs first (local@domain)` });
      break;
    }
  }
  return out;
}

/** The operators operatorLiteralProblem judges. */
export const LITERAL_OPERATORS = new Set(['mask', 'mask_n', 'ipv6norm', 'ipv6denorm', 'reverse_ip', 'eval', 'eval10', 'base62', 'base62d', 'base32d', 'hex2b64', 'time_eval', 'time_interval', 'base64d']);

const B64 = /[A-Za-z0-9+/]/;
const C_SPACE = /[ \t\n\v\f\r]/;

/**
 * Whether b64decode takes the text: groups of four base-64 characters (white space
 * anywhere between them), the last of which may end "==" or "=" after two or three, with
 * nothing after that.
 */
function isBase64(s: string): boolean {
  let i = 0;
  // After the end, C reads the terminating NUL: "" here.
  const next = (): string => {
    while (i < s.length && C_SPACE.test(s[i])) i++;
    return i < s.length ? s[i++] : '';
  };
  for (;;) {
    if (next() === '') return true;
    const c1 = s[i - 1];
    if (!B64.test(c1) || !B64.test(next())) return false;
    const c3 = next();
    if (c3 === '=') return next() === '=' && next() === '';
    if (!B64.test(c3)) return false;
    const c4 = next();
    if (c4 === '=') return next() === '';
    if (!B64.test(c4)) return false;
  }
}

const BASE62 = /^[0-9A-Za-z]*$/, BASE32 = /^[a-z2-7]*$/, HEX = /^[0-9a-fA-F]*$/;

/** Why `${name:text}` fails whatever the message, with text written out (no expansion in it), or undefined. */
export function operatorLiteralProblem(name: string, arg: readonly ExpansionNode[]): string | undefined {
  const t = literal(arg);
  if (t === undefined) return undefined;
  switch (name) {
    case 'mask': case 'mask_n': {
      const a = eximIpAddress(t, true);
      if (!a) return `"${t}" is not an IP address with a mask, which "\${${name}" needs (e.g. 192.0.2.7/24; nothing around it)`;
      if (!a.maskOffset) return `"${t}" has no mask, which "\${${name}" needs after a "/" (e.g. ${t}/${a.family === 4 ? 24 : 64})`;
      const m = maskValue(t, a);
      if (m < 0 || m > (a.family === 4 ? 32 : 128)) return `The mask of "${t}" is too big: an IPv${a.family} mask is at most ${a.family === 4 ? 32 : 128}`;
      return undefined;
    }
    case 'ipv6norm': case 'ipv6denorm':
      return eximIpAddress(t, false) ? undefined : `"${t}" is not an IP address (without a mask), which "\${${name}" needs`;
    case 'reverse_ip':
      return eximIpAddress(t, true) ? undefined : `"${t}" is not an IP address, which "\${reverse_ip" needs`;
    case 'eval': case 'eval10': {
      const r = evalExpression(t, name === 'eval10');
      if (!r || !('error' in r)) return undefined;
      if (!t.trim()) return `"\${${name}:" is given nothing to work out`;
      return `"${t}" is no expression "\${${name}" can work out (${r.error}${r.after.trim() ? ` after "${r.after}"` : ''})`;
    }
    case 'base62':
      return t === '' || /^[ \t\n\v\f\r]*[+-]?\d+$/.test(t) ? undefined : `"${t}" is not a decimal number, which "\${base62" needs`;
    case 'base62d':
      return BASE62.test(t) ? undefined : `"${t}" is not a base 62 number (digits and letters only), which "\${base62d" needs`;
    case 'base32d':
      return BASE32.test(t) ? undefined : `"${t}" is not a base 32 number (a to z in lower case and 2 to 7 only), which "\${base32d" needs`;
    case 'hex2b64':
      if (!HEX.test(t)) return `"${t}" is not a hex string, which "\${hex2b64" needs (hex digits only, no 0x)`;
      return t.length % 2 ? `"${t}" has an odd number of hex digits, where "\${hex2b64" needs whole bytes` : undefined;
    case 'time_eval':
      // readconf_readtime: numbers each with its unit, nothing between; "0" alone has none.
      return /^(\d+[wdhms])+$/.test(t) ? undefined : `"${t}" is not an Exim time interval (such as 1h30m, with a unit after each number), which "\${time_eval" needs`;
    case 'base64d':
      return isBase64(t) ? undefined : `"${t}" is not base 64 (groups of four of A-Z, a-z, 0-9, + and /, the last padded with "="), which "\${base64d" needs`;
    case 'time_interval':
      return /^\d*$/.test(t) ? undefined : `"${t}" is not a number of seconds (digits only), which "\${time_interval" needs`;
  }
  return undefined;
}

/** Record types dnsdb knows (dnsdb.c's type_names), compared without regard to case. */
const DNSDB_TYPES = new Set(['a', 'a+', 'aaaa', 'cname', 'csa', 'mx', 'mxh', 'ns', 'ptr', 'soa', 'spf', 'srv', 'tlsa', 'txt', 'zns']);

/**
 * Why a dnsdb query's own words make the lookup defer, whatever is looked up: an unknown
 * modifier value (`defer_`, `dnssec_`, `retrans_`, `retry_`, then ","), or an unknown record
 * type before "=" (dnsdb_find). `s` is the query as far as it is written out (before any
 * variable), `complete` whether that is all of it: what depends on the rest is not judged.
 */
export function dnsdbWordsProblem(s: string, complete: boolean): string | undefined {
  let i = 0;
  const spaces = () => { while (C_SPACE.test(s[i] ?? '')) i++; };
  const starts = (w: string) => s.slice(i, i + w.length).toLowerCase() === w;
  spaces();
  if (s[i] === '>') {
    i += 2;
    if (s[i] === ',') i += 2;
    else if (s[i] === ';') i++;
    spaces();
  }
  for (;;) {
    const at = i;
    const modifier = ['defer_', 'dnssec_', 'retrans_', 'retry_'].some(starts);
    const comma = s.indexOf(',', i);
    const word = s.slice(at, comma < 0 ? undefined : comma).trim();
    // A modifier is judged only when its "," is written out too (or nothing follows).
    if (modifier && !complete && comma < 0) return undefined;
    const mode = (what: string): string | undefined => {
      for (const m of ['strict', 'lax', 'never']) if (starts(m)) { i += m.length; return undefined; }
      return `"${word}" asks dnsdb for a ${what} behaviour it does not have (strict, lax or never)`;
    };
    let bad: string | undefined;
    if (starts('defer_')) { i += 6; bad = mode('defer'); }
    else if (starts('dnssec_')) { i += 7; bad = mode('dnssec'); }
    else if (starts('retrans_')) {
      i += 8;
      const m = /^(\d+[wdhms])+(?=,)/.exec(s.slice(i));
      if (!m || /^0+[wdhms]/.test(m[0]) && !/[1-9]/.test(m[0])) bad = `"${word}" gives dnsdb no time it can use after retrans_ (such as retrans_2s, then ",")`;
      else i += m[0].length;
    } else if (starts('retry_')) {
      i += 6;
      const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]*|\d*)/.exec(s.slice(i))!;
      if (m[1] === '-' && /[1-9a-fA-F]/.test(m[2].replace(/^0[xX]/, ''))) bad = `"${word}" gives dnsdb a negative retry count`;
      else i += m[0].length;
    } else break;
    if (bad) return bad;
    spaces();
    if (s[i] !== ',') return `dnsdb reads "${s.slice(at, i)}" as a modifier, and a "," must follow it before the query`;
    i++;
    spaces();
  }
  const eq = s.indexOf('=', i);
  if (eq < 0) return undefined;
  const type = s.slice(i, eq).replace(/[ \t\n\v\f\r]+$/, '');
  if (DNSDB_TYPES.has(type.toLowerCase())) return undefined;
  return `"${type}" is no DNS record type dnsdb knows (a, aaaa, a+, cname, csa, mx, mxh, ns, ptr, soa, spf, srv, tlsa, txt or zns before the "=")`;
}

/** The conditions conditionLiteralProblem judges. */
export const LITERAL_CONDITIONS = new Set(['bool', 'match_ip']);

/** Why `${if name{...}...}` with a written-out argument fails whatever the message, with the argument's index. */
export function conditionLiteralProblem(name: string, args: readonly (readonly ExpansionNode[])[]): LiteralProblem | undefined {
  const t = args.length ? literal(args[0]) : undefined;
  if (t === undefined) return undefined;
  if (name === 'bool') {
    // expand.c: white space around is dropped; a number (digits, one "-" first) or
    // true/yes/false/no in any case; nothing is false.
    const v = t.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
    if (v === '' || /^-?\d*$/.test(v) || /^(true|yes|false|no)$/i.test(v)) return undefined;
    return { arg: 0, message: `"${v}" is no boolean "bool" knows: it takes true, yes, false, no (in any case) or a number${/^(on|off)$/i.test(v) ? ' (bool_lax takes anything)' : ''}` };
  }
  if (name === 'match_ip' && t !== '' && !eximIpAddress(t, false)) {
    return { arg: 0, message: `"${t}" is not an IP address (without a mask), which "match_ip" needs first` };
  }
  return undefined;
}
