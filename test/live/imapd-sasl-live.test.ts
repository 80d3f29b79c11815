// sasl_pwcheck_method against Debian's Cyrus 3.6 and libsasl 2.1.28: "sasldb" (an auxprop
// plugin, not a method) leaves libsasl no way to check a password, and IMAP LOGIN with the
// right password is refused; with our fix (auxprop, the sasldb plugin already set) it
// succeeds, and the finding goes. And sasl_auxprop_plugin: sasldb2, no plugin libsasl has.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/diagnostic';
import { applyEditsOnDisk } from '../helpers/apply-edits';
import { cyrusMissingReason, servicesPerConf, startCyrus, type CyrusInstance } from './harness/cyrus';

const missing = cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;
/** imapd services, each reading its own imapd.conf (master keeps an imapd with the settings it first read). */
const ports = { bad: 0, fixed: 0, plugin: 0 };
const confOf = (n: keyof typeof ports) => path.join(cy.dir, `${n}.imapd.conf`);

before(async () => {
  if (missing) return;
  cy = await startCyrus({
    extraServices: await servicesPerConf(ports, 'imap', 'imapd'),
  });
  const base = fs.readFileSync(cy.imapdConf, 'utf8');
  assert.match(base, /^sasl_pwcheck_method: auxprop$/m);
  fs.writeFileSync(confOf('bad'), base.replace(/^sasl_pwcheck_method: auxprop$/m, 'sasl_pwcheck_method: sasldb'), { mode: 0o644 });
  assert.match(base, /^sasl_auxprop_plugin: sasldb$/m);
  fs.writeFileSync(confOf('plugin'), base.replace(/^sasl_auxprop_plugin: sasldb$/m, 'sasl_auxprop_plugin: sasldb2'), { mode: 0o644 });
});

after(async () => { if (cy) await cy.stop(); });

/** The tagged answer to IMAP LOGIN as the admin on `port`. */
function login(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = '', sent = false;
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no answer: ${buf}`)); }, 15_000);
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      buf += d;
      if (!sent && /^\* OK/m.test(buf)) { sent = true; s.write(`a LOGIN ${cy.admin.user} ${cy.admin.password}\r\n`); }
      const m = /^a (OK|NO|BAD).*$/m.exec(buf);
      if (m) { clearTimeout(timer); s.end('b LOGOUT\r\n'); resolve(m[0]); }
    });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

const findings = (imapd: string): Finding[] => checkProject([{ path: imapd, kind: 'imapd-conf' }], defaultOptions)
  .filter((f) => f.code === 'imapd/invalid-value' && /pwcheck|auxprop_plugin/.test(f.message));

test('sasl_pwcheck_method: sasldb: we warn, and the right password is refused; after our fix (auxprop), accepted', { skip }, async () => {
  assert.match(await login(cy.ports.imap), /^a OK/, 'the harness\'s own imapd takes the password');
  const found = findings(confOf('bad'));
  assert.equal(found.length, 1);
  assert.match(await login(ports.bad), /^a NO/);
  applyEditsOnDisk(found[0].fixes![0].edits);
  const fixed = fs.readFileSync(confOf('bad'), 'utf8');
  assert.match(fixed, /^sasl_pwcheck_method: auxprop$/m);
  assert.deepEqual(findings(confOf('bad')), []);
  fs.writeFileSync(confOf('fixed'), fixed, { mode: 0o644 });
  assert.match(await login(ports.fixed), /^a OK/);
});

test('sasl_auxprop_plugin: sasldb2 (the library file\'s name): we warn, and the right password is refused', { skip }, async () => {
  const found = findings(confOf('plugin'));
  assert.equal(found.length, 1);
  assert.equal(found[0].fixes?.[0].edits[0].newText, 'sasldb');
  assert.match(await login(ports.plugin), /^a NO/);
});
