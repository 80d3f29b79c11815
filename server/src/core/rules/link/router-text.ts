// A router as text in its file, for a fix that moves it: where its lines begin and end
// (its comments, and options in `.ifdef` branches not taken, are part of it) and which
// `.ifdef` blocks each line is under. The model holds only the branches taken, so this is
// read from the file's lines, as Exim's reader sees them: directives are physical lines.
import { endsInBackslash, type LineIndex } from '../../text';

/** One open conditional: the line of its `.ifdef`/`.ifndef` and which branch (0, then one per `.elif…`/`.else`). */
interface Frame { open: number; branch: number }

export interface Conditionals {
  /** Per line, the blocks open just before it, outermost first (one more entry: after the last line). */
  before: readonly Frame[][];
  /** An `.else`/`.endif` without its `.ifdef`, or a block still open at the end of the file. */
  unbalanced: boolean;
}

const DIRECTIVE = /^[ \t]*\.(ifdef|ifndef|elifdef|elifndef|else|endif)(?=[ \t]|$)/;
const COMMENT = /^[ \t]*#/;
/** `name:` starting a router, possibly with text after it (never `name = …`). */
const HEADER = /^[ \t]*[A-Za-z0-9_][\w.-]*[ \t]*:(?![ \t]*\S*[ \t]*=)/;
const BEGIN = /^[ \t]*begin[ \t]/;
const MACRO = /^[ \t]*([A-Z][A-Za-z0-9_]*)[ \t]*==?/;
const INCLUDE = /^[ \t]*\.include/;

export function conditionals(lines: LineIndex): Conditionals {
  const before: Frame[][] = [];
  let stack: Frame[] = [];
  let unbalanced = false;
  for (let l = 0; l < lines.lineCount; l++) {
    before.push(stack);
    const m = DIRECTIVE.exec(lines.lineText(l));
    if (!m) continue;
    const top = stack[stack.length - 1];
    if (m[1] === 'ifdef' || m[1] === 'ifndef') stack = [...stack, { open: l, branch: 0 }];
    else if (!top) unbalanced = true;
    else if (m[1] === 'endif') stack = stack.slice(0, -1);
    else stack = [...stack.slice(0, -1), { open: top.open, branch: top.branch + 1 }];
  }
  before.push(stack);
  return { before, unbalanced: unbalanced || stack.length > 0 };
}

/** Whether `outer` is the start of `inner` (the same blocks, in the same branches). */
export function within(inner: readonly Frame[], outer: readonly Frame[]): boolean {
  return outer.length <= inner.length && outer.every((f, i) => f.open === inner[i].open && f.branch === inner[i].branch);
}

export const isComment = (text: string) => COMMENT.test(text);

/** The first line of a router: its header, or the comment lines right above it. */
export function textStart(lines: LineIndex, header: number): number {
  let line = header;
  while (line > 0 && isComment(lines.lineText(line - 1))) line--;
  return line;
}

/**
 * The line after a router's text, or undefined when that cannot be told safely. The model
 * ends a router at its last option read, but options in a branch not taken, and the
 * `.endif` that closes it, are the router's too: they go where it goes. The text stops
 * before the next router's header, a `begin`, a macro definition, or an `.endif`/`.else`
 * of a block the router is in; an `.include` on the way may hold options of either router.
 */
export function textEnd(lines: LineIndex, cond: Conditionals, header: number, lastOption: number): number | undefined {
  const home = cond.before[header];
  let end = lastOption + 1;
  for (let l = lastOption + 1; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    if (!within(cond.before[l + 1], home)) break;
    if (t.trim() === '' || isComment(t) || continued(lines, l)) continue;
    if (BEGIN.test(t) || HEADER.test(t) || MACRO.test(t)) break;
    if (INCLUDE.test(t)) return undefined;
    // Options and directives: the router's, if it is back in its own blocks after them.
    if (cond.before[l + 1].length === home.length) end = l + 1;
  }
  return end;
}

/** Whether the line before `l` ends in a backslash, making `l` part of its logical line. */
function continued(lines: LineIndex, l: number): boolean {
  if (l === 0) return false;
  const prev = lines.lineText(l - 1);
  return !isComment(prev) && endsInBackslash(prev);
}

/**
 * Macro names defined on lines [from, to) (`NAME = …`, `NAME == …`); undefined when an
 * `.include` there may define any.
 */
export function macrosDefined(lines: LineIndex, from: number, to: number): string[] | undefined {
  const out: string[] = [];
  for (let l = from; l < to; l++) {
    const t = lines.lineText(l);
    if (INCLUDE.test(t)) return undefined;
    const m = MACRO.exec(t);
    if (m) out.push(m[1]);
  }
  return out;
}
