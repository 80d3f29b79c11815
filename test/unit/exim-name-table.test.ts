// NameTable finds a name where it is written, exactly (not a prefix or a longer name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NameTable } from '../../server/src/core/exim/name-table';

test('a name is found in place only when the whole range is that name', () => {
  const names = ['domains', 'domain', 'drop', 'deny', 'dnslists', 'a'];
  const t = new NameTable(names);
  const line = '  domains = x deny dnslistsy a';
  assert.equal(t.find(line, 2, 9), 'domains');
  assert.equal(t.find(line, 2, 8), 'domain');
  assert.equal(t.find(line, 2, 7), undefined);
  assert.equal(t.find(line, 14, 18), 'deny');
  assert.equal(t.find(line, 19, 28), undefined, 'a longer word');
  assert.equal(t.find(line, 29, 30), 'a');
  assert.equal(t.find(line, 3, 3), undefined);
  assert.ok(names.includes(t.find('xdropx', 1, 5)!));
});
