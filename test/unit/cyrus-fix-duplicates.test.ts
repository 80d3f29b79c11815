// A quick fix must not make things worse: renaming a misspelt imapd.conf option onto one
// already set would set it twice (Cyrus refuses to start), and renaming a mis-cased
// cyrus.conf section onto a kind the file has already would leave it skipped (master reads
// the first only). There the finding says what to do instead, and offers no rename.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject, type Input } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { memoryHost } from '../helpers/memory-host';

const check = (input: Input, text: string, code: string) =>
  checkProject([input], defaultOptions, memoryHost(new Map([[input.path, text]]))).filter((f) => f.code === code);

test('imapd.conf: a misspelt option is renamed by its fix, unless the right name is set already', () => {
  const imapd: Input = { path: '/virtual/fix-dup/imapd.conf', kind: 'imapd-conf' };
  const [alone] = check(imapd, 'configdirectory: /var/lib/cyrus\nlmtp_downcase_rcp: yes\n', 'imapd/unknown-option');
  assert.equal(alone.fixes?.[0].edits[0].newText, 'lmtp_downcase_rcpt');
  const [twice] = check(imapd, 'configdirectory: /var/lib/cyrus\nlmtp_downcase_rcpt: no\nlmtp_downcase_rcp: yes\n', 'imapd/unknown-option');
  assert.equal(twice.fixes, undefined);
  assert.match(twice.message, /Did you mean 'lmtp_downcase_rcpt'\? 'lmtp_downcase_rcpt' is already set \(line 2\), so renaming this line would set it twice.*keep one of the two/);
  // A sync channel's setting the same way.
  const channel = 'configdirectory: /var/lib/cyrus\nsync_log_channels: repl1\nrepl1_sync_host: a.example\nrepl1_host: b.example\n';
  const [ch] = check(imapd, channel, 'imapd/unknown-option');
  assert.equal(ch.fixes, undefined);
  assert.match(ch.message, /'repl1_sync_host' is already set \(line 3\)/);
});

test('cyrus.conf: a mis-cased section is renamed by its fix, unless the file has that section already', () => {
  const cyrus: Input = { path: '/virtual/fix-dup/cyrus.conf', kind: 'cyrus-conf' };
  const entry = '  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n';
  const [alone] = check(cyrus, `services {\n${entry}}\n`, 'cyrus/unknown-section');
  assert.equal(alone.fixes?.[0].edits[0].newText, 'SERVICES');
  const [both] = check(cyrus, `SERVICES {\n}\nservices {\n${entry}}\n`, 'cyrus/unknown-section');
  assert.equal(both.fixes, undefined);
  assert.match(both.message, /Move its entries into the SERVICES section at line 1, as master reads only one\./);
  const [near] = check(cyrus, `SERVICES {\n}\nSERVCES {\n${entry}}\n`, 'cyrus/unknown-section');
  assert.equal(near.fixes, undefined);
  assert.match(near.message, /Did you mean SERVICES\? Then move its entries into the SERVICES section at line 1/);
});
