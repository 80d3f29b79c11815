// SMTP/LMTP replies (RFC 5321 §4.2, RFC 2033) with RFC 3463 enhanced status codes.

export interface Reply {
  /** The three-digit code, e.g. 550. */
  code: number;
  /** RFC 3463 `class.subject.detail` when the server gave one, e.g. `5.1.1`. */
  enhancedCode?: string;
  /** The reply as received, one entry per line (code and separator included, no CRLF). */
  lines: string[];
  /** The text of every line (code, separator and enhanced code removed), joined by a space. */
  text: string;
}

export type ReplyClass = 'positive' | 'intermediate' | 'temporary' | 'permanent';

export function replyClass(code: number): ReplyClass {
  const d = Math.floor(code / 100);
  return d === 2 ? 'positive' : d === 3 ? 'intermediate' : d === 4 ? 'temporary' : 'permanent';
}

const LINE = /^([2-5][0-5][0-9])([ -]|$)(.*)$/s;
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$)/;

/** A line that is not part of a well-formed reply. */
export class ReplySyntaxError extends Error {}

/**
 * Assembles replies from lines. Feed each received line (without CRLF); a complete reply
 * comes back when its last line (`NNN ` or a bare `NNN`) arrives.
 */
export class ReplyAssembler {
  private pending: string[] = [];
  private pendingCode = 0;

  constructor(private readonly maxLines = 100) {}

  /** Lines of a reply still being received. */
  get partial(): boolean { return this.pending.length > 0; }

  push(line: string): Reply | undefined {
    const m = LINE.exec(line);
    if (!m) throw new ReplySyntaxError(`not an SMTP/LMTP reply line: ${preview(line)}`);
    const code = Number(m[1]);
    if (this.pending.length && code !== this.pendingCode) {
      throw new ReplySyntaxError(`reply code changed from ${this.pendingCode} to ${code} inside a multi-line reply`);
    }
    this.pending.push(line);
    this.pendingCode = code;
    if (this.pending.length > this.maxLines) {
      throw new ReplySyntaxError(`a reply longer than ${this.maxLines} lines`);
    }
    if (m[2] === '-') return undefined;
    const lines = this.pending;
    this.pending = [];
    return buildReply(code, lines);
  }
}

function buildReply(code: number, lines: string[]): Reply {
  let enhancedCode: string | undefined;
  const texts = lines.map((l) => {
    let t = l.slice(4).trim();
    const e = ENHANCED.exec(t);
    // Only a code of the reply's own class counts (a 550 text that starts "2.0" is prose).
    if (e && Number(e[1]) === Math.floor(code / 100)) {
      enhancedCode ??= `${e[1]}.${Number(e[2])}.${Number(e[3])}`;
      t = t.slice(e[0].length).trim();
    }
    return t;
  });
  return { code, enhancedCode, lines, text: texts.filter(Boolean).join(' ') };
}

/** Parses a whole reply given as text (lines separated by CRLF or LF). For tests and tools. */
export function parseReply(text: string, maxLines = 100): Reply {
  const a = new ReplyAssembler(maxLines);
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const r = a.push(lines[i]);
    if (r) {
      if (i !== lines.length - 1) throw new ReplySyntaxError('text after the last line of the reply');
      return r;
    }
  }
  throw new ReplySyntaxError('the reply has no last line (every line ends in "-")');
}

/** A line shortened for messages and transcripts. */
export function preview(line: string, max = 120): string {
  const clean = line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > max ? clean.slice(0, max) + `… (${line.length} characters)` : clean;
}
