// `check --fix`: applies the preferred (else first) fix of each finding to the files on
// disk, leaving out fixes marked manual (changes to weigh first, offered in the editor). A fix is taken whole or not at all: when one of its edits overlaps an edit already
// taken (other than the very same edit, which several findings may share), the fix is left
// for a second run, which picks it up once the first batch is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, Fix, TextEdit } from '../core/diagnostic';
import type { SourceHost } from '../core/host';
import { inLineBreak, LineIndex, lineBreakOf } from '../core/text';

export interface FixResult {
  /**
   * Per file (the file of a fix's first edit): how many findings its applied fixes solve,
   * and their titles, each once (`title (3 findings)` when several share one fix).
   */
  changed: { file: string; applied: number; titles: string[] }[];
  failed: { file: string; reason: string }[];
  /** Fixes not applied because they touch what another fix changed: run --fix again. */
  deferred: number;
  /** What the user still has to do after a fix that is only a start (e.g. a list created empty). */
  notes: string[];
  /** Findings whose only fixes are manual: left for the user to decide. */
  manual: number;
}

interface Span { start: number; end: number; text: string }

/** One fix as several findings may share it: identical title and edits. */
interface Planned { fix: Fix; findings: number }

const key = (f: Fix) => JSON.stringify([f.title, f.edits.map((e) => [path.resolve(e.file), e.range, e.newText])]);

/** A named list that a fix defines with nothing in it. */
const EMPTY_LIST = /^[ \t]*(domainlist|hostlist|addresslist|localpartlist)[ \t]+(\S+)[ \t]*=[ \t]*$/m;

export function applyFixes(findings: Finding[], host: SourceHost): FixResult {
  const planned = new Map<string, Planned>();
  let manual = 0;
  for (const f of findings) {
    const fix = f.fixes?.find((x) => x.preferred && !x.manual) ?? f.fixes?.find((x) => !x.manual);
    if (!fix && f.fixes?.length) manual++;
    if (!fix || !fix.edits.length) continue;
    const k = key(fix);
    const p = planned.get(k);
    if (p) p.findings++;
    else planned.set(k, { fix, findings: 1 });
  }

  const result: FixResult = { changed: [], failed: [], deferred: 0, notes: [], manual };
  const texts = new Map<string, { text: string; lines: LineIndex } | undefined>();
  const read = (file: string) => {
    if (!texts.has(file)) {
      const text = host.readFile(file);
      texts.set(file, text === undefined ? undefined : { text, lines: new LineIndex(text) });
    }
    return texts.get(file);
  };
  const taken = new Map<string, Span[]>();
  const accepted: Planned[] = [];
  const unreadable = new Set<string>();
  for (const p of planned.values()) {
    const spans: [string, Span][] = [];
    let ok = true;
    for (const e of p.fix.edits) {
      const file = path.resolve(e.file);
      const t = read(file);
      if (!t) { unreadable.add(file); ok = false; break; }
      spans.push([file, span(t, e)]);
    }
    if (!ok) continue;
    const clashes = spans.some(([file, s]) => (taken.get(file) ?? []).some((o) => !same(o, s) && overlaps(o, s)));
    if (clashes) { result.deferred++; continue; }
    for (const [file, s] of spans) {
      const list = taken.get(file) ?? [];
      if (!list.some((o) => same(o, s))) list.push(s);
      taken.set(file, list);
    }
    accepted.push(p);
  }
  for (const file of unreadable) result.failed.push({ file, reason: 'cannot read it' });

  const written = new Set<string>();
  for (const [file, spans] of taken) {
    const { text } = read(file)!;
    let out = text;
    for (const s of [...spans].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
    if (out === text) continue;
    try {
      // Config files may be Latin-1 (decoded byte for byte); write them back the same way.
      const raw = fs.readFileSync(file);
      const wasUtf8 = Buffer.from(text, 'utf8').equals(raw);
      fs.writeFileSync(file, wasUtf8 ? Buffer.from(out, 'utf8') : Buffer.from(out, 'latin1'));
      written.add(file);
    } catch (e) {
      result.failed.push({ file, reason: (e as Error).message });
    }
  }

  const byFile = new Map<string, { applied: number; titles: string[] }>();
  for (const p of accepted) {
    if (!p.fix.edits.every((e) => written.has(path.resolve(e.file)) || isNoop(read(path.resolve(e.file)), e))) continue;
    const file = path.resolve(p.fix.edits[0].file);
    let entry = byFile.get(file);
    if (!entry) byFile.set(file, entry = { applied: 0, titles: [] });
    entry.applied += p.findings;
    entry.titles.push(p.findings > 1 ? `${p.fix.title} (${p.findings} findings)` : p.fix.title);
    for (const e of p.fix.edits) {
      const m = EMPTY_LIST.exec(e.newText);
      if (m) result.notes.push(`${m[1]} ${m[2]} was created empty: add its items, or everything that uses +${m[2]} matches nothing.`);
    }
  }
  for (const [file, entry] of byFile) result.changed.push({ file, ...entry });
  return result;
}

function span(t: { text: string; lines: LineIndex }, e: TextEdit): Span {
  return { start: t.lines.offsetAt(e.range.start), end: t.lines.offsetAt(e.range.end), text: inLineBreak(e.newText, lineBreakOf(t.text)) };
}

const same = (a: Span, b: Span) => a.start === b.start && a.end === b.end && a.text === b.text;

/** Two edits clash when their ranges overlap, or when both insert at one place (their order would be a guess). */
function overlaps(a: Span, b: Span): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

function isNoop(t: { text: string; lines: LineIndex } | undefined, e: TextEdit): boolean {
  if (!t) return false;
  const s = span(t, e);
  return t.text.slice(s.start, s.end) === s.text;
}
