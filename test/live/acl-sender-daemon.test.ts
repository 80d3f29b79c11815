// exim/acl-empty-variable for the sender's address, against Debian's real Exim daemon: a
// client over the network has sent no MAIL command at connect or at HELO, so $sender_address
// is empty there, and set from the MAIL ACL on. The daemon is needed for the connect case:
// exim4 -bh (like a local -bs session) starts with the caller's own address as sender.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { eximMissingReason, mainLog, makeSpool, smtpSession, spoolLines, withEximDaemon } from './harness/exim';
import { freePort } from './harness/cyrus';

const missing = eximMissingReason();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-acl-sender-'));
// Exim reads the config and its spool as Debian-exim once it drops privileges.
fs.chmodSync(dir, 0o755);
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('$sender_address at connect and HELO: we warn, and the real daemon logs it empty there (also at a second HELO after a transaction); in the MAIL ACL it is set and we say nothing', { skip: missing ? `skipped: ${missing}` : false }, async () => {
  makeSpool(dir);
  const conf = path.join(dir, 'exim.conf');
  const log = (stage: string) => `  warn logwrite = ${stage} sender <$sender_address> domain <$sender_address_domain>\n  accept\n`;
  fs.writeFileSync(conf, `${spoolLines(dir)}primary_hostname = test.example\nacl_smtp_connect = c\nacl_smtp_helo = h\nacl_smtp_mail = m\nacl_smtp_rcpt = accept\n`
    + `begin acl\nc:\n${log('CONNECT')}h:\n${log('HELO')}m:\n${log('MAIL')}`);
  const port = await freePort();
  const replies = await withEximDaemon(conf, port, dir, () => smtpSession(port, ['EHLO client.example', 'MAIL FROM:<a@example.net>', 'RCPT TO:<b@example.com>', 'RSET', 'HELO again.example', 'QUIT']));
  assert.deepEqual(replies.map((r) => r.slice(0, 3)), ['220', '250', '250', '250', '250', '250', '221']);
  const logged = mainLog(dir).split('\n').map((l) => /(CONNECT|HELO|MAIL) sender <.*$/.exec(l)?.[0]).filter(Boolean);
  // The harness's own probe of the port is a connection too: its CONNECT line comes first.
  assert.deepEqual(logged.slice(-4), [
    'CONNECT sender <> domain <>', 'HELO sender <> domain <>', 'MAIL sender <a@example.net> domain <example.net>', 'HELO sender <> domain <>',
  ]);

  const lines = fs.readFileSync(conf, 'utf8').split('\n');
  const warned = checkProject([{ path: conf, kind: 'exim' }], defaultOptions).filter((f) => f.code === 'exim/acl-empty-variable')
    .map((f) => `${lines[f.range.start.line].match(/(CONNECT|HELO|MAIL)/)?.[0]} ${lines[f.range.start.line].slice(f.range.start.character, f.range.end.character)}`);
  assert.deepEqual(warned, ['CONNECT $sender_address', 'CONNECT $sender_address_domain', 'HELO $sender_address', 'HELO $sender_address_domain']);
});
