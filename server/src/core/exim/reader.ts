// Turns Exim's physical lines into logical lines the way readconf.c's line reader does:
// macro substitution per physical line, then comment lines, `.ifdef` family and `.include`
// (all physical-line directives, even in the middle of a continuation), then joining of
// lines ending in `\` with leading white space of the next removed. Every character of a
// logical line keeps where it came from, and every physical line is recorded as a piece
// so each file's text can be rebuilt exactly.
import * as path from 'node:path';
import type { Finding } from '../diagnostic';
import { finding } from '../diagnostic';
import type { SourceHost } from '../host';
import { LineIndex, type Range } from '../text';
import { SpanLoc, type Include, type Loc, type MacroUse, type SourceFile } from './model';
import { objectList } from './object-list';
import { codeAt, expandLine, isSpace, MacroStarts, type ExpandedLine, type MacroTable } from './macros';

export type PieceKind = 'blank' | 'comment' | 'directive' | 'include' | 'skipped' | 'content';

/** One physical line of a file: [start, end) offsets in its text, line break included. */
export interface Piece { line: number; start: number; end: number; kind: PieceKind }

/**
 * What each physical line of a file was, one byte per line (the codes index KINDS, 0 is
 * content): a Piece object per line was a tenth of a large model's memory, and only the
 * losslessness check reads them, through `piecesOf`.
 */
const KINDS: readonly PieceKind[] = ['content', 'blank', 'comment', 'directive', 'include', 'skipped'];
const CONTENT = 0, BLANK = 1, COMMENT = 2, DIRECTIVE = 3, INCLUDE = 4, SKIPPED = 5;

/** A run of a logical line's text and the physical place it came from. */
export interface Span {
  at: number;
  len: number;
  file: string;
  line: number;
  /** Source columns; for macro text (exact false) every character maps to [ch, chEnd). */
  ch: number;
  chEnd: number;
  exact: boolean;
}

/**
 * Where a logical line was written: what a setting, ACL item or list keeps of its line to
 * place its Locs (not the text: that is read once, and its value kept on its own).
 */
export interface PlacedLine {
  /** The length of the line's text. */
  len: number;
  /**
   * Where each run of the text came from. Empty for a line that is one run of one
   * physical line as written (most lines): it starts at column `col` of `line`.
   */
  spans: Span[];
  col: number;
  file: string;
  line: number;
}

export interface LogicalLine extends PlacedLine {
  /** Text with macros substituted, continuations joined, outer white space removed. */
  text: string;
}

/** Where a logical line was written, for one who keeps it without a model object of its own. */
export function copyLine(ll: PlacedLine): PlacedLine {
  return { len: ll.len, spans: ll.spans, col: ll.col, file: ll.file, line: ll.line };
}

/** Exim's limit on nested `.ifdef`. */
const COND_STACK_MAX = 10;
/** Exim has no limit (it runs out of file handles); we stop well before. */
const INCLUDE_DEPTH_MAX = 32;

interface Frame {
  file: SourceFile; line: number; dir: string;
  /** physicalLines of the file. */
  lines: number;
  /** The kinds of the file's lines, when this reading of it records them (the first). */
  kinds: Uint8Array | undefined;
  /**
   * Where the next place a macro could start is in the file, at or after the line being read
   * (text.length: none), for the table's first `known` initials; and the search that found it.
   */
  nextMacro: number;
  known: number;
  starts: MacroStarts;
  /** For a file that starts with a BOM, its first line with the BOM blanked (see firstLineBlanked). */
  bomLine: string | undefined;
  /** Where the next NUL is in the file, at or after the line being read (text.length: none). */
  nul: number;
  /** What the next line is part of, after a lone CR (JOIN_NONE, JOIN_TEXT or a line kind). */
  join: number;
}

interface CondFrame { state: number; loc: Loc; directive: string }

// Exim's transition table: state 0 reads lines, 1 skips until .else/.elif, 2 skips to .endif.
// Columns: if-true, if-false, elif-true or else, elif-false.
const NEXT_STATE = [[0, 1, 2, 2], [2, 2, 0, 1], [2, 2, 2, 2]];
const DIRECTIVES: { name: string; onFound: number; onMissing: number; stack: number }[] = [
  { name: 'ifdef', onFound: 0, onMissing: 1, stack: 1 },
  { name: 'ifndef', onFound: 1, onMissing: 0, stack: 1 },
  { name: 'elifdef', onFound: 2, onMissing: 3, stack: 0 },
  { name: 'elifndef', onFound: 3, onMissing: 2, stack: 0 },
  { name: 'else', onFound: 2, onMissing: 2, stack: 0 },
  { name: 'endif', onFound: 0, onMissing: 0, stack: -1 },
];

export function hasBom(text: string): boolean {
  return text.length > 0 && (text.charCodeAt(0) === 0xfeff || text.startsWith('\u00ef\u00bb\u00bf'));
}

/**
 * A file's first line, without its break, with its BOM (one UTF-16 unit, or three as
 * Latin-1 read UTF-8) made blanks, so columns stay as written; undefined when it has none.
 */
function firstLineBlanked(sf: SourceFile): string | undefined {
  const src = sf.text;
  if (!hasBom(src)) return undefined;
  const starts = sf.lines.lineStarts;
  let end = starts.length > 1 ? starts[1] : src.length;
  while (end > 0 && isLineBreak(src.charCodeAt(end - 1))) end--;
  const raw = src.slice(0, end);
  const n = raw.charCodeAt(0) === 0xfeff ? 1 : 3;
  return ' '.repeat(n) + raw.slice(n);
}

function isLineBreak(c: number): boolean { return c === 10 || c === 13; }

/**
 * Whether offset `i` holds a CR that is not part of a CRLF and not the file's last
 * character: a line break for an editor, none for Exim, whose fgets reads on to the LF.
 */
function isLoneCr(src: string, i: number): boolean {
  return src.charCodeAt(i) === 13 && i + 1 < src.length && src.charCodeAt(i + 1) !== 10;
}

/** The offset of the first NUL at or after `from`, text.length when there is none. */
function nulFrom(src: string, from: number): number {
  const i = src.indexOf('\0', from);
  return i < 0 ? src.length : i;
}

/**
 * What a physical line read after a lone CR is part of: nothing (a line of its own), the
 * text of the logical line being read, or a line Exim ignores the rest of (a comment, a
 * directive, a skipped line, one cut short by a NUL), whose kind it takes.
 */
const JOIN_NONE = -1, JOIN_TEXT = -2;
const ONLY_SPACE_TO_LF = /[ \t\v\f\r]*(\n|$)/y;

/** Whether the physical line the frame last read ends in a CR (CRLF, or a CR at the end of the file). */
function endsInCr(fr: Frame): boolean {
  const src = fr.file.text;
  const starts = fr.file.lines.lineStarts;
  const next = fr.line < starts.length ? starts[fr.line] : src.length;
  const last = src.charCodeAt(next - 1);
  return last === 13 || (last === 10 && src.charCodeAt(next - 2) === 13);
}

function lineRange(line: number, a: number, b: number): Range {
  return { start: { line, character: a }, end: { line, character: b } };
}

export class LineReader {
  private readonly queue: string[];
  private stack: Frame[] = [];
  private cstate = 0;
  private cstack: CondFrame[] = [];
  private done = false;
  /** The top-level file read last: Exim notices an unclosed .ifdef at its last line. */
  private lastTop: SourceFile | undefined;
  readonly includes: Include[] = objectList();
  readonly macroUses: MacroUse[] = objectList();
  /**
   * The line next() returns, filled in again by each call: most logical lines become one
   * setting, ACL item or list, which holds the line's fields itself (an object per line
   * as well was a sixth of a large model's objects), and the rest are dropped once read.
   */
  private readonly cur: LogicalLine = { len: 0, spans: NO_SPANS, col: 0, file: '', line: 0, text: '' };

  constructor(
    topFiles: string[],
    private readonly host: SourceHost,
    readonly macros: MacroTable,
    readonly files: Map<string, SourceFile>,
    /** Filled in: per file read, the kind of each of its physical lines. */
    readonly kinds: Map<string, Uint8Array>,
    private readonly report: (f: Finding) => void,
    /**
     * The file Exim really reads the top files in, when they are Debian's parts that
     * update-exim4.conf writes into one: their relative includes resolve against its directory.
     */
    private readonly generated?: string,
  ) {
    this.queue = [...topFiles];
  }

  /**
   * The file to read the next physical line from: finished files are left and the next
   * top-level file opened. Undefined at the end of the input, and between top-level files
   * when a logical line was begun (`len` > 0): a blank line ends any continuation there.
   */
  private frame(len: number): Frame | undefined {
    for (;;) {
      const fr = this.stack.length ? this.stack[this.stack.length - 1] : undefined;
      if (fr && fr.line < fr.lines) return fr;
      if (fr) {
        this.stack.pop();
        if (this.stack.length) continue;
      }
      if (len > 0) return undefined;
      if (!this.openTop()) {
        this.finish();
        this.done = true;
        return undefined;
      }
    }
  }

  /** Loads a file once; later reads share the same SourceFile. */
  private load(file: string): SourceFile | undefined {
    const have = this.files.get(file);
    if (have) return have;
    const src = this.host.readSource?.(file);
    const text = src ? src.text : this.host.readFile(file);
    if (text === undefined) return undefined;
    const sf: SourceFile = { path: file, text, lines: src ? src.lines : new LineIndex(text) };
    this.files.set(file, sf);
    return sf;
  }

  private openTop(): boolean {
    while (this.queue.length) {
      const file = this.queue.shift()!;
      const sf = this.load(file);
      if (!sf) {
        this.report(finding('input/unreadable', file, lineRange(0, 0, 0), `Cannot read ${file}.`));
        continue;
      }
      this.push(sf, this.generated ? path.dirname(this.generated) : path.dirname(sf.path));
      this.lastTop = sf;
      return true;
    }
    return false;
  }

  /** Starts reading `sf`; a relative include in it resolves against `dir`. */
  private push(sf: SourceFile, dir: string): void {
    let kinds: Uint8Array | undefined;
    const lines = physicalLines(sf);
    if (!this.kinds.has(sf.path)) {
      this.kinds.set(sf.path, kinds = new Uint8Array(lines));
      this.checkBytes(sf);
    }
    this.stack.push({
      file: sf, line: 0, dir, lines, kinds, nextMacro: -1, known: 0, starts: new MacroStarts(sf.text),
      bomLine: firstLineBlanked(sf), nul: -1, join: JOIN_NONE,
    });
  }

  /** Things Exim's reader chokes on that are invisible in an editor. */
  private checkBytes(sf: SourceFile): void {
    if (hasBom(sf.text)) {
      this.report(finding('exim/syntax', sf.path, lineRange(0, 0, 1),
        'The file starts with a byte order mark (BOM), which Exim rejects ("found unexpected BOM"). Save the file as UTF-8 without BOM.'));
    }
    // Exim reads on without a word (checked with exim -bV), but not what the file shows: warnings.
    const nul = sf.text.indexOf('\0');
    if (nul >= 0) {
      const p = sf.lines.positionAt(nul);
      this.report(finding('exim/syntax', sf.path, lineRange(p.line, p.character, p.character + 1),
        'The file contains a NUL byte; Exim reads such a line only up to it and ignores the rest (a "\\" there continues nothing). Is this a binary file? Remove the byte or point Exim at the right file.', { severity: 'warning' }));
    }
    for (let cr = sf.text.indexOf('\r'); cr >= 0; cr = sf.text.indexOf('\r', cr + 1)) {
      // A CR before white space and the LF (`\r\r\n`) joins nothing Exim would not strip.
      if (!isLoneCr(sf.text, cr)) continue;
      ONLY_SPACE_TO_LF.lastIndex = cr + 1;
      if (ONLY_SPACE_TO_LF.test(sf.text)) continue;
      const p = sf.lines.positionAt(cr);
      this.report(finding('exim/syntax', sf.path, lineRange(p.line, p.character, p.character + 1),
        `A carriage return without a line feed after it: Exim ends lines only at a line feed, so it reads this line and line ${p.line + 2} as one line, the carriage return a space in it, and its line numbers from here on are behind an editor's. Use Unix (LF) or CRLF line ends.`, { severity: 'warning' }));
      break;
    }
  }

  private condLoc(fr: Frame, a: number, b: number): Loc {
    return new SpanLoc(fr.file.path, fr.line - 1, a, fr.line - 1, b);
  }

  /** Reports what is left open at the very end of the input. */
  private finish(): void {
    const last = this.lastTop;
    const lines = last ? physicalLines(last) : 0;
    // Exim says so at the last line it read ("Unexpected end of configuration file").
    const related = last ? [{ file: last.path, range: lineRange(Math.max(0, lines - 1), 0, 0), message: 'Exim reports the missing .endif here, at the end of the configuration' }] : undefined;
    for (const c of this.cstack) {
      this.report(finding('exim/conditional-syntax', c.loc.file, c.loc.range,
        `.${c.directive} has no matching .endif before the end of the configuration; add .endif.`, related ? { related } : {}));
    }
    this.cstack = [];
  }

  /**
   * The next logical line, or undefined at the end of the whole input. The object is the
   * reader's own and changes with the next call: keep its fields, or a copyLine.
   *
   * Most lines are one physical line as written: blank, a comment, or content with no macro
   * and no continuation. Those are read here; anything else (a file's first line, a
   * directive, a macro, a continuation, a skipped stretch, the end of a file) goes to
   * nextJoined. This function stays small and meets only what it has seen, so its optimised
   * code is cheap to make and is not thrown away when a rare case turns up.
   */
  next(): LogicalLine | undefined {
    const stack = this.stack;
    for (;;) {
      if (this.cstate !== 0 || stack.length === 0) return this.nextJoined();
      const fr = stack[stack.length - 1];
      const lineNo = fr.line;
      if (lineNo >= fr.lines) return this.nextJoined();
      const sf = fr.file;
      const src = sf.text;
      if (lineNo === 0 && fr.bomLine !== undefined) return this.nextJoined();
      const starts = sf.lines.lineStarts;
      const start = starts[lineNo];
      let lineEnd = lineNo + 1 < starts.length ? starts[lineNo + 1] : src.length;
      while (lineEnd > start && isLineBreak(src.charCodeAt(lineEnd - 1))) lineEnd = lineEnd - 1;
      // A line that a NUL cuts short, or that goes on past a lone CR, is Exim's own: nextJoined.
      if (fr.nul < start) fr.nul = nulFrom(src, start);
      if (fr.nul < lineEnd || isLoneCr(src, lineEnd) || fr.join !== JOIN_NONE) return this.nextJoined();
      let s = start;
      while (s < lineEnd && isSpace(src.charCodeAt(s))) s = s + 1;
      if (s === lineEnd) {
        fr.line = lineNo + 1;
        if (fr.kinds) fr.kinds[lineNo] = BLANK;
        continue;
      }
      const first = src.charCodeAt(s);
      if (first === 35 /* # */) {
        fr.line = lineNo + 1;
        if (fr.kinds) fr.kinds[lineNo] = COMMENT;
        continue;
      }
      if (first === 46 /* . */) return this.nextJoined();
      // A line where no macro can start (most lines) is not searched. The next such place is
      // found once per stretch of the file, natively, and again when a macro brings a new one.
      const initials = this.macros.initials;
      if (fr.nextMacro < start || fr.known !== initials.length) {
        fr.known = initials.length;
        fr.nextMacro = fr.starts.next(start, initials);
      }
      if (fr.nextMacro < lineEnd) return this.nextJoined();
      // The last character before trailing white space (it stops at `first`); a do-while so
      // the step is taken on every line, not first met in optimised code on a rare one.
      let e = lineEnd;
      do e = e - 1; while (isSpace(src.charCodeAt(e)));
      if (src.charCodeAt(e) === 92 /* \ */) return this.nextJoined();
      // A line of its own, as written: its text is one slice of the file, and it needs no spans.
      fr.line = lineNo + 1;
      return this.fill(src.slice(s, e + 1), NO_SPANS, s - start, sf.path, lineNo);
    }
  }

  /** next() for every other line: reads physical lines until a logical line is complete. */
  private nextJoined(): LogicalLine | undefined {
    if (this.done) return undefined;
    // Most logical lines are one physical line: their arrays are made with their first
    // element (an array grown from [] by push reserves 16 slots).
    let chunks: string[] = NO_CHUNKS;
    let spans: Span[] = NO_SPANS;
    let len = 0;
    let startFile = '', startLine = 0;
    for (;;) {
      const fr = this.frame(len);
      if (!fr) {
        if (len > 0) break;
        return undefined;
      }
      const sf = fr.file;
      const src = sf.text;
      const lineNo = fr.line++;
      const starts = sf.lines.lineStarts;
      const start = starts[lineNo];
      // The line without its break, read in place: most lines are never copied on their own.
      let lineEnd = lineNo + 1 < starts.length ? starts[lineNo + 1] : src.length;
      while (lineEnd > start && isLineBreak(src.charCodeAt(lineEnd - 1))) lineEnd--;
      // Exim's line goes on past a lone CR, and ends at a NUL (the rest up to the LF unread).
      let lone = isLoneCr(src, lineEnd);
      const joined = fr.join;
      fr.join = JOIN_NONE;
      if (joined >= 0) {
        // The rest of a line Exim ignores.
        if (fr.kinds) fr.kinds[lineNo] = joined;
        if (lone) fr.join = joined;
        continue;
      }
      if (fr.nul < start) fr.nul = nulFrom(src, start);
      if (fr.nul < lineEnd) {
        lineEnd = fr.nul;
        // What follows the NUL up to Exim's line end is unread, lines after lone CRs too.
        if (lone) fr.join = SKIPPED;
        lone = false;
      }
      // Where the physical line is read from: the file in place, or its first line with a BOM
      // blanked (same length), made when the file was opened. One path for both, only locals
      // set on the rare one: a branch first taken late would throw away this function's
      // optimised code.
      let line = src, at = start, bom = false;
      const blanked = lineNo === 0 ? fr.bomLine : undefined;
      if (blanked !== undefined) { line = blanked; at = 0; bom = true; }
      const end = at + (lineEnd - start);
      let raw: string | undefined;
      // A line that is not content records its kind at the end of this block (one place).
      let kind = CONTENT;
      classify: {
        let ss = 0;
        // After a lone CR the line is the middle of Exim's: its white space is kept, and
        // nothing at its start makes it a comment or directive.
        if (joined !== JOIN_TEXT) while (at + ss < end && isSpace(line.charCodeAt(at + ss))) ss++;
        const first = at + ss < end ? line.charCodeAt(at + ss) : -1;
        // White space before a lone CR is no line at all: Exim's goes on with the next.
        if (first < 0 && lone && joined !== JOIN_TEXT) { kind = BLANK; break classify; }
        // A comment line stays one whatever macros it names: nothing is substituted before
        // its `#`, and what comes after does not matter.
        if (first === 35 /* # */ && joined !== JOIN_TEXT) { kind = COMMENT; break classify; }
        const initials = this.macros.initials;
        if (fr.nextMacro < start || fr.known !== initials.length) {
          fr.known = initials.length;
          fr.nextMacro = fr.starts.next(start, initials);
        }
        let ex: ExpandedLine | undefined;
        if (fr.nextMacro < lineEnd) {
          raw = line.slice(at, end);
          ex = expandLine(raw, this.macros, len === 0);
        }
        // An upper-case letter that starts no macro (`message = No sender`) leaves the line as written.
        if (!ex && !bom && !lone && len === 0 && this.cstate === 0 && first !== 46 /* . */) {
          if (first < 0) { kind = BLANK; break classify; }
          // A line of its own, as written: its text is one slice of the file, and it needs no spans.
          let e = lineEnd;
          do e--; while (isSpace(src.charCodeAt(e)));
          if (src.charCodeAt(e) !== 92 /* \ */) {
            return this.fill(src.slice(start + ss, e + 1), NO_SPANS, ss, sf.path, lineNo);
          }
        }
        raw ??= line.slice(at, end);
        const text = ex ? ex.text : raw;
        if (ex && joined !== JOIN_TEXT) {
          ss = 0;
          while (ss < text.length && isSpace(text.charCodeAt(ss))) ss++;
        }
        const c0 = ss < text.length && joined !== JOIN_TEXT ? text.charCodeAt(ss) : -1;

        // A macro may also make a comment (`C1 = #` at the start of a line).
        if (c0 === 35 /* # */) { kind = COMMENT; break classify; }

        if (c0 === 46 /* . */ && this.directive(fr, raw, text, ss, ex !== undefined)) {
          if (lone) fr.join = DIRECTIVE;
          continue;
        }

        if (this.cstate !== 0) { kind = SKIPPED; break classify; }

        if (ex) this.noteUses(ex, sf.path, lineNo);

        if (c0 === 46 && this.isInclude(text, ss)) {
          if (fr.kinds) fr.kinds[lineNo] = INCLUDE;
          this.include(fr, text, ss, text.startsWith('_if_exists', ss + 8), ex === undefined);
          if (lone) fr.join = INCLUDE;
          continue;
        }

        // Content: append from the first non-blank, then drop trailing white space.
        if (len === 0) { startFile = sf.path; startLine = lineNo; }
        if (ss < text.length) {
          const part = text.slice(ss);
          if (chunks === NO_CHUNKS) chunks = [part]; else chunks.push(part);
          if (!ex) {
            const sp: Span = { at: len, len: text.length - ss, file: sf.path, line: lineNo, ch: ss, chEnd: text.length, exact: true };
            if (spans === NO_SPANS) spans = [sp]; else spans.push(sp);
          } else {
            if (spans === NO_SPANS) spans = [];
            expandedSpans(ex, ss, len, sf.path, lineNo, spans);
          }
          len += part.length;
        } else if (len === 0) {
          kind = BLANK; break classify;
        }
        if (lone) {
          // The CR is a character of Exim's line (white space), and the next line goes on with it.
          const sp: Span = { at: len, len: 1, file: sf.path, line: lineNo, ch: lineEnd - start, chEnd: lineEnd - start + 1, exact: true };
          if (chunks === NO_CHUNKS) chunks = ['\r']; else chunks.push('\r');
          if (spans === NO_SPANS) spans = [sp]; else spans.push(sp);
          len++;
          fr.join = JOIN_TEXT;
          continue;
        }
        len = trimEnd(chunks, spans, len);
        if (len > 0) {
          const last = chunks[chunks.length - 1];
          if (last.charCodeAt(last.length - 1) !== 92 /* \ */) break;
          len = dropLast(chunks, spans, len, 1);
        }
        continue;
      }
      if (fr.kinds) fr.kinds[lineNo] = kind;
      // The rest of a comment or skipped line, after a lone CR, is the same line for Exim.
      if (lone && kind !== BLANK) fr.join = kind;
    }
    return this.fill(chunks.length === 1 ? chunks[0] : chunks.join(''), spans, 0, startFile, startLine);
  }

  private noteUses(ex: ExpandedLine, file: string, lineNo: number): void {
    for (const u of ex.uses) this.macroUses.push({ name: u.name, loc: new SpanLoc(file, lineNo, u.srcStart, lineNo, u.srcEnd) });
  }

  /** `.include` or `.include_if_exists` at `ss`, then white space or the end of the line. */
  private isInclude(text: string, ss: number): boolean {
    if (!text.startsWith('.include', ss)) return false;
    // Both forms read on one path, every operation met on each: one first met on a rare
    // `.include_if_exists` threw away the optimised code of nextJoined, which inlines this.
    const extra = text.startsWith('_if_exists', ss + 8) ? 10 : 0;
    const end = ss + 8 + extra;
    return end === text.length || isSpace(codeAt(text, end));
  }

  private fill(text: string, spans: Span[], col: number, file: string, line: number): LogicalLine {
    const c = this.cur;
    c.text = text; c.len = text.length; c.spans = spans; c.col = col; c.file = file; c.line = line;
    return c;
  }

  /** Handles `.ifdef` and friends; false when the line is not one of them. */
  private directive(fr: Frame, raw: string, text: string, ss: number, found: boolean): boolean {
    for (const d of DIRECTIVES) {
      if (!text.startsWith(d.name, ss + 1)) continue;
      const after = ss + 1 + d.name.length;
      const n = codeAt(text, after);
      // Exim takes the directive only when a space or the end of the line follows its name;
      // any other line that starts with it (`.endif\t`, `.ifdeff X`, `.else` with a CRLF
      // line end, whose CR our lines leave out) it skips without a word: it opens, closes
      // or switches nothing (checked with exim -bV).
      const cr = after === text.length && text === raw && endsInCr(fr);
      if (fr.kinds) fr.kinds[fr.line - 1] = DIRECTIVE;
      if ((after < text.length && n !== 32) || cr) {
        const what = cr ? 'a carriage return (a CRLF line end)' : n === 9 ? 'a tab' : `"${text[after]}"`;
        this.report(finding('exim/conditional-syntax', fr.file.path, lineRange(fr.line - 1, 0, raw.length),
          `Exim does not recognise .${d.name} followed by ${what}: it skips this line, so it ${d.stack > 0 ? 'opens no conditional' : d.stack < 0 ? 'closes no conditional' : 'switches no branch'}. Write .${d.name} followed by a single space or nothing${cr ? ', with Unix (LF) line ends' : ''}.`, { severity: 'warning' }));
        return true;
      }
      const loc = this.condLoc(fr, ss, after);
      if (d.stack > 0) {
        if (this.cstack.length >= COND_STACK_MAX - 1) {
          this.report(finding('exim/conditional-syntax', loc.file, loc.range,
            `.${d.name} nested too deeply: Exim allows at most ${COND_STACK_MAX - 1} levels. Flatten the conditionals.`));
        }
        this.cstack.push({ state: this.cstate, loc, directive: d.name });
        this.cstate = NEXT_STATE[this.cstate][found ? d.onFound : d.onMissing];
      } else if (!this.cstack.length) {
        this.report(finding('exim/conditional-syntax', loc.file, loc.range,
          `.${d.name} without a matching .ifdef or .ifndef; remove it or add the opening directive.`));
      } else if (d.stack < 0) {
        this.cstate = this.cstack.pop()!.state;
      } else {
        this.cstate = NEXT_STATE[this.cstate][found ? d.onFound : d.onMissing];
      }
      return true;
    }
    return false;
  }

  private include(fr: Frame, text: string, ss: number, ifExists: boolean, exact: boolean): void {
    const lineNo = fr.line - 1;
    const file = fr.file.path;
    let a = ss + (ifExists ? 18 : 8);
    while (a < text.length && isSpace(text.charCodeAt(a))) a++;
    let b = text.length;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    let target = text.slice(a, b);
    if (target.length >= 2 && target.startsWith('"') && target.endsWith('"')) target = target.slice(1, -1);
    // Columns are only exact when no macro changed the line.
    const loc: Loc = { file, range: exact ? lineRange(lineNo, a, b) : lineRange(lineNo, 0, fr.file.lines.lineText(lineNo).length) };
    const directive = ifExists ? '.include_if_exists' : '.include';
    if (!target && ifExists) {
      this.report(finding('exim/syntax', file, loc.range, '.include_if_exists needs a file name: Exim refuses it without one (".include specifies a non-absolute path").'));
      return;
    }
    if (!target) {
      // Exim takes the empty name as relative: it opens the config's own directory, which
      // reads as no lines (exim4 -bV accepts it).
      this.report(finding('exim/syntax', file, loc.range, '.include names no file: Exim opens the directory of this file instead, which reads as nothing. Give the file to include, or remove the line.', { severity: 'warning' }));
      return;
    }
    if (ifExists && !target.startsWith('/')) {
      this.report(finding('exim/syntax', file, loc.range,
        `.include_if_exists needs an absolute path (Exim refuses "${target}"); write the full path starting with /.`));
      return;
    }
    const resolved = target.startsWith('/') ? normalPath(target) : path.join(fr.dir, target);
    const inc: Include = { path: target, resolved, found: false, optional: ifExists, loc };
    this.includes.push(inc);
    if (this.stack.some((f) => f.file.path === resolved)) {
      inc.found = true;
      this.report(finding('exim/syntax', file, loc.range,
        `${directive} of ${resolved} makes an include loop (that file is already being read); Exim would recurse until it fails. Remove the circular ${directive}.`));
      return;
    }
    if (this.stack.length >= INCLUDE_DEPTH_MAX) {
      this.report(finding('exim/syntax', file, loc.range,
        `${directive} nested more than ${INCLUDE_DEPTH_MAX} files deep; flatten the includes.`));
      return;
    }
    // Read first: a directory has no text, and is asked about only then (one stat less per include).
    const sf = this.load(resolved);
    if (!sf) {
      // A relative path in a Debian part is looked for beside the generated file: say why there.
      const why = this.generated && this.stack[0] === fr && !target.startsWith('/') ? this.generatedWhy(fr, target) : '';
      if (this.host.isDirectory(resolved)) {
        // Exim opens a directory as it would a file and reads no line from it: the config
        // loads (exim4 -bV), with nothing from there in it.
        this.report(finding('exim/include-not-found', file, loc.range,
          `${directive} names ${resolved}, which is a directory: Exim reads no lines from it, so this adds nothing to the configuration. Name a file in it (each file needs its own ${directive}).${why}`,
          { severity: 'warning' }));
      } else if (!ifExists) {
        this.report(finding('exim/include-not-found', file, loc.range, why
          ? `Included file ${resolved} does not exist or cannot be read.${why}`
          : `Included file ${resolved} does not exist or cannot be read; fix the path or use .include_if_exists for an optional file.`));
      }
      return;
    }
    inc.found = true;
    this.push(sf, path.dirname(resolved));
  }

  /**
   * Why a relative include of a Debian part is looked for where it is: update-exim4.conf
   * copies the part into the generated file, and Exim resolves the path against that
   * file's directory, not the part's. The fix is an absolute path; the file beside the part is
   * named when there is one, as the likely meaning.
   */
  private generatedWhy(fr: Frame, target: string): string {
    const beside = path.join(path.dirname(fr.file.path), target);
    const meant = this.host.readFile(beside) !== undefined
      ? ` If ${beside} is the file meant, write that absolute path.`
      : ' Write the absolute path of the file meant.';
    return ` "${target}" is relative, and Exim reads this file as part of ${this.generated} (update-exim4.conf's output), so it resolves the path against ${path.dirname(this.generated!)}, not this file's directory.${meant}`;
  }
}

/** Appends the spans of an expanded line's text from `ss` on, the logical line being `len` long so far. */
function expandedSpans(ex: ExpandedLine, ss: number, len: number, file: string, line: number, spans: Span[]): void {
  for (const sg of ex.segs) {
    const a = Math.max(sg.at, ss), b = sg.at + sg.len;
    if (b <= a) continue;
    spans.push(sg.exact
      ? { at: len + (a - ss), len: b - a, file, line, ch: sg.srcStart + (a - sg.at), chEnd: sg.srcStart + (b - sg.at), exact: true }
      : { at: len + (a - ss), len: b - a, file, line, ch: sg.srcStart, chEnd: sg.srcEnd, exact: false });
  }
}

/**
 * path.normalize of an absolute path, which is most often normal already (no `//`, `.` or
 * `..` part): then it is the path itself, without normalize's walk over it (JavaScript in
 * Node itself, a call per character while cold: the corpus includes 952 times).
 */
function normalPath(p: string): string {
  return path.sep === '/' && !ABNORMAL.test(p) ? p : path.normalize(p);
}
const ABNORMAL = /\/\/|\/\.\.?(\/|$)/;

/** Shared empty starts of a logical line's arrays: replaced, never pushed to (trimEnd pops only what is there). */
const NO_CHUNKS: string[] = [];
const NO_SPANS: Span[] = [];

/** Lines of a file as Exim's fgets sees them: a final line break does not start another line. */
function physicalLines(sf: SourceFile): number {
  const n = sf.lines.lineCount;
  return n > 0 && sf.lines.lineStarts[n - 1] === sf.text.length ? n - 1 : n;
}

/** Removes trailing white space of the logical line so far; returns the new length. */
function trimEnd(chunks: string[], spans: Span[], len: number): number {
  while (chunks.length) {
    const last = chunks[chunks.length - 1];
    let e = last.length;
    while (e > 0 && isSpace(last.charCodeAt(e - 1))) e--;
    if (e === last.length) break;
    len = dropLast(chunks, spans, len, last.length - e);
  }
  return len;
}

function dropLast(chunks: string[], spans: Span[], len: number, n: number): number {
  const last = chunks[chunks.length - 1];
  if (n >= last.length) chunks.pop(); else chunks[chunks.length - 1] = last.slice(0, last.length - n);
  len -= n;
  while (spans.length) {
    const sp = spans[spans.length - 1];
    if (sp.at >= len) { spans.pop(); continue; }
    if (sp.at + sp.len > len) {
      const cut = sp.at + sp.len - len;
      sp.len -= cut;
      if (sp.exact) sp.chEnd -= cut;
    }
    break;
  }
  return len;
}

/** Where a range [a, b) of a logical line's text was written. */
export function locOf(ll: PlacedLine, a: number, b: number): SpanLoc {
  return locAt(ll.spans, ll.len, ll.col, ll.file, ll.line, a, b);
}

/** locOf's Range alone (expansion nodes keep Ranges, not Locs). */
export function rangeOf(ll: PlacedLine, a: number, b: number): Range {
  return rangeAt(ll.spans, ll.len, ll.col, ll.file, ll.line, a, b);
}

/**
 * locOf from a line's fields, read by the caller: settings, ACL items and lists each read
 * their own (one object shape per reading place), where locOf would read them from all kinds.
 */
export function locAt(sps: Span[], len: number, col: number, file: string, line: number, a: number, b: number): SpanLoc {
  const f = place(sps, len, col, file, line, a, b);
  return new SpanLoc(f, P[0], P[1], P[2], P[3]);
}

export function rangeAt(sps: Span[], len: number, col: number, file: string, line: number, a: number, b: number): Range {
  place(sps, len, col, file, line, a, b);
  return { start: { line: P[0], character: P[1] }, end: { line: P[2], character: P[3] } };
}

/** Start line, start column, end line, end column of the last place(): no object per call. */
const P = [0, 0, 0, 0];

function place(sps: Span[], n: number, col: number, file: string, line: number, a: number, b: number): string {
  if (!sps.length) {
    // One run from column `col`: as a single exact span would place it.
    P[0] = P[2] = line;
    P[1] = col + Math.min(Math.max(a, 0), n);
    P[3] = b <= a ? P[1] : col + Math.min(Math.max(b, 0), n);
    return file;
  }
  const sa = findSpan(sps, a);
  if (b <= a && sa > 0 && sps[sa].at === a) {
    // An empty range where two spans meet (after a macro that expanded to nothing, or at a
    // continuation) sits at the end of the left span: a range ending here ends there too,
    // so an empty node at the end of its parent stays inside it.
    const l = sps[sa - 1];
    P[0] = P[2] = l.line;
    P[1] = P[3] = l.exact ? l.ch + l.len : l.chEnd;
    return l.file;
  }
  const s0 = sps[sa];
  const startCh = s0.exact ? s0.ch + Math.min(Math.max(a - s0.at, 0), s0.len) : s0.ch;
  P[0] = s0.line; P[1] = startCh;
  if (b <= a) { P[2] = s0.line; P[3] = startCh; return s0.file; }
  let sb = findSpan(sps, b - 1);
  while (sb > sa && sps[sb].file !== s0.file) sb--;
  const s1 = sps[sb];
  P[2] = s1.line; P[3] = s1.exact ? s1.ch + Math.min(Math.max(b - s1.at, 0), s1.len) : s1.chEnd;
  return s0.file;
}

function findSpan(sps: Span[], off: number): number {
  let lo = 0, hi = sps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sps[mid].at <= off) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** The pieces of each file read, from the kinds the reader recorded. */
export function piecesOf(files: ReadonlyMap<string, SourceFile>, kinds: ReadonlyMap<string, Uint8Array>): Map<string, Piece[]> {
  const out = new Map<string, Piece[]>();
  for (const [file, k] of kinds) {
    const sf = files.get(file)!;
    const starts = sf.lines.lineStarts;
    const list: Piece[] = [];
    for (let line = 0; line < k.length; line++) {
      list.push({ line, start: starts[line], end: line + 1 < starts.length ? starts[line + 1] : sf.text.length, kind: KINDS[k[line]] });
    }
    out.set(file, list);
  }
  return out;
}

/** The physical lines of the branches Exim skips, with their text. */
export function skippedOf(files: ReadonlyMap<string, SourceFile>, kinds: ReadonlyMap<string, Uint8Array>): { file: string; line: number; text: string }[] {
  const out: { file: string; line: number; text: string }[] = [];
  for (const [file, k] of kinds) {
    if (!k.includes(SKIPPED)) continue;
    const sf = files.get(file)!;
    for (let line = 0; line < k.length; line++) if (k[line] === SKIPPED) out.push({ file, line, text: sf.lines.lineText(line) });
  }
  return out;
}

/** Rebuilds a file's text from its recorded pieces (the losslessness check). */
export function reconstruct(sf: SourceFile, pieces: Piece[]): string {
  const parts: string[] = [];
  for (const p of pieces) parts.push(sf.text.slice(p.start, p.end));
  return parts.join('');
}
