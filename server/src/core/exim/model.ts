// The Exim configuration model: what the parser produces and every rule and editor
// feature reads. All names and values carry the place the user wrote them (`Loc`), so a
// finding or a rename lands in the right file of a `.include` chain or a Debian `conf.d`.
import type { Finding } from '../diagnostic';
import type { LineIndex, Range } from '../text';
import type { ExpansionNode } from './expansion';

export interface Loc { file: string; range: Range }

/**
 * A Loc held as four numbers. A large config has hundreds of thousands of Locs, and as
 * plain objects (Loc, Range, two Positions each) they were most of the model's memory and
 * of the garbage collector's work; the Range is built only when someone reads it.
 */
export class SpanLoc implements Loc {
  // Declared, not defined, fields: see At in expansion-parser.ts.
  declare readonly file: string;
  declare readonly sl: number;
  declare readonly sc: number;
  declare readonly el: number;
  declare readonly ec: number;
  constructor(file: string, sl: number, sc: number, el: number, ec: number) {
    this.file = file; this.sl = sl; this.sc = sc; this.el = el; this.ec = ec;
  }
  get range(): Range { return { start: { line: this.sl, character: this.sc }, end: { line: this.el, character: this.ec } }; }
  /** From this Loc's start to `to`'s end, or this Loc when `to` is in another file. */
  extendTo(to: Loc): SpanLoc {
    if (to.file !== this.file) return this;
    if (to instanceof SpanLoc) return new SpanLoc(this.file, this.sl, this.sc, to.el, to.ec);
    const e = to.range.end;
    return new SpanLoc(this.file, this.sl, this.sc, e.line, e.character);
  }
}

export type SectionName = 'main' | 'acl' | 'routers' | 'transports' | 'authenticators' | 'retry' | 'rewrite' | 'local_scan';
export type ListKind = 'domainlist' | 'hostlist' | 'addresslist' | 'localpartlist';

/** One physical file that contributed to the configuration. */
export interface SourceFile {
  path: string;
  text: string;
  lines: LineIndex;
}

/** `name = value`, `no_name`, `not_name`, `hide name = value`, or a bare boolean `name`. */
export interface OptionSetting {
  /** The option name without any `no_`/`not_` prefix. */
  name: string;
  negated: boolean;
  hidden: boolean;
  /** Value after `=` with macros expanded and quotes removed where Exim removes them; undefined when there is no `=`. */
  value?: string;
  /** Value as written (before macro expansion). */
  rawValue?: string;
  nameLoc: Loc;
  valueLoc?: Loc;
  /** The whole logical line (all its continuation lines). */
  loc: Loc;
  section: SectionName;
  /** Parsed `${...}` / `$var` tree of the value, for options Exim expands. */
  expansion?: ExpansionNode[];
}

export interface ListItem {
  text: string;
  negated: boolean;
  /** `+name` reference to a named list (name without the `+`). */
  ref?: string;
  loc: Loc;
  /** Parsed expansion of the item, when it contains `$` (named lists are expanded when used). */
  expansion?: ExpansionNode[];
}

export interface NamedList {
  kind: ListKind;
  cached: boolean;
  name: string;
  nameLoc: Loc;
  value: string;
  valueLoc: Loc;
  items: ListItem[];
  /** The separator in force (`:` unless changed with `<X`). */
  separator: string;
  loc: Loc;
  /** Written with `hide` (value not shown by `exim -bP`). */
  hidden?: boolean;
}

/** A router, transport or authenticator. `order` is its position within its section. */
export interface DriverInstance {
  section: 'routers' | 'transports' | 'authenticators';
  name: string;
  nameLoc: Loc;
  driver?: string;
  driverLoc?: Loc;
  options: OptionSetting[];
  order: number;
  /** From the header line to the last option. */
  loc: Loc;
}

/** A condition or modifier of an ACL statement: `[!]name = value`, or `endpass`. */
export interface AclItem {
  name: string;
  negated: boolean;
  nameLoc: Loc;
  value?: string;
  valueLoc?: Loc;
  expansion?: ExpansionNode[];
  /** For `set acl_m_x = value`: the variable name (`acl_m_x`) and where it is. */
  varName?: string;
  varNameLoc?: Loc;
}

export interface AclStatement {
  verb: string;
  verbLoc: Loc;
  items: AclItem[];
  loc: Loc;
}

export interface Acl {
  name: string;
  nameLoc: Loc;
  statements: AclStatement[];
  loc: Loc;
}

export interface Macro {
  name: string;
  value: string;
  /** Where it is defined; undefined for built-in (`_HAVE_*` …), `-D` and Debian's macros. */
  loc?: Loc;
  /** 'debian': written by update-exim4.conf from update-exim4.conf.conf. */
  origin: 'config' | 'define' | 'builtin' | 'debian';
  /** `==` definitions may be redefined later. */
  redefinable: boolean;
}

export interface MacroUse { name: string; loc: Loc }

export interface Include {
  /** As written, after macro expansion. */
  path: string;
  /**
   * Absolute path it resolves to: a relative path against the directory of the file Exim
   * reads it in, the including file's, or for Debian's parts update-exim4.conf's output's.
   */
  resolved: string;
  found: boolean;
  optional: boolean;
  loc: Loc;
}

export interface RetryRule {
  pattern: string; error: string; rules: string; loc: Loc;
  /** Optional `senders = list` between the error type and the rules. */
  senders?: string;
  /** Where the retry parameters (`F,2h,15m; ...`) are. */
  rulesLoc?: Loc;
}
export interface RewriteRule { pattern: string; replacement: string; flags: string; loc: Loc }

export interface EximConfig {
  /** The path the user gave: a file or a `conf.d` directory. */
  root: string;
  files: Map<string, SourceFile>;
  main: OptionSetting[];
  lists: NamedList[];
  routers: DriverInstance[];
  transports: DriverInstance[];
  authenticators: DriverInstance[];
  acls: Acl[];
  retry: RetryRule[];
  rewrite: RewriteRule[];
  local_scan: OptionSetting[];
  /** Every macro by name, built-ins included (read-only: the table behind it is shared). */
  macros: ReadonlyMap<string, Macro>;
  macroUses: MacroUse[];
  includes: Include[];
  /** Sections seen, with the `begin` line's place. */
  sections: { name: SectionName; loc: Loc }[];
  /** Findings the parser itself produces (exim/syntax, exim/conditional-syntax, exim/include-not-found, …). */
  parseFindings: Finding[];
}
