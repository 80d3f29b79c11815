// Completion and hover in `.include`d files: the included lines belong to the section (and
// sometimes the instance) of the line that includes them, which only the model knows.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { TestClient, positionOf, scratch, uriOf } from './client';

const MAIN = `primary_hostname = x.example
begin routers
cyrus:
  driver = accept
  transport = cyrus_lmtp
begin transports
.include inc/transports.conf
local_delivery:
  driver = appendfile
.include inc/appendfile-options.conf
`;
const TRANSPORTS = `cyrus_lmtp:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  allow_localhost
  port = 2003

`;
const OPTIONS = `  file = /var/mail/$local_part_data
  mode = 0600

`;

const { tree, client } = scratch('exim-cyrus-inc-');
let c: TestClient;
let inc: string;
let opts: string;

before(async () => {
  const dir = tree({ 'exim.conf': MAIN, 'inc/transports.conf': TRANSPORTS, 'inc/appendfile-options.conf': OPTIONS });
  inc = path.join(dir, 'inc/transports.conf');
  opts = path.join(dir, 'inc/appendfile-options.conf');
  c = await client(dir);
  c.open(inc, TRANSPORTS, 'exim');
  await c.waitForDiagnostics(inc);
});

const hover = (file: string, text: string, needle: string) => c.request('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: positionOf(text, needle, 2) });

test('hover on smtp transport options in a file included under begin transports', async () => {
  for (const name of ['allow_localhost', 'protocol', 'hosts', 'port']) {
    const h = await hover(inc, TRANSPORTS, `  ${name}`);
    assert.ok(h, `no hover on ${name}`);
    assert.match(h.contents.value, new RegExp(`\\*\\*${name}\\*\\*`));
  }
});

test('completion in the included file offers the transport\'s options, not main options', async () => {
  const line = TRANSPORTS.split('\n').length - 2; // the empty last line, inside cyrus_lmtp
  const items: { label: string }[] = await c.request('textDocument/completion', { textDocument: { uri: uriOf(inc) }, position: { line, character: 2 } });
  const labels = new Set(items.map((i) => i.label));
  for (const want of ['hosts_require_auth', 'allow_localhost', 'headers_add']) assert.ok(labels.has(want), `missing ${want}`);
  for (const not of ['primary_hostname', 'acl_smtp_rcpt', 'check_local_user']) assert.ok(!labels.has(not), `${not} offered in a transport`);
});

test('an included file holding an instance\'s options gets that instance\'s driver', async () => {
  c.open(opts, OPTIONS, 'exim');
  const h = await hover(opts, OPTIONS, '  mode');
  assert.ok(h, 'no hover on mode');
  assert.match(h.contents.value, /octal/);
  const items: { label: string }[] = await c.request('textDocument/completion', { textDocument: { uri: uriOf(opts) }, position: { line: 2, character: 2 } });
  const labels = new Set(items.map((i) => i.label));
  assert.ok(labels.has('maildir_format') && labels.has('create_directory'), 'appendfile options');
  assert.ok(!labels.has('hosts_require_auth'), 'smtp options in an appendfile transport');
});
