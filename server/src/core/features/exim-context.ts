// Where the cursor is in an Exim config, read from the text alone: while the user types,
// the line being edited is often not parseable yet, so completion cannot wait for the model.
import * as path from 'node:path';
import type { SectionName } from '../exim/model';
import { sectionNamed } from '../exim/sections';
import type { LineIndex, Position, Range } from '../text';
import { ownEntry } from '../own';

export interface EximContext {
  section: SectionName;
  /** The router/transport/authenticator or ACL the cursor is in. */
  instance?: { name: string; line: number };
  /** `driver =` of that instance, wherever it is in the instance. */
  driver?: string;
  /** The line of that `driver =`, when it is in this file. */
  driverLine?: number;
  /** The logical line up to the cursor (continuations joined with their breaks removed). */
  before: string;
  /** The word under/before the cursor and its range on the physical line. */
  word: string;
  wordRange: Range;
  /** The option (or ACL condition/modifier) whose value the cursor is in. */
  valueFor?: string;
  /** The ACL verb starting the statement the cursor is in. */
  aclVerb?: string;
}

/**
 * What the first line of a file inherits from the place that `.include`s it: an included
 * file has no `begin` line of its own, and may even hold the options of an instance whose
 * header is in the including file.
 */
export interface OuterContext {
  section: SectionName;
  instance?: { name: string; line: number };
  driver?: string;
  aclVerb?: string;
}

const CONF_D_SECTIONS: Record<string, SectionName> = {
  main: 'main', acl: 'acl', router: 'routers', transport: 'transports', auth: 'authenticators', retry: 'retry', rewrite: 'rewrite',
};
export const ACL_VERBS = ['accept', 'defer', 'deny', 'discard', 'drop', 'require', 'warn'];
const HEADER_RE = /^\s*([A-Za-z0-9_][\w.-]*)\s*:\s*(?:#.*)?$/;
const HEADER_INLINE_RE = /^\s*([A-Za-z0-9_][\w.-]*)\s*:(?!\s*\S*\s*=)/;

export function isComment(line: string): boolean { return /^\s*#/.test(line); }

/** The section at the start of a file in Debian's conf.d layout (`conf.d/router/…`). */
export function confDSection(file: string): SectionName | undefined {
  const parts = file.split(path.sep);
  const i = parts.lastIndexOf('conf.d');
  return i >= 0 ? ownEntry(CONF_D_SECTIONS, parts[i + 1] ?? '') : undefined;
}

/**
 * The section a line is in: the last `begin X` above it, else the section the file is
 * included in, else the file's conf.d section, else main.
 */
export function sectionAt(lines: LineIndex, line: number, file: string, outer?: OuterContext): { section: SectionName; beginLine: number } {
  for (let l = Math.min(line, lines.lineCount - 1); l >= 0; l--) {
    const m = /^\s*begin\s+(\w+)/.exec(lines.lineText(l));
    const name = m && sectionNamed(m[1]);
    if (name) return { section: name, beginLine: l };
  }
  return { section: outer?.section ?? confDSection(file) ?? 'main', beginLine: -1 };
}

/** `name:` starting an instance or ACL, in `section` (a router or transport may be named for an ACL verb: `accept:`). */
export function instanceHeader(text: string, section?: SectionName): string | undefined {
  if (isComment(text)) return undefined;
  const m = HEADER_RE.exec(text) ?? HEADER_INLINE_RE.exec(text);
  if (!m || (section === 'acl' && ACL_VERBS.includes(m[1])) || m[1] === 'begin') return undefined;
  return m[1];
}

/** Whether a physical line continues onto the next (ends in a backslash). */
function continues(s: string): boolean { return /\\\s*$/.test(s) && !isComment(s); }

export function logicalStart(lines: LineIndex, line: number): number {
  let l = line;
  while (l > 0 && continues(lines.lineText(l - 1))) l--;
  return l;
}

/**
 * `emptyMacro` says which names are macros that expand to nothing: a line may start with
 * them (Exim's test suite writes `FAKE host_find_failed = ignore`), and Exim reads what follows.
 */
/**
 * `skipped`: the lines a false `.ifdef` leaves out of the config. From a line Exim reads, the
 * instance is found among the lines it reads too (a router header inside `.ifdef SMARTHOST`
 * does not own the `no_more` after `.endif`); from a skipped line, by the text around it.
 */
export function eximContextAt(lines: LineIndex, p: Position, file: string, outer?: OuterContext, emptyMacro?: (name: string) => boolean, skipped?: ReadonlySet<number>): EximContext {
  const line = Math.max(0, Math.min(p.line, lines.lineCount - 1));
  const lineText = lines.lineText(line);
  const ch = Math.max(0, Math.min(p.character, lineText.length));
  const { section, beginLine } = sectionAt(lines, line, file, outer);
  const start = logicalStart(lines, line);
  let before = '';
  for (let l = start; l <= line; l++) {
    let t = l === line ? lineText.slice(0, ch) : lines.lineText(l).replace(/\\\s*$/, '');
    if (l > start) t = t.replace(/^\s+/, '');
    before += t;
  }
  // What Exim reads of a line: the macros at its start that expand to nothing left out.
  const read = (t: string) => {
    for (let m; emptyMacro && (m = /^(\s*)([A-Z][A-Za-z0-9_]*)\s+/.exec(t)) && emptyMacro(m[2]);) t = m[1] + t.slice(m[0].length);
    return t;
  };
  before = read(before);

  let ws = ch;
  while (ws > 0 && /[\w.$-]/.test(lineText[ws - 1])) ws--;
  // `$name`: the word is the name; a cursor right before the `$` has an empty word there.
  if (ws < ch && lineText[ws] === '$') ws++;
  let we = ch;
  while (we < lineText.length && /[\w.-]/.test(lineText[we])) we++;
  const word = lineText.slice(ws, ch);
  const ctx: EximContext = { section, before, word, wordRange: { start: { line, character: ws }, end: { line, character: we } } };

  const isInstanceSection = section === 'routers' || section === 'transports' || section === 'authenticators' || section === 'acl';
  const unread = skipped?.size && !skipped.has(line) ? skipped : undefined;
  if (isInstanceSection) {
    let headerLine = -1;
    for (let l = start; l > beginLine; l--) {
      if (unread?.has(l)) continue;
      const t = read(lines.lineText(l));
      // A continued value's line is never a header, however it looks (`127.0.0.1 : …`, `X-Header: $x`).
      if (l > 0 && continues(lines.lineText(l - 1))) continue;
      const name = instanceHeader(t, section);
      if (name && (l < start || !/=/.test(t))) { ctx.instance = { name, line: l }; headerLine = l; break; }
    }
    // No header above in this file, nor a `begin`: the lines continue the includer's instance.
    const inherited = headerLine < 0 && beginLine < 0 && outer?.section === section ? outer : undefined;
    if (inherited?.instance) {
      ctx.instance = inherited.instance;
      if (inherited.driver) ctx.driver = inherited.driver;
    }
    if (headerLine >= 0 && section !== 'acl') {
      for (let l = headerLine + 1; l < lines.lineCount; l++) {
        if (unread?.has(l)) continue;
        const t = read(lines.lineText(l));
        if (continues(lines.lineText(l - 1))) continue;
        if (l > headerLine && (instanceHeader(t, section) || /^\s*begin\s/.test(t))) break;
        const m = /^\s*driver\s*=\s*([\w-]+)/.exec(t);
        if (m) { ctx.driver = m[1]; ctx.driverLine = l; break; }
      }
    }
    if (section === 'acl' && (headerLine >= 0 || inherited?.instance)) {
      for (let l = start; l > headerLine; l--) {
        if (unread?.has(l)) continue;
        const m = /^\s*(accept|defer|deny|discard|drop|require|warn)\b/.exec(read(lines.lineText(l)));
        if (m) { ctx.aclVerb = m[1]; break; }
      }
      if (!ctx.aclVerb && inherited?.aclVerb) ctx.aclVerb = inherited.aclVerb;
    }
  }

  // The option whose value we are in: `name =` (or in an ACL: `[verb] [!]name =`) before the cursor.
  const m = section === 'acl'
    ? /^\s*(?:(?:accept|defer|deny|discard|drop|require|warn)\s+)?(?:!\s*)?([\w]+)\s*=/.exec(before)
    : /^\s*(?:hide\s+)?(?:(?:domainlist|hostlist|addresslist|localpartlist)(?:\/\w+)?\s+)?([\w]+)\s*=/.exec(before);
  if (m) {
    const listDef = /^\s*(domainlist|hostlist|addresslist|localpartlist)/.exec(before);
    ctx.valueFor = listDef ? listDef[1] : m[1];
  }
  return ctx;
}
