// A deprecated completion item is marked the way the client declared it can show
// (LSP completion.completionItem): the Deprecated tag, else the older `deprecated`
// property, else not at all — never a tag the client did not list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { scratch, uriOf, VSCODE_PUBLISH_DIAGNOSTICS } from './client';

const { tree, client } = scratch('exim-cyrus-compcaps-');

/** imapd.conf's `archive_days` gave way to `archive_after` in Cyrus 3.1.8. */
async function archiveItems(completion: Record<string, unknown>): Promise<CompletionItem[]> {
  const dir = tree({ 'imapd.conf': 'configdirectory: /var/lib/cyrus\narchive\n' });
  const c = await client(dir, undefined, VSCODE_PUBLISH_DIAGNOSTICS, completion);
  const file = path.join(dir, 'imapd.conf');
  c.open(file, 'configdirectory: /var/lib/cyrus\narchive\n', 'imapd-conf');
  const items: CompletionItem[] = await c.request('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: { line: 1, character: 7 } });
  const old = items.find((i) => i.label === 'archive_days');
  const current = items.find((i) => i.label === 'archive_after');
  assert.ok(old && current, `archive_days and archive_after offered (got ${JSON.stringify(items.map((i) => i.label).slice(0, 20))})`);
  return [old, current];
}

test('a client listing the Deprecated tag gets it on a deprecated option, and only there', async () => {
  const [old, current] = await archiveItems({ completionItem: { tagSupport: { valueSet: [1] }, deprecatedSupport: true } });
  assert.deepEqual(old.tags, [1]);
  assert.equal(old.deprecated, undefined);
  assert.equal(current.tags, undefined);
});

test('a client with only the deprecated property gets that instead', async () => {
  const [old, current] = await archiveItems({ completionItem: { deprecatedSupport: true } });
  assert.equal(old.tags, undefined);
  assert.equal(old.deprecated, true);
  assert.equal(current.deprecated, undefined);
});

test('a client that declares neither gets no marking, and its documentation still says so', async () => {
  // It declares no documentation format either, so that documentation is plain text.
  const [old] = await archiveItems({});
  assert.equal(old.tags, undefined);
  assert.equal(old.deprecated, undefined);
  const doc = typeof old.documentation === 'string' ? old.documentation : old.documentation?.value ?? '';
  assert.match(doc, /Deprecated since 3\.1\.8: use archive_after\./);
});
