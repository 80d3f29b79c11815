// Diagnostics carry only the fields the client declared it shows (LSP 3.17
// textDocument.publishDiagnostics: codeDescriptionSupport, relatedInformation, tagSupport),
// in publications and in code actions alike. VS Code declares them all; a minimal client
// gets the smaller payload, and still learns where a link finding's other side is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { ROOT, scratch, uriOf, type TestClient } from './client';

const { tree, client } = scratch('exim-cyrus-diagcaps-');

const example = (f: string) => fs.readFileSync(path.join(ROOT, 'examples/broken', f), 'utf8');
/** examples/broken (lmtpd without -a: a link finding in cyrus.conf about Exim's transport) with a transport nothing uses. */
const files = {
  'exim.conf': example('exim.conf').replace('begin transports\n', 'begin transports\n\nspare:\n  driver = pipe\n  command = /bin/true\n'),
  'cyrus.conf': example('cyrus.conf'),
  'imapd.conf': example('imapd.conf'),
};

async function opened(c: TestClient, dir: string): Promise<{ exim: Diagnostic[]; cyrus: Diagnostic[] }> {
  const exim = path.join(dir, 'exim.conf'), cyrus = path.join(dir, 'cyrus.conf');
  c.open(exim, files['exim.conf'], 'exim');
  c.open(cyrus, files['cyrus.conf'], 'cyrus-conf');
  return {
    exim: await c.waitForDiagnostics(exim, (d) => d.some((x) => x.code === 'exim/unused-definition')),
    cyrus: await c.waitForDiagnostics(cyrus, (d) => d.some((x) => x.code === 'link/lmtp-auth-required')),
  };
}

/** The quick fix offered on the link finding in cyrus.conf (add -a), with its diagnostics. */
async function authFix(c: TestClient, dir: string, d: Diagnostic): Promise<CodeAction> {
  const actions: CodeAction[] = await c.request('textDocument/codeAction', {
    textDocument: { uri: uriOf(path.join(dir, 'cyrus.conf')) }, range: d.range, context: { diagnostics: [d] },
  });
  const a = actions.find((x) => x.diagnostics?.some((y) => y.code === 'link/lmtp-auth-required'));
  assert.ok(a, `a quick fix for the finding (got ${JSON.stringify(actions.map((x) => x.title))})`);
  return a;
}

test('a client that declares only versionSupport gets no codeDescription, relatedInformation or tags', async () => {
  const dir = tree(files);
  const c = await client(dir, undefined, { versionSupport: true });
  const { exim, cyrus } = await opened(c, dir);
  for (const d of [...exim, ...cyrus]) {
    assert.equal(d.codeDescription, undefined, `${d.code} has no codeDescription`);
    assert.equal(d.relatedInformation, undefined, `${d.code} has no relatedInformation`);
    assert.equal(d.tags, undefined, `${d.code} has no tags`);
  }
  const fix = await authFix(c, dir, cyrus.find((x) => x.code === 'link/lmtp-auth-required')!);
  for (const d of fix.diagnostics!) assert.deepEqual([d.codeDescription, d.relatedInformation, d.tags], [undefined, undefined, undefined]);
});

test('without relatedInformation, the lines it would name are written under the message', async () => {
  const dir = tree(files);
  const c = await client(dir, undefined, { versionSupport: true, codeDescriptionSupport: true });
  const { cyrus } = await opened(c, dir);
  const auth = cyrus.find((x) => x.code === 'link/lmtp-auth-required')!;
  const line = files['exim.conf'].split('\n').findIndex((l) => /^\s*hosts = localhost/.test(l)) + 1;
  assert.ok(line > 0);
  const [first, ...rest] = auth.message.split('\n');
  assert.match(first, /^lmtpd \(service lmtp\) listens on TCP without -a/);
  assert.deepEqual(rest, [`  exim.conf:${line}:11: transport cyrus_ltcp delivers here without authenticating`]);
  assert.match(auth.codeDescription?.href ?? '', /README\.md#rules$/);
  // A code action's diagnostic is the one the client was sent.
  assert.equal((await authFix(c, dir, auth)).diagnostics![0].message, auth.message);
});

test('a client that declares them gets codeDescription, relatedInformation and the tags it knows', async () => {
  const dir = tree(files);
  const c = await client(dir);
  const { exim, cyrus } = await opened(c, dir);
  const unused = exim.find((x) => x.code === 'exim/unused-definition')!;
  assert.deepEqual(unused.tags, [1]);
  const auth = cyrus.find((x) => x.code === 'link/lmtp-auth-required')!;
  assert.doesNotMatch(auth.message, /\n/);
  assert.match(auth.codeDescription?.href ?? '', /README\.md#rules$/);
  assert.deepEqual(auth.relatedInformation?.map((r) => [r.location.uri, r.message]),
    [[uriOf(path.join(dir, 'exim.conf')), 'transport cyrus_ltcp delivers here without authenticating']]);
  const fix = await authFix(c, dir, auth);
  assert.deepEqual(fix.diagnostics, [auth]);
});

test('tags the client does not list are left out', async () => {
  const dir = tree(files);
  const c = await client(dir, undefined, { relatedInformation: true, tagSupport: { valueSet: [2] } });
  const { exim } = await opened(c, dir);
  assert.equal(exim.find((x) => x.code === 'exim/unused-definition')!.tags, undefined);
});
