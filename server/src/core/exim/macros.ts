// Exim's macro table and its substitution, which is textual and per physical line: each
// defined macro, in definition order, replaces every occurrence of its name anywhere in
// the line (a plain substring match, not a word match). A macro's replacement is not
// rescanned for that same macro but is seen by the macros defined after it.
import type { Macro } from './model';
import { BUILTIN_MACROS } from './builtin-macros';

/** Longest name Exim accepts (its name buffer is 64 bytes with the terminator). */
export const MACRO_NAME_MAX = 63;

export function isUpper(c: number): boolean { return c >= 65 && c <= 90; }
// These two are called per character while a line is read, mostly before any of it is
// optimised: written out rather than as calls of smaller tests, they are one call each,
// not three or five.
// isAlpha tests upper case first: a lower-case letter (most names) then meets every comparison.
export function isAlpha(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); }
export function isNameChar(c: number): boolean { return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; }
/**
 * The character code at `i`, -1 past the end: charCodeAt's NaN there throws away the
 * optimised code of the function that reads it (it expects an int), and tests false alike.
 */
export function codeAt(t: string, i: number): number { return i < t.length ? t.charCodeAt(i) : -1; }
/** C's isspace in the C locale. */
export function isSpace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }

/**
 * Where the run of name characters (letters, digits, `_`) or of white space from `i` ends.
 * One call per run, not per character: the parser reads every name and gap this way,
 * mostly before any of it is optimised, and the shared loop has seen every kind of run.
 */
export function skipName(t: string, i: number): number {
  const n = t.length;
  while (i < n) {
    const c = t.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) i++;
    else break;
  }
  return i;
}
export function skipSpace(t: string, i: number): number {
  const n = t.length;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) i++;
    else break;
  }
  return i;
}

// The searches below are native: a JavaScript loop over the characters ran per character
// in unoptimised code, or, long enough to be optimised while running (on-stack
// replacement), was deoptimised again each time it was entered (its exit had never run).
/** An upper-case letter, or `_` before one: where a macro name could start. */
const MACRO_START = /_?[A-Z]/g;
/** `_` before an upper-case letter: where a built-in's name could start. */
const BUILTIN_START = /_[A-Z]/g;

/** The first place at or after `from` where a macro name could start; -1 for none. */
export function firstMacroStart(text: string, from: number): number {
  MACRO_START.lastIndex = from;
  if (!MACRO_START.test(text)) return -1;
  // The match is `X` or `_X` and ends at lastIndex; it starts at the `_` if there is one
  // (a match is the leftmost, so an `_X` in reach was taken whole).
  const end = MACRO_START.lastIndex;
  return end - 2 >= from && text.charCodeAt(end - 2) === 95 ? end - 2 : end - 1;
}

/** The first `_` before an upper-case letter at or after `from`; -1 for none. */
function firstBuiltinStart(text: string, from: number): number {
  BUILTIN_START.lastIndex = from;
  return BUILTIN_START.test(text) ? BUILTIN_START.lastIndex - 2 : -1;
}

/**
 * The built-in macros, made once per process: every parse starts from copies of this list
 * and map (a pointer copy, not 800 fresh objects), and a built-in is copied before it is
 * changed, so one parse never sees another's redefinition.
 */
const BUILTIN_LIST: readonly Macro[] = BUILTIN_MACROS.map(([name, value]) => ({ name, value, origin: 'builtin', redefinable: false }));
const BUILTIN_ENTRIES: readonly [string, Macro][] = BUILTIN_LIST.map((m) => [m.name, m]);
const BUILTIN_MAP: ReadonlyMap<string, Macro> = new Map(BUILTIN_ENTRIES);
/** Each built-in's place in the list, for the "which built-ins occur here" search. */
const BUILTIN_INDEX: ReadonlyMap<string, number> = new Map(BUILTIN_LIST.map((m, i) => [m.name, i]));
/** A rolling hash of a name, one character at a time (see builtinIndicesIn). */
function hashStep(h: number, c: number): number { return (Math.imul(h, 31) + c) | 0; }
function nameHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = hashStep(h, name.charCodeAt(i));
  return h;
}
/** The built-ins' name hashes: a prefix of a run whose hash is not here names no built-in. */
const BUILTIN_HASHES: ReadonlySet<number> = new Set(BUILTIN_LIST.map((m) => nameHash(m.name)));
/**
 * Built-in names are `_`, an upper-case letter, then upper-case letters, digits and `_`;
 * their values never hold `_` before an upper-case letter, so no value forms a built-in's name.
 */
const BUILTIN_VALUES_INERT = BUILTIN_LIST.every((m) => /^_[A-Z][A-Z0-9_]*$/.test(m.name) && !/_[A-Z]/.test(m.value));

function isBuiltinNameChar(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; }

/**
 * Name to macro: the shared built-ins under this parse's own definitions. Reads like a Map
 * (built-ins first, in list order), but starting a parse copies nothing.
 */
export class MacroMap implements ReadonlyMap<string, Macro> {
  private readonly own = new Map<string, Macro>();
  /** Every entry in order, rebuilt after a change: rules iterate the whole map per check. */
  private all?: [string, Macro][];
  constructor(private readonly base: ReadonlyMap<string, Macro>, private readonly baseEntries: readonly [string, Macro][]) {}
  private snapshot(): [string, Macro][] {
    if (this.all) return this.all;
    let overrides = false;
    for (const k of this.own.keys()) if (this.base.has(k)) { overrides = true; break; }
    const out = overrides ? this.baseEntries.map(([k, v]): [string, Macro] => [k, this.own.get(k) ?? v]) : this.baseEntries.slice();
    for (const e of this.own) if (!this.base.has(e[0])) out.push(e);
    return (this.all = out);
  }
  get size(): number { return this.snapshot().length; }
  get(name: string): Macro | undefined { return this.own.get(name) ?? this.base.get(name); }
  has(name: string): boolean { return this.own.has(name) || this.base.has(name); }
  set(name: string, m: Macro): void { this.own.set(name, m); this.all = undefined; }
  entries(): IterableIterator<[string, Macro]> { return this.snapshot().values(); }
  keys(): IterableIterator<string> { return this.snapshot().map((e) => e[0]).values(); }
  values(): IterableIterator<Macro> { return this.snapshot().map((e) => e[1]).values(); }
  /** This parse's own definitions (`-D` and the config's, and redefined built-ins), in order of first definition. */
  ownValues(): IterableIterator<Macro> { return this.own.values(); }
  [Symbol.iterator](): IterableIterator<[string, Macro]> { return this.entries(); }
  forEach(f: (value: Macro, key: string, map: ReadonlyMap<string, Macro>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.snapshot()) f.call(thisArg, v, k, this);
  }
}

const NO_MACROS: ReadonlyMap<string, Macro> = new Map();
const NO_BUILTINS: number[] = [];

/**
 * The macros in force, in Exim's list order: built-ins, then `-D`, then the config's own.
 * The built-ins are the shared list until one of them is redefined: copying its ~800
 * entries for every config was most of what a small config's parse allocated.
 */
export class MacroTable {
  /** The built-ins, in order: the shared list, or this table's own copy once one is redefined. */
  private builtinList: readonly Macro[];
  /** `-D` macros, then the config's own, in order of definition. */
  readonly user: Macro[];
  readonly byName: MacroMap;
  /** The built-ins are the untouched shared ones (no redefinition yet): the fast test below holds. */
  private pristineBuiltins: boolean;

  constructor(defines: Record<string, string>, builtins = true, debian: Record<string, string> = {}) {
    this.builtinList = builtins ? BUILTIN_LIST : [];
    this.user = [];
    this.byName = builtins ? new MacroMap(BUILTIN_MAP, BUILTIN_ENTRIES) : new MacroMap(NO_MACROS, []);
    this.pristineBuiltins = builtins && BUILTIN_VALUES_INERT;
    for (const [name, value] of Object.entries(defines)) this.add({ name, value, origin: 'define', redefinable: false });
    for (const [name, value] of Object.entries(debian)) if (!(name in defines)) this.add({ name, value, origin: 'debian', redefinable: false });
  }

  get builtins(): readonly Macro[] { return this.builtinList; }

  add(m: Macro): void {
    this.user.push(m);
    this.byName.set(m.name, m);
    const b = m.name.slice(0, 2);
    if (b && !this.initials.includes(b)) this.initials.push(b);
  }

  /**
   * How the user's macros (`-D` and the config's) begin: the first two characters of each
   * name (all of a shorter one), in order of first use; a new one is appended. A line holds
   * one of the names only where it holds its beginning: two characters rather than the
   * first alone spare most lines the search (every line with an E when EXIM_PATH is
   * defined). See MacroStarts.
   */
  readonly initials: string[] = [];

  get(name: string): Macro | undefined { return this.byName.get(name); }

  /** Gives a macro a new value (`==`); a shared built-in is replaced by a copy first. */
  redefine(m: Macro, value: string): void {
    let target = m;
    if (m.origin === 'builtin') {
      target = { ...m };
      const own = this.builtinList === BUILTIN_LIST ? this.builtinList.slice() : this.builtinList as Macro[];
      const i = own.indexOf(m);
      if (i >= 0) own[i] = target;
      this.builtinList = own;
      this.byName.set(m.name, target);
      this.pristineBuiltins = false;
    }
    target.value = value;
    target.redefinable = true;
  }

  /**
   * The first macro in list order whose name is shorter than `name` and occurs in it: Exim
   * refuses to define such a name. The built-ins are found by name, not tried one by one.
   */
  earlierIn(name: string): Macro | undefined {
    let first = -1;
    const ks = this.builtinList.length ? builtinIndicesIn(name, 0) : undefined;
    if (ks) for (const k of ks) if (BUILTIN_LIST[k].name.length < name.length && (first < 0 || k < first)) first = k;
    if (first >= 0) return this.builtinList[first];
    for (const m of this.user) if (m.name.length < name.length && name.includes(m.name)) return m;
    return undefined;
  }

  /**
   * The built-ins that can change `text` from `from` on, as ascending places in the list,
   * so the ~800 built-ins need not be searched for one by one (a line naming one, such as
   * `.ifdef _HAVE_TLS`, searched for all of them). Exact: built-ins run first and their
   * values never form another built-in's name, so the ones substituted are among those
   * that occur in the line as read. Undefined when the built-ins were redefined: then
   * every one is searched for.
   */
  builtinsIn(text: string, from: number): number[] | undefined {
    if (!this.pristineBuiltins) return undefined;
    const ks = builtinIndicesIn(text, from);
    if (!ks) return NO_BUILTINS;
    return ks.length === 1 ? ks : [...new Set(ks)].sort((a, b) => a - b);
  }
}

/**
 * Finds in one file's text where a macro could start: `_` and an upper-case letter (a
 * built-in; expandLine looks for those nowhere else), or the beginning of one of the
 * user's macros (MacroTable.initials). A line with none of these is left as it is. Each kind's next place is
 * found natively (indexOf, many times quicker than a character-class search) and kept
 * until the reader has passed it.
 */
export class MacroStarts {
  /** Per beginning (MacroTable.initials), its next place at or after the last search (text.length: none). */
  private readonly at: number[] = [];
  /** The next `_` before an upper-case letter. */
  private under = -1;
  constructor(private readonly text: string) {}

  /** The first place at or after `from` where a macro could start (text.length: none). */
  next(from: number, initials: ArrayLike<string>): number {
    const t = this.text, at = this.at;
    // Beginnings are only ever appended: the places found for the earlier ones stand.
    while (at.length < initials.length) at.push(-1);
    let best = t.length;
    for (let k = 0; k < initials.length; k++) {
      let p = at[k];
      if (p < from) {
        p = t.indexOf(initials[k], from);
        at[k] = p = p < 0 ? t.length : p;
      }
      if (p < best) best = p;
    }
    let u = this.under;
    if (u < from) {
      u = firstBuiltinStart(t, from);
      this.under = u = u < 0 ? t.length : u;
    }
    return u < best ? u : best;
  }
}

/**
 * The places in the list of the built-ins whose names occur in `text` from `from` on, as
 * found (a name found twice is there twice); undefined for none. A list, not a callback:
 * the callers' closures, made per call, threw away the optimised code that called them.
 */
function builtinIndicesIn(text: string, from: number): number[] | undefined {
  let found: number[] | undefined;
  for (let i = firstBuiltinStart(text, from); i >= 0; i = firstBuiltinStart(text, i + 1)) {
    // A name is a prefix of the run of name characters that starts here: each prefix, shortest
    // first, is hashed as the run is read, and only one whose hash a built-in has is looked up.
    let h = hashStep(0, 95);
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (!isBuiltinNameChar(c)) break;
      h = hashStep(h, c);
      if (!BUILTIN_HASHES.has(h)) continue;
      const k = BUILTIN_INDEX.get(text.slice(i, j + 1));
      if (k !== undefined) (found ??= []).push(k);
    }
  }
  return found;
}

const NO_INDICES: number[] = [];

/** A run of expanded text and the columns of the physical line it came from. */
export interface Segment {
  /** Offset in the expanded text. */
  at: number;
  len: number;
  /** Source columns [srcStart, srcEnd) in the physical line. */
  srcStart: number;
  srcEnd: number;
  /** False for macro replacement text: every character maps to the whole macro name. */
  exact: boolean;
  macro?: string;
}

export interface ExpandedLine {
  text: string;
  segs: Segment[];
  /** Some macro was substituted (what `.ifdef` tests). */
  found: boolean;
  uses: { name: string; srcStart: number; srcEnd: number }[];
}

function srcStartOf(segs: Segment[], p: number): number {
  for (const s of segs) if (p < s.at + s.len || s.len === 0 && p === s.at) return s.exact ? s.srcStart + (p - s.at) : s.srcStart;
  const last = segs[segs.length - 1];
  return last ? last.srcEnd : 0;
}

function srcEndOf(segs: Segment[], q: number): number {
  for (const s of segs) if (q < s.at + s.len) return s.exact ? s.srcStart + (q - s.at) + 1 : s.srcEnd;
  const last = segs[segs.length - 1];
  return last ? last.srcEnd : 0;
}

/** A bit per upper-case letter and one for `_`; any other character sets the last bit. */
function initialBit(c: number): number {
  return c >= 65 && c <= 90 ? 1 << (c - 65) : c === 95 ? 1 << 26 : 1 << 27;
}

/**
 * Which characters that can start a macro name occur in `text` from `from` on: a macro
 * whose first character is not among them cannot occur, and is not searched for.
 */
function initials(text: string, from: number): number {
  let mask = 1 << 27;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) mask |= 1 << (c - 65);
    else if (c === 95) mask |= 1 << 26;
  }
  return mask;
}

/** From how many macros to try on a line expandLine first looks which initials occur. */
const INITIALS_MIN = 8;

/**
 * Substitutes macros in one physical line as Exim does. `isLogicalStart` says whether the
 * line begins a logical line: then a leading `NAME =` (a definition) is not substituted.
 * Undefined when no macro occurs in the line (most lines): the line stands as it is, and
 * nothing is allocated for it.
 */
export function expandLine(line: string, table: MacroTable, isLogicalStart: boolean): ExpandedLine | undefined {
  let s = skipSpace(line, 0);
  if (isLogicalStart && isUpper(codeAt(line, s))) {
    const e = skipSpace(line, skipName(line, s));
    if (e < line.length && line.charCodeAt(e) === 61) s = e;
  }
  const first = firstMacroStart(line, s);
  if (first < 0) return undefined;
  let text = line;
  let segs: Segment[] | undefined;
  let uses: ExpandedLine['uses'] | undefined;
  const all = table.builtins, user = table.user;
  // Built-ins are searched for only when the first candidate starts with `_`: those that
  // occur in the line (all of them when some were redefined), then the user's macros.
  const builtins = line.charCodeAt(first) === 95 ? table.builtinsIn(line, first) : NO_INDICES;
  const nb = builtins ? builtins.length : all.length;
  const steps = nb + user.length;
  // Which initials occur is worth a pass over the line only when many macros are tried
  // (every built-in, once some were redefined); a few are each found natively. All bits
  // set: every macro is tried.
  const byInitial = steps > INITIALS_MIN;
  let present = byInitial ? initials(text, first) : -1;
  for (let step = 0; step < steps; step++) {
    const m = step >= nb ? user[step - nb] : all[builtins ? builtins[step] : step];
    if (m.name.length === 0) continue;
    if (!(present & initialBit(m.name.charCodeAt(0)))) continue;
    let p = text.indexOf(m.name, first);
    if (p < 0) continue;
    const old = segs ?? [segment(0, line.length, 0, line.length, true, undefined)];
    const nsegs: Segment[] = [];
    let out = '';
    let prev = 0; // copied up to here (old text)
    let shift = 0; // new offset minus old offset
    let si = 0;
    while (p >= 0) {
      si = copySegs(old, si, prev, p, shift, nsegs);
      out += text.slice(prev, p);
      const srcStart = srcStartOf(old, p), srcEnd = srcEndOf(old, p + m.name.length - 1);
      nsegs.push(segment(p + shift, m.value.length, srcStart, srcEnd, false, m.name));
      (uses ??= []).push({ name: m.name, srcStart, srcEnd });
      out += m.value;
      shift += m.value.length - m.name.length;
      prev = p + m.name.length;
      p = text.indexOf(m.name, prev);
    }
    copySegs(old, si, prev, text.length, shift, nsegs);
    text = out + text.slice(prev);
    segs = nsegs;
    if (byInitial) present = initials(text, first);
  }
  if (!uses || !segs) return undefined;
  return { text, segs, found: true, uses };
}

/** Segments are made in one shape, `macro` undefined for text as written. */
function segment(at: number, len: number, srcStart: number, srcEnd: number, exact: boolean, macro: string | undefined): Segment {
  return { at, len, srcStart, srcEnd, exact, macro };
}

/**
 * Appends to `out` the segments of `old` clipped to [from, to) and moved by `shift`,
 * starting the search at `si`; returns where the next search starts.
 */
function copySegs(old: Segment[], si: number, from: number, to: number, shift: number, out: Segment[]): number {
  while (si < old.length && old[si].at + old[si].len <= from && !(old[si].len === 0 && old[si].at === from)) si++;
  for (let k = si; k < old.length && old[k].at < to; k++) {
    const sg = old[k];
    const a = Math.max(sg.at, from), b = Math.min(sg.at + sg.len, to);
    if (b <= a) continue;
    out.push(sg.exact
      ? segment(a + shift, b - a, sg.srcStart + (a - sg.at), sg.srcStart + (b - sg.at), true, undefined)
      : segment(a + shift, b - a, sg.srcStart, sg.srcEnd, false, sg.macro));
  }
  return si;
}

