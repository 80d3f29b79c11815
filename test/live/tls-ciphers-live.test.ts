// tls_require_ciphers in OpenSSL's syntax against Debian's Exim 4.96, built with GnuTLS:
// exim -bV takes the config, and we warn (for the 4.96 target), because the daemon refuses
// to start ("gnutls_priority_init(...) failed"). With a GnuTLS priority string it listens.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { EXIM, eximMissingReason, makeSpool, spoolLines, withEximDaemon } from './harness/exim';
import { freePort } from './harness/cyrus';

const missing = eximMissingReason() ?? (spawnSync('openssl', ['version']).status !== 0 ? 'openssl is not installed' : undefined);
const skip = missing ? `skipped: ${missing}` : false;
const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function setup(ciphers: string): { dir: string; conf: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-ciphers-'));
  dirs.push(dir);
  fs.chmodSync(dir, 0o755);
  makeSpool(dir);
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'], { timeout: 60_000 });
  assert.equal(r.status, 0, `openssl: ${r.stderr}`);
  for (const f of [key, cert]) fs.chmodSync(f, 0o644);
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, `primary_hostname = mail.example.com\n${spoolLines(dir)}tls_advertise_hosts = *\ntls_certificate = ${cert}\ntls_privatekey = ${key}\ntls_require_ciphers = ${ciphers}\n`);
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
