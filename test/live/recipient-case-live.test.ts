// link/lmtp-recipient-case against Debian's real Exim 4.96 and Cyrus 3.6: with
// lmtp_downcase_rcpt: no, Exim hands lmtpd "Alice@example.com" as the sender wrote it, and
// lmtpd refuses it (the mailbox is alice): the recipient callout answers 550 and a delivery
// bounces. Our fix (yes) makes both work, and the finding goes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/diagnostic';
import { applyEditsOnDisk } from '../helpers/apply-edits';
import { deliver, eximMissingReason, eximScratchDir, rcpt, REFERENCE, spoolLines } from './harness/exim';
import { cyrusMissingReason, servicesPerConf, startCyrus, type CyrusInstance } from './harness/cyrus';

const missing = eximMissingReason() ?? cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;
/**
 * Two lmtpd services, each with its own imapd.conf (-C): "keep" with the option off, and
 * "fixed" for the file as our fix leaves it (master keeps an lmtpd running between
 * connections with the settings it first read, so the fixed file needs an lmtpd of its own).
 */
const ports = { keep: 0, fixed: 0 };
const confOf = (n: keyof typeof ports) => path.join(cy.dir, `${n}.imapd.conf`);

before(async () => {
  if (missing) return;
  cy = await startCyrus({
    mailboxes: ['user/alice@example.com'],
    extraServices: await servicesPerConf(ports, 'lmtp', 'lmtpd -a'),
  });
  // lmtpd reads it when master starts one for a connection, so it may be written now.
  fs.writeFileSync(confOf('keep'), `${fs.readFileSync(cy.imapdConf, 'utf8').trimEnd()}\nlmtp_downcase_rcpt: no\n`, { mode: 0o644 });
});

after(async () => { if (cy) await cy.stop(); });

const findings = (conf: string): Finding[] => checkProject([
  { path: conf, kind: 'exim' }, { path: cy.cyrusConf, kind: 'cyrus-conf' }, { path: cy.imapdConf, kind: 'imapd-conf' },
], defaultOptions).filter((f) => f.code === 'link/lmtp-recipient-case');

/** The reference Exim delivering to the test's lmtpd, with a spool (and callout cache) of its own. */
function exim(port: number): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-case-');
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, REFERENCE
    .replace('primary_hostname = mail.example.com\n', `primary_hostname = mail.example.com\n${spoolLines(dir)}`)
    .replace('  port = 2003\n', `  port = ${port}\n`));
  return { dir, conf };
}

test('lmtp_downcase_rcpt: no: we warn, and Alice@ is refused by the callout and bounced at delivery; after our fix, both take it', { skip }, async () => {
  let { dir, conf } = exim(ports.keep);

  const found = findings(conf);
  assert.equal(found.length, 1);
  assert.equal(found[0].file, confOf('keep'));
  assert.match(rcpt(conf, ['alice@example.com']).rcpt[0], /^250 /, 'the mailbox is there for the case it was made in');
  assert.match(rcpt(conf, ['Alice@example.com']).rcpt[0], /^550[ -]/);
  assert.match(deliver(dir, conf, 'Alice@example.com'), /\*\* alice@example\.com <Alice@example\.com> R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\]: SMTP error from remote mail server after RCPT TO:<Alice@example\.com>: 550/);

  applyEditsOnDisk(found[0].fixes![0].edits);
  const fixed = fs.readFileSync(confOf('keep'), 'utf8');
  assert.match(fixed, /^lmtp_downcase_rcpt: yes$/m);
  assert.deepEqual(findings(conf), []);
  // The fixed file, read by a fresh lmtpd; a fresh spool, since the callout cache remembers the refusal.
  fs.writeFileSync(confOf('fixed'), fixed, { mode: 0o644 });
  ({ dir, conf } = exim(ports.fixed));
  assert.deepEqual(findings(conf), []);
  assert.match(rcpt(conf, ['Alice@example.com']).rcpt[0], /^250 /);
  const before = await cy.messageCount('user/alice@example.com');
  assert.match(deliver(dir, conf, 'Alice@example.com'), /=> alice@example\.com <Alice@example\.com> R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\] C="250 /);
  assert.equal(await cy.messageCount('user/alice@example.com'), before + 1);
});
