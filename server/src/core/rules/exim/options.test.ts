import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';

test('a second setting points at the first, among few settings and among many', () => {
  const file = path.join(__dirname, 'fixtures', 'options-duplicate-many.exim');
  const dups = checkProject([{ path: file, kind: 'exim' }], defaultOptions).filter((f) => f.code === 'exim/duplicate-name');
  // 1-based lines: the setting, then where it was first set.
  assert.deepEqual(dups.map((f) => [f.range.start.line + 1, f.related?.map((r) => r.range.start.line + 1)]), [[12, [3]], [43, [2]], [44, [41]]]);
});
