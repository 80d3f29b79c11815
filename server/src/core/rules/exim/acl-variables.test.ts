import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { memoryHost } from '../../../../../test/helpers/memory-host';

const file = '/virtual/acl-variables/exim.conf';
const lines = (text: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions, memoryHost(new Map([[file, text]])))
  .filter((f) => f.code === 'exim/acl-empty-variable').map((f) => f.range.start.line + 1);

const ACLS = 'begin acl\nm:\n  warn logwrite = $domain\n  accept\nr:\n  accept\n';

test('an ACL run only at MAIL is judged; one that ${acl}, an expanded option or an expanded call may also run is not', () => {
  assert.deepEqual(lines(`acl_smtp_mail = m\nacl_smtp_rcpt = r\n${ACLS}`), [5]);
  // From a router (${acl} runs it with the address's $domain set) or as the RCPT ACL.
  assert.deepEqual(lines(`acl_smtp_mail = m\nacl_smtp_rcpt = r\n${ACLS}begin routers\nx:\n  driver = accept\n  condition = \${acl {m}}\n  transport = t\n`), []);
  assert.deepEqual(lines(`acl_smtp_mail = m\nacl_smtp_rcpt = r\n${ACLS}begin routers\nx:\n  driver = accept\n  condition = \${if acl {{m}}}\n  transport = t\n`), []);
  assert.deepEqual(lines(`acl_smtp_mail = m\nacl_smtp_rcpt = \${if eq{a}{b}{r}{m}}\n${ACLS}`), []);
  assert.deepEqual(lines(`acl_smtp_mail = m\nacl_smtp_rcpt = r\n${ACLS.replace('r:\n  accept', 'r:\n  accept acl = ${if eq{a}{b}{x}{m}}')}`), []);
  // A name ${acl} builds at run time could be any ACL.
  assert.deepEqual(lines(`acl_smtp_mail = m\nacl_smtp_rcpt = r\nsmtp_banner = \${acl {\$acl_c0}}\n${ACLS}`), []);
  // Another ACL whose name contains this one's is no use of it.
  assert.deepEqual(lines(`acl_smtp_mail = m\nacl_smtp_rcpt = r\nsmtp_banner = \${acl {mx}}\n${ACLS}mx:\n  accept\n`), [6]);
});

test("the sender's address is empty before MAIL: at HELO always, at connect for clients of the daemon (said so); from MAIL on it is set", () => {
  const run = (option: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions,
    memoryHost(new Map([[file, `${option} = a\nbegin acl\na:\n  deny condition = \${if eq{$sender_address_domain}{example.net}}\n  accept\n`]])))
    .filter((f) => f.code === 'exim/acl-empty-variable');
  const [helo] = run('acl_smtp_helo');
  assert.match(helo.message, /^\$sender_address_domain is always empty here: .*no MAIL command/);
  const [connect] = run('acl_smtp_connect');
  assert.match(connect.message, /^\$sender_address_domain is empty here for every client over the network: .*local `exim -bs` session/);
  assert.deepEqual(run('acl_smtp_mail'), []);
  assert.deepEqual(run('acl_smtp_rcpt'), []);
});
