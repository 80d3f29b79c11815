// The parser's own forms of the model's settings and items. Their `expansion` is parsed
// each time it is read, from what the parser left for it, and not kept: one rule walks the
// trees once per check, and kept trees (tens of thousands of nodes in a large config) were
// about half of the model's memory and much of the garbage collector's work.
import type { ExpansionNode } from './expansion';
import type { AclItem, ListItem, Loc, OptionSetting, SectionName } from './model';

/** Parses a value's expansion tree, placed in the file. */
export type Expander = () => ExpansionNode[];

// Fields are declared and all set in the constructor (see At in expansion-parser.ts), so
// every instance has the same shape whatever it holds.
export class Setting implements OptionSetting {
  declare name: string;
  declare negated: boolean;
  declare hidden: boolean;
  declare value: string | undefined;
  declare rawValue: string | undefined;
  declare nameLoc: Loc;
  declare valueLoc: Loc | undefined;
  declare loc: Loc;
  declare section: SectionName;
  /** Set by the parser when the value is expanded and holds `$` or `\`. */
  declare expander: Expander | undefined;
  constructor(name: string, negated: boolean, hidden: boolean, nameLoc: Loc, loc: Loc, section: SectionName) {
    this.name = name; this.negated = negated; this.hidden = hidden; this.value = undefined; this.rawValue = undefined;
    this.nameLoc = nameLoc; this.valueLoc = undefined; this.loc = loc; this.section = section; this.expander = undefined;
  }
  get expansion(): ExpansionNode[] | undefined { return this.expander?.(); }
}

export class Item implements AclItem {
  declare name: string;
  declare negated: boolean;
  declare nameLoc: Loc;
  declare value: string | undefined;
  declare valueLoc: Loc | undefined;
  declare varName: string | undefined;
  declare varNameLoc: Loc | undefined;
  declare expander: Expander | undefined;
  constructor(name: string, negated: boolean, nameLoc: Loc) {
    this.name = name; this.negated = negated; this.nameLoc = nameLoc; this.value = undefined; this.valueLoc = undefined;
    this.varName = undefined; this.varNameLoc = undefined; this.expander = undefined;
  }
  get expansion(): ExpansionNode[] | undefined { return this.expander?.(); }
}

export class ListEntry implements ListItem {
  declare text: string;
  declare negated: boolean;
  declare ref: string | undefined;
  declare loc: Loc;
  declare expander: Expander | undefined;
  constructor(text: string, negated: boolean, loc: Loc) {
    this.text = text; this.negated = negated; this.ref = undefined; this.loc = loc; this.expander = undefined;
  }
  get expansion(): ExpansionNode[] | undefined { return this.expander?.(); }
}
