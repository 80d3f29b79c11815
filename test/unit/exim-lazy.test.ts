// What the Exim model keeps and what it makes again when asked: expansion trees are
// parsed on each read, never kept, and read the same every time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExim, walkExpansion } from '../../server/src/core/exim';
import { overlayHost } from '../../server/src/core/host';
import { defaultOptions } from '../../server/src/core/options';
import type { ExpansionNode } from '../../server/src/core/exim/expansion';

const FILE = '/virtual/lazy/exim.conf';
const none = { readFile: () => undefined, readDir: () => undefined, isDirectory: () => false };

function load(text: string) {
  return loadExim(FILE, defaultOptions, overlayHost(new Map([[FILE, text]]), none));
}

function shape(nodes: ExpansionNode[] | undefined): string[] {
  return [...walkExpansion(nodes ?? [])].map((n) => {
    const r = n.range;
    return `${n.kind}${'name' in n ? ':' + n.name : ''}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  });
}

test('expansion trees are made when read, each read a new tree of the same nodes', () => {
  const c = load([
    'domainlist local = a.example : ${lookup{$domain}lsearch{/etc/d}}',
    'message_size_limit = ${if eq{$sender_host_address}{}{100M}{10M}}',
    'begin acl',
    'rcpt:',
    '  deny condition = ${if def:h_X-Spam:{yes}{no}}',
  ].join('\n') + '\n');
  const holders = [c.main[0], c.lists[0].items[1], c.acls[0].statements[0].items[0]];
  for (const h of holders) {
    const a = h.expansion, b = h.expansion;
    assert.ok(a && b);
    assert.notEqual(a, b, 'not kept between reads');
    assert.deepEqual(shape(a), shape(b));
  }
  assert.deepEqual(shape(c.main[0].expansion), [
    'item:if@1:21-1:64', 'condition:eq@1:26-1:52', 'variable:sender_host_address@1:29-1:49',
    'text@1:53-1:57', 'text@1:59-1:62',
  ]);
  assert.equal(c.lists[0].items[0].expansion, undefined, 'a plain item has none');
});
