// What counts as tainted where Exim refuses it (exim/taint.ts), and the fix that swaps
// $local_part / $domain for the clean copies a router sets to the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { parseExpansion } from '../../server/src/core/exim/expansion-parser';
import { taintSource } from '../../server/src/core/exim/taint';
import { memoryHost } from '../helpers/memory-host';
import { applyEdits } from '../helpers/apply-edits';

const at = (a: number, b: number) => ({ start: { line: 0, character: a }, end: { line: 0, character: b } });
const source = (value: string) => taintSource(parseExpansion(value, at))?.name;

test('taint reaches a value through what passes it on, every time', () => {
  assert.equal(source('/var/mail/$local_part'), 'local_part');
  assert.equal(source('/var/mail/${lc:${domain}}'), 'domain');
  assert.equal(source('${substr_0_1:$local_part}/$local_part'), 'local_part');
  assert.equal(source('${sg{$h_subject:}{x}{y}}'), 'h_subject:');
  assert.equal(source('${if eq{$domain}{a}{$domain}{x$domain}}'), 'domain', 'both branches');
  assert.equal(source('${if eq{$domain}{a}{$domain}{other}}'), undefined, 'one branch only: not every time');
  assert.equal(source('${if eq{$domain}{a}{$domain}}'), undefined, 'no "no" string: empty then');
  assert.equal(source('${lookup{$local_part}lsearch{/etc/boxes}}'), undefined, 'a lookup result');
  assert.equal(source('${lookup{$local_part}lsearch{/etc/boxes}{$value}{$local_part}}'), undefined, '$value is clean');
  assert.equal(source('${lookup mysql{select $local_part}{$local_part}{x$local_part}}'), 'local_part', 'a query-style lookup\'s yes and no');
  assert.equal(source('${md5:$local_part}'), undefined, 'a hash is not followed');
  assert.equal(source('$local_part_data/$domain_data/$home/$value'), undefined);
});

const conf = (router: string, file = '/var/mail/$local_part', head = '') => `${head}begin routers
r:
  driver = accept
${router}  transport = t
begin transports
t:
  driver = appendfile
  file = ${file}
`;

function fixOf(text: string): string | undefined {
  const p = '/virtual/taint/exim.conf';
  const f = checkProject([{ path: p, kind: 'exim' }], defaultOptions, memoryHost(new Map([[p, text]]))).find((x) => /tainted/.test(x.message));
  assert.ok(f, 'reported');
  const fix = f.fixes?.[0];
  return fix && applyEdits(text, fix.edits).split('\n').find((l) => l.startsWith('  file = '));
}

test('the fix uses $local_part_data and $domain_data only where the router sets them to the same text', () => {
  assert.equal(fixOf(conf('  check_local_user\n')), '  file = /var/mail/$local_part_data');
  assert.equal(fixOf(conf('  local_parts = ! root : alice : bob\n')), '  file = /var/mail/$local_part_data');
  assert.equal(fixOf(conf('  domains = +mine\n  check_local_user\n', '/srv/${domain}/$local_part', 'domainlist mine = a.example : b.example\n')), '  file = /srv/${domain_data}/$local_part_data');
  assert.equal(fixOf(conf('  local_parts = ! root\n')), undefined, 'ends in a negated item: the rest match with no item');
  assert.equal(fixOf(conf('  local_parts = lsearch;/etc/boxes\n')), undefined, 'a lookup\'s data is not the local part');
  assert.equal(fixOf(conf('  local_parts = ^[a-z]+$\n')), undefined, 'a regex item sets the pattern');
  assert.equal(fixOf(conf('  domains = +local\n  check_local_user\n', '/srv/$domain/x', 'domainlist local = @ : localhost\n')), undefined, '@ is not the domain written out');
  assert.equal(fixOf(conf('  check_local_user\n', '/var/mail/$local_part.$sender_address')), undefined, 'another tainted variable stays');
  assert.equal(fixOf(conf('  check_local_user\n', 'BOX', 'BOX = /var/mail/$local_part\n')), undefined, 'written in a macro');
  const two = `${conf('  check_local_user\n')}`.replace('begin transports', 'other:\n  driver = accept\n  transport = t\nbegin transports');
  assert.equal(fixOf(two), undefined, 'another router hands addresses over without it');
});
