// Splits an Exim list the way string_nextinlist does: `:` unless the list starts with
// `<X` (X punctuation), a doubled separator stands for one literal separator, items are
// trimmed. Separators inside `${...}` are not split on: Exim expands most lists before it
// splits them, so a static view must keep an expansion whole. A few lists are split first
// and each item expanded on its own (`headers_remove`, `headers_add`, `headers_rewrite`):
// those are split `literal`ly, braces or not, as Exim does.

export interface RawListItem {
  /** Item text with doubled separators undone. */
  text: string;
  /** [start, end) of the item as written in the list string. */
  start: number;
  end: number;
  negated: boolean;
  /** Offset of the text after `!` and white space. */
  bodyStart: number;
}

export interface SplitList { separator: string; items: RawListItem[] }

function isSpace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }
function isCntrl(c: number): boolean { return c < 32 || c === 127; }
function isPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

export interface SplitOptions {
  /** Split at every separator, inside `${...}` too. */
  literal?: boolean;
  /** A fixed separator: a leading `<X` is then not a change of separator. */
  sep?: string;
}

const NO_OPTIONS: SplitOptions = {};
export function splitList(s: string, o: SplitOptions = NO_OPTIONS): SplitList {
  const c = CURSOR.reset(s, o);
  const items: RawListItem[] = [];
  while (c.next()) items.push({ text: c.text, start: c.start, end: c.end, negated: c.negated, bodyStart: c.bodyStart });
  return { separator: c.separator, items };
}

/**
 * splitList one item at a time, with no object per item: `reset` starts a list, each
 * `next()` moves to its next item and the fields describe it (the parser makes its own
 * entries from them, with one cursor for all its lists).
 */
export class ListCursor {
  /** The separator in force. */
  separator = ':';
  /** The current item: as RawListItem's fields. */
  text = '';
  start = 0;
  end = 0;
  negated = false;
  bodyStart = 0;
  private s = '';
  private i = 0;
  /** Where the next `${` at or after i is (NONE: none). */
  private expansion = -1;
  private sc = 58;
  private doubles = true;
  private braces = true;

  /** Starts reading the list `s`. */
  reset(s: string, o: SplitOptions = NO_OPTIONS): this {
    this.s = s;
    this.expansion = -1;
    let i = 0;
    let sep = o.sep ?? ':';
    const fixedSc = sep.charCodeAt(0);
    while (i < s.length && isSpace(s.charCodeAt(i)) && s.charCodeAt(i) !== fixedSc) i++;
    if (o.sep === undefined && s[i] === '<' && (isPunct(s.charCodeAt(i + 1)) || isCntrl(s.charCodeAt(i + 1)))) {
      sep = s[i + 1];
      i += 2;
    }
    this.separator = sep;
    this.i = i;
    this.sc = sep.charCodeAt(0);
    // A control character as separator (`\n` in headers_add) is never doubled.
    this.doubles = !isCntrl(this.sc);
    this.braces = !o.literal;
    return this;
  }

  /** Moves to the next item; false at the end of the list. */
  next(): boolean {
    const s = this.s, sc = this.sc;
    let i = this.i;
    while (i < s.length && isSpace(s.charCodeAt(i)) && s.charCodeAt(i) !== sc) i++;
    if (i >= s.length) {
      // Done: a shared cursor must not keep the list (and the file text it is cut from) alive.
      this.i = i;
      this.s = this.text = '';
      return false;
    }
    const start = i;
    // Pieces around doubled separators; most items have none and are one slice.
    let parts: string[] | undefined;
    let from = i;
    // From separator to separator, found natively; an expansion on the way is skipped whole.
    for (;;) {
      let j = s.indexOf(this.separator, i);
      if (j < 0) j = s.length;
      if (this.braces) {
        if (this.expansion < i) this.expansion = orNone(s.indexOf('${', i));
        if (this.expansion <= j) { i = skipExpansion(s, this.expansion); continue; }
      }
      if (j < s.length && this.doubles && s.charCodeAt(j + 1) === sc) {
        (parts ??= []).push(s.slice(from, j + 1));
        i = from = j + 2;
        continue;
      }
      i = j;
      break;
    }
    const stop = Math.min(i, s.length);
    let end = stop;
    while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
    let text: string;
    if (parts) {
      parts.push(s.slice(from, stop));
      text = parts.join('');
      text = text.slice(0, text.length - (stop - end));
    } else text = s.slice(start, end);
    let bodyStart = start;
    let negated = false;
    if (text.charCodeAt(0) === 33 /* ! */) {
      negated = true;
      bodyStart++;
      while (bodyStart < end && isSpace(s.charCodeAt(bodyStart))) bodyStart++;
    }
    this.text = text; this.start = start; this.end = end; this.negated = negated; this.bodyStart = bodyStart;
    this.i = i + 1; // past the separator
    return true;
  }
}

/**
 * An index searched for, NONE when not found: a "none" above every index, kept a small
 * integer (-1 >>> 0 is not one: the field holding it became a boxed double, and code
 * comparing it was deoptimised).
 */
const NONE = 0x3fffffff;
export function orNone(at: number): number { return at < 0 ? NONE : at; }

/** Past the end of the expansion whose `${` is at `at`: `\` escapes, nested braces count. */
function skipExpansion(s: string, at: number): number {
  let depth = 1;
  let i = at + 2;
  while (i < s.length) {
    const ch = s.charCodeAt(i);
    if (ch === 92 /* \ */) { i += 2; continue; }
    if (ch === 36 /* $ */ && s.charCodeAt(i + 1) === 123 /* { */) { depth++; i += 2; continue; }
    i++;
    if (ch === 123) depth++;
    else if (ch === 125 && --depth === 0) return i;
  }
  return s.length;
}

/** splitList's cursor: it reads one list to the end before it returns. */
const CURSOR = new ListCursor();
