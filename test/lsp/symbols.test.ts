// Outline and workspace symbols for what the other tests do not open: include files with
// generic names, and imapd.conf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { positionOf, scratch, uriOf } from './client';

const { tree, client } = scratch('exim-cyrus-sym-');

test('workspace symbols include the routers of an include file that is not open and has a generic name', async () => {
  const main = 'primary_hostname = x.example\nbegin routers\n.include parts/routing\nbegin transports\nt:\n  driver = appendfile\n  file = /tmp/x\n';
  // Nothing in it says "Exim" by itself: no begin line, no named list.
  const part = 'cyrus_vdom:\n  driver = accept\n  transport = t\n';
  const dir = tree({ 'exim.conf': main, 'parts/routing': part });
  const c = await client(dir);
  c.open(path.join(dir, 'exim.conf'), main, 'exim');
  await c.waitForDiagnostics(path.join(dir, 'exim.conf'));
  const syms: { name: string; location: { uri: string; range: { start: { line: number } } } }[] = await c.request('workspace/symbol', { query: 'vdom' });
  const hit = syms.find((s) => s.name === 'cyrus_vdom');
  assert.ok(hit, `symbols: ${JSON.stringify(syms.map((s) => s.name))}`);
  assert.equal(hit.location.uri, uriOf(path.join(dir, 'parts/routing')));
  assert.equal(hit.location.range.start.line, 0);
});

test('the outline of imapd.conf lists its options, with partitions told apart', async () => {
  const text = '# Cyrus\nconfigdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\nlmtp_admins: cyrus\nvirtdomains: userid\n';
  const dir = tree({ 'imapd.conf': text });
  const c = await client(dir);
  const file = path.join(dir, 'imapd.conf');
  c.open(file, text, 'imapd-conf');
  await c.waitForDiagnostics(file);
  const syms: { name: string; kind: number; detail?: string; selectionRange: { start: { line: number; character: number } } }[] =
    await c.request('textDocument/documentSymbol', { textDocument: { uri: uriOf(file) } });
  assert.deepEqual(syms.map((s) => s.name), ['configdirectory', 'partition-default', 'lmtp_admins', 'virtdomains']);
  assert.equal(syms[1].detail, '/var/spool/cyrus/mail');
  assert.notEqual(syms[1].kind, syms[0].kind, 'a partition is not shown as a plain option');
  assert.deepEqual(syms[3].selectionRange.start, positionOf(text, 'virtdomains'));
});
