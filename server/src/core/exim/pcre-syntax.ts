// The few regular-expression mistakes that are certain without compiling the pattern as
// PCRE2 does: a character class or group left open, a group closed that was never opened,
// a quantifier with nothing before it, a range out of order (`[a-Z]`), a backslash at the
// very end. Exim compiles a `match` or `sg` pattern when it expands it, and a malformed one
// fails that expansion ("regular expression error in ..."). Anything this reader is unsure
// of (extended mode, where white space and `#` comments change what a bracket means) gives
// no answer: a miss costs less than telling an admin a working pattern is broken.

import type { ExpansionNode } from './expansion';
import type { EximConfig } from './model';
import type { Fix } from '../diagnostic';
import type { Range } from '../text';
import { dequote } from './strings';

/**
 * What PCRE2 gets from a pattern written in an expanded string with nothing in it to expand:
 * text and \N...\N as written, the expansion's backslash escapes done ("\d" is "d").
 * `raw` is the same with the escapes left as written (what \N...\N around it would give).
 * Undefined when a variable, item or error is in it, or when an escape makes a NUL, which
 * ends the pattern as C reads it.
 */
export function literalPattern(nodes: readonly ExpansionNode[]): { pattern: string; raw: string; escapes: boolean } | undefined {
  let pattern = '', raw = '', escapes = false;
  for (const n of nodes) {
    if (n.kind === 'text' || n.kind === 'literal') { pattern += n.text; raw += n.text; continue; }
    if (n.kind !== 'escape') return undefined;
    const d = dequote(`"${n.text}"`, 0);
    if (n.text.length < 2 || d.cut) return undefined;
    pattern += d.value;
    raw += n.text;
    escapes = true;
  }
  return { pattern, raw, escapes };
}

/** A pattern's problem, and whether writing it between \N and \N would have avoided it. */
export function patternProblem(p: { pattern: string; raw: string; escapes: boolean }): (RegexProblem & { escapesBreakIt: boolean }) | undefined {
  const problem = regexProblem(p.pattern);
  return problem && { ...problem, escapesBreakIt: p.escapes && !regexProblem(p.raw) };
}

/**
 * The quick fix for a pattern that escapes broke: the same text between \N and \N, offered
 * only where the file holds it as the expansion saw it (not inside a quoted value, whose
 * own escapes would then need writing again).
 */
export function literalFix(cfg: EximConfig, file: string, range: Range, raw: string): Fix[] | undefined {
  const f = cfg.files.get(file);
  if (!f) return undefined;
  const a = f.lines.offsetAt(range.start), b = f.lines.offsetAt(range.end);
  if (f.text.slice(a, b) !== raw) return undefined;
  return [{ title: 'Write the pattern between \\N and \\N', preferred: true, edits: [{ file, range, newText: `\\N${raw}\\N` }] }];
}

/** The advice for a pattern that escapes broke. */
export const WRITE_WITH_N = 'Outside \\N...\\N a backslash is an escape of the expansion, taken away before the pattern is compiled: write the pattern between \\N and \\N.';

export interface RegexProblem {
  message: string;
  /** Offset in the pattern where PCRE2 stops, as its own messages count it. */
  offset: number;
}

export function regexProblem(p: string): RegexProblem | undefined {
  // (?x) and (?xx) make white space and #-comments insignificant: not read here.
  if (/\(\?[a-zA-Z^]*x/.test(p)) return undefined;
  let depth = 0;
  let atStart = true;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    const start: boolean = atStart;
    atStart = false;
    if (c === '\\') {
      if (i + 1 >= p.length) return { message: '\\ at end of pattern', offset: p.length };
      if (p[i + 1] === 'Q') {
        const e = p.indexOf('\\E', i + 2);
        if (e < 0) return undefined;
        i = e + 1;
      } else if (p[i + 1] === 'c') i += 2;
      else i++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(p, i);
      if (typeof end !== 'number') return end;
      if (end < 0) return { message: 'missing terminating ] for character class', offset: p.length };
      i = end;
      continue;
    }
    if (c === '(') {
      if (p.startsWith('(?#', i)) {
        const e = p.indexOf(')', i);
        if (e < 0) return { message: 'missing ) after (?# comment', offset: p.length };
        i = e;
        atStart = start;
        continue;
      }
      // A verb, (*MARK:name) or (*ACCEPT), ends at the first ")": its name is not a pattern.
      // An alpha assertion, (*atomic:...) or (*pla:...), is a group like any other.
      if (p[i + 1] === '*' && !/^\(\*[a-z_]+:/.test(p.slice(i, i + 40))) {
        const e = p.indexOf(')', i);
        if (e < 0) return undefined;
        i = e;
        continue;
      }
      depth++;
      // `(?` and `(*` open a group of their own kind; what follows `(` alone is a fresh start.
      atStart = p[i + 1] !== '?' && p[i + 1] !== '*';
      continue;
    }
    if (c === ')') {
      if (!depth) return { message: 'unmatched closing parenthesis', offset: i };
      depth--;
      continue;
    }
    // Nothing before `|` is repeated; nor is an anchor (`^*.example`, a glob written as a pattern).
    if (c === '|' || c === '^' || c === '$') { atStart = true; continue; }
    if ((c === '*' || c === '+' || c === '?') && start) return { message: 'quantifier does not follow a repeatable item', offset: i };
  }
  if (depth) return { message: 'missing closing parenthesis', offset: p.length };
  return undefined;
}

/**
 * The offset of the `]` that closes the class opened at `at`, -1 when none does, or a range
 * PCRE2 refuses (`[a-Z]`: "range out of order"). A `]` first (after an optional `^`) is a
 * member; `[:alpha:]` and its `.`/`=` kin are read as PCRE2 reads them. Ranges are judged
 * between ASCII characters written plainly: an escape or a byte of a UTF-8 character
 * (PCRE2 here reads bytes) is not.
 */
function classEnd(p: string, at: number): number | RegexProblem {
  let i = at + 1;
  // As PCRE2 (and Perl): a leading \E or \Q\E is nothing, so a `]` after it is still first.
  for (let negated = false; ;) {
    if (p.startsWith('\\E', i)) i += 2;
    else if (p.startsWith('\\Q\\E', i)) i += 4;
    else if (p[i] === '^' && !negated) { negated = true; i++; }
    else break;
  }
  /** The last member, when it is a plain ASCII character a range can start from. */
  let prev: number | undefined;
  if (p[i] === ']') { prev = 93; i++; }
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      prev = undefined;
      if (p[i + 1] === 'Q') {
        const e = p.indexOf('\\E', i + 2);
        if (e < 0) return -1;
        i = e + 1;
      } else if (p[i + 1] === 'c') i += 2;
      else i++;
      continue;
    }
    if (c === ']') return i;
    if (c === '[' && (p[i + 1] === ':' || p[i + 1] === '.' || p[i + 1] === '=')) {
      const end = posixEnd(p, i + 1, p[i + 1]);
      if (end >= 0) { i = end; prev = undefined; continue; }
    }
    if (c === '-' && prev !== undefined && i + 1 < p.length && p[i + 1] !== ']') {
      const next = p.charCodeAt(i + 1);
      if (next === 92 /* \ */ || next === 91 /* [ */) { prev = undefined; continue; }
      if (next < 128 && prev > next) return { message: 'range out of order in character class', offset: i + 1 };
      i++;
      prev = undefined;
      continue;
    }
    const code = c.charCodeAt(0);
    prev = code < 128 ? code : undefined;
  }
  return -1;
}

/** PCRE2's check_posix_syntax: the `:]` ending `[:name:]`, unless a `]` or `[:` comes first. */
function posixEnd(p: string, from: number, term: string): number {
  for (let i = from + 1; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && (p[i + 1] === ']' || p[i + 1] === '\\')) i++;
    else if ((c === '[' && p[i + 1] === term) || c === ']') return -1;
    else if (c === term && p[i + 1] === ']') return i + 1;
  }
  return -1;
}
