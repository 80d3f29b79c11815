// The RCPT ACL as Exim runs it: statements of ACLs it calls with `acl =` count, under the
// domains conditions checked before the call; calls that loop are followed once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkProject, type Input } from '../../server/src/core/project';
import { assertWellFormed } from '../helpers/well-formed';
import { defaultOptions } from '../../server/src/core/options';
import { overlayHost, type SourceHost } from '../../server/src/core/host';
import type { Finding } from '../../server/src/core/diagnostic';

const DIR = '/virtual/acl';
const EMPTY: SourceHost = { readFile: () => undefined, readDir: () => undefined, isDirectory: () => false };
const CYRUS = 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';

function run(acls: string, routerDomains = '+cyrus_domains'): Finding[] {
  const exim = `primary_hostname = mx.example.net
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
  const files = new Map([[`${DIR}/exim.conf`, exim], [`${DIR}/cyrus.conf`, CYRUS]]);
  const inputs: Input[] = [{ path: `${DIR}/exim.conf`, kind: 'exim' }, { path: `${DIR}/cyrus.conf`, kind: 'cyrus-conf' }];
  const all = checkProject(inputs, defaultOptions, overlayHost(files, EMPTY));
  assertWellFormed(all);
  return all.filter((f) => f.code.startsWith('link/'));
}

const codes = (fs: Finding[]) => fs.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.code}`);

test('a callout in an ACL run with acl = is seen, through ACLs that call each other in a loop', () => {
  const f = run('rcpt:\n  require acl = one\n  accept\none:\n  require acl = two\n  accept\ntwo:\n  require acl = one\n  deny domains = +cyrus_domains\n       !verify = recipient/callout\n  accept\n');
  assert.deepEqual(codes(f), ['exim.conf:14 link/callout-needs-tcp']);
});

test('the caller\'s domains conditions before acl = decide which domains the called statements are about', () => {
  const acls = 'rcpt:\n  deny domains = a.example\n       !acl = check\n  accept\ncheck:\n  require verify = recipient/callout\n  accept\n';
  // The callout is reached for a.example only: b.example, also routed to Cyrus, is not verified.
  assert.deepEqual(codes(run(acls)), ['exim.conf:10 link/callout-needs-tcp', 'exim.conf:16 link/domain-mismatch']);
  // Routed: b.example only. The ACL verifies a.example, which is not routed to Cyrus, and not b.example.
  assert.deepEqual(codes(run(acls, 'b.example')), ['exim.conf:6 link/domain-mismatch', 'exim.conf:16 link/domain-mismatch']);
  // An expanded ACL name is decided at run time: nothing to follow.
  assert.deepEqual(codes(run('rcpt:\n  require acl = ${if true{check}}\n  accept\ncheck:\n  require verify = recipient/callout\n')), []);
});

test('an accept in a called ACL makes the RCPT ACL accept only when every caller is an accept', () => {
  const required = 'rcpt:\n  require acl = sub\n  accept\nsub:\n  accept domains = a.example : c.example\n';
  assert.deepEqual(codes(run(required)), [], 'under require, the sub-ACL\'s accept only lets the RCPT ACL go on');
  const accepted = 'rcpt:\n  accept acl = sub\nsub:\n  accept domains = a.example : c.example\n';
  assert.deepEqual(codes(run(accepted)), ['exim.conf:8 link/domain-mismatch', 'exim.conf:13 link/domain-mismatch'],
    'c.example is accepted as Cyrus\'s but not routed there; b.example is routed there but not accepted');
});
