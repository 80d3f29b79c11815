// Macro names as the files spell them, read from the text: the model's macro table holds
// only the definition in force, so a `NAME == value` redefinition, a definition in a
// branch `.ifdef` skips, an `.ifdef NAME` test and a use in a skipped branch are found
// here. A rename must change them all, or Exim refuses the result ("can't redefine an
// undefined macro") or silently takes the other branch.
import type { EximConfig as EximModel, SourceFile } from '../exim/model';
import type { ParsedExim } from '../exim/parser';
import type { PieceKind } from '../exim/reader';
import type { Range } from '../text';

export interface MacroLine {
  name: string;
  file: string;
  /** Where the name is written. */
  range: Range;
  /** `define`: `NAME = value` or `NAME == value`; `test`: a word of `.ifdef`/`.ifndef`/`.elifdef`/`.elifndef`; `use`: a word in a skipped line. */
  kind: 'define' | 'test' | 'use';
  /** False in a branch Exim skips. */
  active: boolean;
  /** A definition's value on its line (not for a value continued on the next line). */
  value?: { text: string; range: Range };
}

const DEFINITION = /^(\s*)([A-Z][A-Za-z0-9_]*)(\s*==?\s*)(.*?)\s*$/;
const TEST = /^(\s*\.(?:ifdef|ifndef|elifdef|elifndef)\s)(.*)$/;
/** Words that may be macro names: Exim's names start with an upper-case letter (or `_` for built-ins). */
const WORD = /(?:^|[^A-Za-z0-9_])(_?[A-Z][A-Za-z0-9_]*)/g;

/** Each physical line's kind; a model made without the reader's record counts every line as read. */
function kindsOf(m: EximModel, sf: SourceFile): (line: number) => PieceKind {
  const pieces = (m as Partial<ParsedExim>).pieces?.get(sf.path);
  if (pieces) return (line) => pieces[line]?.kind ?? 'content';
  return (line) => {
    const t = sf.lines.lineText(line);
    return /^\s*$/.test(t) ? 'blank' : /^\s*#/.test(t) ? 'comment' : /^\s*\./.test(t) ? 'directive' : 'content';
  };
}

const at = (line: number, s: number, e: number): Range => ({ start: { line, character: s }, end: { line, character: e } });

/** A line in a branch Exim skips, not the continuation of another. */
export interface SkippedLine { file: string; line: number; text: string }

/** Per model, which is never changed once built. */
const cache = new WeakMap<EximModel, { lines: MacroLine[]; skipped: SkippedLine[] }>();

function scanned(m: EximModel): { lines: MacroLine[]; skipped: SkippedLine[] } {
  let out = cache.get(m);
  if (!out) cache.set(m, out = scan(m));
  return out;
}

/** Every macro definition, test and skipped use in the files the model read. */
export function macroLines(m: EximModel): MacroLine[] {
  return scanned(m).lines;
}

/** The lines of branches Exim skips, where a name may be written for when the branch is taken. */
export function skippedLines(m: EximModel): SkippedLine[] {
  return scanned(m).skipped;
}

function scan(m: EximModel): { lines: MacroLine[]; skipped: SkippedLine[] } {
  const out: MacroLine[] = [];
  const skipped: SkippedLine[] = [];
  const starts: SkippedLine[] = [];
  for (const sf of m.files.values()) {
    const kindAt = kindsOf(m, sf);
    // A line after one ending in `\` continues it: never a definition of its own.
    let continued = false;
    for (let line = 0; line < sf.lines.lineCount; line++) {
      const kind = kindAt(line);
      const text = sf.lines.lineText(line);
      if (kind === 'blank') { continued = false; continue; }
      if (kind === 'comment') continue;
      if (kind === 'directive') {
        const t = TEST.exec(text);
        if (t) for (const w of words(t[2], t[1].length)) out.push({ name: w.name, file: sf.path, range: at(line, w.start, w.end), kind: 'test', active: true });
        continue;
      }
      if (kind !== 'content' && kind !== 'skipped') continue;
      const was = continued;
      continued = /\\\s*$/.test(text);
      if (kind === 'skipped') skipped.push({ file: sf.path, line, text });
      if (was) continue;
      if (kind === 'skipped') starts.push({ file: sf.path, line, text });
      const d = DEFINITION.exec(text);
      if (!d) continue;
      const s = d[1].length, e = s + d[2].length;
      const def: MacroLine = { name: d[2], file: sf.path, range: at(line, s, e), kind: 'define', active: kind === 'content' };
      const vs = e + d[3].length;
      if (!continued) def.value = { text: d[4], range: at(line, vs, vs + d[4].length) };
      out.push(def);
    }
  }
  // Words of skipped lines that name a macro the config defines somewhere: what a rename
  // must change so that the branch still means the same when it is taken.
  const defined = new Set<string>(out.filter((l) => l.kind === 'define').map((l) => l.name));
  for (const mac of m.macros.values()) if (mac.origin === 'config') defined.add(mac.name);
  for (const s of skipped) {
    const d = DEFINITION.exec(s.text);
    const from = d ? d[1].length + d[2].length : 0;
    for (const w of words(s.text.slice(from), from)) {
      if (defined.has(w.name)) out.push({ name: w.name, file: s.file, range: at(s.line, w.start, w.end), kind: 'use', active: false });
    }
  }
  return { lines: out, skipped: starts };
}

function words(text: string, offset: number): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  WORD.lastIndex = 0;
  let x: RegExpExecArray | null;
  while ((x = WORD.exec(text))) {
    const start = offset + x.index + x[0].length - x[1].length;
    out.push({ name: x[1], start, end: start + x[1].length });
  }
  return out;
}
