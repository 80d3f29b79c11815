// The rules about this machine's permissions in the editor: an imapd.conf whose partition the
// Cyrus user cannot write shows imapd/directory-access. chmod fires no file watcher, so the
// server polls what the check looked at: opening the directory drops the finding and closing
// it again brings it back, with no edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratch } from './client';

const { tree, client } = scratch('exim-cyrus-machine-');
const hasCyrusUser = /^cyrus:/m.test(fs.existsSync('/etc/passwd') ? fs.readFileSync('/etc/passwd', 'utf8') : '');

test('imapd/directory-access appears for a partition Cyrus cannot write, goes once it can and comes back, without an edit', { skip: !hasCyrusUser && 'skipped: this machine has no cyrus user' }, async () => {
  const dir = tree({ 'imapd.conf': 'configdirectory: /var/lib/cyrus\npartition-default: DIR/spool\n', 'spool/.keep': '' }, (t, d) => t.replaceAll('DIR', d));
  const spool = path.join(dir, 'spool');
  // The folder is made 0700; let the Cyrus user through it, so the spool alone decides.
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(spool, 0o755);
  const file = path.join(dir, 'imapd.conf');
  const text = fs.readFileSync(file, 'utf8');
  const c = await client(dir);
  c.open(file, text, 'imapd-conf');
  const found = await c.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'imapd/directory-access'));
  const d = found.find((x) => x.code === 'imapd/directory-access')!;
  assert.equal(d.severity, 1, 'an error');
  assert.equal(d.range.start.line, 1);
  assert.match(d.message, new RegExp(`${spool.replaceAll('/', '\\/')} \\(owner \\S+, group \\S+, mode 0755\\) does not let them make files in it, so they cannot write in partition-default`));
  fs.chmodSync(spool, 0o777);
  await c.waitForDiagnostics(file, (ds) => !ds.some((x) => x.code === 'imapd/directory-access'));
  fs.chmodSync(spool, 0o755);
  await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'imapd/directory-access'));
});
