// Domain-list matching for the link rules: a list is parsed once per check (and a router's
// domains worked out once), and a domain is matched against its own name and the list's
// other items only, in Exim's order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExim } from '../../server/src/core/exim/parser';
import { defaultOptions } from '../../server/src/core/options';
import { makeContext } from '../../server/src/core/rules/link/context';
import { addressesOf, itemsOf, matchDomain, matchLocalPart } from '../../server/src/core/rules/link/match';
import { routerDomains } from '../../server/src/core/rules/link/routing';
import { memoryHost } from '../helpers/memory-host';
import { checkProject } from '../../server/src/core/project';

function context(conf: string) {
  const file = '/virtual/match/exim.conf';
  const cfg = parseExim('/virtual/match', [file], defaultOptions, memoryHost(new Map([[file, conf]])));
  return makeContext(cfg);
}

test('a list is split once per check, not for every domain matched against it', () => {
  const ctx = context('primary_hostname = mx.example.net\n');
  const list = 'a.example : b.example';
  assert.equal(itemsOf(ctx, list), itemsOf(ctx, list));
  assert.notEqual(itemsOf(context('primary_hostname = mx.example.net\n'), list), itemsOf(ctx, list));
});

test('a router\'s domains are worked out once per check, not for every ACL statement', () => {
  const ctx = context('primary_hostname = mx.example.net\nbegin routers\nr:\n  driver = accept\n  domains = a.example : B.example\n  transport = t\n');
  const r = ctx.cfg.routers[0];
  assert.deepEqual(routerDomains(ctx, r), ['a.example', 'b.example']);
  assert.equal(routerDomains(ctx, r), routerDomains(ctx, r));
});

test('the first item that matches decides, whatever stands between the plain names', () => {
  const ctx = context([
    'primary_hostname = mx.example.net',
    'domainlist other = !c.example : d.example',
    'domainlist late = $domain',
    '',
  ].join('\n'));
  const list = '!a.example : +other : *.sub.example : B.Example : a.example : x.sub.example : +late : z.example';
  const cases: [string, string][] = [
    ['a.example', 'no'], // its negated item comes first; the later plain one is never reached
    ['A.EXAMPLE', 'no'],
    ['c.example', 'unknown'], // +other's negated item: no match there, so on to +late
    ['d.example', 'yes'],
    ['b.example', 'yes'], // case does not matter
    ['x.sub.example', 'yes'], // the wildcard before its plain name
    ['z.example', 'yes'], // +late before it is decided at run time, but would say yes too
    ['q.example', 'unknown'], // no plain name; +late may match
  ];
  for (const [domain, want] of cases) assert.equal(matchDomain(ctx, list, domain), want, domain);
  assert.equal(matchDomain(ctx, 'a.example : !b.example', 'q.example'), 'yes'); // past a final negated item
  assert.equal(matchDomain(ctx, 'a.example : b.example', 'q.example'), 'no');
  assert.equal(matchDomain(ctx, 'a.example : a.example : !a.example', 'a.example'), 'yes'); // the first of the same name
});

// The bound is for a hang only (each pattern took node minutes when it was tried).
test('a local-part regex is tried only when it is simple: one that makes the engine backtrack without end is unknown, at once', { timeout: 60_000 }, () => {
  const ctx = context('primary_hostname = mx.example.net\n');
  assert.equal(matchLocalPart(ctx, '^.*[@%!/|]', 'nosuchuser'), 'no');
  assert.equal(matchLocalPart(ctx, '^nosuch.*', 'nosuchuser'), 'yes');
  assert.equal(matchLocalPart(ctx, '^[a-z]+user', 'nosuchuser'), 'yes');
  // Checking hung in the CLI and the editor on each of these: it tried them on ten characters.
  for (const hostile of ['^(.*.*)*(.*.*)*(.*.*)*(.*.*)*(.*.*)*(.*.*)*(.*.*)*(.*.*)*x', '^(.|.|.|.|.|.|.|.)*x', '^.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*x']) {
    assert.equal(matchLocalPart(ctx, hostile, 'nosuchuser'), 'unknown', hostile);
  }
});

test('named lists nested thousands deep: matching says unknown past a depth, and no rule overflows the stack', () => {
  const chain = Array.from({ length: 5000 }, (_, i) => `domainlist d${i} = +d${i + 1}`).join('\n') + '\ndomainlist d5000 = example.com\n';
  const ctx = context(`primary_hostname = mx.example.net\n${chain}`);
  assert.equal(matchDomain(ctx, '+d0', 'example.com'), 'unknown');
  assert.equal(matchDomain(ctx, '+d4990', 'example.com'), 'yes');
  const file = '/virtual/match/deep.conf';
  const text = `${chain}acl_smtp_rcpt = a\nbegin acl\na:\n  accept domains = +d0\n`;
  const found = checkProject([{ path: file, kind: 'exim' }], defaultOptions, memoryHost(new Map([[file, text]])));
  assert.deepEqual(found.filter((f) => f.message.startsWith('Internal error')), []);
});

test('with disable_ipv6 Exim connects to no IPv6 address: localhost is 127.0.0.1 only, and ::1 is no address at all', () => {
  const on = context('disable_ipv6 = true\n');
  assert.deepEqual(addressesOf(on, 'localhost'), ['127.0.0.1']);
  assert.deepEqual(addressesOf(on, '::1'), []);
  assert.deepEqual(addressesOf(on, '127.0.0.1'), ['127.0.0.1']);
  for (const off of [context(''), context('disable_ipv6 = false\n'), context('no_disable_ipv6\n')]) {
    assert.deepEqual(addressesOf(off, 'localhost'), ['127.0.0.1', '::1']);
    assert.deepEqual(addressesOf(off, '::1'), ['::1']);
  }
});
