import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { memoryHost } from '../../../../../test/helpers/memory-host';
import { applyEdits } from '../../../../../test/helpers/apply-edits';

const file = '/virtual/tls-on-connect/exim.conf';
const check = (text: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions, memoryHost(new Map([[file, text]])))
  .filter((f) => f.code === 'exim/tls-on-connect');

test('465 without tls_on_connect_ports: the fix adds the option after daemon_smtp_ports, and the finding goes', () => {
  const text = 'daemon_smtp_ports = 25 : 465 : 587\nprimary_hostname = mail.example.com\n';
  const [f] = check(text);
  assert.deepEqual([f.range.start.line, f.range.start.character, f.range.end.character], [0, 25, 28]);
  const fixed = applyEdits(text, f.fixes![0].edits);
  assert.equal(fixed, 'daemon_smtp_ports = 25 : 465 : 587\ntls_on_connect_ports = 465\nprimary_hostname = mail.example.com\n');
  assert.deepEqual(check(fixed), []);
});

test('which ports the daemon listens on: daemon_smtp_ports only for interfaces without a port of their own, "smtps" is 465, the default is 25', () => {
  assert.equal(check('daemon_smtp_ports = smtps\n').length, 1);
  assert.equal(check('daemon_smtp_ports = 465\nlocal_interfaces = 127.0.0.1.25\n').length, 0);
  assert.equal(check('local_interfaces = 127.0.0.1.465\n').length, 1);
  assert.equal(check('local_interfaces = 127.0.0.1\n').length, 0);
  // An IPv4-mapped IPv6 address ends in ".1" and has no port: daemon_smtp_ports applies to it.
  assert.equal(check('daemon_smtp_ports = 465\nlocal_interfaces = <; ::ffff:192.0.2.1 ; 127.0.0.1.25\n').length, 1);
  assert.equal(check('local_interfaces = <; ::1.465\n').length, 1);
});

test('tls_on_connect_ports set to other ports: the fix adds 465 to its list (never a second setting, which Exim refuses), only where the list is written as Exim reads it', () => {
  const text = 'daemon_smtp_ports = 465\ntls_on_connect_ports = 2465\n';
  const [f] = check(text);
  assert.equal(f.fixes?.length, 1);
  const fixed = applyEdits(text, f.fixes![0].edits);
  assert.equal(fixed, 'daemon_smtp_ports = 465\ntls_on_connect_ports = 2465 : 465\n');
  assert.deepEqual(check(fixed), []);
  // Quoted, through a macro, expanded, with a separator of its own: said, not edited.
  for (const v of ['"2465"', 'PORTS', '${if true{2465}}', '<; 2465']) {
    const [g] = check(`PORTS = 2465\ndaemon_smtp_ports = 465\ntls_on_connect_ports = ${v}\n`);
    assert.equal(g.fixes, undefined, v);
  }
});

test('ports as the daemon reads them: 0721 in daemon_smtp_ports is octal 465; tls_on_connect_ports compares decimal numbers', () => {
  assert.equal(check('daemon_smtp_ports = 25 : 0721\n').length, 1, '0721 is 465');
  assert.equal(check('daemon_smtp_ports = 25 : 0465\n').length, 0, '0465 is 309');
  assert.equal(check('daemon_smtp_ports = 465\ntls_on_connect_ports = 0465\n').length, 0, 'strtol in base 10: 0465 is 465 there');
});
