// link/ipv6-colon-list: in a list separated by `:`, an IPv6 address falls apart (`::1` is a
// doubled separator, i.e. a literal colon, then `1`). Needs no Cyrus file.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig, Loc, OptionSetting } from '../../exim/model';
import { lookupOption } from '../../catalog/exim';
import type { Range } from '../../text';
import { isIPv6 } from '../../lmtp/target';
import { fix, replaceAt } from './edits';

/** Options that hold host lists or lists of IP addresses, beyond those the catalog types as host lists. */
const HOSTISH = new Set(['hosts', 'fallback_hosts', 'local_interfaces', 'extra_local_interfaces', 'interface']);

/** JavaScript's \s: a word of a list ends at any of these. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279;
}

/** The end of the word starting at `from` (the next white space or the end of `s`). */
function wordEnd(s: string, from: number): number {
  let j = from;
  while (j < s.length && !isSpace(s.charCodeAt(j))) j++;
  return j;
}

/** The next word's start at or after `from`, or s.length. */
function wordStart(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Whether the word s[from, to) is an address once its `!`s, `/bits` and brackets are taken off. */
function isBareIPv6(s: string, from: number, to: number): boolean {
  while (from < to && s.charCodeAt(from) === 33) from++;
  let d = to;
  while (d > from && s.charCodeAt(d - 1) >= 48 && s.charCodeAt(d - 1) <= 57) d--;
  if (d < to && d > from && s.charCodeAt(d - 1) === 47) to = d - 1;
  if (to - from >= 2 && s.charCodeAt(from) === 91 && s.charCodeAt(to - 1) === 93) { from++; to--; }
  return isIPv6(s.slice(from, to));
}

/** At least two colons: every IPv6 address has them, and most list words do not (a cheap test first). */
function twoColons(s: string): boolean {
  const i = s.indexOf(':');
  return i >= 0 && s.indexOf(':', i + 1) >= 0;
}

/** Whether a value may hold an IPv6 address at all (every host list drawn from it is a part of it). */
function mayHold(value: string | undefined): value is string {
  return value !== undefined && twoColons(value);
}

/** Whether the list starts with `<` and a separator of its own (white space allowed around `<`). */
function ownSeparator(value: string): boolean {
  const i = wordStart(value, 0);
  if (value.charCodeAt(i) !== 60) return false;
  const j = wordStart(value, i + 1);
  if (j >= value.length) return false;
  const c = value.charCodeAt(j);
  return !((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90));
}

/** The words of a colon list that are IPv6 addresses (cut apart by its colons). */
export function offending(value: string): string[] {
  const bad: string[] = [];
  if (!twoColons(value) || ownSeparator(value)) return bad;
  const n = value.length;
  for (let i = wordStart(value, 0); i < n; i = wordStart(value, i)) {
    // Only a word with two colons and no expansion is looked at further.
    let e = i, colons = 0, dollar = false;
    for (; e < n; e++) {
      const c = value.charCodeAt(e);
      if (c === 58) colons++;
      else if (c === 36) dollar = true;
      else if (isSpace(c)) break;
    }
    if (colons >= 2 && !dollar && isBareIPv6(value, i, e)) bad.push(value.slice(i, e));
    i = e;
  }
  return bad;
}

/** `item` appended to `list`, the items separated by `sep`. */
function join(list: string, item: string, sep: string): string {
  return list ? list + sep + item : item;
}

/**
 * The list rewritten with `;` as separator: IPv6 words stay whole, other words split at
 * their colons. Undefined when that cannot be done safely.
 */
export function rewriteWithSemicolons(value: string): string | undefined {
  if (value.includes('$') || value.includes(';')) return undefined;
  // The items done so far, joined, and the item being built (words joined by a space).
  let done = '', cur = '';
  const n = value.length;
  for (let i = wordStart(value, 0); i < n; i = wordStart(value, i)) {
    const e = wordEnd(value, i);
    if (isBareIPv6(value, i, e)) {
      cur = join(cur, value.slice(i, e), ' ');
    } else {
      // Each colon ends the item being built; a doubled one cannot be rewritten.
      let p = i;
      for (let k = i; k <= e; k++) {
        if (k < e && value.charCodeAt(k) !== 58) continue;
        if (k > p) cur = join(cur, value.slice(p, k), ' ');
        else if (k < e && k > i) return undefined;
        if (k < e && cur) { done = join(done, cur, ' ; '); cur = ''; }
        p = k + 1;
      }
    }
    i = e;
  }
  if (cur) done = join(done, cur, ' ; ');
  return done ? `<; ${done}` : undefined;
}

/**
 * Whether `value` stands in the file exactly as written, on one line: only then can an edit
 * of the value's text be placed (a macro or a continuation changes what is written).
 */
function writtenAsIs(cfg: EximConfig, file: string, r: Range, value: string): boolean {
  const written = cfg.files?.get(file);
  return !!written && r.start.line === r.end.line
    && written.lines.lineText(r.start.line).slice(r.start.character, r.end.character) === value;
}

function check(cfg: EximConfig, value: string | undefined, loc: Loc | undefined, what: string, out: Finding[], outcome = 'never matches'): void {
  if (!value || !loc) return;
  const bad = offending(value);
  if (!bad.length) return;
  // A SpanLoc builds its Range on each read: read it once.
  const r = loc.range;
  const rewritten = writtenAsIs(cfg, loc.file, r, value) ? rewriteWithSemicolons(value) : undefined;
  out.push(finding('link/ipv6-colon-list', loc.file, r,
    `${what} is separated by ":", so the IPv6 address ${bad.join(', ')} is cut apart at its colons (a doubled colon even stands for a literal ":") and ${outcome}. Start the list with "<;" and separate it with ";" instead.`,
    rewritten ? { fixes: [fix('Separate the list with ";"', [replaceAt(loc, rewritten)], true)] } : {}));
}

/** One rule's host list within a manualroute route_list or route_data value. */
interface RouteHosts { text: string; start: number; end: number; quoted: boolean }

/** Reads one word as Exim's string_dequote does: a quoted string (backslash escapes) or up to white space. */
function dequote(s: string, from: number): { text: string; end: number; quoted: boolean } {
  if (s[from] !== '"') {
    let e = from;
    while (e < s.length && !/\s/.test(s[e])) e++;
    return { text: s.slice(from, e), end: e, quoted: false };
  }
  let text = '', e = from + 1;
  for (; e < s.length && s[e] !== '"'; e++) {
    if (s[e] === '\\' && e + 1 < s.length) e++;
    text += s[e];
  }
  return { text, end: Math.min(e + 1, s.length), quoted: true };
}

/**
 * The host lists of manualroute's route_list (rules separated by ";", or by the character
 * after a leading "<"; a doubled separator stands for itself), each rule being a domain
 * pattern, a host list, options. route_data is one rule without the pattern. Offsets are
 * into `value`; rules holding a doubled separator are skipped (their offsets would shift).
 */
export function routeHostLists(value: string, withPattern: boolean): RouteHosts[] {
  const out: RouteHosts[] = [];
  let sep = ';', p = 0;
  if (withPattern) {
    const m = /^(\s*)<([^\sA-Za-z0-9])/.exec(value);
    if (m) { sep = m[2]; p = m[0].length; }
  }
  const rules: [number, number][] = [];
  if (!withPattern) rules.push([0, value.length]);
  else {
    let start = p;
    for (let i = p; i <= value.length; i++) {
      if (i < value.length && value[i] !== sep) continue;
      if (i < value.length && value[i + 1] === sep) { start = -1; i++; continue; }
      if (start >= 0) rules.push([start, i]);
      start = i + 1;
    }
  }
  for (const [a, b] of rules) {
    const rule = value.slice(0, b);
    let q = a;
    while (q < b && /\s/.test(rule[q])) q++;
    if (withPattern) {
      if (q >= b) continue;
      q = dequote(rule, q).end;
      while (q < b && /\s/.test(rule[q])) q++;
    }
    if (q >= b) continue;
    const h = dequote(rule, q);
    if (h.text) out.push({ text: h.text, start: q, end: h.end, quoted: h.quoted });
  }
  return out;
}

/** `raw` with the colons of each whole word in `words` doubled (a word ends at white space or a quote). */
function doubleColons(raw: string, words: string[]): string {
  return raw.split(/([\s"]+)/).map((w) => words.includes(w) ? w.replaceAll(':', '::') : w).join('');
}

/** route_list and route_data: each rule's host list is a colon list of its own. */
function checkRoute(cfg: EximConfig, d: DriverInstance, o: OptionSetting, out: Finding[]): void {
  if (!o.value || (o.name === 'route_data' && o.value.includes('$'))) return;
  const loc = o.valueLoc;
  if (!loc) return;
  const r = loc.range;
  const sameText = writtenAsIs(cfg, loc.file, r, o.value);
  for (const h of routeHostLists(o.value, o.name === 'route_list')) {
    if (h.text.includes('$')) continue;
    const bad = offending(h.text);
    if (!bad.length) continue;
    const at: Loc = sameText
      ? { file: loc.file, range: { start: { line: r.start.line, character: r.start.character + h.start }, end: { line: r.start.line, character: r.start.character + h.end } } }
      : loc;
    const raw = o.value.slice(h.start, h.end);
    const doubled = doubleColons(raw, bad);
    out.push(finding('link/ipv6-colon-list', at.file, at.range,
      `The host list ${h.text} in ${o.name} of router ${d.name} is separated by ":", so the IPv6 address ${bad.join(', ')} is cut apart at its colons and never used. Double each of its colons (${bad.map((b) => b.replaceAll(':', '::')).join(', ')}); a "<;" list would need quoting${o.name === 'route_list' ? ' and a route_list separator other than ";"' : ''}.`,
      sameText && doubled !== raw ? { fixes: [fix('Double the colons of the IPv6 address', [replaceAt(at, doubled)], true)] } : {}));
  }
}

/**
 * Only a value with two colons can hold an IPv6 address: it is tested before anything else
 * (most settings have none), so the option's list kind is looked up and its Loc placed for
 * the few that might.
 */
export function checkIpv6Lists(cfg: EximConfig): Finding[] {
  const out: Finding[] = [];
  // One function per kind of holder: each is small to optimise.
  namedAndMain(cfg, out);
  driverOptions(cfg, out);
  aclHosts(cfg, out);
  return out;
}

function namedAndMain(cfg: EximConfig, out: Finding[]): void {
  for (const l of cfg.lists ?? []) if (l.kind === 'hostlist' && mayHold(l.value)) check(cfg, l.value, l.valueLoc, `hostlist ${l.name}`, out);
  for (const s of cfg.main ?? []) {
    if (s.negated || !mayHold(s.value)) continue;
    if (HOSTISH.has(s.name) || lookupOption('main', s.name)?.listKind === 'hostlist') check(cfg, s.value, s.valueLoc, s.name, out);
  }
}

function driverOptions(cfg: EximConfig, out: Finding[]): void {
  for (const ds of [cfg.routers, cfg.transports]) for (const d of ds ?? []) {
    if (d.section === 'routers' && d.driver !== undefined && d.driver.trim() === 'manualroute') routeOptions(cfg, d, out);
    // Only a value with two colons is looked at further (in a function of its own: few are).
    for (const o of d.options ?? []) if (!o.negated && mayHold(o.value) && !isRouteOption(o.name)) driverOption(cfg, d, o, out);
  }
}

function isRouteOption(name: string): boolean {
  return name === 'route_list' || name === 'route_data';
}

function routeOptions(cfg: EximConfig, d: DriverInstance, out: Finding[]): void {
  for (const o of d.options ?? []) if (!o.negated && isRouteOption(o.name) && mayHold(o.value)) checkRoute(cfg, d, o, out);
}

function driverOption(cfg: EximConfig, d: DriverInstance, o: OptionSetting, out: Finding[]): void {
  const driver = (d.driver ?? '').trim();
  const kind = (driver && lookupOption(driver, o.name)?.listKind) || lookupOption(d.section, o.name)?.listKind;
  // An smtp transport binds to its interface before it connects: what is left of the address is none.
  const outcome = o.name === 'interface' ? 'is no address: Exim defers every delivery through the transport ("... is not a valid IP address for the "interface" option")' : undefined;
  if (HOSTISH.has(o.name) || kind === 'hostlist') check(cfg, o.value, o.valueLoc, `${o.name} of ${d.name}`, out, outcome);
}

function aclHosts(cfg: EximConfig, out: Finding[]): void {
  for (const a of cfg.acls ?? []) {
    for (const s of a.statements) for (const i of s.items) {
      if (i.name === 'hosts' && mayHold(i.value)) check(cfg, i.value, i.valueLoc, `The hosts condition`, out);
    }
  }
}
