// Exim list values as rules need them: items with their `+name` references, and where in
// the file each item was written.
import type { EximConfig, ListKind, Loc } from '../../exim/model';

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

/** The place of `needle` inside the value written at `loc`, or the whole value when it cannot be found. */
export function locOfText(cfg: EximConfig, loc: Loc, needle: string, nth = 0): Loc {
  const f = cfg.files.get(loc.file);
  if (!f) return loc;
  const a = f.lines.offsetAt(loc.range.start), b = f.lines.offsetAt(loc.range.end);
  const src = f.text.slice(a, b);
  let at = -1;
  for (let k = 0, from = 0; k <= nth; k++) {
    at = src.indexOf(needle, from);
    if (at < 0) break;
    from = at + needle.length;
  }
  if (at < 0) return loc;
  return { file: loc.file, range: { start: f.lines.positionAt(a + at), end: f.lines.positionAt(a + at + needle.length) } };
}

/** What kind of list ACL conditions match against. */
export const ACL_LIST_KIND: Record<string, ListKind> = {
  domains: 'domainlist', sender_domains: 'domainlist', hosts: 'hostlist',
  senders: 'addresslist', recipients: 'addresslist', local_parts: 'localpartlist',
};

/** Host-list items that look like references but are Exim's own switches. */
export const HOSTLIST_SWITCHES = new Set(['include_unknown', 'ignore_unknown', 'include_defer', 'ignore_defer']);

export const KIND_WORD: Record<ListKind, string> = {
  domainlist: 'domain list', hostlist: 'host list', addresslist: 'address list', localpartlist: 'local part list',
};
