import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { memoryHost } from '../../../../../test/helpers/memory-host';
import { applyEdits } from '../../../../../test/helpers/apply-edits';

const file = '/virtual/tls-on-connect/cyrus.conf';
const check = (text: string) => checkProject([{ path: file, kind: 'cyrus-conf' }], defaultOptions, memoryHost(new Map([[file, text]])))
  .filter((f) => f.code === 'cyrus/tls-on-connect');

test('imapd without -s on 993: the fix adds -s after the program, and the finding goes', () => {
  const text = 'SERVICES {\n  imaps cmd="/usr/lib/cyrus/bin/imapd -U 30" listen="993" prefork=0\n}\n';
  const [f] = check(text);
  assert.equal(f.range.start.line, 1);
  const fixed = applyEdits(text, f.fixes![0].edits);
  assert.equal(fixed, 'SERVICES {\n  imaps cmd="/usr/lib/cyrus/bin/imapd -s -U 30" listen="993" prefork=0\n}\n');
  assert.deepEqual(check(fixed), []);
});

test('only the programs that take -s, on TCP, in SERVICES: lmtpd, a UNIX socket and other ports are left alone', () => {
  assert.equal(check('SERVICES {\n  lmtp cmd="lmtpd -a" listen="993"\n  imap cmd="imapd" listen="/run/cyrus/imap"\n  imap2 cmd="imapd" listen="10993"\n}\n').length, 0);
  assert.equal(check('SERVICES {\n  pop3 cmd="pop3d -s" listen="110"\n}\n').length, 1);
});
