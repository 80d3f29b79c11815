// Finding callout targets in Exim transports and cyrus.conf services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExim } from '../../server/src/core/exim';
import { loadCyrusConf } from '../../server/src/core/cyrus';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';
import type { CyrusConf } from '../../server/src/core/cyrus/model';
import { cyrusCalloutTargets, eximCalloutTargets, servicePort } from '../../server/src/core/lmtp/discover';

const SERVICES = 'smtp 25/tcp mail\ncyrus-lmtp 2005/tcp lmtpalias # ours\nlmtp 24/udp\n';

function exim(text: string) {
  const file = '/virtual/exim.conf';
  const host = memoryHost(new Map([[file, text], ['/etc/services', SERVICES]]));
  return eximCalloutTargets(loadExim(file, defaultOptions, host), host);
}

test('smtp transports with protocol = lmtp: hosts × port, localhost is loopback', () => {
  const d = exim([
    'begin transports',
    'cyrus_ltcp:',
    '  driver = smtp',
    '  protocol = lmtp',
    '  hosts = localhost',
    '  port = 2003',
    'v6:',
    '  driver = smtp',
    '  protocol = lmtp',
    '  hosts = <; [::1]:2004 ; 192.0.2.7',
    '  port = cyrus-lmtp',
    'colon_port:',
    '  driver = smtp',
    '  protocol = LMTP',
    '  hosts = 127.0.0.2::2006 : mail.example.com',
    'remote_smtp:',
    '  driver = smtp',
    '  hosts = 127.0.0.9',
    'local_lmtp:',
    '  driver = lmtp',
    '  socket = /run/cyrus/socket/lmtp',
    'expanded:',
    '  driver = lmtp',
    '  socket = ${if eq{1}{1}{/a}{/b}}',
    '',
  ].join('\n'));
  assert.deepEqual(d.candidates.map((c) => [c.name, c.label]), [
    ['cyrus_ltcp', '127.0.0.1:2003'],
    ['v6', '[::1]:2004'],
    ['v6', '192.0.2.7:2005'],
    ['colon_port', '127.0.0.2:2006'],
    ['colon_port', 'mail.example.com:24'],
    ['local_lmtp', '/run/cyrus/socket/lmtp'],
  ]);
  assert.equal(d.candidates[0].file, '/virtual/exim.conf');
  assert.equal(d.candidates[0].range?.start.line, 4);
  assert.ok(d.skipped.some((s) => s.startsWith('transport expanded:')));
});

test('a manualroute router supplies the hosts when the transport has none', () => {
  const d = exim([
    'begin routers',
    'cyrus:',
    '  driver = manualroute',
    '  domains = example.com',
    '  transport = to_cyrus',
    '  route_list = * 127.0.0.1::2003 byname',
    'begin transports',
    'to_cyrus:',
    '  driver = smtp',
    '  protocol = lmtp',
    '',
  ].join('\n'));
  assert.deepEqual(d.candidates.map((c) => c.label), ['127.0.0.1:2003']);
});

test('a manualroute router\'s hosts win over the transport\'s, unless the transport sets hosts_override', () => {
  // Found live (scripts/mutate-link.mjs): Exim 4.96 connects to route_list's 127.0.0.2 with
  // the transport's hosts = localhost left unused; with hosts_override, to localhost.
  const conf = (extra: string) => exim([
    'begin routers',
    'cyrus:',
    '  driver = manualroute',
    '  transport = to_cyrus',
    '  route_list = * 127.0.0.2::2004',
    '  self = send',
    'begin transports',
    'to_cyrus:',
    '  driver = smtp',
    '  protocol = lmtp',
    '  hosts = 127.0.0.1',
    '  port = 2003',
    extra,
  ].join('\n'));
  assert.deepEqual(conf('').candidates.map((c) => c.label), ['127.0.0.2:2004']);
  assert.deepEqual(conf('  hosts_override').candidates.map((c) => c.label), ['127.0.0.1:2003']);
  assert.deepEqual(conf('  hosts_override = false').candidates.map((c) => c.label), ['127.0.0.2:2004']);
});

test('a host that is this machine after another host in a router\'s list is not offered: Exim drops it', () => {
  // Exim 4.96 removes a local host, and every host after it, from a manualroute list whose
  // first host is not local ("Removed from host list"); the link rules say so as an error.
  const conf = (list: string, hostsOption = '') => exim([
    'primary_hostname = mx.example.com',
    'begin routers',
    'cyrus:',
    '  driver = manualroute',
    '  transport = to_cyrus',
    `  route_list = * "${list}"`,
    'begin transports',
    'to_cyrus:',
    '  driver = smtp',
    '  protocol = lmtp',
    '  port = 2003',
    hostsOption,
  ].join('\n'));
  const dropped = conf('127.0.0.2 : 127.0.0.1 : 127.0.0.3');
  assert.deepEqual(dropped.candidates.map((c) => c.label), ['127.0.0.2:2003']);
  assert.deepEqual(dropped.skipped.filter((s) => s.includes('Exim drops it')).length, 2);
  assert.ok(dropped.skipped.some((s) => s.includes('"127.0.0.1"')));
  // The primary hostname is this machine too.
  assert.deepEqual(conf('127.0.0.2 : mx.example.com').candidates.map((c) => c.label), ['127.0.0.2:2003']);
  // A local host first stays, and so does the rest.
  assert.deepEqual(conf('127.0.0.1 : 127.0.0.2').candidates.map((c) => c.label), ['127.0.0.1:2003', '127.0.0.2:2003']);
  // The transport's own hosts (hosts_override) are not the router's list: nothing dropped.
  assert.deepEqual(conf('127.0.0.2', '  hosts = 127.0.0.2 : 127.0.0.1\n  hosts_override').candidates.map((c) => c.label), ['127.0.0.2:2003', '127.0.0.1:2003']);
});

test('hosts computed at delivery time are reported as skipped, not guessed', () => {
  const d = exim('begin transports\nt:\n  driver = smtp\n  protocol = lmtp\n  hosts = ${lookup{$domain}lsearch{/etc/x}}\n');
  assert.deepEqual(d.candidates, []);
  assert.equal(d.skipped.length, 1);
});

test('servicePort: numbers, /etc/services names and aliases, the fallback table', () => {
  const host = memoryHost(new Map([['/etc/services', SERVICES]]));
  assert.equal(servicePort('2003', host), 2003);
  assert.equal(servicePort('cyrus-lmtp', host), 2005);
  assert.equal(servicePort('lmtpalias', host), 2005);
  assert.equal(servicePort('lmtp', host), 24, 'udp-only entry ignored, table used');
  assert.equal(servicePort('nonesuch', host), undefined);
  assert.equal(servicePort('70000', host), undefined);
});

test('cyrus.conf lmtpd and smmapd listeners, with -a noted', () => {
  const loc = { file: '/etc/cyrus.conf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
  const entry = (name: string, tool: string, preauth: boolean, listen: object | undefined, section = 'SERVICES', proto = 'tcp') =>
    ({ section, name, cmd: { tool, preauth }, listen: listen && { ...listen, loc }, proto });
  const conf = { entries: [
    entry('lmtp', 'lmtpd', true, { kind: 'tcp', host: 'localhost', port: 2003 }),
    entry('lmtpall', 'lmtpd', false, { kind: 'tcp', port: 2004 }),
    entry('lmtpunix', 'lmtpd', false, { kind: 'unix', path: '/run/cyrus/socket/lmtp' }),
    entry('lmtpv6', 'lmtpd', true, { kind: 'tcp', host: '::', port: 2005 }),
    entry('broken', 'lmtpd', true, undefined),
    entry('imap', 'imapd', false, { kind: 'tcp', port: 143 }),
    entry('recover', 'lmtpd', false, { kind: 'tcp', port: 9 }, 'START'),
    entry('smmap', 'smmapd', false, { kind: 'unix', path: '/run/cyrus/socket/smmapd' }),
  ] } as unknown as CyrusConf;
  const d = cyrusCalloutTargets(conf);
  assert.deepEqual(d.candidates.map((c) => [c.name, c.label, c.authRequired]), [
    ['lmtp', '127.0.0.1:2003', false],
    ['lmtpall', '127.0.0.1:2004', true],
    ['lmtpunix', '/run/cyrus/socket/lmtp', false],
    ['lmtpv6', '[::1]:2005', false],
  ]);
  assert.deepEqual(d.skipped, ['service broken: its listen address cannot be understood']);
  assert.deepEqual(cyrusCalloutTargets(conf, 'smmapd').candidates.map((c) => [c.label, c.protocol]), [['/run/cyrus/socket/smmapd', 'socketmap']]);
  assert.deepEqual(cyrusCalloutTargets(undefined).candidates, []);
  assert.deepEqual(cyrusCalloutTargets({ entries: [null, {}] } as unknown as CyrusConf).candidates, []);
});

test('services master does not run are never offered, only listed with the reason', () => {
  const file = '/virtual/cyrus.conf';
  const text = [
    'SERVICES {',
    // /etc/services here has no tcp entry for "lmtp": master cannot resolve it.
    '  byname   cmd="lmtpd -a" listen="lmtp"',
    '  badflag  cmd="lmtpd -a -s" listen="127.0.0.1:2004"',
    '  grouped  cmd="lmtpd -aU30" listen="127.0.0.1:2005"',
    '  good     cmd="lmtpd -a" listen="127.0.0.1:2003"',
    '  smmap    cmd="smmapd -s" listen="/run/cyrus/socket/smmapd"',
    '}',
    'services {',
    '  lower    cmd="lmtpd -a" listen="127.0.0.1:2006"',
    '}',
    'SERVICES {',
    '  second   cmd="lmtpd -a" listen="127.0.0.1:2007"',
    '}',
    '',
  ].join('\n');
  const host = memoryHost(new Map([[file, text], ['/etc/services', 'smtp 25/tcp mail\n']]));
  const conf = loadCyrusConf(file, defaultOptions, host);
  const d = cyrusCalloutTargets(conf);
  assert.deepEqual(d.candidates.map((c) => c.name), ['good'], 'the only one chosen without asking');
  assert.deepEqual(d.skipped, [
    "service byname: master does not run it: The service name 'lmtp' is not in /etc/services here, so master cannot resolve it and disables this service (the others still run). Add 'lmtp 24/tcp' to /etc/services or write the port number 24.",
    'service badflag: its cmd has -s, which lmtpd does not take, so it exits at every connection',
    "service grouped: its cmd has -aU30, which master's service wrapper refuses, so it exits at every connection",
    'service lower: in section "services", which master ignores',
    'service second: in a second SERVICES section, which master ignores',
  ]);
  // smmapd's own flags are not known to us: only what is certain keeps it out.
  assert.deepEqual(cyrusCalloutTargets(conf, 'smmapd').candidates.map((c) => c.name), ['smmap']);
});

test('the port option is read as Exim reads it: a leading 0 is octal, 0x hexadecimal, junk after the digits no port', () => {
  const t = (name: string, port: string, hosts = '127.0.0.1') => [`${name}:`, '  driver = smtp', '  protocol = lmtp', `  hosts = ${hosts}`, `  port = ${port}`];
  const d = exim(['begin transports', ...t('octal', '03723'), ...t('hex', '0x7d4'), ...t('junk', '2003x'), ...t('host_port', '25', '127.0.0.1::02005'), ''].join('\n'));
  assert.deepEqual(d.candidates.map((c) => [c.name, c.label]), [
    ['octal', '127.0.0.1:2003'],
    ['hex', '127.0.0.1:2004'],
    // A host's own port is decimal, leading zeros and all.
    ['host_port', '127.0.0.1:2005'],
  ]);
  assert.ok(d.skipped.some((s) => s.startsWith('transport junk:') && s.includes('no port number')), d.skipped.join('\n'));
});
