// The RCPT ACL as Exim runs it: statements of ACLs it calls with `acl =` count, under the
// domains conditions checked before the call; calls that loop are followed once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { linkFindings } from '../helpers/link-findings';
import type { Finding } from '../../server/src/core/diagnostic';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { overlayHost, type PathStat } from '../../server/src/core/host';
import { DEFAULT_RETRY_RULE } from '../../server/src/core/rules/link/retry';

const DIR = '/virtual/acl';
const CYRUS = 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';

/** The config these tests vary: its ACLs, and the Cyrus router's domains. */
function eximWith(acls: string, routerDomains = '+cyrus_domains'): string {
  return `primary_hostname = mx.example.net
domainlist cyrus_domains = a.example : b.example
acl_smtp_rcpt = rcpt
begin acl
${acls}
begin routers
cyrus:
  driver = accept
  domains = ${routerDomains}
  transport = t
begin transports
t:
  driver = lmtp
  socket = /run/cyrus/socket/lmtp
`;
}

function run(acls: string, routerDomains = '+cyrus_domains'): Finding[] {
  return linkFindings(DIR, eximWith(acls, routerDomains), CYRUS);
}

const codes = (fs: Finding[]) => fs.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.code}`);
/** Over the UNIX socket these tests use no callout asks Cyrus: where that is beside the point. */
const notCallout = (fs: Finding[]) => fs.filter((f) => f.code !== 'link/no-recipient-callout');

test('a callout in an ACL run with acl = is seen, through ACLs that call each other in a loop', () => {
  const f = run('rcpt:\n  require acl = one\n  accept\none:\n  require acl = two\n  accept\ntwo:\n  require acl = one\n  deny domains = +cyrus_domains\n       !verify = recipient/callout\n  accept\n');
  assert.deepEqual(codes(f), ['exim.conf:14 link/callout-needs-tcp']);
});

test('the caller\'s domains conditions before acl = decide which domains the called statements are about', () => {
  const acls = 'rcpt:\n  deny domains = a.example\n       !acl = check\n  accept\ncheck:\n  require verify = recipient/callout\n  accept\n';
  // The callout is reached for a.example only: b.example, also routed to Cyrus, is not
  // verified, and the bare accept takes its unknown users.
  assert.deepEqual(codes(run(acls)), ['exim.conf:8 link/no-recipient-callout', 'exim.conf:10 link/callout-needs-tcp', 'exim.conf:16 link/domain-mismatch']);
  // Routed: b.example only. The ACL verifies a.example, which is not routed to Cyrus, and not b.example.
  assert.deepEqual(codes(run(acls, 'b.example')), ['exim.conf:6 link/domain-mismatch', 'exim.conf:8 link/no-recipient-callout', 'exim.conf:16 link/domain-mismatch']);
  // An expanded ACL name is decided at run time: nothing to follow.
  assert.deepEqual(codes(run('rcpt:\n  require acl = ${if true{check}}\n  accept\ncheck:\n  require verify = recipient/callout\n')), []);
});

test('an accept in a called ACL makes the RCPT ACL accept only when every caller is an accept', () => {
  const required = 'rcpt:\n  require acl = sub\n  accept\nsub:\n  accept domains = a.example : c.example\n';
  assert.deepEqual(codes(notCallout(run(required))), [], 'under require, the sub-ACL\'s accept only lets the RCPT ACL go on');
  const accepted = 'rcpt:\n  accept acl = sub\nsub:\n  accept domains = a.example : c.example\n';
  assert.deepEqual(codes(run(accepted)), ['exim.conf:8 link/domain-mismatch', 'exim.conf:13 link/domain-mismatch'],
    'c.example is accepted as Cyrus\'s but not routed there; b.example is routed there but not accepted');
  // No other router takes c.example: adding it to the Cyrus router moves no mail.
  assert.deepEqual(run(accepted)[0].fixes?.map((f) => [f.title, f.manual]), [['Add c.example to router cyrus\'s domains', undefined]]);
});

test('statements about some mail only (postmaster, some hosts) do not say which domains are Cyrus\'s', () => {
  for (const cond of ['local_parts = postmaster', 'hosts = 192.0.2.1', 'senders = a@b.example', 'condition = ${if eq{1}{1}}']) {
    assert.deepEqual(codes(notCallout(run(`rcpt:\n  accept ${cond}\n         domains = a.example : c.example\n  accept domains = +cyrus_domains\n`))), [], cond);
  }
  // A recipient verification does not narrow it: it holds for every address Cyrus's routers take.
  assert.deepEqual(codes(notCallout(run('rcpt:\n  accept domains = a.example : b.example : c.example\n         verify = recipient\n'))), ['exim.conf:6 link/domain-mismatch']);
});

const severities = (fs: Finding[]) => fs.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.severity} ${f.code}`);

test('callout-needs-tcp: a callout that runs only for some recipients (or none) is a note, not a warning', () => {
  // Debian's check_rcpt: the list is a file's contents, or empty when there is no file.
  const debian = 'rcpt:\n  deny recipients = ${if exists{/etc/exim4/local_rcpt_callout}{/etc/exim4/local_rcpt_callout}{}}\n       !verify = recipient/callout\n  accept\n';
  const f = run(debian);
  assert.deepEqual(severities(f), ['exim.conf:7 information link/callout-needs-tcp']);
  assert.match(f[0].message, /runs only when its recipients condition holds \(for some recipients, or none\)/);
  assert.deepEqual(f[0].related?.map((r) => r.message), ['transport t is not an smtp transport', 'the callout runs only where recipients holds']);
  for (const cond of ['local_parts = alice', 'condition = ${if eq{$local_part}{alice}}', 'hosts = ${lookup{x}lsearch{/f}}', 'acl = other']) {
    assert.deepEqual(severities(notCallout(run(`rcpt:\n  deny ${cond}\n       !verify = recipient/callout\n  accept\nother:\n  accept\n`))), ['exim.conf:7 information link/callout-needs-tcp'], cond);
  }
  // The same from a caller: `require recipients = … acl = sub`.
  assert.deepEqual(severities(run('rcpt:\n  require recipients = /etc/list\n          acl = sub\n  accept\nsub:\n  deny !verify = recipient/callout\n  accept\n')),
    ['exim.conf:10 information link/callout-needs-tcp']);
  // Conditions after the callout do not decide whether it runs; written-out session conditions
  // (mail from outside) leave it applying to every Cyrus recipient of that mail.
  assert.deepEqual(severities(run('rcpt:\n  deny !verify = recipient/callout\n       recipients = /etc/list\n  accept\n')), ['exim.conf:6 warning link/callout-needs-tcp']);
  assert.deepEqual(severities(run('rcpt:\n  deny !hosts = 127.0.0.1\n       !verify = recipient/callout\n  accept\n')), ['exim.conf:7 warning link/callout-needs-tcp']);
});

test('Debian\'s optional lists (${if exists{FILE}{FILE}{}}) are read as this machine has them, and a condition that needs more than one RCPT cannot refuse the first', () => {
  const list = '/etc/exim4/local_rcpt_callout';
  const exim = eximWith(`rcpt:
  deny    condition = \${if and {{>{$rcpt_count}{10}}{<{$recipients_count}{\${eval:$rcpt_count/2}}}}}
  deny    recipients = \${if exists{${list}}\\
                        {${list}}\\
                  {}}
          !verify = recipient/callout
  accept  domains = +cyrus_domains
`) + `begin retry\n${DEFAULT_RETRY_RULE}\n`;
  const run = (stat?: (f: string) => PathStat | undefined) => {
    const files = new Map([[`${DIR}/exim.conf`, exim], [`${DIR}/cyrus.conf`, CYRUS]]);
    const host = overlayHost(files, { readFile: () => undefined, readDir: () => undefined, isDirectory: () => false, ...(stat ? { stat } : {}) });
    return codes(checkProject([{ path: `${DIR}/exim.conf`, kind: 'exim' }, { path: `${DIR}/cyrus.conf`, kind: 'cyrus-conf' }], defaultOptions, host)
      .filter((f) => f.code === 'link/no-recipient-callout'));
  };
  const file: PathStat = { kind: 'file', uid: 0, gid: 0, mode: 0o644 };
  // No such file here: the list is empty and matches no one, so the accept takes the unknown user.
  assert.deepEqual(run(() => undefined), ['exim.conf:11 link/no-recipient-callout']);
  // The file is here: who is in it decides.
  assert.deepEqual(run((f) => f === list ? file : undefined), []);
  // A host that cannot look at this machine cannot tell.
  assert.deepEqual(run(), []);
});

test('routers before the Cyrus one that a local part no one has passes by: another prefix, no account, not in the aliases file as this machine has it', () => {
  const aliases = '/etc/aliases-test';
  const exim = `primary_hostname = mx.example.net
domainlist cyrus_domains = a.example
acl_smtp_rcpt = rcpt
begin acl
rcpt:
  require verify = recipient
  accept  domains = +cyrus_domains
begin routers
real_local:
  driver = accept
  domains = +cyrus_domains
  local_part_prefix = real-
  check_local_user
  transport = t
system_aliases:
  driver = redirect
  domains = +cyrus_domains
  data = \${lookup{$local_part}lsearch{${aliases}}}
userforward:
  driver = redirect
  check_local_user
  file = $home/.forward
local_user:
  driver = accept
  domains = +cyrus_domains
  local_parts = ! root
  transport = t
begin transports
t:
  driver = lmtp
  socket = /run/cyrus/socket/lmtp
begin retry
${DEFAULT_RETRY_RULE}
`;
  const run = (aliasesText?: string) => {
    // A machine: its aliases file, and accounts (no nosuchuser among them).
    const machine: [string, string][] = aliasesText === undefined ? [] : [[aliases, aliasesText], ['/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n'], ['/etc/group', 'root:x:0:\n']];
    const files = new Map([[`${DIR}/exim.conf`, exim], [`${DIR}/cyrus.conf`, CYRUS], ...machine]);
    const stat = aliasesText === undefined ? undefined : (f: string): PathStat | undefined => f === aliases ? { kind: 'file', uid: 0, gid: 0, mode: 0o644 } : undefined;
    const host = overlayHost(files, { readFile: () => undefined, readDir: () => undefined, isDirectory: () => false, ...(stat ? { stat } : {}) });
    return codes(checkProject([{ path: `${DIR}/exim.conf`, kind: 'exim' }, { path: `${DIR}/cyrus.conf`, kind: 'cyrus-conf' }], defaultOptions, host)
      .filter((f) => f.code === 'link/no-recipient-callout'));
  };
  assert.deepEqual(run('postmaster: root\n# nosuchuser: root\nabuse postmaster\n'), ['exim.conf:7 link/no-recipient-callout']);
  // The aliases file names him: the redirect takes him, and where it sends him is unknown.
  assert.deepEqual(run('postmaster: root\nNoSuchUser: root\n'), []);
  // Without a look at this machine the aliases file cannot be read.
  assert.deepEqual(run(), []);
});
