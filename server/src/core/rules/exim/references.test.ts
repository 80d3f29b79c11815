import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { memoryHost } from '../../../../../test/helpers/memory-host';

const file = '/virtual/references/exim.conf';
const loops = (text: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions, memoryHost(new Map([[file, text]])))
  .filter((f) => f.code === 'exim/acl-loop');
/** `n` ACLs, each calling the next; the last calls `last` (an ACL name) or nothing. */
const chain = (n: number, last?: string) => 'acl_smtp_rcpt = a0\nbegin acl\n'
  + Array.from({ length: n }, (_, i) => `a${i}:\n  accept acl = ${i + 1 < n ? `a${i + 1}` : last ?? 'x'}\n`).join('') + 'x:\n  accept\n';

test('a long chain of ACL calls is no loop; closed into a ring, every call of it is one, named by its ends', () => {
  // Thousands of calls: the loops are found in one pass over the call graph (a search from
  // every call took seconds), and the walk needs no deep stack.
  assert.deepEqual(loops(chain(5000)), []);
  const ring = loops(chain(5000, 'a0'));
  assert.equal(ring.length, 5000);
  assert.match(ring[0].message, /^"acl = a1" calls back into ACL "a0" \(a0 → a1 → a2 → a3 → a4 → a5 → … → a4998 → a4999 → a0, 5000 calls\)/);
  // A short loop is written out whole.
  assert.match(loops(chain(3, 'a1'))[0].message, /\(a1 → a2 → a1\)/);
  // Two rings joined by a call: only the calls inside a ring loop.
  const two = loops('acl_smtp_rcpt = a\nbegin acl\na:\n  accept acl = b\nb:\n  accept acl = a\n  accept acl = c\nc:\n  accept acl = d\nd:\n  accept acl = c\n');
  assert.deepEqual(two.map((f) => f.message.slice(0, f.message.indexOf(' calls back'))), ['"acl = b"', '"acl = a"', '"acl = d"', '"acl = c"']);
});
