// The parser's own forms of the model's settings, ACL items and named lists. They keep the
// logical line they were read from and offsets in it, and place their Locs in the file
// only when one is read: a large config has tens of thousands of them, their Locs are
// read for a finding or an editor request now and then, and as objects made up front they
// were a third of the model's memory. Each read gives a new Loc of the same place.
//
// Their `expansion` is likewise parsed each time it is read, from the value and how it is
// expanded, and not kept: one rule walks the trees once per check, and kept trees were
// about half of the model's memory and much of the garbage collector's work.
import type { Range } from '../text';
import type { ExpansionNode } from './expansion';
import type { AclItem, AclStatement, ListItem, ListKind, Loc, NamedList, OptionSetting, SectionName, SpanLoc } from './model';
import { locAt, locOf, rangeAt, type LogicalLine, type PlacedLine, type Span } from './reader';
import { parseExpansion } from './expansion-parser';
import { expandValue, ExpandForm, placer } from './value-expansion';

/** Flag bits of Setting, Item and ListEntry; a setting's ExpandForm is kept above its two. */
const NEGATED = 1, EXPANDS = 2, HIDDEN = 2, FORM_SHIFT = 2;

// Fields are declared and all set in the constructor (see At in expansion-parser.ts), so
// every instance has the same shape whatever it holds.

/**
 * The logical line a setting, ACL item, statement or list was read from, held in the
 * object itself: the reader's line object is its own and reused, and an object per line
 * kept beside each of these was a sixth of a large model's objects.
 */
abstract class OnLine implements PlacedLine {
  declare readonly len: number;
  declare readonly spans: Span[];
  declare readonly col: number;
  declare readonly file: string;
  declare readonly line: number;
  constructor(ll: LogicalLine) {
    this.len = ll.len; this.spans = ll.spans; this.col = ll.col; this.file = ll.file; this.line = ll.line;
  }
}

export class Setting extends OnLine implements OptionSetting {
  declare name: string;
  declare value: string | undefined;
  declare rawValue: string | undefined;
  declare section: SectionName;
  /** NEGATED | HIDDEN, and the ExpandForm above them: three fields in one (a large config has tens of thousands of settings). */
  declare private bits: number;
  /** Where each character of a dequoted value was written (dequote's map). */
  declare map: number[] | undefined;
  declare private readonly nameStart: number;
  declare private readonly nameEnd: number;
  /** Where the value starts in the line; -1 without `=`. */
  declare valueStart: number;
  constructor(name: string, negated: boolean, hidden: boolean, section: SectionName, line: LogicalLine, nameStart: number, nameEnd: number) {
    super(line);
    this.name = name; this.value = undefined; this.rawValue = undefined;
    this.section = section; this.bits = (negated ? NEGATED : 0) | (hidden ? HIDDEN : 0); this.map = undefined;
    this.nameStart = nameStart; this.nameEnd = nameEnd; this.valueStart = -1;
  }
  get negated(): boolean { return (this.bits & NEGATED) !== 0; }
  get hidden(): boolean { return (this.bits & HIDDEN) !== 0; }
  /** Set by the parser when the value is expanded and holds `$` or `\`. */
  get form(): ExpandForm { return (this.bits >> FORM_SHIFT) as ExpandForm; }
  set form(f: ExpandForm) { this.bits = (this.bits & (NEGATED | HIDDEN)) | (f << FORM_SHIFT); }
  /** locOf this line; each class reads its own fields (see locAt). */
  private at(a: number, b: number): SpanLoc { return locAt(this.spans, this.len, this.col, this.file, this.line, a, b); }
  get nameLoc(): Loc { return this.at(this.nameStart, this.nameEnd); }
  get valueLoc(): Loc | undefined { return this.valueStart < 0 ? undefined : this.at(this.valueStart, this.len); }
  get loc(): Loc { return this.at(0, this.len); }
  get expansion(): ExpansionNode[] | undefined {
    if (this.form === ExpandForm.None || this.value === undefined) return undefined;
    return expandValue(this.form, this.name, this.value, placer(this, this.valueStart, this.map));
  }
}

/**
 * How a setting or ACL item the parser made expands its value (None when it has no tree),
 * or undefined for any other object. The same value expanded the same way gives the same
 * tree, only placed elsewhere.
 */
export function expansionForm(h: OptionSetting | AclItem): ExpandForm | undefined {
  if (h instanceof Setting) return h.value === undefined ? ExpandForm.None : h.form;
  if (h instanceof Item) return h.expands && h.value !== undefined ? ExpandForm.Whole : ExpandForm.None;
  return undefined;
}

export class Item extends OnLine implements AclItem {
  declare name: string;
  declare value: string | undefined;
  /** NEGATED | EXPANDS: two booleans in one field (a large config has tens of thousands of items). */
  declare private flags: number;
  /** The `set` variable and where it is in the line: only `set` items have one. */
  declare private setVar: VarAt | undefined;
  declare private readonly nameStart: number;
  declare private readonly nameEnd: number;
  /** Where the value is in the line; -1 when there is none. */
  declare valueStart: number;
  constructor(name: string, negated: boolean, line: LogicalLine, nameStart: number, nameEnd: number) {
    super(line);
    this.name = name; this.value = undefined; this.flags = negated ? NEGATED : 0; this.setVar = undefined;
    this.nameStart = nameStart; this.nameEnd = nameEnd; this.valueStart = -1;
  }
  get negated(): boolean { return (this.flags & NEGATED) !== 0; }
  /** Whether the value holds `$` or `\`: set by the parser. */
  get expands(): boolean { return (this.flags & EXPANDS) !== 0; }
  set expands(v: boolean) { this.flags = v ? this.flags | EXPANDS : this.flags & ~EXPANDS; }
  get varName(): string | undefined { return this.setVar?.name; }
  /** For `set`: the variable's name and where it is in the line. */
  setVariable(name: string, start: number, end: number): void { this.setVar = { name, start, end }; }
  private at(a: number, b: number): SpanLoc { return locAt(this.spans, this.len, this.col, this.file, this.line, a, b); }
  get nameLoc(): Loc { return this.at(this.nameStart, this.nameEnd); }
  get valueLoc(): Loc | undefined { return this.valueStart < 0 ? undefined : this.at(this.valueStart, this.len); }
  get varNameLoc(): Loc | undefined { const v = this.setVar; return v ? this.at(v.start, v.end) : undefined; }
  get expansion(): ExpansionNode[] | undefined {
    return this.expands && this.value !== undefined ? parseExpansion(this.value, placer(this, this.valueStart)) : undefined;
  }
}

interface VarAt { name: string; start: number; end: number }

export class Statement implements AclStatement {
  declare verb: string;
  declare items: Item[];
  declare readonly file: string;
  /**
   * Its first line: the first item's when that is on the verb's line (most statements), so
   * the line is held once. Set by the parser once it has read the line's item.
   */
  declare line: PlacedLine;
  declare private readonly verbStart: number;
  declare private readonly verbEnd: number;
  /** Its last line in its own file, once the statement has ended. */
  declare tail: PlacedLine | undefined;
  constructor(verb: string, file: string, verbStart: number, verbEnd: number) {
    this.verb = verb; this.items = []; this.file = file; this.line = NO_LINE; this.verbStart = verbStart; this.verbEnd = verbEnd; this.tail = undefined;
  }
  get verbLoc(): Loc { return locOf(this.line, this.verbStart, this.verbEnd); }
  /** From its first line to the end of its last one in the same file. */
  get loc(): Loc {
    const start = locOf(this.line, 0, this.line.len);
    const tail = this.tail;
    return tail ? start.extendTo(locOf(tail, 0, tail.len)) : start;
  }
}

const NO_LINE: PlacedLine = Object.freeze({ len: 0, spans: [], col: 0, file: '', line: 0 });

export class ParsedList extends OnLine implements NamedList {
  declare kind: ListKind;
  declare cached: boolean;
  declare name: string;
  declare value: string;
  declare items: ListEntry[];
  declare separator: string;
  declare hidden: boolean | undefined;
  declare private readonly nameStart: number;
  declare private readonly nameEnd: number;
  declare private readonly valueStart: number;
  /** For a quoted value: where each character of `value` is in the line (dequote's map). */
  declare private readonly map: number[] | undefined;
  constructor(kind: ListKind, cached: boolean, name: string, value: string, hidden: boolean,
    line: LogicalLine, nameStart: number, nameEnd: number, valueStart: number, map: number[] | undefined) {
    super(line);
    this.kind = kind; this.cached = cached; this.name = name; this.value = value; this.items = NO_ENTRIES; this.separator = ':';
    this.hidden = hidden ? true : undefined;
    this.nameStart = nameStart; this.nameEnd = nameEnd; this.valueStart = valueStart; this.map = map;
  }
  private at(a: number, b: number): SpanLoc { return locAt(this.spans, this.len, this.col, this.file, this.line, a, b); }
  get nameLoc(): Loc { return this.at(this.nameStart, this.nameEnd); }
  get valueLoc(): Loc { return this.at(this.valueStart, this.len); }
  get loc(): Loc { return this.at(0, this.len); }
  /** Where [a, b) of `value` is written. */
  locIn(a: number, b: number): Loc {
    const m = this.map;
    if (!m) return this.at(this.valueStart + a, this.valueStart + b);
    const sa = m[Math.min(a, m.length - 1)], sb = b > a ? m[Math.min(b - 1, m.length - 1)] + 1 : sa;
    return this.at(sa, sb);
  }
  rangeIn(a: number, b: number): Range {
    const m = this.map;
    if (!m) return rangeAt(this.spans, this.len, this.col, this.file, this.line, this.valueStart + a, this.valueStart + b);
    const sa = m[Math.min(a, m.length - 1)], sb = b > a ? m[Math.min(b - 1, m.length - 1)] + 1 : sa;
    return rangeAt(this.spans, this.len, this.col, this.file, this.line, sa, sb);
  }
}

const NO_ENTRIES: ListEntry[] = [];

export class ListEntry implements ListItem {
  declare text: string;
  declare ref: string | undefined;
  /** NEGATED | EXPANDS, as for Item. */
  declare private flags: number;
  declare private readonly list: ParsedList;
  /** [start, end) of the item in the list's value. */
  declare private readonly start: number;
  declare private readonly end: number;
  constructor(text: string, negated: boolean, list: ParsedList, start: number, end: number) {
    this.text = text; this.ref = undefined; this.flags = negated ? NEGATED : 0;
    this.list = list; this.start = start; this.end = end;
  }
  get negated(): boolean { return (this.flags & NEGATED) !== 0; }
  /** Whether the item holds `$`: set by the parser. */
  get expands(): boolean { return (this.flags & EXPANDS) !== 0; }
  set expands(v: boolean) { this.flags = v ? this.flags | EXPANDS : this.flags & ~EXPANDS; }
  get loc(): Loc { return this.list.locIn(this.start, this.end); }
  get expansion(): ExpansionNode[] | undefined {
    if (!this.expands) return undefined;
    const { list, start } = this;
    return parseExpansion(this.text, (a, b) => list.rangeIn(start + a, start + b));
  }
}
