// LineIndex: line starts for the three line breaks, and offsets and positions both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/text';

test('lines start after \\n, \\r\\n and a lone \\r; a final break starts an empty line', () => {
  for (const [text, starts] of [
    ['', [0]], ['a', [0]], ['a\nbc\n', [0, 2, 5]], ['\n\n', [0, 1, 2]], ['a\r\nb\rc\n', [0, 3, 5, 7]], ['\r', [0, 1]],
  ] as const) {
    const li = new LineIndex(text);
    assert.deepEqual([...li.lineStarts], starts, JSON.stringify(text));
    assert.equal(li.lineCount, starts.length);
  }
  for (const n of [1000, 40000]) {
    // A large text's starts are a typed array, grown past its first guess when lines are short.
    const many = new LineIndex('a\n'.repeat(n) + 'b');
    assert.equal(many.lineCount, n + 1);
    assert.equal(many.lineStarts[n], 2 * n);
    assert.equal(many.lineStarts.length, n + 1, 'no room left over');
    assert.deepEqual(many.positionAt(2 * n), { line: n, character: 0 });
  }
  const li = new LineIndex('ab\r\ncd\nef');
  assert.deepEqual(li.positionAt(5), { line: 1, character: 1 });
  assert.equal(li.offsetAt({ line: 2, character: 9 }), 9);
  assert.equal(li.lineText(0), 'ab');
  assert.equal(li.lineText(2), 'ef');
});
