// exim/tls-on-connect against Debian's real Exim daemon on 127.0.0.1:465: a client that
// starts TLS at once (as mail programs do on 465) fails while tls_on_connect_ports does not
// list the port, and succeeds once it does (Exim's own self-signed certificate, no
// tls_certificate needed); a plain client on a TLS-on-connect port gets no greeting.
// cyrus/tls-on-connect the same way against Cyrus's imapd on 127.0.0.1:993 and :143, and
// imapd/tls-service-no-cert: imapd -s with no certificate in imapd.conf. And tls_versions in
// OpenSSL's spelling, which Cyrus reads past: no version is left, and the handshake fails;
// and tls_ciphers as a GnuTLS priority string, in which OpenSSL finds no cipher.
import { test, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/diagnostic';
import { eximMissingReason, makeSpool, spoolLines, withEximDaemon } from './harness/exim';
import { cyrusMissingReason, freePort, startCyrus } from './harness/cyrus';

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** Whether 127.0.0.1:`port` is free to listen on (root may bind 465). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const eximMissing = eximMissingReason();
const skip = eximMissing ? `skipped: ${eximMissing}` : false;

/** Skips the test when something here already listens on 127.0.0.1:`port`. */
async function inUse(t: TestContext, port: number): Promise<boolean> {
  if (await portFree(port)) return false;
  t.skip(`skipped: 127.0.0.1:${port} is in use here`);
  return true;
}

function config(main: string): { dir: string; conf: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-tls-on-connect-'));
  dirs.push(dir);
  fs.chmodSync(dir, 0o755);
  makeSpool(dir);
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, `${spoolLines(dir)}pid_file_path = ${dir}/exim.pid\nprimary_hostname = mail.example.com\nlocal_interfaces = 127.0.0.1\n${main}acl_smtp_rcpt = a\nbegin acl\na:\n  accept\n`);
  return { dir, conf };
}

const warned = (conf: string) => checkProject([{ path: conf, kind: 'exim' }], defaultOptions).filter((f) => f.code === 'exim/tls-on-connect');

/** The outcome of a TLS handshake started at once on `port`: the protocol, or the error's text. */
function handshake(port: number): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    const t = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'localhost' }, () => { resolve({ ok: true, text: t.getProtocol() ?? '' }); t.end(); });
    t.once('error', (e) => resolve({ ok: false, text: e.message }));
    t.setTimeout(10_000, () => { resolve({ ok: false, text: 'timeout' }); t.destroy(); });
  });
}

/** What a plain client that sends nothing receives on `port` within `ms`. */
function greeting(port: number, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const s = net.connect(port, '127.0.0.1');
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', () => undefined);
    setTimeout(() => { s.destroy(); resolve(got); }, ms);
  });
}

test('daemon_smtp_ports = 465 without tls_on_connect_ports: we warn, and a client starting TLS gets Exim\'s plain greeting instead; with the fix, no warning and the handshake succeeds', { skip }, async (t) => {
  if (await inUse(t, 465)) return;
  const without = config('daemon_smtp_ports = 465\n');
  const [f] = warned(without.conf);
  assert.ok(f, 'warned');
  const r = await withEximDaemon(without.conf, 465, without.dir, () => handshake(465));
  assert.equal(r.ok, false);
  assert.match(r.text, /wrong version number|packet length too long|unexpected eof/i);

  const fixed = config('daemon_smtp_ports = 465\ntls_on_connect_ports = 465\n');
  assert.deepEqual(warned(fixed.conf), []);
  const ok = await withEximDaemon(fixed.conf, 465, fixed.dir, () => handshake(465));
  assert.equal(ok.ok, true, ok.text);
});

test('tls_on_connect_ports = 587: we warn, and a plain client there gets no greeting; without it, the 220 greeting comes at once', { skip }, async (t) => {
  if (await inUse(t, 587)) return;
  const onConnect = config('daemon_smtp_ports = 587\ntls_on_connect_ports = 587\n');
  assert.equal(warned(onConnect.conf).length, 1);
  assert.equal(await withEximDaemon(onConnect.conf, 587, onConnect.dir, () => greeting(587, 2000)), '');

  const plain = config('daemon_smtp_ports = 587\n');
  assert.deepEqual(warned(plain.conf), []);
  assert.match(await withEximDaemon(plain.conf, 587, plain.dir, () => greeting(587, 2000)), /^220 /);
});

const cyrusMissing = cyrusMissingReason() ?? (spawnSync('openssl', ['version']).status !== 0 ? 'openssl is not installed' : undefined);

/** Cyrus with `services` added, imapd given a fresh self-signed certificate; our cyrus/tls-on-connect findings on its cyrus.conf, and `body`'s result. */
async function withImapd<T>(services: string[], body: () => Promise<T>, imapdLines = ''): Promise<{ warned: number; findings: Finding[]; result: T }> {
  const c = await startCyrus({ extraServices: services, editCyrusConf: (text, d) => {
    const [key, cert] = [path.join(d, 'key.pem'), path.join(d, 'cert.pem')];
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'], { timeout: 60_000 });
    assert.equal(r.status, 0, `openssl: ${r.stderr}`);
    // imapd runs as cyrus.
    fs.chmodSync(key, 0o644);
    fs.appendFileSync(path.join(d, 'imapd.conf'), `tls_server_cert: ${cert}\ntls_server_key: ${key}\n${imapdLines}`);
    return text;
  } });
  try {
    const findings = checkProject([{ path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions);
    const warned = findings.filter((f) => f.code === 'cyrus/tls-on-connect' || f.code === 'imapd/tls-service-no-cert').length;
    return { warned, findings, result: await body() };
  } finally {
    await c.stop();
  }
}

test('imapd without -s on 993 and with -s on 143: we warn twice, and a TLS client on 993 meets the plain greeting while a client on 143 gets none; the other way round, no warning and both work', { skip: cyrusMissing ? `skipped: ${cyrusMissing}` : false }, async (t) => {
  if (await inUse(t, 993) || await inUse(t, 143)) return;
  const wrong = await withImapd(['imaps cmd="imapd -C {conf}" listen="127.0.0.1:993" prefork=0', 'imap143 cmd="imapd -s -C {conf}" listen="127.0.0.1:143" prefork=0'],
    async () => ({ tls: await handshake(993), plain: await greeting(143, 2000) }));
  assert.equal(wrong.warned, 2);
  assert.equal(wrong.result.tls.ok, false);
  assert.match(wrong.result.tls.text, /wrong version number|packet length too long|unexpected eof/i);
  assert.equal(wrong.result.plain, '');

  const right = await withImapd(['imaps cmd="imapd -s -C {conf}" listen="127.0.0.1:993" prefork=0', 'imap143 cmd="imapd -C {conf}" listen="127.0.0.1:143" prefork=0'],
    async () => ({ tls: await handshake(993), plain: await greeting(143, 2000) }));
  assert.equal(right.warned, 0);
  assert.equal(right.result.tls.ok, true, right.result.tls.text);
  assert.match(right.result.plain, /^\* OK/);
});

test('imapd -s with no certificate in imapd.conf: we warn, and Cyrus drops the TLS client at the handshake', { skip: cyrusMissing ? `skipped: ${cyrusMissing}` : false }, async () => {
  const port = await freePort();
  const c = await startCyrus({ extraServices: [`imaps cmd="imapd -s -C {conf}" listen="127.0.0.1:${port}" prefork=0`] });
  try {
    const found = checkProject([{ path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions);
    assert.deepEqual(found.filter((f) => f.code === 'imapd/tls-service-no-cert').map((f) => f.message.split(' ')[1]), ['imaps']);
    const r = await handshake(port);
    assert.equal(r.ok, false, r.text);
  } finally {
    await c.stop();
  }
});

/** imapd -s with `option: value` in its imapd.conf: our imapd/invalid-value findings on that option, and the TLS handshake's outcome. */
async function imapsWith(option: string, value: string): Promise<{ found: Finding[]; ok: boolean; text: string }> {
  const port = await freePort();
  const r = await withImapd([`imaps cmd="imapd -s -C {conf}" listen="127.0.0.1:${port}" prefork=0`], () => handshake(port), `${option}: ${value}\n`);
  return { found: r.findings.filter((f) => f.code === 'imapd/invalid-value' && f.message.includes(option)), ...r.result };
}

test('tls_versions: TLSv1.2 TLSv1.3 (OpenSSL\'s spelling): we warn, and imapd -s fails every handshake; with our fix (tls1_2 tls1_3), TLS works', { skip: cyrusMissing ? `skipped: ${cyrusMissing}` : false }, async () => {
  for (const [versions, works] of [['TLSv1.2 TLSv1.3', false], ['tls1_2 tls1_3', true]] as const) {
    const r = await imapsWith('tls_versions', versions);
    assert.equal(r.found.length, works ? 0 : 1, versions);
    if (!works) assert.equal(r.found[0].fixes?.[0].edits[0].newText, 'tls1_2 tls1_3');
    assert.equal(r.ok, works, r.text);
  }
});

test('tls_ciphers in GnuTLS\'s syntax (NORMAL:-VERS-TLS1.0, copied from Exim): we warn, and OpenSSL finds no cipher in it, so imapd -s fails every handshake; with HIGH:!aNULL, TLS works', { skip: cyrusMissing ? `skipped: ${cyrusMissing}` : false }, async () => {
  for (const [ciphers, works] of [['NORMAL:-VERS-TLS1.0:-VERS-TLS1.1', false], ['HIGH:!aNULL', true]] as const) {
    const r = await imapsWith('tls_ciphers', ciphers);
    assert.equal(r.found.length, works ? 0 : 1, ciphers);
    assert.equal(r.ok, works, r.text);
  }
});
