// `check --fix`: applies the preferred (else first) fix of each finding to the files on
// disk. Edits that overlap an edit already taken are skipped rather than guessed at; a
// second run picks them up once the first batch is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, TextEdit } from '../core/diagnostic';
import type { SourceHost } from '../core/host';
import { LineIndex } from '../core/text';

export interface FixResult {
  changed: { file: string; applied: number; titles: string[] }[];
  failed: { file: string; reason: string }[];
}

export function applyFixes(findings: Finding[], host: SourceHost): FixResult {
  const perFile = new Map<string, { edits: TextEdit[]; titles: string[] }>();
  for (const f of findings) {
    const fix = f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0];
    if (!fix || !fix.edits.length) continue;
    // A fix spanning several files is applied only if all of its edits can be.
    for (const e of fix.edits) {
      const key = path.resolve(e.file);
      let entry = perFile.get(key);
      if (!entry) perFile.set(key, entry = { edits: [], titles: [] });
      entry.edits.push(e);
    }
    const key = path.resolve(fix.edits[0].file);
    perFile.get(key)!.titles.push(fix.title);
  }
  const result: FixResult = { changed: [], failed: [] };
  for (const [file, { edits, titles }] of perFile) {
    const text = host.readFile(file);
    if (text === undefined) { result.failed.push({ file, reason: 'cannot read it' }); continue; }
    const lines = new LineIndex(text);
    const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
      .sort((a, b) => a.start - b.start || a.end - b.end);
    const taken: typeof spans = [];
    for (const s of spans) {
      const prev = taken[taken.length - 1];
      if (prev && s.start < prev.end) continue;
      if (prev && s.start === prev.start && s.end === prev.end && s.text === prev.text) continue;
      taken.push(s);
    }
    let out = text;
    for (const s of [...taken].reverse()) out = out.slice(0, s.start) + s.text + out.slice(s.end);
    if (out === text) continue;
    try {
      // Config files may be Latin-1 (decoded byte for byte); write them back the same way.
      const raw = fs.readFileSync(file);
      const wasUtf8 = Buffer.from(text, 'utf8').equals(raw);
      fs.writeFileSync(file, wasUtf8 ? Buffer.from(out, 'utf8') : Buffer.from(out, 'latin1'));
      result.changed.push({ file, applied: taken.length, titles });
    } catch (e) {
      result.failed.push({ file, reason: (e as Error).message });
    }
  }
  return result;
}
