// link/cutthrough-lmtp against Debian's real Exim 4.96 and Cyrus 3.6: with control =
// cutthrough_delivery where the RCPT ACL accepts the Cyrus domains, Exim delivers to lmtpd
// over the reference's LMTP transport as it always does, after the message is received
// ("=>" after "<="). The same transport speaking SMTP to an SMTP server cuts the message
// through (">>" before "<="), and we say nothing of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { EXIM, eximMissingReason, eximScratchDir, mainLog, REFERENCE, spoolLines, withEximDaemon } from './harness/exim';
import { cyrusMissingReason, freePort, startCyrus, type CyrusInstance } from './harness/cyrus';

const missing = eximMissingReason() ?? cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;

before(async () => {
  if (missing) return;
  cy = await startCyrus({ mailboxes: ['user/alice@example.com'] });
});
after(async () => { if (cy) await cy.stop(); });

/** The reference with the control where it accepts the Cyrus domains, its transport to `port` (as LMTP or not). */
function source(port: number, lmtp: boolean): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-cutthrough-');
  const conf = path.join(dir, 'exim.conf');
  const accept = '  accept  domains       = +cyrus_domains\n';
  assert.ok(REFERENCE.includes(accept));
  let text = REFERENCE
    .replace('primary_hostname = mail.example.com\n', `primary_hostname = mail.example.com\n${spoolLines(dir)}`)
    .replace('  port = 2003\n', `  port = ${port}\n`)
    .replace(accept, `${accept}          control       = cutthrough_delivery\n`);
  if (!lmtp) text = text.replace('  protocol = lmtp\n', '');
  fs.writeFileSync(conf, text);
  return { dir, conf };
}

/** One message for alice@example.com from outside, over SMTP on standard input; Exim's main log after it. */
function send(dir: string, conf: string): string {
  const dialog = ['EHLO client.example.net', 'MAIL FROM:<>', 'RCPT TO:<alice@example.com>', 'DATA', 'Subject: cutthrough\r\n\r\nhello\r\n.', 'QUIT', ''].join('\r\n');
  const r = spawnSync(EXIM, ['-C', conf, '-bs', '-oMa', '192.0.2.9'], { input: dialog, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined);
  assert.match(r.stdout, /^250 OK id=/m, r.stdout);
  return mainLog(dir);
}

const ours = (conf: string) => checkProject([
  { path: conf, kind: 'exim' }, { path: cy.cyrusConf, kind: 'cyrus-conf' }, { path: cy.imapdConf, kind: 'imapd-conf' },
], defaultOptions).filter((f) => f.code === 'link/cutthrough-lmtp');

test('control = cutthrough_delivery for the Cyrus domains: we warn, and Exim delivers to lmtpd only after it has taken the message', { skip }, async () => {
  const { dir, conf } = source(cy.ports.lmtpTrusted, true);
  assert.equal(ours(conf).length, 1);
  const before = await cy.messageCount('user/alice@example.com');
  const log = send(dir, conf);
  assert.doesNotMatch(log, / >> alice@example\.com/);
  // Received first, then delivered to lmtpd as any message is.
  assert.match(log, / <= <> [^\n]*\n(?:[^\n]*\n)*?[^\n]* => alice@example\.com R=cyrus_vdom T=cyrus_ltcp /);
  assert.equal(await cy.messageCount('user/alice@example.com'), before + 1);
});

test('the same transport speaking SMTP to an SMTP server: Exim cuts the message through, and we say nothing', { skip }, async () => {
  const sink = eximScratchDir('exim-cyrus-cutthrough-sink-', ['mail']);
  const sinkConf = path.join(sink, 'exim.conf');
  fs.writeFileSync(sinkConf, `primary_hostname = sink.example.com\n${spoolLines(sink)}acl_smtp_rcpt = a\nbegin acl\na:\n  accept\nbegin routers\nr:\n  driver = accept\n  transport = t\nbegin transports\nt:\n  driver = appendfile\n  file = ${sink}/mail/box\n  user = Debian-exim\n`);
  const port = await freePort();
  await withEximDaemon(sinkConf, port, sink, async () => {
    const { dir, conf } = source(port, false);
    assert.deepEqual(ours(conf), []);
    const log = send(dir, conf);
    // Cut through: delivered while the sender was still connected, logged before the reception.
    assert.match(log, / >> alice@example\.com R=cyrus_vdom T=cyrus_ltcp [^\n]*\n(?:[^\n]*\n)*?[^\n]* <= <> /);
  });
});
