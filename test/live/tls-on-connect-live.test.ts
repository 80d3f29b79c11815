// exim/tls-on-connect against Debian's real Exim daemon on 127.0.0.1:465: a client that
// starts TLS at once (as mail programs do on 465) fails while tls_on_connect_ports does not
// list the port, and succeeds once it does (Exim's own self-signed certificate, no
// tls_certificate needed); a plain client on a TLS-on-connect port gets no greeting.
import { test, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { eximMissingReason, makeSpool, spoolLines, withEximDaemon } from './harness/exim';

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
