// Arguments of ACL conditions and modifiers that Exim reads only when the ACL runs (each case
// checked with exim4 -bh; add_header with a delivery). Most make the statement an error:
// the command gets a 451, even from a `warn` statement. Unknown words in ratelimit's
// options are not mistakes: they become its key.
import { badHeaderLine } from './header-lines';
import { splitList } from '../../exim/lists';
import { isStrictIPv4 } from '../../exim/ip-address';
import { distanceWithin } from '../../edit-distance';
import { isMacroName } from './undefined-macro';
import { plainText, type ExpansionNode } from '../../exim/expansion';

const MACRO_NAME = /(^|[^A-Za-z0-9_])[A-Z][A-Z0-9_]+($|[^A-Za-z0-9_])/;

/** strtod's forms that are not plain decimals: hexadecimal floats, infinities, NaN. */
const STRTOD_OTHER = /^[-+]?(0x[0-9a-f]*\.?[0-9a-f]*(p[-+]?\d+)?|inf(inity)?|nan)$/i;
/** readconf_readtime without milliseconds: digits and a unit, repeated, the unit required. */
const TIME = /^(?:\d+[wdhms])+$/;
const PER = new Set(['per_cmd', 'per_conn', 'per_mail', 'per_rcpt', 'per_byte', 'per_addr']);
const UPDATE = new Set(['leaky', 'strict', 'readonly']);

/** A number strtod reads whole and that is not negative; an empty one reads as 0. */
function positive(s: string): boolean {
  if (s === '') return true;
  const n = Number(s);
  if (Number.isNaN(n)) return STRTOD_OTHER.test(s) && !s.startsWith('-');
  return n >= 0;
}

/**
 * What Exim says of ratelimit's arguments (`m / p / options / key`), or undefined when it
 * takes them. Only what is written out is judged: the list is expanded before it is split,
 * so from the first item with a `$` on nothing is known (a variable may hold a "/").
 */
function ratelimitProblem(value: string): string | undefined {
  if (value.includes('\\')) return undefined;
  // The items up to the first one with a "$".
  let from = 0;
  let k = 0;
  let per = 0;
  let mode: string | undefined;
  for (;;) {
    const slash = value.indexOf('/', from);
    const item = (slash < 0 ? value.slice(from) : value.slice(from, slash)).trim();
    if (item.includes('$')) return undefined;
    if (k === 0 && !positive(item)) return `"${item}" is not a positive number`;
    if (k === 1 && !TIME.test(item)) return `"${item}" is not a time value (digits and a unit w, d, h, m or s, as in 1h or 2h30m)`;
    if (k >= 2) {
      const w = item.toLowerCase();
      if (PER.has(w) && ++per > 1) return 'conflicting per_* options (give one of per_cmd, per_conn, per_mail, per_rcpt, per_byte, per_addr)';
      if (UPDATE.has(w)) {
        if (mode !== undefined && mode !== w) return 'conflicting update modes (give one of leaky, strict, readonly)';
        mode = w;
      }
      if (w.startsWith('count=') && !positive(item.slice(6).trim())) return `"${item}" is not a positive number`;
    }
    k++;
    if (slash < 0) break;
    from = slash + 1;
  }
  return k < 2 ? 'the period after the rate is missing (as in "100 / 1h")' : undefined;
}

/** `seen = [-]time[/options]`: readonly, write, key=..., refresh=time. */
function seenProblem(value: string): string | undefined {
  const [first, ...options] = value.split('/').map((s) => s.trim());
  if (!TIME.test(first.startsWith('-') ? first.slice(1) : first)) return `"${first}" is not a time value (digits and a unit w, d, h, m or s, with "-" before it for "not within")`;
  for (const o of options) {
    if (o === 'readonly' || o === 'write' || o.startsWith('key=')) continue;
    if (o.startsWith('refresh=')) {
      if (!TIME.test(o.slice(8).trim())) return `"${o}" does not give a time value`;
      continue;
    }
    return `"${o}" is not an option of seen (readonly, write, key=..., refresh=...)`;
  }
  return undefined;
}

/** The log names `logwrite = :names: text` can write to. */
const LOGS = new Set(['main', 'panic', 'reject']);

/** `misread`: Exim takes the argument and does something else with it than meant, which the message says. */
export interface ArgumentProblem {
  message: string;
  consequence: 'error' | 'lost' | 'renamed' | 'misread';
  /** The whole argument as it was meant, when that is certain: offered as a quick fix. */
  replacement?: string;
}

/**
 * aclArgumentProblem's answers for one check, by name and value: configs repeat their
 * statements, and reading each copy again showed in the later checks' time (bench order:
 * the generated config 32 -> 45 ms for its 565 ratelimit lines), though not in its own.
 */
export class ArgumentMemo {
  private readonly byName = new Map<string, Map<string, ArgumentProblem | undefined>>();
  problem(name: string, raw: string): ArgumentProblem | undefined {
    let m = this.byName.get(name);
    if (!m) this.byName.set(name, m = new Map());
    if (m.has(raw)) return m.get(raw);
    const p = aclArgumentProblem(name, raw);
    m.set(raw, p);
    return p;
  }
}

/**
 * dnslists items as dnsbl.c reads them (`[txtdomain,]domain[!][=|==|&|=&]addresses[/key]`),
 * where Exim takes a mistake without a word and the item then tests something else: a
 * "+" switch it does not know (logged and ignored), an address after "=" that is not one
 * the DNS can answer (compared as text with the A records, "127.0.0.x" matches nothing),
 * and a mask after an address (there are none: "/8" is the key, so Exim looks up
 * "8.zen.example"). An item with a variable before its "/" is not judged.
 */
function dnslistsProblem(value: string): string | undefined {
  for (const { text } of splitList(value).items) {
    const slash = text.indexOf('/');
    const head = slash < 0 ? text : text.slice(0, slash);
    if (head.includes('$') || head.includes('\\')) continue;
    if (head.startsWith('+')) {
      if (!/^\+(include|exclude|defer)_unknown$/i.test(head)) return `"${head}" is no dnslists switch (+include_unknown, +exclude_unknown or +defer_unknown): Exim logs "unknown item in dnslist (ignored)" to the panic log and goes on as if it were not there`;
      continue;
    }
    const eq = head.indexOf('=');
    if (eq < 0 || head[eq + 1] === '&') continue;
    const addresses = head.slice(eq + (head[eq + 1] === '=' ? 2 : 1)).split(',');
    const key = slash < 0 ? '' : text.slice(slash + 1);
    if (/^\d{1,3}$/.test(key) && isStrictIPv4(addresses[addresses.length - 1])) {
      // The list's domain; a TXT domain may come before it, with a ",".
      const list = head.slice(0, eq).replace(/!$/, '');
      return `"${text}" reads as the list ${list} with the key "${key}": dnslists takes no masks, so Exim looks up "${key}.${list.replace(/^[^,]*,/, '')}" instead of the client's address, and the item never matches what it should. List the addresses one by one, or use "&" with a bit mask`;
    }
    // ",," is a "," inside one address (string_nextinlist): not judged.
    if (addresses.length > 1 && addresses.includes('')) continue;
    if (addresses.length === 1 && addresses[0].trim() === '') return `nothing follows "=" in "${text}", so no answer of the list can match it and the item never matches`;
    const bad = addresses.find((a) => !a.includes(':') && !isStrictIPv4(a));
    if (bad !== undefined) return `"${bad}" after "=" is not an IPv4 address as the DNS returns one (four numbers 0-255, no leading zeros): Exim compares the list's answers with it as text, so it never matches`;
  }
  return undefined;
}

/**
 * The options after the first "/" of `malware = regex/options` and `spam = user/options`
 * (acl.c): malware takes defer_ok and tmo=TIME, spam defer_ok alone, in any case; Exim reads
 * past any other word, so a misspelt defer_ok leaves a failed scan deferring the message.
 * A "/" inside malware's regular expression cuts it there (exim4 -bh, a scanner naming
 * Eicar-Test: "Trojan/Win|Eicar" lets it through; an open parenthesis left behind is a
 * regex error, 451 for every message); doubled, it is one "/".
 */
function scanOptionProblem(name: 'malware' | 'spam', value: string): ArgumentProblem | undefined {
  // A list with a separator of its own ("<; regex ; defer_ok") is left alone.
  if (/^\s*</.test(value)) return undefined;
  // As string_nextinlist reads the list: "//" is one "/", items trimmed.
  const items = splitList(value, { sep: '/', literal: true }).items.map((it) => it.text);
  for (let k = 1; k < items.length; k++) {
    const o = items[k];
    if (!o || o.toLowerCase() === 'defer_ok') continue;
    if (name === 'malware' && /^tmo=/i.test(o)) {
      if (!TIME.test(o.slice(4).trim())) return { message: `"${o}" does not give a time value (as in tmo=30s)`, consequence: 'error' };
      continue;
    }
    const misspelt = /^(defer[-_]?ok|defer)$/i.test(o);
    if (name === 'malware' && !misspelt && !optionLike(o)) {
      // The "/" was meant in the regular expression: double each "/" up to the last item
      // that is no option, and keep the options after it.
      let last = k;
      while (last + 1 < items.length && items[last + 1] && !optionLike(items[last + 1])) last++;
      const meant = [items.slice(0, last + 1).map((i) => i.replace(/\//g, '//')).join('//'), ...items.slice(last + 1)].join('/');
      const regex = items.slice(0, last + 1).join('/');
      const broken = compiles(regex) && !compiles(items[0]) ? `; "${items[0]}" is no valid regular expression, so Exim answers every message 451` : '';
      return { message: `Exim cuts the list at each "/": the regular expression is "${items[0]}" alone, and "${o}" is read past as an option${broken}. To keep a "/" in the expression, double it (${meant})`, consequence: 'misread', replacement: meant };
    }
    const corrected = misspelt ? [...items.slice(0, k).map((i) => i.replace(/\//g, '//')), 'defer_ok', ...items.slice(k + 1).map((i) => i.replace(/\//g, '//'))].join('/') : undefined;
    return { message: `Exim reads past "${o}", which is no option of ${name} (${name === 'malware' ? 'defer_ok, tmo=TIME' : 'defer_ok'}), so when the scanner cannot be reached the message is deferred (451) all the same${misspelt ? ' (did you mean "defer_ok"?)' : ''}`, consequence: 'misread', ...(corrected ? { replacement: corrected } : {}) };
  }
  return undefined;
}

/**
 * Whether JavaScript compiles `re`: PCRE reads more than it does, so a cut expression is only
 * called invalid when the whole one compiles here and the cut one does not (a parenthesis
 * left open).
 */
function compiles(re: string): boolean {
  try { new RegExp(re); return true; } catch { return false; }
}

/** An item that may have been meant as an option: one with "=", or close to defer_ok. */
function optionLike(item: string): boolean {
  return item.includes('=') || distanceWithin(item.toLowerCase(), 'defer_ok', 3) <= 3;
}

/** What is wrong with a written-out argument of an ACL condition or modifier. */
export function aclArgumentProblem(name: string, raw: string): ArgumentProblem | undefined {
  const value = raw.trim();
  if (name === 'add_header') {
    // A leading :at_start:, :at_start_rfc:, :after_received: or :at_end: says where.
    const bad = isMacroName(value) ? undefined : badHeaderLine(value.replace(/^:[a-z_]+:/, ''));
    return bad === undefined ? undefined
      : { message: `"${bad}" is not a header line ("Name: value"); Exim adds it as "X-ACL-Warn: ${bad}"`, consequence: 'renamed' };
  }
  // A macro's name left as it stands (the test suite's OPTION comes with -D) is
  // undefined-macro's finding, not a malformed argument.
  if (MACRO_NAME.test(value)) return undefined;
  if (name === 'ratelimit') {
    const m = ratelimitProblem(value);
    return m ? { message: m, consequence: 'error' } : undefined;
  }
  if (name === 'dnslists') {
    const m = dnslistsProblem(value);
    return m ? { message: m, consequence: 'misread' } : undefined;
  }
  if (value.includes('$') || value.includes('\\')) return undefined;
  switch (name) {
    case 'delay':
      return TIME.test(value) ? undefined : { message: `"${value}" is not a time value (digits and a unit w, d, h, m or s, as in 30s)`, consequence: 'error' };
    case 'seen': {
      const m = seenProblem(value);
      return m ? { message: m, consequence: 'error' } : undefined;
    }
    case 'malware': case 'spam':
      return scanOptionProblem(name, value);
    case 'queue':
      return value.includes('/') ? { message: `a queue name cannot hold "/"`, consequence: 'error' } : undefined;
    case 'udpsend': {
      // acl_udpsend: host, then port (decimal digits only), then the datagram, a list.
      const [host, port] = splitList(value).items.map((it) => it.text);
      if (!host) return { message: 'the destination host is missing (udpsend = host : port : message)', consequence: 'error' };
      if (port === undefined) return { message: 'the destination port is missing (udpsend = host : port : message)', consequence: 'error' };
      return /^[+-]?\d+$/.test(port) ? undefined : { message: `"${port}" is no port number (udpsend takes decimal digits)`, consequence: 'error' };
    }
    case 'logwrite': {
      const m = /^:([^:]*):/.exec(value);
      if (!m) return undefined;
      const bad = m[1].split(',').map((s) => s.trim()).find((s) => s && !LOGS.has(s));
      return bad === undefined ? undefined
        : { message: `"${bad}" is not a log Exim knows (main, panic, reject; separate names with ",")`, consequence: 'lost' };
    }
  }
  return undefined;
}

/** What ACL `condition =` takes (acl.c): a number (empty is 0), or yes, no, true, false in any case. */
function conditionValue(v: string): boolean {
  return /^-?\d*$/.test(v) || /^(yes|no|true|false)$/i.test(v);
}

/** A value ending in two written-out braces after a "}": the branches of an ${if}, perhaps. */
const TWO_BRANCHES = /\}\s*\{([^{}$\\]*)\}\s*\{([^{}$\\]*)\}\s*\}\s*$/;
/** The same with one: an ${if} whose "else" is left out (it gives "", which Exim reads as false). */
const LAST_BRANCH = /\}\s*\{([^{}$\\]*)\}\s*\}\s*$/;

/**
 * A value of `condition =` that Exim reads as neither true nor false, so the condition defers:
 * written out, or a branch of a `${if}` that is the whole value, with its branches (one or
 * both) written out as plain text (exim4 -bh: "invalid \"condition\" value \"accept\"",
 * 451). A value with white space around a good word is left alone: whether the branch keeps
 * it was not seen.
 */
export function badConditionValue(value: string, expansion: () => readonly ExpansionNode[] | undefined): string | undefined {
  if (!value.includes('$') && !value.includes('\\')) {
    const v = value.trim();
    return conditionValue(v) ? undefined : v;
  }
  // Only a value whose last two braces look wrong is parsed: the tree is made anew at each
  // read, and parsing every condition again doubled the ACL rules' time on a large config.
  const m = TWO_BRANCHES.exec(value) ?? LAST_BRANCH.exec(value);
  if (!m || m.slice(1).every((b) => conditionValue(b.trim()))) return undefined;
  const nodes = (expansion() ?? []).filter((n) => n.kind !== 'text' || n.text.trim() !== '');
  const [only] = nodes;
  if (nodes.length !== 1 || only.kind !== 'item' || only.name !== 'if' || only.args.length < 2 || only.args.length > 3) return undefined;
  const branches = only.args.slice(1).map(plainText);
  if (branches.some((b) => b === undefined)) return undefined;
  return (branches as string[]).find((r) => !conditionValue(r) && !conditionValue(r.trim()));
}
