// link/deliver-command and deliver's side of link/socket-permission against Debian's real
// Exim 4.96 and Cyrus 3.6: the reference's Cyrus transport replaced by one that runs Cyrus's
// deliver (or lmtpd) as its command, each way we flag and each way we do not. Exim runs -C
// configs here as Debian-exim and cannot change user, so the transports run as Debian-exim,
// and the Cyrus directory and its imapd.conf are opened to it (a site gives the transport
// user = cyrus instead).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/diagnostic';
import { deliver, eximMissingReason, eximScratchDir, REFERENCE, spoolLines } from './harness/exim';
import { CYRUS_BIN, cyrusMissingReason, startCyrus, type CyrusInstance } from './harness/cyrus';
import { applyEditsOnDisk } from '../helpers/apply-edits';

const ALICE = 'alice@example.com';
const missing = eximMissingReason() ?? cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;

before(async () => {
  if (missing) return;
  cy = await startCyrus({ mailboxes: [`user/${ALICE}`] });
  fs.chmodSync(cy.dir, 0o755);
  fs.chmodSync(cy.imapdConf, 0o644);
});
after(async () => { if (cy) await cy.stop(); });

/** The reference with its Cyrus transport replaced by `block` (the transport's option lines). */
function exim(block: string): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-deliver-command-');
  const conf = path.join(dir, 'exim.conf');
  const text = REFERENCE
    .replace('primary_hostname = mail.example.com\n', `primary_hostname = mail.example.com\n${spoolLines(dir)}`)
    .replace(/cyrus_ltcp:\n(?: {2}.*\n)+/, `cyrus_ltcp:\n${block}  user = Debian-exim\n`);
  assert.notEqual(text, REFERENCE);
  fs.writeFileSync(conf, text);
  return { dir, conf };
}

const DELIVER = path.join(CYRUS_BIN, 'deliver');
/** Our findings of these codes (the callout the reference asks for cannot go through a command: not this test's). */
const ours = (conf: string, codes = ['link/deliver-command', 'link/socket-permission', 'link/lmtp-no-listener', 'link/unix-socket-mismatch']): Finding[] => checkProject([
  { path: conf, kind: 'exim' }, { path: cy.cyrusConf, kind: 'cyrus-conf' }, { path: cy.imapdConf, kind: 'imapd-conf' },
], defaultOptions).filter((f) => codes.includes(f.code));
const count = () => cy.messageCount(`user/${ALICE}`);

test('an lmtp transport running deliver -l (also through Debian\'s /usr/sbin/cyrus) delivers, unflagged; without -l it is flagged and every delivery defers ("421-4.3.0 usage"), and the fix (-l) delivers; lmtpd as the command is flagged and defers', { skip }, async () => {
  const good = exim(`  driver = lmtp\n  command = ${DELIVER} -l -C ${cy.imapdConf}\n  batch_max = 20\n`);
  assert.deepEqual(ours(good.conf), []);
  let n = await count();
  assert.match(deliver(good.dir, good.conf, ALICE), /=> alice <alice@example\.com> R=cyrus_vdom T=cyrus_ltcp C="250 2\.1\.5/);
  assert.equal(await count(), ++n);

  // Debian's wrapper execs the same deliver with the rest of the command line.
  const wrapped = exim(`  driver = lmtp\n  command = /usr/sbin/cyrus deliver -l -C ${cy.imapdConf}\n`);
  assert.deepEqual(ours(wrapped.conf), []);
  if (fs.existsSync('/usr/sbin/cyrus')) {
    assert.match(deliver(wrapped.dir, wrapped.conf, ALICE), /=> alice <alice@example\.com> R=cyrus_vdom T=cyrus_ltcp C="250 2\.1\.5/);
    assert.equal(await count(), ++n);
  }

  const noL = exim(`  driver = lmtp\n  command = ${DELIVER} -C ${cy.imapdConf}\n`);
  const found = ours(noL.conf);
  assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['link/deliver-command warning']);
  assert.match(found[0].message, /speaks LMTP only with -l/);
  assert.match(deliver(noL.dir, noL.conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-1\): LMTP error after initial connection: 421-4\.3\.0 usage: deliver/);
  assert.equal(await count(), n);
  applyEditsOnDisk(found[0].fixes![0].edits);
  assert.match(fs.readFileSync(noL.conf, 'utf8'), new RegExp(`command = ${DELIVER} -l -C `));
  assert.deepEqual(ours(noL.conf), []);
  fs.rmSync(path.join(noL.dir, 'log', 'mainlog'));
  assert.match(deliver(noL.dir, noL.conf, ALICE), /=> alice <alice@example\.com> R=cyrus_vdom T=cyrus_ltcp/);
  assert.equal(await count(), ++n);

  const lmtpd = exim(`  driver = lmtp\n  command = ${path.join(CYRUS_BIN, 'lmtpd')} -C ${cy.imapdConf}\n`);
  assert.deepEqual(ours(lmtpd.conf).map((f) => f.code), ['link/deliver-command']);
  assert.match(deliver(lmtpd.dir, lmtpd.conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-1\): LMTP connection closed after initial connection/);
  assert.equal(await count(), n);
});

test('a pipe to deliver with the default message_prefix is flagged and really bounces ("invalid header", 65); the fix (message_prefix empty) delivers; a pipe to deliver -l is flagged, and really Exim logs it delivered while the mailbox gets nothing', { skip }, async () => {
  const prefixed = exim(`  driver = pipe\n  command = ${DELIVER} -C ${cy.imapdConf} -- ${ALICE}\n  log_output\n  return_fail_output\n`);
  const found = ours(prefixed.conf);
  assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['link/deliver-command warning']);
  assert.match(found[0].message, /default message_prefix, a "From " line/);
  let n = await count();
  assert.match(deliver(prefixed.dir, prefixed.conf, ALICE), /\*\* alice@example\.com R=cyrus_vdom T=cyrus_ltcp: Child process of cyrus_ltcp transport returned 65/);
  assert.equal(await count(), n);
  applyEditsOnDisk(found[0].fixes![0].edits);
  assert.match(fs.readFileSync(prefixed.conf, 'utf8'), /\n {2}message_prefix =\n/);
  assert.deepEqual(ours(prefixed.conf), []);
  fs.rmSync(path.join(prefixed.dir, 'log', 'mainlog'));
  assert.match(deliver(prefixed.dir, prefixed.conf, ALICE), /=> alice <alice@example\.com> R=cyrus_vdom T=cyrus_ltcp/);
  assert.equal(await count(), ++n);

  const lmtpPipe = exim(`  driver = pipe\n  command = ${DELIVER} -l -C ${cy.imapdConf} -- ${ALICE}\n  message_prefix =\n`);
  assert.deepEqual(ours(lmtpPipe.conf).map((f) => f.code), ['link/deliver-command']);
  assert.match(deliver(lmtpPipe.dir, lmtpPipe.conf, ALICE), /=> alice <alice@example\.com> R=cyrus_vdom T=cyrus_ltcp/);
  assert.equal(await count(), n, 'logged as delivered, and lost');
});

test('deliver -l reading an imapd.conf its user may not read, or one whose lmtpsocket no lmtpd listens on: flagged (socket-permission, unix-socket-mismatch), and really every delivery defers', { skip }, async () => {
  const closed = path.join(cy.dir, 'deliver-closed.conf');
  fs.copyFileSync(cy.imapdConf, closed);
  fs.chmodSync(closed, 0o600);
  const unreadable = exim(`  driver = lmtp\n  command = ${DELIVER} -l -C ${closed}\n`);
  const found = ours(unreadable.conf);
  assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['link/socket-permission error']);
  assert.match(found[0].message, /deliver stops at once \("can't open configuration file .*: Permission denied"\), so every delivery to Cyrus defers/);
  const n = await count();
  assert.match(deliver(unreadable.dir, unreadable.conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-1\): LMTP error after initial connection: 421 4\.3\.0 deliver: can't open configuration file/);

  const moved = path.join(cy.dir, 'deliver-moved.conf');
  fs.writeFileSync(moved, fs.readFileSync(cy.imapdConf, 'utf8').replace(/^lmtpsocket:.*$/m, `lmtpsocket: ${cy.lmtpSocket}-moved`));
  fs.chmodSync(moved, 0o644);
  const nowhere = exim(`  driver = lmtp\n  command = ${DELIVER} -l -C ${moved}\n`);
  assert.deepEqual(ours(nowhere.conf).map((f) => `${f.code} ${f.severity}`), ['link/unix-socket-mismatch error']);
  assert.match(deliver(nowhere.dir, nowhere.conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-19\): Malformed LMTP response after initial connection: connect failed: No such file or directory/);
  assert.equal(await count(), n);
});
