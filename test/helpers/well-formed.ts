// What every finding must look like whichever rule made it: the CLI's formatters and the
// LSP conversion read these fields without checking them. A Loc spread into an object
// loses its range (SpanLoc builds it in a getter), which is how a related location once
// reached the CLI without one and crashed a whole run.
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/core/diagnostic';
import { RULES } from '../../server/src/core/rules/codes';
import type { Range } from '../../server/src/core/text';

function assertRange(r: Range | undefined, where: string): void {
  assert.ok(r && r.start && r.end, `${where}: no range`);
  for (const p of [r.start, r.end]) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0, `${where}: bad position ${JSON.stringify(p)}`);
  }
  assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${where}: range ends before it starts`);
}

export function assertWellFormed(findings: readonly Finding[]): void {
  for (const f of findings) {
    const where = `${f.code} at ${f.file}`;
    assert.ok(typeof f.file === 'string' && f.file.length > 0, `${where}: no file`);
    assert.ok(f.code in RULES || f.source !== undefined, `${where}: unknown code`);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity), `${where}: bad severity ${f.severity}`);
    assert.ok(typeof f.message === 'string' && f.message.trim().length > 0, `${where}: no message`);
    // A rule that threw is reported as a finding, so the others' still show: for a test it is a failure.
    assert.ok(!f.message.startsWith('Internal error'), `${where}: ${f.message}`);
    // What an inherited member of a plain object looks like once made text (a table looked up by a user's name).
    assert.doesNotMatch(f.message, /native code|\[object Object\]/, where);
    assertRange(f.range, where);
    for (const r of f.related ?? []) {
      assert.ok(typeof r.file === 'string' && r.file.length > 0, `${where}: related location without a file`);
      assert.ok(typeof r.message === 'string', `${where}: related location without a message`);
      assertRange(r.range, `${where}, related ${r.message}`);
    }
    for (const fix of f.fixes ?? []) {
      assert.ok(fix.title && fix.edits.length > 0, `${where}: a fix without a title or edits`);
      for (const e of fix.edits) assertRange(e.range, `${where}, fix "${fix.title}"`);
    }
  }
}
