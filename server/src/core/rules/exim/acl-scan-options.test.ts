// The quick fixes of malware's and spam's options: a "/" doubled inside the regular
// expression, a misspelt defer_ok spelt right; none where the value is not as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { memoryHost } from '../../../../../test/helpers/memory-host';
import { applyEdits } from '../../../../../test/helpers/apply-edits';

const file = '/virtual/acl-scan-options/exim.conf';
const main = 'av_scanner = clamd:/run/clamav/clamd.ctl\nacl_smtp_data = d\nbegin acl\nd:\n';
const check = (text: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions, memoryHost(new Map([[file, text]])))
  .filter((f) => f.code === 'exim/acl-syntax');

/** The statement after the one finding's fix. */
function fixedStatement(statement: string): string | undefined {
  const text = `${main}  ${statement}\n  accept\n`;
  const found = check(text);
  assert.equal(found.length, 1, statement);
  const fixes = found[0].fixes;
  if (!fixes) return undefined;
  const after = applyEdits(text, fixes[0].edits);
  assert.deepEqual(check(after), [], after);
  return after.slice(main.length + 2).split('\n')[0];
}

test('a "/" that cuts the regular expression is doubled, up to the last item that is no option', () => {
  assert.equal(fixedStatement('deny malware = Trojan/Win|Eicar'), 'deny malware = Trojan//Win|Eicar');
  assert.equal(fixedStatement('deny malware = ^a/b/c/tmo=5s/defer_ok'), 'deny malware = ^a//b//c/tmo=5s/defer_ok');
  assert.equal(fixedStatement('deny malware = ^a//b/x'), 'deny malware = ^a//b//x');
});

test('a misspelt defer_ok is spelt right, a doubled "/" before it kept', () => {
  assert.equal(fixedStatement('deny malware = */defer-ok'), 'deny malware = */defer_ok');
  assert.equal(fixedStatement('deny malware = ^a//b/Defer_OK2'), undefined);
  assert.equal(fixedStatement('deny malware = ^a//b/deferok/tmo=5s'), 'deny malware = ^a//b/defer_ok/tmo=5s');
  assert.equal(fixedStatement('deny spam = nobody/deferok'), 'deny spam = nobody/defer_ok');
});

test('no fix where the value is not written out as Exim reads it (a macro, a continuation line)', () => {
  const viaMacro = `SCAN = Trojan/Win|Eicar\n${main}  deny malware = SCAN\n  accept\n`;
  const found = check(viaMacro);
  assert.equal(found.length, 1);
  assert.equal(found[0].fixes, undefined);
  const continued = check(`${main}  deny malware = Trojan/Win\\\n    |Eicar\n  accept\n`);
  assert.equal(continued.length, 1);
  assert.equal(continued[0].fixes, undefined);
});
