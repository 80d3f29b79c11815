// Positions are 0-based line/character (UTF-16 code units), the same convention as LSP,
// so the language server can pass them through untouched.
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export function pos(line: number, character: number): Position {
  return { line, character };
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

export function comparePos(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function containsPos(r: Range, p: Position): boolean {
  return comparePos(r.start, p) <= 0 && comparePos(p, r.end) <= 0;
}

/** Texts from this size on keep their line starts in a typed array. */
const LARGE = 1 << 15;

/** Maps offsets to positions and back for one text. Line breaks: \n, \r\n, lone \r. */
export class LineIndex {
  /**
   * Offset where each line starts. A large file's is a typed array (half the memory of an
   * array of numbers, and a large file has tens of thousands of lines); a small file's is an
   * array, which is quicker to make.
   */
  readonly lineStarts: number[] | Uint32Array;
  constructor(readonly text: string) {
    if (text.indexOf('\r') < 0) {
      // Most files break lines with \n alone: found by indexOf, not one character at a time.
      if (text.length < LARGE) {
        const starts = [0];
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
        this.lineStarts = starts;
        return;
      }
      // Room for lines of 32 characters, doubled when short, then cut to size.
      let starts = new Uint32Array((text.length >> 5) + 16);
      let n = 1;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        if (n === starts.length) {
          const more = new Uint32Array(n * 2);
          more.set(starts);
          starts = more;
        }
        starts[n++] = i + 1;
      }
      this.lineStarts = n === starts.length ? starts : starts.slice(0, n);
    } else {
      const starts = [0];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
      this.lineStarts = starts;
    }
  }
  get lineCount(): number { return this.lineStarts.length; }
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0, hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }
  offsetAt(p: Position): number {
    if (p.line < 0) return 0;
    if (p.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[p.line];
    const end = p.line + 1 < this.lineStarts.length ? this.lineStarts[p.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, p.character), end);
  }
  /** The line's text without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line];
    if (start === undefined) return '';
    let end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }
}

/** The line break a text uses: its first one (`\n` for a text without any). */
export function lineBreakOf(text: string | undefined): '\n' | '\r\n' {
  const i = text?.indexOf('\n') ?? -1;
  return i > 0 && text![i - 1] === '\r' ? '\r\n' : '\n';
}

/** Text the core wrote with `\n`, in a file's own line break, so its lines do not end two ways. */
export function inLineBreak(s: string, br: '\n' | '\r\n'): string {
  return br === '\r\n' ? s.replace(/\r?\n/g, '\r\n') : s;
}

/**
 * Whether a line (as LineIndex.lineText gives it, without its line break) ends in "\" and
 * white space: Exim reads the next line as part of this one.
 */
export function endsInBackslash(line: string): boolean {
  return /\\[ \t]*$/.test(line);
}
