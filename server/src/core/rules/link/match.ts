// Exim list matching (match.c) as far as it can be decided from the config alone, with a
// third answer, 'unknown', for anything decided at run time: lookups, regexes, expansions,
// @mx_*, files. Rules flag only what is certain, so 'unknown' never leads to a finding.
import type { ListKind } from '../../exim/model';
import { splitList } from '../../exim/lists';
import { isIPv4, isIPv6 } from '../../lmtp/target';
import { isThisMachine } from '../../lmtp/discover';
import type { LinkContext } from './context';
import { namedList } from './context';

export type Tri = 'yes' | 'no' | 'unknown';

/** The answer for a negated condition or item (`!`): unknown stays unknown. */
export const negate = (t: Tri): Tri => t === 'yes' ? 'no' : t === 'no' ? 'yes' : t;

interface Item { negated: boolean; body: string }

/** A list's items, and for a domain list where its plain names stand (see domainPositions). */
interface Parsed { items: readonly Item[]; names?: DomainNames }

/**
 * Where a domain list's plain names first stand (lower case), and the positions of its
 * other items (named lists, wildcards, `@`, lookups …): a domain is then matched against
 * its own name and those others only, not against every name in the list.
 */
interface DomainNames { first: Map<string, number>; others: number[] }

/**
 * Each list parsed once per check: the rules match one list against every domain it names
 * (and more), so splitting and walking it whole for each made a Cyrus router for 5,000
 * domains cost a minute and a half.
 */
const parsedLists = new WeakMap<LinkContext, Map<string, Parsed>>();

function parsed(ctx: LinkContext, list: string): Parsed {
  let lists = parsedLists.get(ctx);
  if (!lists) parsedLists.set(ctx, lists = new Map());
  let p = lists.get(list);
  if (!p) {
    const items = splitList(list).items.map((it) => ({
      negated: it.negated,
      body: (it.negated ? it.text.replace(/^!\s*/, '') : it.text).trim(),
    })).filter((i) => i.body !== '');
    lists.set(list, p = { items });
  }
  return p;
}

export function itemsOf(ctx: LinkContext, list: string): readonly Item[] {
  return parsed(ctx, list).items;
}

/**
 * Walks a list as Exim does: the first matching item decides (a negated one means "no");
 * when nothing matches, the answer is "yes" only if the last item was negated. Items whose
 * answer is unknown fork the walk; the result is certain only when every branch agrees.
 * `at`: the only positions that can match, in order (the others certainly do not).
 */
function walk(items: readonly Item[], test: (body: string, seen: Set<string>) => Tri, seen: Set<string>, at?: readonly number[]): Tri {
  const outcomes = new Set<'yes' | 'no'>();
  const n = at ? at.length : items.length;
  for (let k = 0; k < n; k++) {
    const it = items[at ? at[k] : k];
    const r = test(it.body, seen);
    const hit: 'yes' | 'no' = it.negated ? 'no' : 'yes';
    if (r === 'yes') { outcomes.add(hit); return outcomes.size === 1 ? hit : 'unknown'; }
    if (r === 'unknown') outcomes.add(hit);
  }
  outcomes.add(items.length && items[items.length - 1].negated ? 'yes' : 'no');
  return outcomes.size === 1 ? [...outcomes][0] : 'unknown';
}

type WalkList = (list: string, seen: Set<string>) => Tri;

/**
 * How deep named lists are followed into each other. Real configs nest a few; a generated
 * chain of thousands (d0 = +d1, d1 = +d2, ...) overflowed the stack of the walk, and what
 * lies deeper than this is "unknown", as a list we cannot read is.
 */
const MAX_NESTED_LISTS = 64;

function viaNamed(ctx: LinkContext, kind: ListKind, body: string, seen: Set<string>, walkList: WalkList): Tri | undefined {
  if (!body.startsWith('+')) return undefined;
  const name = body.slice(1);
  const l = namedList(ctx, kind, name);
  if (!l || seen.has(name) || seen.size >= MAX_NESTED_LISTS) return 'unknown';
  return walkList(l.value ?? '', new Set(seen).add(name));
}

function runTimeOnly(body: string): boolean {
  // Expansions, regexes, files, and `type;query` lookups are decided when Exim runs.
  return body.includes('$') || body.startsWith('^') || body.startsWith('/') || body.includes(';');
}

/**
 * A macro name left in a list is one that is not defined here (Debian's MAIN_LOCAL_DOMAINS
 * in a conf.d checked without update-exim4.conf's macros): what it stands for is unknown.
 * No domain name is written this way.
 */
const MACRO_WORD = /^[A-Z][A-Za-z0-9_]*$/;

/** A domain list item that matches only the domain it names (compared in lower case). */
function plainDomain(body: string): boolean {
  const c = body.charCodeAt(0);
  return c !== 43 /* + */ && c !== 64 /* @ */ && c !== 42 /* * */ && !runTimeOnly(body) && !MACRO_WORD.test(body);
}

/** The positions of a domain list's items that may match `d` (lower case), in order. */
function domainPositions(p: Parsed, d: string): number[] {
  let names = p.names;
  if (!names) {
    names = p.names = { first: new Map(), others: [] };
    p.items.forEach((it, i) => {
      if (!plainDomain(it.body)) names!.others.push(i);
      else {
        const b = it.body.toLowerCase();
        if (!names!.first.has(b)) names!.first.set(b, i);
      }
    });
  }
  const own = names.first.get(d);
  if (own === undefined) return names.others;
  const at: number[] = [];
  for (const i of names.others) { if (i > own) break; at.push(i); }
  at.push(own);
  return at;
}

/** Per check: a matcher per domain list (see domainMatcher). */
const matchers = new WeakMap<LinkContext, Map<string, (domain: string) => Tri>>();

/**
 * `matchDomain` for one list, asked of many domains: a list of plain names only (the usual
 * `domains = a.example : b.example`, or a named list of them) is answered from a set. The
 * rules ask it of every domain of a Cyrus router, thousands for a hosting provider.
 */
export function domainMatcher(ctx: LinkContext, list: string): (domain: string) => Tri {
  let known = matchers.get(ctx);
  if (!known) matchers.set(ctx, known = new Map());
  let m = known.get(list);
  if (!m) {
    const names = plainNames(ctx, list, new Set());
    m = names ? (d) => names.has(d) || (hasUpperCase(d) && names.has(d.toLowerCase())) ? 'yes' : 'no' : (d) => walkDomainList(ctx, list, d);
    known.set(list, m);
  }
  return m;
}

/**
 * Whether `s` has an ASCII capital. A domain in lower case is looked up as it is: lower-casing
 * it makes a new string whose hash is computed again at each look-up, which was most of the
 * time of a Cyrus router's thousands of domains walked through an ACL of hundreds of statements.
 */
function hasUpperCase(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

/** The names of a domain list made only of plain domain names (through named lists); undefined otherwise. */
export function plainDomainNames(ctx: LinkContext, list: string): ReadonlySet<string> | undefined {
  return plainNames(ctx, list, new Set());
}

/** The names of a list made only of plain domain names (through named lists); undefined otherwise. */
function plainNames(ctx: LinkContext, list: string, seen: Set<string>): Set<string> | undefined {
  const out = new Set<string>();
  for (const it of parsed(ctx, list).items) {
    if (it.negated) return undefined;
    if (it.body.startsWith('+')) {
      const name = it.body.slice(1);
      const l = namedList(ctx, 'domainlist', name);
      if (!l || seen.has(name) || seen.size >= MAX_NESTED_LISTS) return undefined;
      const inner = plainNames(ctx, l.value ?? '', new Set(seen).add(name));
      if (!inner) return undefined;
      for (const n of inner) out.add(n);
    } else if (plainDomain(it.body)) out.add(it.body.toLowerCase());
    else return undefined;
  }
  return out;
}

/**
 * A regex item of a local-part list tried on `lp` with JavaScript's engine, only when the
 * pattern uses nothing where PCRE and JavaScript may part (literal characters, classes,
 * anchors, `.`, `*`, `+`, `?`, top-level alternation): otherwise unknown. A pattern
 * JavaScript refuses (a possessive `*+`) is unknown too.
 */
function simpleRegexMatch(pattern: string, lp: string): Tri {
  // No escapes, expansions or counted repeats; no `(?…)` or `[:class:]`, where they part.
  if (!/^[\x20-\x7e]*$/.test(pattern) || /[\\${}]|\(\?|\[:/.test(pattern)) return 'unknown';
  // The engine backtracks: a quantified group, (.|.|.)* or (.*.*)*, takes it minutes on ten
  // characters, and many quantifiers in a row take it long too. Groups are not tried, nor
  // more quantifiers than a local-part test needs, so the try ends at once whatever is written.
  if (pattern.includes('(') || countQuantifiers(pattern) > MAX_QUANTIFIERS) return 'unknown';
  try { return new RegExp(pattern).test(lp) ? 'yes' : 'no'; } catch { return 'unknown'; }
}

const MAX_QUANTIFIERS = 4;

function countQuantifiers(pattern: string): number {
  let n = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' || c === '+' || c === '?') n++;
  }
  return n;
}

/** Whether a local-part list matches `lp` (written items and simple regexes; the rest unknown). */
export function matchLocalPart(ctx: LinkContext, list: string, lp: string): Tri {
  const walkList: WalkList = (l, seen) => walk(parsed(ctx, l).items, test, seen);
  const test = (body: string, seen: Set<string>): Tri => {
    const named = viaNamed(ctx, 'localpartlist', body, seen, walkList);
    if (named) return named;
    // A `$` is an expansion to Exim (the list is expanded first), whatever it meant.
    if (body.startsWith('^') && !body.includes('$') && !body.includes('\\')) return simpleRegexMatch(body, lp);
    if (runTimeOnly(body) || MACRO_WORD.test(body) || body.startsWith('@')) return 'unknown';
    if (body === '*') return 'yes';
    return body.toLowerCase() === lp.toLowerCase() ? 'yes' : 'no';
  };
  return walkList(list, new Set());
}

/** Whether a domain list matches `domain`. */
export function matchDomain(ctx: LinkContext, list: string, domain: string): Tri {
  return domainMatcher(ctx, list)(domain);
}

function walkDomainList(ctx: LinkContext, list: string, domain: string): Tri {
  const d = domain.toLowerCase();
  const walkList: WalkList = (l, seen) => {
    const p = parsed(ctx, l);
    return walk(p.items, test, seen, domainPositions(p, d));
  };
  const test = (body: string, seen: Set<string>): Tri => {
    const named = viaNamed(ctx, 'domainlist', body, seen, walkList);
    if (named) return named;
    if (runTimeOnly(body) || MACRO_WORD.test(body)) return 'unknown';
    const b = body.toLowerCase();
    if (b === '@') return ctx.primaryHostname === undefined ? (ctx.otherHostname ? 'no' : 'unknown') : ctx.primaryHostname === d ? 'yes' : 'no';
    if (b === '@[]') return d.startsWith('[') ? 'unknown' : 'no';
    if (b.startsWith('@')) return 'unknown';
    if (b.startsWith('*')) return d.endsWith(b.slice(1)) ? 'yes' : 'no';
    return b === d ? 'yes' : 'no';
  };
  return walkList(list, new Set());
}

/**
 * The plain domain names a domain list mentions (named lists followed, `@` as the primary
 * host name), keeping those the list really matches.
 */
export function literalDomains(ctx: LinkContext, list: string): string[] {
  const out = new Set<string>();
  const collect = (l: string, seen: Set<string>) => {
    for (const it of itemsOf(ctx, l)) {
      if (it.body.startsWith('+')) {
        const name = it.body.slice(1);
        const nl = namedList(ctx, 'domainlist', name);
        if (nl && !seen.has(name) && seen.size < MAX_NESTED_LISTS) collect(nl.value ?? '', new Set(seen).add(name));
        continue;
      }
      if (MACRO_WORD.test(it.body)) continue;
      const b = it.body.toLowerCase();
      if (b === '@') { if (ctx.primaryHostname) out.add(ctx.primaryHostname); continue; }
      if (runTimeOnly(b) || b.startsWith('@') || b.includes('*')) continue;
      out.add(b);
    }
  };
  collect(list, new Set());
  return [...out].filter((d) => matchDomain(ctx, list, d) === 'yes');
}

/** What a host name or address stands for when Exim connects, when that is certain ([]: no address at all). */
export function addressesOf(ctx: LinkContext, hostName: string): string[] | undefined {
  const h = hostName.toLowerCase();
  // Linux connects to the unspecified address as to this machine's loopback (found live: an
  // LMTP transport with hosts = 0.0.0.0 delivered to lmtpd on 127.0.0.1).
  if (h === '0.0.0.0') return ['127.0.0.1'];
  // With disable_ipv6 an IPv6 address is looked up like a name, and the lookup fails (live).
  if (isIPv6(h)) return ctx.ipv6Off ? [] : /^[0:]+$/.test(h) ? ['::1'] : [h];
  if (isIPv4(h)) return [h];
  if (h === 'localhost') return ctx.ipv6Off ? ['127.0.0.1'] : ['127.0.0.1', '::1'];
  return undefined;
}

/** Whether `host` (a name or address as written in the transport) is this machine. */
export function isLocalHost(ctx: LinkContext, hostName: string): boolean {
  return isThisMachine(hostName, ctx.primaryHostname);
}

function v4(a: string): number | undefined {
  if (!isIPv4(a)) return undefined;
  return a.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

/**
 * Whether a host list matches a connection to `hostName` with `addresses`. Only what is
 * certain: `*`, addresses, IPv4 networks and the host's own name; anything needing DNS
 * or a lookup is unknown.
 */
export function matchHost(ctx: LinkContext, list: string, hostName: string, addresses: string[] | undefined): Tri {
  const name = hostName.toLowerCase();
  const walkList: WalkList = (l, seen) => walk(itemsOf(ctx, l), test, seen);
  const test = (body: string, seen: Set<string>): Tri => {
    const named = viaNamed(ctx, 'hostlist', body, seen, walkList);
    if (named) return named;
    if (runTimeOnly(body)) return 'unknown';
    const b = body.toLowerCase();
    if (b === '*') return 'yes';
    if (b === name) return 'yes';
    const slash = b.indexOf('/');
    if (slash > 0 && v4(b.slice(0, slash)) !== undefined && addresses) {
      const bits = Number(b.slice(slash + 1));
      if (!(bits >= 0 && bits <= 32)) return 'unknown';
      const net = v4(b.slice(0, slash))!, mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      return addresses.some((a) => { const n = v4(a); return n !== undefined && ((n & mask) >>> 0) === ((net & mask) >>> 0); }) ? 'yes' : 'no';
    }
    if ((isIPv4(b) || isIPv6(b)) && addresses) return addresses.includes(b) ? 'yes' : 'no';
    return 'unknown';
  };
  return walkList(list, new Set());
}

/** The hosts a host list (an option such as hosts_require_auth) matches for certain. */
export function hostsMatchedBy<H extends { name: string }>(ctx: LinkContext, list: string, hosts: readonly H[]): H[] {
  return hosts.filter((h) => matchHost(ctx, list, h.name, addressesOf(ctx, h.name)) === 'yes');
}
