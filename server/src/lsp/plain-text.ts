// The core writes hovers and completion documentation in Markdown. A client that does not
// read Markdown shows the text as written, so it is sent this reading of it instead: code
// without its backticks or fences, bold and headings without their marks, a link as
// "text (url)". Only the Markdown the core writes has to read well; anything else passes
// through unchanged, and what is inside code is never touched (a macro's value may hold
// any character).

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const ESCAPABLE = /[!-/:-@[-`{-~]/;
const AUTOLINK = /^<([a-z][a-z0-9+.-]{1,31}:[^<>\s]*)>/i;

export function markdownToPlainText(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    if (fence !== undefined) {
      if (closesFence(line, fence)) fence = undefined;
      else out.push(line);
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string cannot hold a backtick (CommonMark): "```a`" is inline code.
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      fence = open[1];
      continue;
    }
    // Trailing spaces outside code are a Markdown hard break: the line break itself says it here.
    const text = line.replace(/(?<! ) {2,}$/, '');
    const heading = HEADING.exec(text);
    out.push(inline(heading ? heading[1] ?? '' : text));
  }
  return out.join('\n');
}

function closesFence(line: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[1][0] === fence[0] && m[1].length >= fence.length;
}

/** The length of the run of `ch` at `i`. */
function runAt(s: string, i: number, ch: string): number {
  let n = 0;
  while (s[i + n] === ch) n++;
  return n;
}

/** Where the code span opened by the backtick run at `i` closes (a run of the same length), or -1. */
function codeSpanEnd(s: string, i: number): number {
  const n = runAt(s, i, '`');
  for (let j = i + n; j < s.length;) {
    if (s[j] !== '`') { j++; continue; }
    const m = runAt(s, j, '`');
    if (m === n) return j;
    j += m;
  }
  return -1;
}

/** The next `marker` at or after `from` that is not escaped or inside a code span, or -1. */
function findOutsideCode(s: string, from: number, marker: string): number {
  for (let i = from; i < s.length;) {
    if (s.startsWith(marker, i)) return i;
    if (s[i] === '\\') { i += 2; continue; }
    if (s[i] === '`') {
      const n = runAt(s, i, '`');
      const end = codeSpanEnd(s, i);
      i = end < 0 ? i + n : end + n;
      continue;
    }
    i++;
  }
  return -1;
}

/** `[text](url)` at `i` (which holds the `[`): the text, the url and where the link ends. */
function linkAt(s: string, i: number): { text: string; url: string; end: number } | undefined {
  let depth = 0;
  let close = -1;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '\\') { j++; continue; }
    if (s[j] === '`') {
      const end = codeSpanEnd(s, j);
      if (end >= 0) j = end + runAt(s, end, '`') - 1;
      continue;
    }
    if (s[j] === '[') depth++;
    else if (s[j] === ']' && --depth === 0) { close = j; break; }
  }
  if (close < 0 || s[close + 1] !== '(') return undefined;
  const dest = /^\(\s*(<[^<>\n]*>|[^\s()]*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)/.exec(s.slice(close + 1));
  if (!dest) return undefined;
  const url = dest[1].startsWith('<') ? dest[1].slice(1, -1) : dest[1];
  return { text: s.slice(i + 1, close), url, end: close + 1 + dest[0].length };
}

function inline(s: string): string {
  let out = '';
  for (let i = 0; i < s.length;) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1])) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const n = runAt(s, i, '`');
      const end = codeSpanEnd(s, i);
      if (end < 0) {
        out += s.slice(i, i + n);
        i += n;
        continue;
      }
      let code = s.slice(i + n, end);
      // One space each side is padding that lets a span start or end with a backtick.
      if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
      out += code;
      i = end + n;
      continue;
    }
    if (ch === '[' || (ch === '!' && s[i + 1] === '[')) {
      const link = linkAt(s, ch === '!' ? i + 1 : i);
      if (link) {
        const text = inline(link.text);
        out += !link.url || text === link.url ? text : text ? `${text} (${link.url})` : link.url;
        i = link.end;
        continue;
      }
    }
    if (ch === '<') {
      const auto = AUTOLINK.exec(s.slice(i));
      if (auto) {
        out += auto[1];
        i += auto[0].length;
        continue;
      }
    }
    // Strong emphasis: "**" before a non-space, closed by "**" after one. Single asterisks
    // are left alone: the core writes none as emphasis, and "multipart/*" means a star.
    if (s.startsWith('**', i) && s[i + 2] !== undefined && !/\s|\*/.test(s[i + 2])) {
      const close = findOutsideCode(s, i + 2, '**');
      if (close > i + 2 && !/\s/.test(s[close - 1])) {
        out += inline(s.slice(i + 2, close));
        i = close + 2;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}
