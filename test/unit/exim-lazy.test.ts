// What the Exim model keeps and what it makes again when asked: expansion trees are
// parsed on each read, never kept, and read the same every time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExim, parseExpansion, walkExpansion } from '../../server/src/core/exim';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';
import type { ExpansionNode } from '../../server/src/core/exim/expansion';

const FILE = '/virtual/lazy/exim.conf';

function load(text: string) {
  return loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text]])));
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

function at(l: { file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } } | undefined): string {
  assert.ok(l);
  const r = l.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

test('the Locs of options, ACL items and lists are placed when read, the same place each time', () => {
  const c = load([
    'hostlist relay = "10.0.0.1 : \\x31.2.3.4" ',
    'domainlist local = a.example : \\',
    '    +other : !b.example',
    'primary_hostname = mail.example.com',
    'no_queue_only',
    'begin acl',
    'rcpt:',
    '  warn set acl_m_x = 1',
    '       !hosts = +relay',
  ].join('\n') + '\n');
  const [relay, local] = c.lists;
  assert.deepEqual([at(relay.loc), at(relay.nameLoc), at(relay.valueLoc)], ['0:0-0:40', '0:9-0:14', '0:17-0:40']);
  assert.deepEqual(relay.items.map((i) => [i.text, at(i.loc)]), [['10.0.0.1', '0:18-0:26'], ['1.2.3.4', '0:29-0:39']]);
  assert.deepEqual([at(local.loc), at(local.nameLoc), at(local.valueLoc)], ['1:0-2:23', '1:11-1:16', '1:19-2:23']);
  assert.deepEqual(local.items.map((i) => [i.text, i.ref ?? '', at(i.loc)]), [['a.example', '', '1:19-1:28'], ['+other', 'other', '2:4-2:10'], ['b.example', '', '2:14-2:23']]);
  const [host, nq] = c.main;
  assert.deepEqual([at(host.nameLoc), at(host.valueLoc), at(host.loc)], ['3:0-3:16', '3:19-3:35', '3:0-3:35']);
  assert.deepEqual([nq.name, nq.negated, at(nq.nameLoc), nq.valueLoc, at(nq.loc)], ['queue_only', true, '4:3-4:13', undefined, '4:0-4:13']);
  const [set, hosts] = c.acls[0].statements[0].items;
  assert.deepEqual([at(set.nameLoc), at(set.varNameLoc), at(set.valueLoc)], ['7:7-7:10', '7:11-7:18', '7:21-7:22']);
  assert.deepEqual([hosts.negated, at(hosts.nameLoc), hosts.varNameLoc, at(hosts.valueLoc)], [true, '8:7-8:13', undefined, '8:16-8:22']);
  for (const get of [() => host.nameLoc, () => set.valueLoc, () => local.items[1].loc, () => relay.nameLoc]) {
    assert.notEqual(get(), get(), 'made when read');
    assert.deepEqual(at(get()), at(get()));
  }
});

test('an ACL statement runs from its verb to its last line in its own file', () => {
  const inc = '/virtual/lazy/inc';
  const files = new Map([[FILE, [
    'begin acl',
    'rcpt:',
    '  deny  domains = a.example',
    '        message = x \\',
    '                  y',
    '.include /virtual/lazy/inc',
    '  accept',
  ].join('\n') + '\n'], [inc, '        log_message = z\n']]);
  const c = loadExim(FILE, defaultOptions, memoryHost(files));
  const [deny, accept] = c.acls[0].statements;
  assert.deepEqual([deny.verb, at(deny.verbLoc), at(deny.loc), deny.loc.file], ['deny', '2:2-2:6', '2:2-4:19', FILE]);
  assert.deepEqual(deny.items.map((i) => i.name), ['domains', 'message', 'log_message']);
  assert.deepEqual([accept.verb, at(accept.verbLoc), at(accept.loc)], ['accept', '6:2-6:8', '6:2-6:8']);
  assert.notEqual(deny.loc, deny.loc, 'made when read');
});

test('text, escape and literal nodes read as written', () => {
  const nodes = parseExpansion('a \\N$lit}\\N b\\t\\x41z\\101${if eq{1}{2}{y}{z}}end\\', (a, b) => ({ start: { line: 0, character: a }, end: { line: 0, character: b } }));
  const texts = [...walkExpansion(nodes)].map((n) => 'text' in n ? `${n.kind}:${n.text}@${n.range.start.character}-${n.range.end.character}` : n.kind);
  assert.deepEqual(texts, [
    'text:a @0-2', 'literal:$lit}@2-11', 'text: b@11-13', 'escape:\\t@13-15', 'escape:\\x41@15-19', 'text:z@19-20',
    'escape:\\101@20-24', 'item', 'condition', 'text:1@32-33', 'text:2@35-36', 'text:y@38-39', 'text:z@41-42', 'text:end@44-47', 'escape:\\@47-48',
  ]);
});

test('the words between an item\'s arguments: all of them, and where the first is', () => {
  const at = (a: number, b: number) => ({ start: { line: 0, character: a }, end: { line: 0, character: b } });
  const items = (s: string) => [...walkExpansion(parseExpansion(s, at))].flatMap((n) => n.kind === 'item'
    ? [`${n.name}:${n.options ?? '-'}@${n.optionRange ? `${n.optionRange.start.character}-${n.optionRange.end.character}` : '-'}`] : []);
  assert.deepEqual(items('${lookup{$x} partial-lsearch*@ {/f} fail}'), ['lookup:partial-lsearch*@ fail@13-30']);
  assert.deepEqual(items('${lookup{$x}dbm{/f}{$value}}${lc:x}'), ['lookup:dbm@12-15']);
  assert.deepEqual(items('${if eq{a}{b} {y}{n}} ${sg{a}{b}{c}}'), ['if:-@-', 'sg:-@-']);
  // A variable among the words: Exim 4.96 fails ("missing '{' for lookup file-or-query arg").
  assert.deepEqual(items('${lookup{a}lsearch $x{/f}}'), []);
  assert.deepEqual([...walkExpansion(parseExpansion('${lookup{a}lsearch $x{/f}}', at))].map((n) => n.kind), ['error']);
});
