// Exim list values as rules need them: items with their `+name` references, and where in
// the file each item was written.
import type { AclItem, EximConfig, ListKind, Loc, OptionSetting } from '../../exim/model';
import { eximDriver, optionsOfScope } from '../../catalog/exim';
import { ownEntry } from '../../own';

export interface ValueItem { text: string; negated: boolean; ref?: string; offset: number }

/** `+name`, the name of [A-Za-z0-9_]: a reference to a named list. */
function isRef(text: string): boolean {
  if (text.length < 2 || text.charCodeAt(0) !== 43 /* + */) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  }
  return true;
}

/** The words of a manualroute rule ("domains hosts options", route_data's "hosts options"); a double-quoted word stays whole. */
export function ruleWords(rule: string): string[] {
  return rule.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

/**
 * The domain patterns of a manualroute router's route_list: each rule (separated by `;`,
 * or what `<X` at the start names) starts with one, which Exim matches as a single
 * domain-list item, so `+name` there names a domain list (Exim 4.96 routes by it).
 */
export function routeListPatterns(value: string): ValueItem[] {
  let sep = ';', i = 0;
  const lead = value.includes('<') ? /^\s*<\s*([^\sA-Za-z0-9])\s*/.exec(value) : null;
  if (lead) { sep = lead[1]; i = lead[0].length; }
  const out: ValueItem[] = [];
  while (i <= value.length) {
    let end = value.indexOf(sep, i);
    if (end < 0) end = value.length;
    const m = /^\s*(?:(!)\s*)?([^\s"]+)/.exec(value.slice(i, end));
    if (m) {
      const text = m[2];
      out.push({ text, negated: m[1] === '!', offset: i + m[0].length - text.length, ...(isRef(text) ? { ref: text.slice(1) } : {}) });
    }
    i = end + 1;
  }
  return out;
}

/**
 * Splits an Exim list: `<X` at the start changes the separator (default `:`), a doubled
 * separator stands for itself, items are trimmed, `!` negates.
 */
export function splitList(value: string): ValueItem[] {
  let sep = ':';
  let i = 0;
  const lead = value.includes('<') ? /^\s*<\s*([^\sA-Za-z0-9])\s*/.exec(value) : null;
  if (lead) { sep = lead[1]; i = lead[0].length; }
  const out: ValueItem[] = [];
  let cur = '', start = i;
  const push = () => {
    const lt = cur.length - cur.trimStart().length;
    let text = cur.trim();
    let offset = start + lt;
    let negated = false;
    while (text.startsWith('!')) { negated = !negated; text = text.slice(1).trimStart(); offset = value.indexOf(text, offset); }
    if (text) {
      const item: ValueItem = { text, negated, offset };
      if (isRef(text)) item.ref = text.slice(1);
      out.push(item);
    }
  };
  // Whole stretches between separators at a time; a doubled separator stands for one.
  for (;;) {
    const j = value.indexOf(sep, i);
    if (j < 0) { cur += value.slice(i); break; }
    if (value[j + 1] === sep) { cur += value.slice(i, j + 1); i = j + 2; continue; }
    cur += value.slice(i, j);
    push();
    cur = ''; start = i = j + 1;
  }
  push();
  return out;
}

/** Characters that continue a name, domain or list item: `+local_domain` is not in `+local_domains`. */
function continuesWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}

/** The `nth` place of `needle` in `src`; with `whole`, only where it is not part of a longer word. */
function nthIndex(src: string, needle: string, nth: number, whole: boolean): number {
  const guardStart = whole && continuesWord(needle.charCodeAt(0));
  const guardEnd = whole && continuesWord(needle.charCodeAt(needle.length - 1));
  let k = 0;
  for (let at = src.indexOf(needle); at >= 0; at = src.indexOf(needle, at + needle.length)) {
    if (guardStart && at > 0 && continuesWord(src.charCodeAt(at - 1))) continue;
    if (guardEnd && continuesWord(src.charCodeAt(at + needle.length))) continue;
    if (k++ === nth) return at;
  }
  return -1;
}

/** How many times `needle` stands in `src`, counted as locOfText counts them. */
export function occurrencesOf(src: string, needle: string): number {
  let n = 0;
  while (nthIndex(src, needle, n, true) >= 0) n++;
  return n;
}

/**
 * The place of the `nth` occurrence of `needle` (as a whole word where it is one) inside the
 * value written at `loc`, or the whole value when it cannot be found.
 */
export function locOfText(cfg: EximConfig, loc: Loc, needle: string, nth = 0): Loc {
  const f = cfg.files.get(loc.file);
  if (!f) return loc;
  const a = f.lines.offsetAt(loc.range.start), b = f.lines.offsetAt(loc.range.end);
  const src = f.text.slice(a, b);
  let at = nthIndex(src, needle, nth, true);
  if (at < 0) at = nthIndex(src, needle, nth, false);
  if (at < 0) return loc;
  return { file: loc.file, range: { start: f.lines.positionAt(a + at), end: f.lines.positionAt(a + at + needle.length) } };
}

/** Whether `loc` spans exactly `text` as written (no macro, no continuation in between): only then may a fix replace it. */
export function spansText(cfg: EximConfig, loc: Loc, text: string): boolean {
  const f = cfg.files.get(loc.file);
  if (!f || loc.range.start.line !== loc.range.end.line) return false;
  return f.text.slice(f.lines.offsetAt(loc.range.start), f.lines.offsetAt(loc.range.end)) === text;
}

/**
 * `+name` in a line's text, after a list separator or the start, or after `@`: in an address
 * list (and a rewrite rule's pattern) `local@+name` matches the domain against domain list
 * `name`. For text the model holds no list of: lines of branches Exim skips. Not after `<`:
 * a list that starts `<+` makes `+` its separator (route_list = * <+192.0.2.1+192.0.2.2).
 */
export const LIST_REF = /(^|[\s:;!>,=@])\+([A-Za-z0-9_][\w-]*)/g;

/** What kind of list ACL conditions match against. */
const ACL_LIST_KIND: Record<string, ListKind> = {
  domains: 'domainlist', sender_domains: 'domainlist', hosts: 'hostlist',
  senders: 'addresslist', recipients: 'addresslist', local_parts: 'localpartlist',
};

/** The kind of list an ACL condition of this name matches against, if it is one of those. */
export function aclListKind(name: string): ListKind | undefined {
  return ownEntry(ACL_LIST_KIND, name);
}

/**
 * Each list-valued setting (main, routers, transports, authenticators) and ACL list condition
 * whose value contains `needle` (or matches it), with the kind of list Exim matches it as. Named lists are
 * the caller's: their items are in the model already.
 */
export function forEachListValue(cfg: EximConfig, needle: string | RegExp, f: (kind: ListKind, h: OptionSetting | AclItem) => void, kinds?: ReadonlySet<ListKind>): void {
  const has = (v: string | undefined) => v !== undefined && (typeof needle === 'string' ? v.includes(needle) : needle.test(v));
  // The kind first: looking it up is cheaper than testing the value.
  const wanted = (kind: ListKind | undefined): kind is ListKind => kind !== undefined && (!kinds || kinds.has(kind));
  const settings = (list: readonly OptionSetting[], scope: string) => {
    for (const s of list) {
      if (s.negated) continue;
      const kind = optionsOfScope(scope)?.get(s.name)?.listKind;
      if (wanted(kind) && has(s.value)) f(kind, s);
    }
  };
  settings(cfg.main, 'main');
  for (const group of [cfg.routers, cfg.transports, cfg.authenticators]) {
    for (const inst of group) settings(inst.options, inst.driver && eximDriver(inst.driver) ? inst.driver : inst.section);
  }
  for (const acl of cfg.acls) for (const st of acl.statements) for (const it of st.items) {
    const kind = aclListKind(it.name);
    if (wanted(kind) && has(it.value)) f(kind, it);
  }
}

/** Where a list item is, and whether a fix may replace it as written (spansText). */
export interface ItemPlace { loc: Loc; exact: boolean }

/**
 * Each item of every named list, and of every list-valued setting or ACL list condition, whose
 * value contains `needle` (or matches it): its kind and text, its place (worked out only when
 * asked: most items need none), and whether its list sets its own separator (`<;`). With
 * `kinds`, lists of other kinds are not split at all.
 */
export function forEachListItem(cfg: EximConfig, needle: string | RegExp, f: (kind: ListKind, text: string, place: () => ItemPlace, ownSeparator: boolean) => void, kinds?: ReadonlySet<ListKind>): void {
  const has = (v: string) => typeof needle === 'string' ? v.includes(needle) : needle.test(v);
  for (const l of cfg.lists) {
    if ((kinds && !kinds.has(l.kind)) || !has(l.value)) continue;
    for (const it of l.items) f(l.kind, it.text, () => ({ loc: it.loc, exact: spansText(cfg, it.loc, it.text) }), l.separator !== ':');
  }
  forEachListValue(cfg, needle, (kind, h) => {
    const at = h.valueLoc;
    if (!at || h.value === undefined) return;
    const own = /^\s*</.test(h.value);
    const items = splitList(h.value);
    items.forEach((it, k) => {
      f(kind, it.text, () => {
        // Which occurrence of its text in the value it is: an earlier item may hold it.
        let nth = 0;
        for (let j = 0; j < k; j++) nth += occurrencesOf(items[j].text, it.text);
        const loc = locOfText(cfg, at, it.text, nth);
        return { loc, exact: spansText(cfg, loc, it.text) };
      }, own);
    });
  }, kinds);
}

/** Host-list items that look like references but are Exim's own switches. */
export const HOSTLIST_SWITCHES = new Set(['include_unknown', 'ignore_unknown', 'include_defer', 'ignore_defer']);

export const KIND_WORD: Record<ListKind, string> = {
  domainlist: 'domain list', hostlist: 'host list', addresslist: 'address list', localpartlist: 'local part list',
};
