// Builds the EximConfig model from logical lines, section by section, following what
// readconf.c and acl.c accept. Exim stops at its first error; this parser reports it and
// carries on, so one mistake never hides the rest of the file.
import type { Finding } from '../diagnostic';
import { finding } from '../diagnostic';
import type { SourceHost } from '../host';
import type { CheckOptions, EximVersion } from '../options';
import { aclCondition, aclNames, lookupOption, readsQuotes, optionName, optionNames } from '../catalog/exim';
import { NameTable } from './name-table';
import { SpanLoc } from './model';
import type {
  Acl, DriverInstance, EximConfig, Include, ListKind, Loc, Macro, MacroUse, NamedList, OptionSetting,
  RetryRule, RewriteRule, SectionName, SourceFile,
} from './model';
import { codeAt, isAlpha, isNameChar, isSpace, isUpper, MACRO_NAME_MAX, MacroTable, skipName, skipSpace } from './macros';
import { copyLine, LineReader, locOf, piecesOf, skippedOf, type LogicalLine, type Piece, type PlacedLine } from './reader';
import { dequote, type Dequoted } from './strings';
import { ListCursor, orNone } from './lists';
import { objectList } from './object-list';
import { sectionNamed } from './sections';
import { isRegexPattern, REWRITE_FLAGS } from './rewrite';
import { ExpandForm, ITEM_LISTS } from './value-expansion';
import { Item, ListEntry, ParsedList, Setting, Statement } from './parsed';

const LIST_KINDS: ListKind[] = ['domainlist', 'hostlist', 'addresslist', 'localpartlist'];
const VERBS = ['accept', 'defer', 'deny', 'discard', 'drop', 'require', 'warn'];
/** Exim's limit on instance, ACL and option names (64-byte buffer). */
const NAME_MAX = 63;
/** White space, `#`, then white space or the end: a comment written after a value. */
const COMMENT_AFTER_VALUE = /\s#(\s|$)/;
/** ACL conditions whose argument is a list: a "#" there is part of the last item. */
const ACL_LIST_CONDITIONS = new Set(['domains', 'hosts', 'local_parts', 'senders', 'recipients', 'sender_domains']);

/** The model plus the reader's raw pieces (for losslessness checks and editor features). */
export interface ParsedExim extends EximConfig { pieces: Map<string, Piece[]> }

/**
 * The model as the parser fills it in. A class rather than an object literal: its `pieces`
 * getter in a literal made every config object slow to create and to read.
 */
class ParsedConfig implements ParsedExim {
  declare root: string;
  declare files: Map<string, SourceFile>;
  declare main: OptionSetting[];
  declare lists: NamedList[];
  declare routers: DriverInstance[];
  declare transports: DriverInstance[];
  declare authenticators: DriverInstance[];
  declare acls: Acl[];
  declare retry: RetryRule[];
  declare rewrite: RewriteRule[];
  declare local_scan: OptionSetting[];
  declare macros: ReadonlyMap<string, Macro>;
  declare macroUses: MacroUse[];
  declare includes: Include[];
  declare sections: { name: SectionName; loc: Loc }[];
  declare parseFindings: Finding[];
  /** Per file read, the kind of each of its physical lines (filled in by the reader). */
  declare readonly kinds: Map<string, Uint8Array>;
  declare private piecesMade: Map<string, Piece[]> | undefined;
  constructor(root: string, macros: ReadonlyMap<string, Macro>) {
    this.root = root; this.files = new Map(); this.main = objectList(); this.lists = objectList(); this.routers = objectList();
    this.transports = objectList(); this.authenticators = objectList(); this.acls = objectList(); this.retry = objectList();
    this.rewrite = objectList(); this.local_scan = objectList(); this.macros = macros;
    this.macroUses = objectList(); this.includes = objectList(); this.sections = objectList(); this.parseFindings = objectList();
    this.kinds = new Map();
    this.piecesMade = undefined;
  }
  /** Made only when read (the losslessness check), from the reader's byte per line. */
  get pieces(): Map<string, Piece[]> { return this.piecesMade ??= piecesOf(this.files, this.kinds); }
}


/**
 * Reads `topFiles` as one configuration. `generated`, for Debian's parts (conf.d, or the
 * template after exim4.conf.localmacros), is the file update-exim4.conf writes them into,
 * which is what Exim reads: a relative `.include` in them is resolved against its directory.
 */
export function parseExim(root: string, topFiles: string[], opts: CheckOptions, host: SourceHost, generated?: string): ParsedExim {
  return new Parser(root, topFiles, opts, host, generated).run();
}

class Parser {
  private readonly cfg: ParsedConfig;
  private readonly table: MacroTable;
  private readonly reader: LineReader;
  private section: SectionName = 'main';
  private readonly seen = new Set<SectionName>(['main']);
  private driver?: DriverInstance;
  /** The driver's settings, finished when its driver (their scope) is known, then its options. */
  private readonly pending = new Collector<Setting>();
  /** The statement's items, and the list's entries being read. */
  private readonly stmtItems = new Collector<Item>();
  private readonly entries = new Collector<ListEntry>();
  private acl?: Acl;
  private stmt?: Statement;
  private aclTail?: PlacedLine;
  private driverTail?: PlacedLine;
  private stmtTail?: PlacedLine;
  private lastNameless?: string;

  /** The target: an option's type, so whether Exim takes its value's quotes off, can change between versions. */
  private readonly version: EximVersion;

  constructor(root: string, topFiles: string[], opts: CheckOptions, host: SourceHost, generated: string | undefined) {
    this.version = opts.eximVersion;
    this.table = new MacroTable(opts.defines, true, opts.debianDefines);
    const cfg = this.cfg = new ParsedConfig(root, this.table.byName);
    this.reader = new LineReader(topFiles, host, this.table, cfg.files, cfg.kinds, (f) => cfg.parseFindings.push(f), generated);
  }

  run(): ParsedExim {
    for (let ll = this.reader.next(); ll; ll = this.reader.next()) {
      try {
        this.line(ll);
      } catch (e) {
        // Parsing must never throw; report the line rather than lose the file.
        this.error('exim/syntax', locOf(ll, 0, ll.text.length), `Internal error while reading this line: ${(e as Error).message}`);
      }
    }
    this.closeDriver();
    this.closeAcl();
    this.cfg.macroUses = this.reader.macroUses;
    this.cfg.includes = this.reader.includes;
    return this.cfg;
  }

  private error(code: Finding['code'], loc: Loc, message: string, severity?: Finding['severity']): void {
    this.cfg.parseFindings.push(finding(code, loc.file, loc.range, message, severity ? { severity } : {}));
  }

  private line(ll: LogicalLine): void {
    const t = ll.text;
    if (isBegin(t)) return this.begin(ll);
    switch (this.section) {
      // One call for both: a call of its own for the rare local_scan was first met late.
      case 'main': case 'local_scan': return this.mainLine(ll, this.section);
      case 'routers': case 'transports': case 'authenticators': return this.driverLine(ll);
      case 'acl': return this.aclLine(ll);
      case 'retry': return this.retryLine(ll);
      case 'rewrite': return this.rewriteLine(ll);
    }
  }

  private begin(ll: LogicalLine): void {
    this.closeDriver();
    this.closeAcl();
    let i = 6;
    i = skipSpace(ll.text, i);
    const word = ll.text.slice(i);
    const name = sectionNamed(word);
    const loc = locOf(ll, 0, ll.text.length);
    if (!name) {
      this.error('exim/syntax', locOf(ll, i, ll.text.length),
        `"${word}" is not a known configuration section; use one of acl, routers, transports, authenticators, retry, rewrite, local_scan.`);
      this.section = 'local_scan';
      this.unknownSection = true;
      return;
    }
    this.unknownSection = false;
    if (this.seen.has(name)) {
      this.error('exim/syntax', loc, `The "${name}" section appears twice; Exim refuses a repeated section. Merge the two.`);
    }
    this.seen.add(name);
    this.cfg.sections.push({ name, loc });
    this.section = name;
    if (name === 'local_scan') {
      // A build option: an error for the 4.96 target (Debian 12's Exim, which refuses it),
      // a warning for latest, whose build we cannot know.
      this.error('exim/syntax', loc,
        'Debian\'s Exim is built without local_scan options (LOCAL_SCAN_HAS_OPTIONS); it refuses a "begin local_scan" section. Remove the section.', this.version === '4.96' ? 'error' : 'warning');
    }
  }

  private unknownSection = false;

  // ---- macros -------------------------------------------------------------------------

  private defineMacro(ll: LogicalLine): void {
    const t = ll.text;
    let i = 0;
    i = skipName(t, i);
    const name = t.slice(0, i);
    const nameLoc = locOf(ll, 0, i);
    if (name.length > MACRO_NAME_MAX) {
      this.error('exim/syntax', nameLoc, `Macro name is ${name.length} characters long; Exim allows at most ${MACRO_NAME_MAX}. Shorten it.`);
      return;
    }
    i = skipSpace(t, i);
    if (t[i] !== '=') {
      this.error('exim/syntax', locOf(ll, 0, t.length),
        `A line starting with an upper-case letter is a macro definition and needs "NAME = value"${this.section === 'main' ? '' : ' (option names are lower case)'}.`);
      return;
    }
    i++;
    let redef = false;
    if (t[i] === '=') { redef = true; i++; }
    i = skipSpace(t, i);
    const value = t.slice(i);
    const existing = this.table.get(name);
    if (existing?.origin === 'define') return; // -D wins over the file, silently, as in Exim
    if (existing && !redef) {
      const where = existing.loc ? ` (line ${existing.loc.range.start.line + 1})`
        : existing.origin === 'debian' ? ' (by update-exim4.conf, from update-exim4.conf.conf, after the UPEX4CmacrosUPEX4C line)' : ' (built in)';
      this.error('exim/syntax', nameLoc, `Macro ${name} is already defined${where}; use "==" to redefine it.`);
      return;
    }
    if (!existing) {
      // Exim refuses a name that contains an earlier macro's name: that macro would rewrite it.
      const m = this.table.earlierIn(name);
      if (m) {
        this.error('exim/syntax', nameLoc, `${name} cannot be a macro name: it contains the earlier macro ${m.name}, which Exim would substitute inside it. Rename one of them.`);
        return;
      }
    }
    if (redef) {
      if (!existing) {
        this.error('exim/syntax', nameLoc, `"==" redefines a macro, but ${name} is not defined yet; use "=".`);
        return;
      }
      this.table.redefine(existing, value);
      return;
    }
    this.table.add({ name, value, loc: nameLoc, origin: 'config', redefinable: false });
  }

  /** Where readName's name starts and ends, and where the text after its white space starts. */
  private nameStart = 0;
  private nameEnd = 0;
  private nameNext = 0;

  /**
   * readconf_readname: a name starting with a letter, then white space skipped. Sets
   * nameStart, nameEnd and nameNext: the name itself is copied only by those who keep it.
   */
  private readName(t: string, from: number): void {
    let i = from;
    i = skipSpace(t, i);
    this.nameStart = i;
    if (isAlpha(codeAt(t, i))) i = skipName(t, i);
    this.nameEnd = i;
    i = skipSpace(t, i);
    this.nameNext = i;
  }

  /** The name readName found, kept: the header of an instance or ACL. */
  private header(t: string): NameAt {
    return { name: t.slice(this.nameStart, this.nameEnd), start: this.nameStart, end: this.nameEnd, next: this.nameNext };
  }

  /** readName's test for `NAME =`, read in place (every ACL, retry and rewrite line asks). */
  private isMacroLine(t: string): boolean {
    let i = 0;
    i = skipSpace(t, i);
    if (!isUpper(codeAt(t, i))) return false;
    i = skipName(t, i);
    i = skipSpace(t, i);
    return codeAt(t, i) === 61 /* = */;
  }

  // ---- main section, options ----------------------------------------------------------

  private mainLine(ll: LogicalLine, section: 'main' | 'local_scan'): void {
    const t = ll.text;
    if (isUpper(t.charCodeAt(0))) return this.defineMacro(ll);
    if (this.unknownSection) return;
    // Both halves tested on every line: a call first met on a rare `hide` line threw away
    // the optimised code that inlines this.
    const hide = t.startsWith('hide'), gap = isSpace(codeAt(t, 4));
    let k = 0;
    let hidden = false;
    if (hide && gap) { hidden = true; k = 5; }
    // Every list kind starts with a, d, h or l: most options are not compared with them.
    if (section === 'main' && isListInitial(codeAt(t, k))) {
      for (let n = 0; n < LIST_KINDS.length; n++) if (t.startsWith(LIST_KINDS[n], k)) return this.namedList(ll, LIST_KINDS[n], k, hidden);
    }
    const p = this.option(ll, section);
    if (p) this.finishOption(p, section);
  }

  /** Reads `[hide] [no_|not_]name [= value]`; the value is finished later (it needs the scope). */
  private option(ll: LogicalLine, section: SectionName): Setting | undefined {
    const t = ll.text;
    if (!isAlpha(t.charCodeAt(0))) {
      this.error('exim/syntax', locOf(ll, 0, t.length), `An option setting ("name = value") is expected here, not "${short(t)}".`);
      return undefined;
    }
    let i = 0, start = 0, end = 0, hidden = false;
    for (let n = 0; n < 2; n++) {
      start = i;
      i = skipName(t, i);
      end = i;
      i = skipSpace(t, i);
      // Compared in place: a copy of every option's first word was made just for this.
      if (end - start !== 4 || !t.startsWith('hide', start)) break;
      hidden = true;
    }
    let nameStart = start;
    let negated = false;
    if (end - start >= 3 && t.startsWith('no_', start)) { negated = true; nameStart += 3; }
    else if (end - start >= 4 && t.startsWith('not_', start)) { negated = true; nameStart += 4; }
    // The catalog's string, found in place; a name it does not know is copied.
    const name = (OPTIONS ??= new NameTable(optionNames())).find(t, nameStart, end) ?? optionName(t.slice(nameStart, end));
    if (end - start > NAME_MAX) this.error('exim/syntax', locOf(ll, start, end), `Option name longer than ${NAME_MAX} characters.`);
    const opt = new Setting(name, negated, hidden, section, ll, nameStart, end);
    if (i < t.length && t[i] !== '=') {
      const hint = t[i] === '#' ? ' (# starts a comment only at the beginning of a line)' : '';
      this.error('exim/syntax', locOf(ll, i, t.length), `Unexpected text after option "${t.slice(start, end)}"; write "name = value"${hint}.`);
      return opt;
    }
    if (codeAt(t, i) !== 61 /* = */) return opt;
    i++;
    i = skipSpace(t, i);
    if (negated) {
      this.error('exim/syntax', locOf(ll, start, t.length), `"${t.slice(start, end)}" cannot take a value: the no_/not_ prefix only turns a boolean off. Write "${name} = ..." or "${t.slice(start, end)}" alone.`);
    }
    opt.rawValue = t.slice(i);
    opt.value = opt.rawValue;
    opt.valueStart = i;
    return opt;
  }

  /** Dequotes and parses the value now that the option's scope (section or driver) is known. */
  private finishOption(opt: Setting, scope: string, useShell = false): void {
    const ll = opt;
    if (opt.section === 'main') this.cfg.main.push(opt);
    else if (opt.section === 'local_scan') this.cfg.local_scan.push(opt);
    if (opt.valueStart < 0 || opt.rawValue === undefined) return;
    // A driver Exim lacks still has the generic options of its section.
    const info = lookupOption(scope, opt.name) ?? (scope !== opt.section ? lookupOption(opt.section, opt.name) : undefined);
    // The value as written is the rest of the line from valueStart (the line's text is not kept).
    const raw = opt.rawValue, vs = opt.valueStart;
    let map: number[] | undefined;
    const stringy = info ? readsQuotes(info, this.version) : true;
    if (stringy && codeAt(raw, 0) === 34 /* " */) {
      const d = dequote(raw, 0);
      opt.value = d.value;
      map = d.map;
      if (map) for (let k = 0; k < map.length; k++) map[k] += vs;
      this.quoteQuirks(d, ll, vs + d.end, `quoted value of ${opt.name}`);
      if (d.unterminated) {
        this.error('exim/syntax', locOf(ll, lastLineFrom(ll, vs), ll.len), `The quoted value of ${opt.name} has no closing quote; add " at the end.`);
      } else {
        let e = d.end;
        e = skipSpace(raw, e);
        if (e < raw.length) {
          const hint = raw[e] === '#' ? ' (# starts a comment only at the beginning of a line)' : '';
          this.error('exim/syntax', locOf(ll, vs + e, ll.len), `Unexpected text after the quoted value of ${opt.name}${hint}; put it inside the quotes or remove it.`);
        }
      }
    } else if (stringy) {
      // Exim takes a string as it is (exim -bP shows the "comment" in it): a warning, as
      // Exim says nothing.
      this.commentAfter(ll, raw, vs, `the value of ${opt.name}`);
    }
    // A uid or gid list (never_users, a redirect router's owners) is expanded as it is read,
    // whatever the documentation says (readconf.c).
    const expanded = info ? info.expanded || info.expanded496 || info.valueType === 'uidlist' || info.valueType === 'gidlist' : opt.value!.includes('$');
    if (expanded && (opt.value!.includes('$') || opt.value!.includes('\\'))) {
      const name = opt.name;
      const itemSep = info && (info.use === 'routers' || info.use === 'transports') ? ITEM_LISTS[name] : undefined;
      opt.map = map;
      if (splitsCommand(scope, name, useShell)) opt.form = scope === 'queryprogram' ? ExpandForm.Command : ExpandForm.CommandWithAddresses;
      else if (itemSep) opt.form = itemSep === ':' ? ExpandForm.ItemsByColon : ExpandForm.ItemsByNewline;
      else if (scope === 'pipe' && name === 'command') opt.form = ExpandForm.Shell;
      else opt.form = ExpandForm.Whole;
    }
  }

  /** What Exim takes from a quoted value without a word, and not as written: warnings. */
  private quoteQuirks(d: Dequoted, ll: PlacedLine, end: number, what: string): void {
    if (d.escapedClose) {
      this.error('exim/syntax', locOf(ll, end - 2, end), `The ${what} ends in \\" with no closing quote after it: Exim takes that escaped quote as the closing one and keeps a " at the end of the value. Write \\\\" to end the value with a backslash, or add the closing ".`, 'warning');
    }
    if (d.cut) {
      const at = d.map![d.value.length];
      this.error('exim/syntax', locOf(ll, at, at + 2), `An escape in the ${what} makes a NUL character, where Exim's value ends: it ignores the rest of it. Remove the escape.`, 'warning');
    }
  }

  /**
   * `value # note`: Exim keeps the "#" and what follows in `what` (seen with exim4 -bh: a
   * host list "192.0.2.1 # office" does not match 192.0.2.1). A `#` with no space after it
   * (`#${compile_number}`) is text.
   */
  private commentAfter(ll: PlacedLine, value: string, from: number, what: string): void {
    const h = COMMENT_AFTER_VALUE.exec(value);
    if (h) this.error('exim/syntax', locOf(ll, from + h.index + 1, ll.len), `"#" after a value starts no comment: Exim keeps it and the rest of the line in ${what} (# starts a comment only at the beginning of a line). Put the comment on a line of its own.`, 'warning');
  }

  private namedList(ll: LogicalLine, kind: ListKind, k: number, hidden: boolean): void {
    const t = ll.text;
    let i = k + kind.length;
    let cached = false;
    if (t.startsWith('_cache', i)) { cached = true; i += 6; }
    if (!isSpace(codeAt(t, i))) {
      this.error('exim/syntax', locOf(ll, 0, t.length), `Unrecognised line: "${short(t)}". A named list is "${kind} name = items".`);
      return;
    }
    i = skipSpace(t, i);
    const ns = i;
    i = skipName(t, i);
    const name = t.slice(ns, i);
    const ne = i;
    i = skipSpace(t, i);
    if (!name) {
      this.error('exim/syntax', locOf(ll, 0, t.length), `The ${kind} has no name; write "${kind} name = items".`);
      return;
    }
    if (codeAt(t, i) !== 61 /* = */) {
      this.error('exim/syntax', locOf(ll, ns, t.length), `Missing "=" after the ${kind} name "${name}".`);
      return;
    }
    i++;
    i = skipSpace(t, i);
    let value = t.slice(i);
    let map: number[] | undefined;
    if (codeAt(t, i) === 34 /* " */) {
      const d = dequote(t, i);
      value = d.value;
      map = d.map;
      this.quoteQuirks(d, ll, d.end, `quoted value of list ${name}`);
      if (d.unterminated) this.error('exim/syntax', locOf(ll, lastLineFrom(ll, i), t.length), `The quoted value of list ${name} has no closing quote; add " at the end.`);
      else if (t.slice(d.end).trim()) this.error('exim/syntax', locOf(ll, d.end, t.length), `Unexpected text after the quoted value of list ${name}.`);
    } else this.commentAfter(ll, value, i, `the last item of list ${name}`);
    const list = new ParsedList(kind, cached, name, value, hidden, ll, ns, ne, i, map);
    const it = LIST.reset(value);
    const items = this.entries;
    items.clear(); // (holds entries only if the last list threw)
    // Where the next `$` is: one search for the whole value, not one per item.
    let dollar = -1;
    while (it.next()) {
      const { bodyStart, end } = it;
      const text = it.negated ? it.text.replace(/^!\s*/, '') : it.text;
      const item = new ListEntry(text, it.negated, list, bodyStart, end);
      // The item as written is value[bodyStart, end): read there, not copied.
      if (value.charCodeAt(bodyStart) === 43 /* + */ && bodyStart + 1 < end && isNameChar(value.charCodeAt(bodyStart + 1))) {
        item.ref = value.slice(bodyStart + 1, end);
      }
      if (dollar < bodyStart) dollar = orNone(value.indexOf('$', bodyStart));
      if (dollar < end) item.expands = true;
      items.add(item);
    }
    list.separator = it.separator;
    list.items = items.take();
    this.cfg.lists.push(list);
  }

  // ---- routers, transports, authenticators --------------------------------------------

  private driverLine(ll: LogicalLine): void {
    const t = ll.text;
    this.readName(t, 0);
    const named = this.nameEnd > this.nameStart;
    const after = codeAt(t, this.nameNext);
    if (named && isUpper(t.charCodeAt(this.nameStart)) && after === 61 /* = */) {
      this.closeDriver();
      return this.defineMacro(ll);
    }
    const section = this.section as DriverInstance['section'];
    const isHeader = named && after === 58 /* : */;
    const bad = isHeader ? undefined : badName(t);
    // A bad name still starts an instance here, so that the lines after it are not
    // charged to the one before.
    if (bad) this.error('exim/syntax', locOf(ll, bad.start, bad.end), badNameMessage(bad.name, section.slice(0, -1)));
    const h = bad ?? (isHeader ? this.header(t) : undefined);
    if (h) {
      this.closeDriver();
      const list = this.cfg[section];
      if (h.end - h.start > NAME_MAX) this.error('exim/syntax', locOf(ll, h.start, h.end), `Name longer than ${NAME_MAX} characters.`);
      this.driver = { section, name: h.name, nameLoc: locOf(ll, h.start, h.end), options: [], order: list.length, loc: locOf(ll, 0, t.length) };
      list.push(this.driver);
      let j = h.next + 1;
      j = skipSpace(t, j);
      if (j < t.length) {
        const hint = t[j] === '#' ? ' (# starts a comment only at the beginning of a line)' : ' Put each option on its own line.';
        this.error('exim/syntax', locOf(ll, j, t.length), `Unexpected text after the name "${h.name}:".${hint}`);
      }
      return;
    }
    if (!this.driver) {
      const what = section.slice(0, -1);
      if (this.lastNameless !== ll.file + section) {
        this.error('exim/syntax', locOf(ll, 0, t.length), `This setting belongs to no ${what}: start the ${what} with a "name:" line first.`);
        this.lastNameless = ll.file + section;
      }
      return;
    }
    const p = this.option(ll, section);
    if (!p) return;
    this.pending.add(p);
    if (ll.file === this.driver.loc.file) this.driverTail = p;
    // Exim takes the first driver line (a second one is an error of its own).
    if (p.name === 'driver' && p.rawValue !== undefined && this.driver.driver === undefined) {
      this.driver.driver = p.rawValue.startsWith('"') ? dequote(p.rawValue, 0).value : p.rawValue;
      this.driver.driverLoc = p.valueLoc;
    }
  }

  private closeDriver(): void {
    const d = this.driver;
    if (!d) return;
    // From the header to its last option in the same file, set once (as for ACLs below).
    const tail = this.driverTail;
    if (tail) d.loc = startOf(d.loc).extendTo(locOf(tail, 0, tail.len));
    this.driverTail = undefined;
    const scope = d.driver ?? d.section;
    const options = d.options = this.pending.take();
    const useShell = options.some((o) => o.name === 'use_shell' && !o.negated);
    for (const p of options) this.finishOption(p, scope, useShell);
    this.driver = undefined;
  }

  // ---- ACLs ---------------------------------------------------------------------------

  private closeAcl(): void {
    this.settleStmt();
    if (this.acl) this.acl.statements = exact(this.acl.statements);
    if (this.acl && this.aclTail) this.acl.loc = startOf(this.acl.loc).extendTo(locOf(this.aclTail, 0, this.aclTail.len));
    this.aclTail = undefined;
    this.stmt = undefined;
    this.acl = undefined;
  }

  /** The statement's Loc runs to the end of its last line in its own file. */
  private settleStmt(): void {
    const stmt = this.stmt;
    if (stmt) {
      if (this.stmtTail) stmt.tail = this.stmtTail;
      stmt.items = this.stmtItems.take();
    }
    this.stmtTail = undefined;
  }

  private aclLine(ll: LogicalLine): void {
    const t = ll.text;
    if (this.isMacroLine(t)) {
      // A macro definition ends the ACL being read; Exim expects a new "name:" after it.
      this.closeAcl();
      return this.defineMacro(ll);
    }
    let i = 0;
    let negated = false;
    if (t[0] === '!') { negated = true; i = 1; }
    this.readName(t, i);
    const isHeader = codeAt(t, this.nameNext) === 58 /* : */ && this.nameEnd > this.nameStart && !negated;
    const bad = isHeader ? undefined : badName(t);
    // As for drivers: report the name, and start a new ACL so its statements stay its own.
    if (bad) this.error('exim/syntax', locOf(ll, bad.start, bad.end), badNameMessage(bad.name, 'ACL'));
    const h = bad ?? (isHeader ? this.header(t) : undefined);
    if (h) {
      this.closeAcl();
      this.acl = { name: h.name, nameLoc: locOf(ll, h.start, h.end), statements: [], loc: locOf(ll, 0, t.length) };
      this.cfg.acls.push(this.acl);
      let j = h.next + 1;
      j = skipSpace(t, j);
      if (j < t.length) {
        this.error('exim/syntax', locOf(ll, j, t.length), `Exim ignores text after the ACL name "${h.name}:"; put the first statement on its own line.`, 'warning');
      }
      return;
    }
    if (!this.acl) {
      if (this.lastNameless !== ll.file + 'acl') {
        this.error('exim/syntax', locOf(ll, 0, t.length), 'Missing or malformed ACL name: an ACL starts with a "name:" line (the name starts with a letter).');
        this.lastNameless = ll.file + 'acl';
      }
      return;
    }
    let condNeg = negated;
    const verb = verbAt(t, this.nameStart, this.nameEnd);
    if (verb) {
      const { nameStart, nameEnd, nameNext } = this;
      if (negated) {
        this.error('exim/acl-syntax', locOf(ll, 0, nameEnd), `An ACL verb cannot be negated: remove the "!" before ${verb}.`);
      }
      this.settleStmt();
      const stmt = this.stmt = new Statement(verb, ll.file, nameStart, nameEnd);
      this.acl.statements.push(stmt);
      let item: Item | undefined;
      try {
        if (nameNext < t.length) {
          let j = nameNext;
          condNeg = false;
          if (t[j] === '!') { condNeg = true; j++; }
          this.readName(t, j);
          item = this.aclItem(ll, condNeg);
        }
      } finally {
        // The statement shares its first item's copy of the line, or keeps one of its own.
        stmt.line = item ?? copyLine(ll);
        if (!item) this.extendAcl(stmt.line);
      }
      return;
    } else if (!this.stmt) {
      const { nameStart: s, nameEnd: e } = this;
      this.error('exim/acl-syntax', locOf(ll, s, Math.max(e, s + 1)),
        `"${t.slice(s, e) || short(t)}" is not an ACL verb; a statement starts with accept, defer, deny, discard, drop, require or warn.`);
      // Still a line of the ACL: its range (outline, folding, a fix that ends it) takes it in
      // (a copy: the reader reuses its line).
      this.extendAcl(copyLine(ll));
      return;
    }
    this.aclItem(ll, condNeg);
  }

  /** Notes the last line of the ACL and statement in their own files; their Locs are set once, when they end. */
  private extendAcl(ll: PlacedLine): void {
    if (this.acl && ll.file === this.acl.loc.file) this.aclTail = ll;
    if (this.stmt && ll.file === this.stmt.file) this.stmtTail = ll;
  }

  /** The condition or modifier readName found. */
  private aclItem(ll: LogicalLine, negated: boolean): Item | undefined {
    const t = ll.text;
    const { nameStart: start, nameEnd: end } = this;
    if (end === start) {
      this.error('exim/acl-syntax', locOf(ll, start, t.length), `A condition or modifier name is expected here, not "${short(t.slice(start))}".`);
      return undefined;
    }
    // The catalog's string when it knows the name: one string for every use of a condition.
    let name = (ACL_ITEMS ??= aclItemNames()).find(t, start, end);
    if (name === undefined) {
      const written = t.slice(start, end);
      name = aclCondition(written)?.name ?? written;
    }
    const item = new Item(name, negated, ll, negated ? Math.max(0, start - 1) : start, end);
    this.stmtItems.add(item);
    this.extendAcl(item);
    let i = this.nameNext;
    if (name === 'set') {
      const vs = i;
      while (i < t.length && t[i] !== '=' && !isSpace(t.charCodeAt(i))) i++;
      item.setVariable(t.slice(vs, i), vs, i);
      i = skipSpace(t, i);
    }
    if (name === 'endpass') return item;
    if (codeAt(t, i) !== 61 /* = */) {
      // A word that is no condition or modifier is the ACL rule's to report, with a guess at
      // the name meant (Exim: "unknown ACL condition/modifier"): "name = value" would not help.
      if (aclCondition(name)) this.error('exim/acl-syntax', locOf(ll, start, t.length), `"=" is missing after ACL ${name}; write "${name} = value".`);
      return item;
    }
    i++;
    i = skipSpace(t, i);
    const value = item.value = t.slice(i);
    item.valueStart = i;
    if (ACL_LIST_CONDITIONS.has(name)) this.commentAfter(ll, value, i, `the last item of the ${name} list`);
    if (value.includes('$') || value.includes('\\')) item.expands = true;
    return item;
  }

  // ---- retry and rewrite --------------------------------------------------------------
  // Exim defines no macro here: "NAME = ..." is a rule like any other line (exim4 -bV reads
  // "FOO = F" in "begin rewrite" as a rule and leaves FOO undefined).

  private retryLine(ll: LogicalLine): void {
    const t = ll.text;
    const loc = locOf(ll, 0, t.length);
    const pat = dequote(t, 0);
    if (pat.unterminated) this.error('exim/syntax', loc, 'The quoted retry pattern has no closing quote.');
    let i = pat.end;
    i = skipSpace(t, i);
    const es = i;
    while (i < t.length && t.charCodeAt(i) > 32 && t.charCodeAt(i) < 127) i++;
    const error = t.slice(es, i);
    if (!error) {
      this.error('exim/syntax', loc, 'A retry rule needs an error type after the pattern (for example "*"), then the retry parameters.');
    }
    i = skipSpace(t, i);
    let senders: string | undefined;
    if (t.startsWith('senders', i)) {
      let j = i + 7;
      j = skipSpace(t, j);
      if (t[j] !== '=') {
        this.error('exim/syntax', locOf(ll, i, t.length), '"=" is expected after "senders" in a retry rule.');
      } else {
        j++;
        j = skipSpace(t, j);
        const d = dequote(t, j);
        senders = d.value;
        i = d.end;
        i = skipSpace(t, i);
      }
    }
    const rule: EximConfig['retry'][number] = { pattern: pat.value, error, rules: t.slice(i), loc };
    if (senders !== undefined) rule.senders = senders;
    rule.rulesLoc = locOf(ll, i, t.length);
    this.cfg.retry.push(rule);
  }

  private rewriteLine(ll: LogicalLine): void {
    const t = ll.text;
    const loc = locOf(ll, 0, t.length);
    const key = dequote(t, 0);
    let i = key.end;
    i = skipSpace(t, i);
    if (i >= t.length) {
      this.error('exim/syntax', loc, 'A rewrite rule needs a replacement after the pattern (and optional flags).');
      this.cfg.rewrite.push({ pattern: key.value, replacement: '', flags: '', loc });
      return;
    }
    const repl = dequote(t, i);
    // An unclosed pattern runs to the end of the line (no replacement: refused above); an
    // unclosed replacement Exim takes as it is, to the end of the line, flags and all.
    if (repl.unterminated) {
      this.error('exim/syntax', loc, 'The quoted replacement of this rewrite rule has no closing quote: Exim takes the rest of the line, flags included, as the replacement. Add the closing ".', 'warning');
    }
    const fs = repl.end;
    for (let j = fs; j < t.length; j++) {
      const c = t[j];
      if (c === ' ' || c === '\t') continue;
      if (!REWRITE_FLAGS.has(c)) {
        this.error('exim/syntax', locOf(ll, j, j + 1),
          `Unknown rewrite flag "${c}" (flags are E F T Q R S b c f h q r s t w); if the replacement contains spaces, put it in quotes.`);
        break;
      }
      if (c === 'S' && !isRegexPattern(key.value)) {
        this.error('exim/syntax', locOf(ll, j, j + 1), 'The S flag (rewrite at SMTP time) needs a regular expression pattern, starting with ^; Exim refuses the rule.');
        break;
      }
    }
    this.cfg.rewrite.push({ pattern: key.value, replacement: repl.value, flags: t.slice(fs).replace(/[ \t]/g, ''), loc });
  }
}

/**
 * The physical lines of the branches Exim skips (Debian's `.ifdef DCconfig_smarthost`
 * routers), read only when asked; none for a model the parser did not make.
 */
export function skippedLinesOf(cfg: EximConfig): { file: string; line: number; text: string }[] {
  return cfg instanceof ParsedConfig ? skippedOf(cfg.files, cfg.kinds) : [];
}

/** A name and where it is in its line: readName's result kept, or badName's. */
interface NameAt { name: string; start: number; end: number; next: number }

/** The verb t[start, end) names, as one shared string; compared in place (every ACL line asks). */
function verbAt(t: string, start: number, end: number): string | undefined {
  const n = end - start;
  if (n < 4 || n > 7) return undefined;
  for (let k = 0; k < VERBS.length; k++) {
    const v = VERBS[k];
    if (v.length === n && t.startsWith(v, start)) return v;
  }
  return undefined;
}

/**
 * An array that was grown by push, copied at its length once nothing more is added: push
 * reserves room for 16 more, and a model keeps thousands of short arrays.
 */
function exact<T>(a: T[]): T[] {
  return a.length ? a.slice() : a;
}

/** Option names and ACL condition and modifier names, made when first needed. */
let OPTIONS: NameTable | undefined;
let ACL_ITEMS: NameTable | undefined;

function aclItemNames(): NameTable {
  const all = [...aclNames('condition', 'latest'), ...aclNames('condition', '4.96'), ...aclNames('modifier', 'latest'), ...aclNames('modifier', '4.96')];
  return new NameTable(all.map((a) => a.name));
}

/** namedList's cursor. */
const LIST = new ListCursor();

/**
 * Collects a short list that is then kept at its exact length: pushing to a kept array
 * reserves room for 16 more, and a model keeps thousands of short arrays.
 */
class Collector<T> {
  private readonly buf: (T | undefined)[] = [];
  private n = 0;
  add(x: T): void { this.buf[this.n++] = x; }
  clear(): void {
    const buf = this.buf;
    for (let k = 0; k < this.n; k++) buf[k] = undefined;
    this.n = 0;
  }
  /** What was added since the last take, in a new array; the collector keeps no reference to it. */
  take(): T[] {
    const n = this.n;
    const out = this.buf.slice(0, n) as T[];
    this.clear();
    return out;
  }
}

function isListInitial(c: number): boolean { return c === 97 || c === 100 || c === 104 || c === 108; }

/** `begin ` in any case, read in place (every line asks). */
function isBegin(t: string): boolean {
  if (t.length < 6 || (t.charCodeAt(0) | 0x20) !== 98 /* b */ || t.charCodeAt(5) !== 32) return false;
  for (let i = 1; i < 5; i++) if ((t.charCodeAt(i) | 0x20) !== 'begin'.charCodeAt(i)) return false;
  return true;
}

/**
 * Where the part of [from, end) on the logical line's last physical line begins. Exim finds
 * a missing closing quote only at the end of the logical line and names that line.
 */
function lastLineFrom(ll: PlacedLine, from: number): number {
  const sps = ll.spans;
  let k = sps.length - 1;
  if (k < 0) return from;
  while (k > 0 && sps[k - 1].file === sps[k].file && sps[k - 1].line === sps[k].line) k--;
  return Math.max(from, sps[k].at);
}

/**
 * Options whose value Exim splits into arguments before expanding each one
 * (transport_set_up_command); a pipe with use_shell expands its command whole.
 */
function splitsCommand(scope: string, name: string, useShell: boolean): boolean {
  if (name === 'transport_filter') return true;
  if (name !== 'command') return false;
  return scope === 'queryprogram' || scope === 'lmtp' || (scope === 'pipe' && !useShell);
}

/** The parser's own Locs are SpanLocs; anything else is converted once. */
function startOf(l: Loc): SpanLoc {
  if (l instanceof SpanLoc) return l;
  const r = l.range;
  return new SpanLoc(l.file, r.start.line, r.start.character, r.end.line, r.end.character);
}

/**
 * A line that can only have been meant as `name:` but whose name Exim cannot read (it
 * takes a letter, then letters, digits and underscores): `local-user:`, `2nd:`.
 */
function badName(t: string): NameAt | undefined {
  // Every option line asks; a line cannot end "name:" unless its last character is ":" (its
  // text has no trailing ASCII white space) or a non-ASCII one (Unicode white space).
  const last = t.charCodeAt(t.length - 1);
  if (last !== 58 /* : */ && last < 128) return undefined;
  const m = /^(\s*)([^\s=:]+)(\s*):\s*$/.exec(t);
  if (!m) return undefined;
  const start = m[1].length, end = start + m[2].length;
  return { name: m[2], start, end, next: end + m[3].length };
}

function badNameMessage(name: string, what: string): string {
  return `"${name}" is not a valid ${what} name: a name starts with a letter and has only letters, digits and underscores. Exim cannot read this line as the start of ${what === 'ACL' ? 'an' : 'a'} ${what} and refuses the config.`;
}

function short(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}
