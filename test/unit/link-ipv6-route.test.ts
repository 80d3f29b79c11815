// manualroute host lists: each rule of route_list (and route_data) holds a colon list of
// hosts of its own, where an IPv6 address must have its colons doubled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExim } from '../../server/src/core/exim';
import { defaultOptions } from '../../server/src/core/options';
import { memoryHost } from '../helpers/memory-host';
import { checkIpv6Lists, routeHostLists } from '../../server/src/core/rules/link/ipv6-list';

test('route_list rules: pattern, host list (quoted or a word), options; "<" changes the rule separator', () => {
  const hosts = (v: string, pattern = true) => routeHostLists(v, pattern).map((h) => [h.text, v.slice(h.start, h.end)]);
  assert.deepEqual(hosts('* ::1 byname'), [['::1', '::1']]);
  assert.deepEqual(hosts('a.example h1:h2 ; "b example" "x : y" randomize'), [['h1:h2', 'h1:h2'], ['x : y', '"x : y"']]);
  assert.deepEqual(hosts('<, a.example <;h1;h2 , b.example h3'), [['<;h1;h2', '<;h1;h2'], ['h3', 'h3']]);
  assert.deepEqual(hosts('a.example x;;y ; b.example h'), [['h', 'h']], 'a rule with a doubled separator is skipped');
  assert.deepEqual(hosts('::1 byname', false), [['::1', '::1']]);
  assert.deepEqual(hosts('*'), []);
});

test('the fix doubles the colons of the IPv6 address only, which Exim then reads as ::1', () => {
  const file = '/v/exim.conf';
  const text = 'begin routers\nr:\n  driver = manualroute\n  route_list = * "mx.example : ::1" byname ; b.example ::1\n  transport = t\nbegin transports\nt:\n  driver = smtp\n';
  const cfg = loadExim(file, defaultOptions, memoryHost(new Map([[file, text]])));
  const found = checkIpv6Lists(cfg);
  assert.deepEqual(found.map((f) => f.fixes?.[0].edits.map((e) => e.newText)), [['"mx.example : ::::1"'], ['::::1']]);
});
