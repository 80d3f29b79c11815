// link/cyrus-router-verify-only against Debian's real Exim 4.96 and Cyrus 3.6: with verify_only
// on the reference's Cyrus router, the recipient callout asks Cyrus through it and alice is
// accepted at RCPT, but at delivery Exim passes the router by and the message bounces as an
// unknown user. Without it, the message is delivered to alice's mailbox, and we say nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { deliver, eximMissingReason, eximScratchDir, rcpt, REFERENCE, spoolLines } from './harness/exim';
import { cyrusMissingReason, startCyrus, type CyrusInstance } from './harness/cyrus';

const missing = eximMissingReason() ?? cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;

before(async () => {
  if (missing) return;
  cy = await startCyrus({ mailboxes: ['user/alice@example.com'] });
});
after(async () => { if (cy) await cy.stop(); });

/** The reference delivering to the test's lmtpd, its Cyrus router with verify_only or not. */
function exim(verifyOnly: boolean): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-verify-only-');
  const conf = path.join(dir, 'exim.conf');
  const router = '  transport = cyrus_ltcp\n  no_more\n';
  assert.ok(REFERENCE.includes(router));
  fs.writeFileSync(conf, REFERENCE
    .replace('primary_hostname = mail.example.com\n', `primary_hostname = mail.example.com\n${spoolLines(dir)}`)
    .replace('  port = 2003\n', `  port = ${cy.ports.lmtpTrusted}\n`)
    .replace(router, verifyOnly ? '  transport = cyrus_ltcp\n  verify_only\n  no_more\n' : router));
  return { dir, conf };
}

const ours = (conf: string) => checkProject([
  { path: conf, kind: 'exim' }, { path: cy.cyrusConf, kind: 'cyrus-conf' }, { path: cy.imapdConf, kind: 'imapd-conf' },
], defaultOptions).filter((f) => f.code === 'link/cyrus-router-verify-only');

test('verify_only on the Cyrus router: we warn, and Exim accepts alice at RCPT (the callout passes) and then bounces her mail as an unknown user; without it, delivered and no warning', { skip }, async () => {
  const only = exim(true);
  assert.equal(ours(only.conf).length, 1);
  assert.match(rcpt(only.conf, ['alice@example.com']).rcpt[0], /^250 /);
  const before = await cy.messageCount('user/alice@example.com');
  assert.match(deliver(only.dir, only.conf, 'alice@example.com'), /\*\* alice@example\.com[^\n]*Unknown user/);
  assert.equal(await cy.messageCount('user/alice@example.com'), before);

  const plain = exim(false);
  assert.deepEqual(ours(plain.conf), []);
  assert.match(rcpt(plain.conf, ['alice@example.com']).rcpt[0], /^250 /);
  assert.match(deliver(plain.dir, plain.conf, 'alice@example.com'), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp /);
  assert.equal(await cy.messageCount('user/alice@example.com'), before + 1);
});
