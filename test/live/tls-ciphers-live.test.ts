// tls_require_ciphers in OpenSSL's syntax against Debian's Exim 4.96, built with GnuTLS:
// exim -bV takes the config, and we warn (for the 4.96 target), because the daemon refuses
// to start ("gnutls_priority_init(...) failed"). With a GnuTLS priority string it listens.
// And tls_dhparam naming no prime Exim carries: every STARTTLS fails, so a client sends in
// clear text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { deliver, EXIM, eximMissingReason, eximScratchDir, spoolLines, withEximDaemon } from './harness/exim';
import { freePort } from './harness/cyrus';

const missing = eximMissingReason() ?? (spawnSync('openssl', ['version']).status !== 0 ? 'openssl is not installed' : undefined);
const skip = missing ? `skipped: ${missing}` : false;
function setup(ciphers: string, open: string[] = [], extra = ''): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-ciphers-', open);
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'], { timeout: 60_000 });
  assert.equal(r.status, 0, `openssl: ${r.stderr}`);
  for (const f of [key, cert]) fs.chmodSync(f, 0o644);
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, `primary_hostname = mail.example.com\n${spoolLines(dir)}tls_advertise_hosts = *\ntls_certificate = ${cert}\ntls_privatekey = ${key}\ntls_require_ciphers = ${ciphers}\n${extra}`);
  return { dir, conf };
}

const warned = (conf: string) => checkProject([{ path: conf, kind: 'exim' }], { ...defaultOptions, eximVersion: '4.96' }).filter((f) => /tls_require_ciphers/.test(f.message));

test('tls_require_ciphers = HIGH:!aNULL:!MD5 (OpenSSL\'s syntax): exim -bV takes it, we warn, and the daemon refuses to start', { skip }, async () => {
  const { conf } = setup('HIGH:!aNULL:!MD5');
  assert.equal(spawnSync(EXIM, ['-C', conf, '-bV']).status, 0);
  assert.equal(warned(conf).length, 1);
  const port = await freePort();
  const d = spawnSync(EXIM, ['-C', conf, '-bdf', '-oX', String(port)], { encoding: 'utf8', timeout: 15_000 });
  assert.notEqual(d.status, 0);
  assert.match(d.stdout + d.stderr, /tls_require_ciphers invalid: gnutls_priority_init\(HIGH:!aNULL:!MD5\) failed/);
});

test('tls_require_ciphers = NORMAL:-VERS-TLS1.0 (a GnuTLS priority string): no warning, and the daemon listens', { skip }, async () => {
  const { dir, conf } = setup('NORMAL:-VERS-TLS1.0');
  assert.deepEqual(warned(conf), []);
  const port = await freePort();
  await withEximDaemon(conf, port, dir, async () => undefined);
});

test('an smtp transport\'s tls_require_ciphers = HIGH:!aNULL: we warn, and Exim delivers to an Exim offering STARTTLS in clear text; with NORMAL, over TLS', { skip }, async () => {
  const server = setup('NORMAL', ['mail']);
  fs.appendFileSync(server.conf, `acl_smtp_rcpt = r\nbegin acl\nr:\n  accept\nbegin routers\nl:\n  driver = accept\n  transport = box\nbegin transports\nbox:\n  driver = appendfile\n  file = ${server.dir}/mail/box\n  user = Debian-exim\n`);
  const port = await freePort();
  await withEximDaemon(server.conf, port, server.dir, async () => {
    for (const [ciphers, tls] of [['HIGH:!aNULL', false], ['NORMAL', true]] as const) {
      const client = eximScratchDir('exim-cyrus-ciphers-client-');
      const conf = path.join(client, 'exim.conf');
      fs.writeFileSync(conf, `primary_hostname = client.example\n${spoolLines(client)}begin routers\nr:\n  driver = manualroute\n  route_list = * 127.0.0.1::${port}\n  transport = t\n  self = send\nbegin transports\nt:\n  driver = smtp\n  allow_localhost\n  tls_require_ciphers = ${ciphers}\n  tls_verify_certificates =\n`);
      const found = warned(conf);
      assert.equal(found.length, tls ? 0 : 1, ciphers);
      if (!tls) assert.match(found[0].message, /delivers in clear text/);
      const log = deliver(client, conf, 'alice@remote.example');
      assert.match(log, / => alice@remote\.example R=r T=t H=127\.0\.0\.1/);
      if (tls) assert.match(log, / X=TLS/);
      else {
        assert.match(log, /gnutls_priority_init\(HIGH:!aNULL\) failed.*delivering unencrypted/);
        assert.doesNotMatch(log, / X=TLS/);
      }
    }
  });
});

test('tls_dhparam = ffdhe2049 (no prime Exim carries): we warn, and the server fails every STARTTLS, so an Exim client delivers in clear text; with ffdhe3072, over TLS', { skip }, async () => {
  for (const [dh, tls] of [['ffdhe2049', false], ['ffdhe3072', true]] as const) {
    const server = setup('NORMAL', ['mail'], `tls_dhparam = ${dh}\n`);
    fs.appendFileSync(server.conf, `acl_smtp_rcpt = r\nbegin acl\nr:\n  accept\nbegin routers\nl:\n  driver = accept\n  transport = box\nbegin transports\nbox:\n  driver = appendfile\n  file = ${server.dir}/mail/box\n  user = Debian-exim\n`);
    const found = checkProject([{ path: server.conf, kind: 'exim' }], { ...defaultOptions, eximVersion: '4.96' }).filter((f) => /tls_dhparam/.test(f.message));
    assert.equal(found.length, tls ? 0 : 1, dh);
    const port = await freePort();
    await withEximDaemon(server.conf, port, server.dir, async () => {
      const client = eximScratchDir('exim-cyrus-dh-client-');
      const conf = path.join(client, 'exim.conf');
      fs.writeFileSync(conf, `primary_hostname = client.example\n${spoolLines(client)}begin routers\nr:\n  driver = manualroute\n  route_list = * 127.0.0.1::${port}\n  transport = t\n  self = send\nbegin transports\nt:\n  driver = smtp\n  allow_localhost\n  tls_verify_certificates =\n`);
      const log = deliver(client, conf, 'alice@remote.example');
      assert.match(log, / => alice@remote\.example R=r T=t H=127\.0\.0\.1/);
      if (tls) assert.match(log, / X=TLS/);
      else assert.doesNotMatch(log, / X=TLS/);
    });
    if (!tls) assert.match(fs.readFileSync(path.join(server.dir, 'log', 'mainlog'), 'utf8'), /TLS error on connection .*\(No standard prime named\): ffdhe2049/);
  }
});
