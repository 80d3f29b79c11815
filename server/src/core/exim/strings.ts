// Exim's quoted strings: a value that starts with `"` runs to the next unescaped `"`, and
// backslash escapes inside it are interpreted (octal, \x hex, \n \t \r \b \f \v; any other
// escaped character stands for itself). Unquoted, a token runs to white space.

export interface Dequoted {
  value: string;
  /** Offset just past what was read. */
  end: number;
  quoted: boolean;
  /** A quoted string with no closing quote. */
  unterminated: boolean;
  /**
   * Ended by an escaped quote (`"abc\"`) at the end of the text: Exim checks only that the
   * last character it read was a quote, so it takes the string, the quote part of the value.
   */
  escapedClose?: boolean;
  /** An escape made a NUL (`\0`, `\x00`): the value is C's string, cut short there. */
  cut?: boolean;
  /** For each character of value, its offset in the source; one extra entry for the end. */
  map?: number[];
}

const SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function isOct(c: number): boolean { return c >= 48 && c <= 55; }
function isHex(c: number): boolean { return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102); }

/** Reads one string at `from` as Exim's string_dequote does. */
export function dequote(s: string, from: number): Dequoted {
  if (s[from] !== '"') {
    let e = from;
    while (e < s.length && !/\s/.test(s[e])) e++;
    return { value: s.slice(from, e), end: e, quoted: false, unterminated: false };
  }
  const out: string[] = [];
  const map: number[] = [];
  let i = from + 1;
  while (i < s.length && s[i] !== '"') {
    if (s[i] === '\\' && i + 1 < s.length) {
      const at = i;
      let j = i + 1;
      const c = s.charCodeAt(j);
      let ch: string;
      if (isOct(c)) {
        let v = c - 48;
        for (let k = 0; k < 2 && isOct(s.charCodeAt(j + 1)); k++) v = v * 8 + s.charCodeAt(++j) - 48;
        ch = String.fromCharCode(v & 0xff);
      } else if (s[j] === 'x') {
        let v = 0;
        for (let k = 0; k < 2 && isHex(s.charCodeAt(j + 1)); k++) v = v * 16 + parseInt(s[++j], 16);
        ch = String.fromCharCode(v);
      } else ch = SIMPLE[s[j]] ?? s[j];
      out.push(ch);
      map.push(at);
      i = j + 1;
    } else {
      out.push(s[i]);
      map.push(i);
      i++;
    }
  }
  const escapedClose = i >= s.length && i - 1 > from && s[i - 1] === '"';
  const unterminated = i >= s.length && !escapedClose;
  map.push(i);
  if (i < s.length) i++;
  let value = out.join('');
  const nul = value.indexOf('\0');
  const d: Dequoted = { value, end: i, quoted: true, unterminated, map };
  if (escapedClose) d.escapedClose = true;
  if (nul >= 0) {
    d.value = value = value.slice(0, nul);
    d.map = map.slice(0, nul + 1);
    d.cut = true;
  }
  return d;
}

export interface CommandArg { value: string; start: number; map?: number[] }

/**
 * Splits a command (pipe and lmtp `command`, queryprogram's `command`, `transport_filter`)
 * into arguments as transport_set_up_command does, before anything is expanded: '...' is
 * taken verbatim, "..." is dequoted, anything else runs to white space. Each argument is
 * then expanded on its own, so `"...\\$..."` reaches the expander as `\$`.
 */
export function splitCommand(s: string): CommandArg[] {
  const out: CommandArg[] = [];
  let i = 0;
  const space = (c: number) => c === 32 || (c >= 9 && c <= 13);
  while (i < s.length && space(s.charCodeAt(i))) i++;
  while (i < s.length) {
    if (s[i] === "'") {
      const close = s.indexOf("'", i + 1);
      const end = close < 0 ? s.length : close;
      out.push({ value: s.slice(i + 1, end), start: i + 1 });
      i = close < 0 ? s.length : close + 1;
    } else {
      const d = dequote(s, i);
      out.push(d.map ? { value: d.value, start: i, map: d.map } : { value: d.value, start: i });
      i = d.end;
    }
    while (i < s.length && space(s.charCodeAt(i))) i++;
  }
  return out;
}
