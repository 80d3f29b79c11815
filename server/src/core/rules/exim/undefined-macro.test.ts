import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';

const FIXTURES = path.join(__dirname, 'fixtures');

function macroFindings(name: string) {
  const file = path.join(FIXTURES, name);
  return checkProject([{ path: file, kind: 'exim' }], defaultOptions).filter((f) => f.code === 'exim/undefined-macro');
}

test('a near miss of a defined macro names it and offers to put it in place', () => {
  const f = macroFindings('undefined-macro.exim').find((x) => x.message.startsWith('SMART_HOTS'));
  assert.ok(f, 'SMART_HOTS is reported');
  assert.match(f.message, /Did you mean "SMART_HOST"\?/);
  assert.deepEqual(f.fixes?.map((x) => [x.title, x.preferred, x.edits.map((e) => [e.range, e.newText])]), [
    ['Change to "SMART_HOST"', true, [[{ start: { line: 27, character: 17 }, end: { line: 27, character: 27 } }, 'SMART_HOST']]],
  ]);
});

test('a name with no defined macro near it gets no fix, and says how to define it', () => {
  const f = macroFindings('undefined-macro.exim').find((x) => x.message.startsWith('MY_OFFICE_NETS'));
  assert.ok(f);
  assert.equal(f.fixes, undefined);
  assert.match(f.message, /literal text "MY_OFFICE_NETS"\. Define it before this line \(or with -D\)/);
});

test('Debian: a near miss of a macro update-exim4.conf generates is named', () => {
  const [f] = macroFindings('undefined-macro-debian.exim');
  assert.match(f.message, /Did you mean "MAIN_RELAY_NETS"\?/);
});
