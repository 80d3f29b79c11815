// The cyrus.conf model: endpoints, commands, lmtpd listeners and where things are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceHost } from '../../server/src/core/host';
import { defaultOptions } from '../../server/src/core/options';
import { checkCyrusConf, loadCyrusConf, lmtpListeners, parseCommand, type CyrusConf, type Endpoint } from '../../server/src/core/cyrus';

/** Files in memory only: nothing from this machine (its /etc/services) leaks in. */
function memHost(files: Record<string, string>): SourceHost {
  return { readFile: (f) => files[f], readDir: () => undefined, isDirectory: () => false };
}

const SERVICES = 'imap2\t\t143/tcp\t\timap\nsieve\t\t4190/tcp\nlmtp\t\t24/tcp\nfud\t4201/udp\n';

function load(text: string, services?: string): CyrusConf {
  const files: Record<string, string> = { '/t/cyrus.conf': text };
  if (services !== undefined) files['/etc/services'] = services;
  return loadCyrusConf('/t/cyrus.conf', defaultOptions, memHost(files));
}

function listenOf(value: string, services?: string, extra = ''): { ep?: Endpoint; findings: string[] } {
  const c = load(`SERVICES {\n  s cmd="imapd" listen=${value}${extra}\n}\n`, services);
  return { ep: c.entries[0]?.listen, findings: checkCyrusConf(c, defaultOptions).map((f) => `${f.severity} ${f.code}`) };
}

test('listen: host:port, [v6]:port, bare port, path', () => {
  assert.deepEqual(strip(listenOf('"127.0.0.1:2003"').ep), { kind: 'tcp', host: '127.0.0.1', port: 2003 });
  assert.deepEqual(strip(listenOf('"[::1]:24"').ep), { kind: 'tcp', host: '::1', port: 24 });
  assert.deepEqual(strip(listenOf('2005').ep), { kind: 'tcp', host: undefined, port: 2005 });
  assert.deepEqual(strip(listenOf('"/run/cyrus/socket/lmtp"').ep), { kind: 'unix', path: '/run/cyrus/socket/lmtp' });
  // master splits at the last colon, so an unbracketed IPv6 address still works
  assert.deepEqual(strip(listenOf('"::1:2003"').ep), { kind: 'tcp', host: '::1', port: 2003 });
});

test('listen: service names go through /etc/services (aliases too), then the built-in table', () => {
  assert.deepEqual(strip(listenOf('"imap"', SERVICES).ep), { kind: 'tcp', host: undefined, port: 143, portName: 'imap' });
  assert.deepEqual(strip(listenOf('"localhost:sieve"', SERVICES).ep), { kind: 'tcp', host: 'localhost', port: 4190, portName: 'sieve' });
  // no /etc/services at all: the built-in table answers, silently
  const none = listenOf('"localhost:lmtp"');
  assert.equal((none.ep as { port: number }).port, 24);
  assert.deepEqual(none.findings, []);
  // /etc/services present but without the name: master cannot resolve it
  const missing = listenOf('"mupdate"', SERVICES);
  assert.equal((missing.ep as { port: number }).port, 3905);
  assert.deepEqual(missing.findings, ['warning cyrus/invalid-value']);
  // udp looks in the udp column
  assert.equal((listenOf('"fud"', SERVICES, ' proto=udp').ep as { port: number }).port, 4201);
  // A name nobody knows is no worse: master disables that one service and runs the rest.
  assert.deepEqual(listenOf('"nosuch"', SERVICES).findings, ['warning cyrus/invalid-value']);
  assert.deepEqual(listenOf('"nosuch"').findings, ['warning cyrus/invalid-value']);
});

test('listen: a service name master cannot resolve says that master disables the service, and what to add to /etc/services', () => {
  const message = (value: string, services?: string) => checkCyrusConf(load(`SERVICES {\n  s cmd="imapd" listen=${value}\n}\n`, services), defaultOptions)
    .filter((f) => f.code === 'cyrus/invalid-value').map((f) => `${f.severity}: ${f.message}`);
  // Seen in the wild (a Kolab frontend's cyrus.conf): one warning for a name we know the port of and for one we do not.
  assert.deepEqual(message('"managesieve"', SERVICES), [
    "warning: The service name 'managesieve' is not in /etc/services here, so master cannot resolve it and disables this service (the others still run). Add 'managesieve PORT/tcp' to /etc/services (PORT: the port it should listen on) or write that port number.",
  ]);
  assert.deepEqual(message('"127.0.0.1:mupdate"', SERVICES), [
    "warning: The service name 'mupdate' is not in /etc/services here, so master cannot resolve it and disables this service (the others still run). Add 'mupdate 3905/tcp' to /etc/services or write the port number 3905.",
  ]);
  assert.deepEqual(message('"httpcyrus"'), [
    "warning: The service name 'httpcyrus' is not one we know, and no /etc/services could be read: unless the mail server's has it, master cannot resolve it and disables this service (the others still run). Add 'httpcyrus PORT/tcp' to /etc/services (PORT: the port it should listen on) or write that port number.",
  ]);
});

test('listen: unusable values are findings, not endpoints', () => {
  for (const v of ['"127.0.0.1:"', '":143"', '"[::1]"', '"[::1"', '"0"', '"65536"']) {
    const r = listenOf(v);
    assert.equal(r.ep, undefined, v);
    assert.deepEqual(r.findings, ['error cyrus/invalid-value'], v);
  }
  const long = '"/' + 'x'.repeat(120) + '"';
  assert.deepEqual(listenOf(long).findings, ['error cyrus/invalid-value']);
});

test('listen: a host of * is every address, bracketed or not (getaddrinfo reads it as none)', () => {
  for (const v of ['"*:2003"', '"[*]:2003"']) {
    const r = listenOf(v);
    assert.deepEqual(r.findings, [], v);
    assert.equal(r.ep?.kind, 'tcp', v);
    assert.equal((r.ep as { host?: string }).host, undefined, v);
    assert.equal((r.ep as { port: number }).port, 2003, v);
  }
});

test('cmd: program, Debian wrapper, lmtpd flags', () => {
  const loc = { file: 'f', range: { start: { line: 3, character: 10 }, end: { line: 3, character: 40 } } };
  const a = parseCommand('lmtpd -a -C /etc/imapd-lmtp.conf -U 30', loc);
  assert.equal(a.tool, 'lmtpd');
  assert.equal(a.preauth, true);
  assert.equal(a.configFile, '/etc/imapd-lmtp.conf');
  assert.deepEqual(a.argv, ['lmtpd', '-a', '-C', '/etc/imapd-lmtp.conf', '-U', '30']);
  const b = parseCommand('/usr/lib/cyrus/bin/lmtpd -C/etc/x.conf', loc);
  assert.equal(b.tool, 'lmtpd');
  assert.equal(b.preauth, false);
  assert.equal(b.configFile, '/etc/x.conf');
  const c = parseCommand('/usr/sbin/cyrus expire -E 3', loc);
  assert.equal(c.tool, 'cyr_expire');
  assert.equal(c.wrapper, '/usr/sbin/cyrus');
  assert.deepEqual(c.toolLoc.range, { start: { line: 3, character: 26 }, end: { line: 3, character: 32 } });
  assert.equal(parseCommand('/usr/sbin/cyrus ctl_cyrusdb -c', loc).tool, 'ctl_cyrusdb');
  assert.equal(parseCommand('/usr/sbin/cyrus check', loc).tool, 'chk_cyrus');
  assert.equal(parseCommand('imapd -s', loc).tls, true);
  // -a belongs to lmtpd only; an argument of -C is not a flag
  assert.equal(parseCommand('imapd -a', loc).preauth, false);
  assert.equal(parseCommand('lmtpd -C -a', loc).preauth, false);
});

test('cmd: words are placed where they are written, whatever white space is between them', () => {
  const c = load('SERVICES {\n  lmtp cmd="  /usr/sbin/cyrus\t lmtpd  -C   /etc/x.conf  -aU3" listen="/run/lmtp"\n}\n').entries[0].cmd!;
  const at = (l: { range: { start: { character: number }; end: { character: number } } } | undefined) => l && [l.range.start.character, l.range.end.character];
  assert.deepEqual(at(c.loc), [12, 60]);
  assert.deepEqual(at(c.toolLoc), [31, 36], 'lmtpd, after a tab and a space');
  assert.deepEqual(at(c.configLoc), [43, 54], '/etc/x.conf');
  assert.deepEqual(c.flagProblems.map((f) => [f.kind, f.word, at(f.loc)]), [['grouped', '-aU3', [56, 60]]]);
  assert.deepEqual(c.toolLoc, c.toolLoc, 'each read places it again, at the same place');
  assert.deepEqual(c.argv, ['/usr/sbin/cyrus', 'lmtpd', '-C', '/etc/x.conf', '-aU3']);
});

test('arguments: name, value (without quotes) and the whole argument are placed where written', () => {
  const e = load('SERVICES {\n  imap cmd="imapd -U 30"  listen=143 prefork=\n}\n').entries[0];
  const at = (l: { range: { start: { character: number }; end: { character: number } } }) => [l.range.start.character, l.range.end.character];
  assert.deepEqual(e.args.map((a) => [a.name, at(a.nameLoc), at(a.valueLoc), at(a.loc)]), [
    ['cmd', [7, 10], [12, 23], [7, 24]],
    ['listen', [26, 32], [33, 36], [26, 36]],
    ['prefork', [37, 44], [45, 45], [37, 45]],
  ]);
});

test('/etc/services: a changed file is read again, an unchanged one gives the same ports', () => {
  const port = (services: string) => (listenOf('"lmtp"', services).ep as { port?: number } | undefined)?.port;
  assert.equal(port(SERVICES), 24);
  assert.equal(port('lmtp\t\t2003/tcp\n'), 2003);
  assert.equal(port(SERVICES), 24);
  assert.equal(port(SERVICES), 24);
  assert.deepEqual(listenOf('"lmtp"', 'other 1/tcp\n').findings, ['warning cyrus/invalid-value'], 'not in this file: the built-in port, with a warning');
  assert.deepEqual(listenOf('"lmtp"', SERVICES).findings, []);
});

test('unknown arguments: a misspelling met again gets the same advice, per section', () => {
  const c = load('SERVICES {\n  a cmd="imapd" listen=1 prefrok=1 zzz=1\n  b cmd="imapd" listen=2 prefrok=2 zzz=2\n}\nEVENTS {\n  e cmd="x" period=1 prefrok=3\n}\n');
  const msgs = checkCyrusConf(c, defaultOptions).filter((f) => f.code === 'cyrus/unknown-argument').map((f) => [f.range.start.line, f.message, f.fixes?.[0]?.edits[0].newText]);
  assert.equal(msgs.length, 5);
  assert.deepEqual(msgs[0].slice(1), msgs[2].slice(1));
  assert.deepEqual(msgs[1].slice(1), msgs[3].slice(1));
  assert.equal(msgs[0][2], 'prefork');
  assert.match(String(msgs[1][1]), /take no 'zzz' argument; master ignores it\. Known: /);
  assert.match(String(msgs[4][1]), /^EVENTS entries take no 'prefrok' argument; master ignores it\. Known: cmd, period, cron, at\.$/);
});

test('listen: the endpoint is where the value is written', () => {
  const c = load('SERVICES {\n  a cmd="lmtpd" listen="127.0.0.1:24"\n  b cmd="lmtpd" listen=/run/lmtp\n  c cmd="lmtpd" listen=imap\n}\n', SERVICES);
  for (const e of c.entries) assert.deepEqual(e.listen!.loc, e.argMap.get('listen')!.valueLoc, e.name);
  assert.deepEqual(c.entries.map((e) => e.listen!.loc.range.start.character), [24, 23, 23]);
});

test('lmtpListeners: endpoint, auth required over TCP without -a, cmd location', () => {
  const c = load([
    'SERVICES {',
    '  lmtp      cmd="lmtpd" listen="127.0.0.1:2003"',
    '  lmtpa     cmd="lmtpd -a" listen="127.0.0.1:2004"',
    '  lmtpunix  cmd="lmtpd" listen="/run/cyrus/socket/lmtp"',
    '  imap      cmd="imapd" listen="143"',
    '}',
  ].join('\n'));
  const l = lmtpListeners(c);
  assert.deepEqual(l.map((x) => [x.entry.name, x.authRequired]), [['lmtp', true], ['lmtpa', false], ['lmtpunix', false]]);
  assert.deepEqual(l[0].cmdLoc.range, { start: { line: 1, character: 17 }, end: { line: 1, character: 22 } });
  assert.equal(c.text.split('\n')[1].slice(17, 22), 'lmtpd');
});

test('sections and arguments carry exact ranges; master reads the first of two arguments', () => {
  const c = load('# c\nServices {\n\timap\tcmd="imapd"listen=143 prefork=0 prefork=5\n}\n');
  assert.equal(c.sections.length, 1);
  assert.equal(c.sections[0].kind, 'SERVICES', 'master matches the first letter exactly and the rest in any case');
  assert.deepEqual(c.sections[0].headerLoc.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } });
  assert.deepEqual(c.sections[0].blockLoc.range, { start: { line: 1, character: 0 }, end: { line: 3, character: 1 } });
  const e = c.entries[0];
  assert.deepEqual(e.args.map((a) => [a.name, a.value, a.quoted]), [['cmd', 'imapd', true], ['listen', '143', false], ['prefork', '0', false], ['prefork', '5', false]]);
  assert.equal(e.argMap.get('prefork')!.value, '0');
  const line = c.text.split('\n')[2];
  const cmd = e.argMap.get('cmd')!;
  assert.equal(line.slice(cmd.valueLoc.range.start.character, cmd.valueLoc.range.end.character), 'imapd');
  assert.equal(line.slice(cmd.nameLoc.range.start.character, cmd.nameLoc.range.end.character), 'cmd');
  assert.equal(e.proto, 'tcp');
});

function strip(e: Endpoint | undefined): unknown {
  if (!e) return e;
  const { loc: _loc, ...rest } = e;
  return rest;
}

test('sections: a lower-case first letter is a block master skips; text before the brace is ignored', () => {
  const lower = load('services {\n  imap cmd="imapd" listen=143\n}\n');
  assert.equal(lower.sections[0].kind, undefined);
  assert.deepEqual(lower.entries, [], 'entries of a skipped block are not services');
  const extra = load('SERVICES extra words {\n  imap cmd="imapd" listen=143\n}\nEVENTS-x {\n}\n');
  assert.deepEqual(extra.sections.map((s) => [s.name, s.kind]), [['SERVICES', 'SERVICES'], ['EVENTS', 'EVENTS']]);
  assert.deepEqual(extra.entries.map((e) => e.name), ['imap']);
  assert.deepEqual(extra.parseFindings, []);
});
