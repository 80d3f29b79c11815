// Building blocks of the link rules' quick fixes. Edits are plain text edits; whole-line
// insertions copy the indentation of the line they go next to, as a person would.
import type { Fix, TextEdit } from '../../diagnostic';
import type { Loc, OptionSetting } from '../../exim/model';
import type { DriverInstance } from '../../exim/model';
import type { FileTexts } from './context';
import { fileLines, indentOf, lineText } from './context';

export function replaceAt(loc: Loc, newText: string): TextEdit {
  return { file: loc.file, range: loc.range, newText };
}

export function insertAt(file: string, line: number, character: number, newText: string): TextEdit {
  return { file, range: { start: { line, character }, end: { line, character } }, newText };
}

/**
 * A new option line inside a driver: after `after` (an option's logical line) or, when
 * none, after the driver's last line, indented like the driver's options.
 */
export function insertOptionLine(ctx: FileTexts, d: DriverInstance, text: string, after?: OptionSetting): TextEdit {
  return insertOptionLines(ctx, d, [text], after);
}

/** Option lines, one after another, where insertOptionLine puts one. */
export function insertOptionLines(ctx: FileTexts, d: DriverInstance, texts: readonly string[], after?: OptionSetting): TextEdit {
  const anchor = after?.loc ?? d.options?.[d.options.length - 1]?.loc ?? d.loc;
  const line = anchor.range.end.line;
  const sample = d.options?.[0]?.loc ?? anchor;
  const indent = indentOf(lineText(ctx, sample.file, sample.range.start.line)) || '  ';
  return insertLine(ctx, anchor.file, line + 1, texts.map((t) => `${indent}${t}`).join('\n'));
}

/** Inserts a whole line before line `line` (at the end of the file when there is none). */
export function insertLine(ctx: FileTexts, file: string, line: number, text: string): TextEdit {
  const lines = fileLines(ctx, file);
  if (lines && line >= lines.lineCount) {
    const last = lines.lineCount - 1;
    const end = lines.lineText(last).length;
    return insertAt(file, last, end, end === 0 && last > 0 ? `${text}\n` : `\n${text}\n`);
  }
  return insertAt(file, line, 0, `${text}\n`);
}

/** Deletes an option's whole lines, continuation lines included. */
export function removeOptionLines(o: OptionSetting): TextEdit {
  const r = o.loc.range;
  return { file: o.loc.file, range: { start: { line: r.start.line, character: 0 }, end: { line: r.end.line + 1, character: 0 } }, newText: '' };
}

export function fix(title: string, edits: TextEdit[], preferred = false): Fix {
  return preferred ? { title, edits, preferred } : { title, edits };
}

/** A fix the user must weigh before taking it: never preferred, never applied by `check --fix`. */
export function manualFix(title: string, edits: TextEdit[]): Fix {
  return { title, edits, manual: true };
}
