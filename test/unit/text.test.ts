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
  const many = new LineIndex('a\n'.repeat(1000));
  assert.equal(many.lineCount, 1001);
  assert.equal(many.lineStarts[1000], 2000);
  assert.equal(many.lineStarts.length, 1001, 'no room left over');
  const li = new LineIndex('ab\r\ncd\nef');
  assert.deepEqual(li.positionAt(5), { line: 1, character: 1 });
  assert.equal(li.offsetAt({ line: 2, character: 9 }), 9);
  assert.equal(li.lineText(0), 'ab');
  assert.equal(li.lineText(2), 'ef');
});
