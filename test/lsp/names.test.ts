// Names over the wire: every place Exim reads a router, ACL or named list name is found by
// definition and references, renamed with it, and a rename to a name Exim refuses is refused.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { TestClient, positionOf, scratch, uriOf } from './client';

// Exim 4.96 accepts this config (exim4 -C FILE -bV).
const TEXT = `primary_hostname = x.example
domainlist cyrus_domains = example.com
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  warn condition = \${acl{acl_local}{x}}
  warn condition = \${if acl{{acl_local}{y}}}
  accept acl = acl_local arg
  deny
acl_local:
  accept domains = +cyrus_domains
begin routers
first:
  driver = redirect
  data = \${if match_domain{$domain}{+cyrus_domains}{$local_part@x.example}{}}
  redirect_router = localuser
  pass_router = localuser
localuser:
  driver = accept
  transport = t
begin transports
t:
  driver = appendfile
  file = /tmp/x
  shadow_transport = t2
t2:
  driver = appendfile
  file = /tmp/y
`;

const { tree, client } = scratch('exim-cyrus-names-');
let c: TestClient;
let file: string;
const at = (needle: string, offset = 0, occurrence = 0) => ({ textDocument: { uri: uriOf(file) }, position: positionOf(TEXT, needle, offset, occurrence) });
const lines = (locs: { range: { start: { line: number; character: number } } }[]) => locs.map((l) => `${l.range.start.line}:${l.range.start.character}`).sort();
const where = (needle: string, offset = 0, occurrence = 0) => { const p = positionOf(TEXT, needle, offset, occurrence); return `${p.line}:${p.character}`; };

before(async () => {
  const dir = tree({ 'exim.conf': TEXT });
  file = path.join(dir, 'exim.conf');
  c = await client(dir);
  c.open(file, TEXT, 'exim');
  await c.waitForDiagnostics(file);
});

test('a router named by pass_router and redirect_router: definition, references, rename', async () => {
  const defs = await c.request('textDocument/definition', at('pass_router = localuser', 'pass_router = '.length + 2));
  assert.deepEqual(lines(defs), [where('\nlocaluser:', 1)]);
  const refs = await c.request('textDocument/references', { ...at('\nlocaluser:', 2), context: { includeDeclaration: true } });
  const expected = [where('\nlocaluser:', 1), where('redirect_router = localuser', 'redirect_router = '.length), where('pass_router = localuser', 'pass_router = '.length)].sort();
  assert.deepEqual(lines(refs), expected);
  const edit = await c.request('textDocument/rename', { ...at('\nlocaluser:', 2), newName: 'local_user' });
  assert.deepEqual(lines(edit.changes[uriOf(file)]), expected);
});

test('an ACL called from ${acl{…}} and ${if acl{{…}}}, and with arguments after acl =', async () => {
  const refs = await c.request('textDocument/references', { ...at('\nacl_local:', 2), context: { includeDeclaration: false } });
  assert.deepEqual(lines(refs), [where('{acl_local}{x}', 1), where('{{acl_local}{y}', 2), where('acl = acl_local arg', 'acl = '.length)].sort());
  const defs = await c.request('textDocument/definition', at('${acl{acl_local}', '${acl{'.length + 1));
  assert.deepEqual(lines(defs), [where('\nacl_local:', 1)]);
  const edit = await c.request('textDocument/rename', { ...at('{{acl_local}', 3), newName: 'acl_domains' });
  assert.equal(edit.changes[uriOf(file)].length, 4);
});

test('a named list matched by match_domain{…}{+name} in an expansion', async () => {
  const refs = await c.request('textDocument/references', { ...at('domainlist cyrus_domains', 'domainlist '.length), context: { includeDeclaration: true } });
  assert.deepEqual(lines(refs), [where('domainlist cyrus_domains', 'domainlist '.length), where('+cyrus_domains', 1, 0), where('+cyrus_domains', 1, 1)].sort());
  const hover = await c.request('textDocument/hover', at('{+cyrus_domains}', 3));
  assert.match(hover.contents.value, /domainlist cyrus_domains = example\.com/);
});

test('shadow_transport names a transport', async () => {
  const defs = await c.request('textDocument/definition', at('shadow_transport = t2', 'shadow_transport = '.length));
  assert.deepEqual(lines(defs), [where('\nt2:', 1)]);
});

test('rename refuses names Exim does not accept, saying why', async () => {
  const router = at('\nlocaluser:', 2);
  for (const [bad, why] of [['1abc', /letter/], ['a.b', /letter/], ['a-b', /letter/], ['_ab', /letter/], ['a'.repeat(64), /at most 63/], ['', /empty/]] as const) {
    await assert.rejects(c.request('textDocument/rename', { ...router, newName: bad }), why, bad);
  }
  // 63 characters is Exim's limit, and it is fine.
  const ok = await c.request('textDocument/rename', { ...router, newName: 'a'.repeat(63) });
  assert.ok(ok.changes[uriOf(file)].length >= 1);
  const list = at('domainlist cyrus_domains', 'domainlist '.length);
  await assert.rejects(c.request('textDocument/rename', { ...list, newName: 'cyrus-domains' }), /letters, digits or _/);
  await assert.rejects(c.request('textDocument/rename', { ...list, newName: 'ignore_unknown' }), /reserves/);
  const okList = await c.request('textDocument/rename', { ...list, newName: '2nd_domains' });
  assert.equal(okList.changes[uriOf(file)].length, 3);
});

test('a transport or ACL whose name is one part of a name built at run time is not renamed, and the message says where', async () => {
  // Exim 4.96 accepts this config (exim4 -C FILE -bV); Exim's own test 0900 builds
  // `remote_smtp${if …{_dkim}}` the same way.
  const text = `acl_smtp_rcpt = rcpt\${if def:sender_host_address{}{_local}}
acl_smtp_data = data_acl
begin acl
rcpt:
  accept
rcpt_local:
  accept
data_acl:
  accept
  warn acl = sub\${if def:authenticated_id{_auth}}
sub:
  accept
sub_auth:
  accept
begin routers
r1:
  driver = accept
  transport = \${if eq{$local_part}{t}{t}{t2}}
r2:
  driver = accept
  transport = t\${if eq{$domain}{b.example}{_x}}
begin transports
t:
  driver = appendfile
  file = /tmp/x
t_x:
  driver = appendfile
  file = /tmp/x
t2:
  driver = appendfile
  file = /tmp/y
`;
  const dir = tree({ 'exim.conf': text }, undefined, 'exim-cyrus-names-built-');
  const f = path.join(dir, 'exim.conf');
  const c2 = await client(dir);
  c2.open(f, text, 'exim');
  await c2.waitForDiagnostics(f);
  const here = (needle: string, offset = 0) => ({ textDocument: { uri: uriOf(f) }, position: positionOf(text, needle, offset) });
  for (const req of [here('\nt:', 1), here('\nrcpt:', 1), here('\nsub:', 1)]) {
    await assert.rejects(c2.request('textDocument/prepareRename', req), /is part of (a transport|an ACL) name built at run time in .* \(exim\.conf line (21|1|10)\): a rename can neither follow it there nor leave it/);
    await assert.rejects(c2.request('textDocument/rename', { ...req, newName: 'renamed' }), /built at run time/);
  }
  // A whole ${if} result is a reference, and a condition's strings are not: t2 and data_acl rename as before.
  const t2 = await c2.request('textDocument/rename', { ...here('\nt2:', 1), newName: 'renamed' });
  assert.equal(t2.changes[uriOf(f)].length, 2);
  const dataAcl = await c2.request('textDocument/rename', { ...here('\ndata_acl:', 1), newName: 'renamed' });
  assert.equal(dataAcl.changes[uriOf(f)].length, 2);
  // t_x and rcpt_local are what those values build: renamed, the value would no longer give them.
  for (const req of [here('\nt_x:', 1), here('\nrcpt_local:', 1), here('\nsub_auth:', 1)]) {
    await assert.rejects(c2.request('textDocument/prepareRename', req), /is (a transport|an ACL) name built at run time by "(transport|acl_smtp_rcpt|acl) = .*" \(exim\.conf line (21|1|10)\)/);
  }
});
