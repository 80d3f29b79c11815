// Text edits applied as an editor applies a quick fix or a rename: every position is read
// in the text before any edit, so the edits are made from the last to the first.
import * as fs from 'node:fs';
import type { TextEdit } from '../../server/src/core/diagnostic';
import { LineIndex } from '../../server/src/core/text';

/** `text` with `edits` (all for this one text) made. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const idx = new LineIndex(text);
  let out = text;
  for (const e of edits.map((x) => ({ a: idx.offsetAt(x.range.start), b: idx.offsetAt(x.range.end), t: x.newText })).sort((x, y) => y.a - x.a)) {
    out = out.slice(0, e.a) + e.t + out.slice(e.b);
  }
  return out;
}

/** Makes `edits` in the files on disk they name. */
export function applyEditsOnDisk(edits: readonly TextEdit[]): void {
  for (const file of new Set(edits.map((e) => e.file))) {
    fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), edits.filter((e) => e.file === file)));
  }
}
