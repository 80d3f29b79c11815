// All the rule families over one config: a family's findings all come through, however many.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExim, loadExim } from '../../exim';
import { memoryHost } from '../../../../../test/helpers/memory-host';
import { defaultOptions } from '../../options';

test('a rule with more findings than a call takes arguments (130,000) has them all reported', () => {
  const file = '/virtual/exim.conf';
  const text = 'begin acl\na:\n' + '  warn logwrite = $\n'.repeat(130000);
  const cfg = loadExim(file, defaultOptions, memoryHost(new Map([[file, text]])));
  const found = checkExim(cfg, defaultOptions);
  assert.deepEqual(found.filter((f) => /Internal error/.test(f.message)).map((f) => f.message), []);
  assert.equal(found.filter((f) => f.code === 'exim/expansion-syntax').length, 130000);
});
