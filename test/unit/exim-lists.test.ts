// Exim's list splitting (string_nextinlist), which the parser reads item by item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExim, splitList } from '../../server/src/core/exim';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';

const show = (s: string, o?: Parameters<typeof splitList>[1]) => {
  const r = splitList(s, o);
  return [r.separator, ...r.items.map((i) => `${i.negated ? '!' : ''}${i.text}@${i.start}-${i.end}/${i.bodyStart}`)];
};

test('items are trimmed, doubled separators stand for one, `<X` changes the separator', () => {
  assert.deepEqual(show(' a : b::c :  ! d :'), [':', 'a@1-2/1', 'b:c@5-9/5', '!! d@13-16/15']);
  assert.deepEqual(show('<; 1.2.3.4 ; ::1 ;; x ;'), [';', '1.2.3.4@3-10/3', '::1 ; x@13-21/13']);
  assert.deepEqual(show(''), [':']);
  assert.deepEqual(show('  :  '), [':', '@2-2/2']);
});

test('separators inside ${...} are kept unless the list is split literally', () => {
  assert.deepEqual(show('${if eq{a:b}{c}} : d'), [':', '${if eq{a:b}{c}}@0-16/0', 'd@19-20/19']);
  assert.deepEqual(show('${if eq{a:b}{c}} : d', { literal: true }), [':', '${if eq{a@0-9/0', 'b}{c}}@10-16/10', 'd@19-20/19']);
  assert.deepEqual(show('<\n a\n b', { literal: true }), ['\n', 'a@3-4/3', 'b@6-7/6']);
  assert.deepEqual(show('<; a', { sep: ':' }), [':', '<; a@0-4/0']);
});

test('each named list gets its own items, however many lists the parser reads', () => {
  const file = '/virtual/lists/exim.conf';
  const text = 'domainlist a = x : !+b : ${if eq{1}{1}{y}}\ndomainlist b = <; p ; q\nhostlist c =\n';
  const c = loadExim(file, defaultOptions, memoryHost(new Map([[file, text]])));
  assert.deepEqual(c.lists.map((l) => `${l.name}${l.separator}${l.items.map((i) => `${i.negated ? '!' : ''}${i.text}${i.ref ? '>' + i.ref : ''}${i.expansion ? '$' : ''}`).join(',')}`),
    ['a:x,!+b>b,${if eq{1}{1}{y}}$', 'b;p,q', 'c:']);
  assert.notEqual(c.lists[0].items, c.lists[1].items);
  assert.deepEqual(c.lists[0].items[1].loc.range, { start: { line: 0, character: 20 }, end: { line: 0, character: 22 } });
});
