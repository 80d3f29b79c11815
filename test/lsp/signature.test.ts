// Signature help inside expansions and document highlights, over stdio as an editor asks
// for them: parameters as offsets for a client that takes them, as names for one that does not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, copyExample, positionOf, uriOf } from './client';

const dirs: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.shutdown();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** examples/reference with a router condition being typed; a started server on it. */
async function open(textDocument: Record<string, unknown>): Promise<{ c: TestClient; file: string; text: string }> {
  const dir = copyExample('reference');
  dirs.push(dir);
  const file = path.join(dir, 'exim.conf');
  const text = fs.readFileSync(file, 'utf8').replace('  transport = cyrus_ltcp\n', '  transport = cyrus_ltcp\n  condition = ${if match_domain{$domain}{+cyrus_domains} {${substr{0}{\n');
  const c = new TestClient();
  clients.push(c);
  const init = await c.initialize(dir, {}, {}, undefined, undefined, undefined, textDocument);
  assert.deepEqual(init.capabilities.signatureHelpProvider, { triggerCharacters: ['{'], retriggerCharacters: ['}'] });
  assert.equal(init.capabilities.documentHighlightProvider, true);
  c.open(file, text, 'exim');
  await c.waitForDiagnostics(file);
  return { c, file, text };
}

test('signature help: the active argument of the innermost item, as offsets in its label', async () => {
  const { c, file, text } = await open({ signatureHelp: { signatureInformation: { parameterInformation: { labelOffsetSupport: true } } } });
  const end = positionOf(text, '${substr{0}{', '${substr{0}{'.length);
  const h = await c.request('textDocument/signatureHelp', { textDocument: { uri: uriOf(file) }, position: end });
  const sig = h.signatures[h.activeSignature];
  assert.equal(sig.label, '${substr{start}{length}{string}}');
  assert.equal(h.signatures.length, 2, 'and the two-argument form');
  const [a, b] = sig.parameters[h.activeParameter].label;
  assert.equal(sig.label.slice(a, b), 'length');
  assert.match(sig.parameters[h.activeParameter].documentation, /How many characters/);
  // In the condition's second argument: match_domain's signature.
  const inList = positionOf(text, '+cyrus_domains}', 1);
  const m = await c.request('textDocument/signatureHelp', { textDocument: { uri: uriOf(file) }, position: inList });
  assert.equal(m.signatures[0].label, 'match_domain {domain}{domain list}');
  assert.equal(m.activeParameter, 1);
  // Outside any expansion there is none.
  assert.equal(await c.request('textDocument/signatureHelp', { textDocument: { uri: uriOf(file) }, position: positionOf(text, 'cyrus_ltcp:') }), null);
});

test('signature help for a client without label offsets: each parameter by name', async () => {
  const { c, file, text } = await open({});
  const end = positionOf(text, '${substr{0}{', '${substr{0}{'.length);
  const h = await c.request('textDocument/signatureHelp', { textDocument: { uri: uriOf(file) }, position: end });
  assert.deepEqual(h.signatures[0].parameters.map((p: { label: unknown }) => p.label), ['start', 'length', 'string']);
  assert.equal(h.activeParameter, 1);
});

test('document highlight: a transport where it is defined (written) and where a router names it (read)', async () => {
  const { c, file, text } = await open({});
  const use = positionOf(text, 'transport = cyrus_ltcp', 'transport = '.length + 2);
  const hs = await c.request('textDocument/documentHighlight', { textDocument: { uri: uriOf(file) }, position: use });
  const byLine = new Map(hs.map((h: { range: { start: { line: number } }; kind: number }) => [h.range.start.line, h.kind]));
  assert.equal(byLine.get(positionOf(text, 'cyrus_ltcp:').line), 3, 'the definition is a write');
  assert.equal(byLine.get(use.line), 2, 'the use is a read');
  assert.equal(hs.length, 2);
  // On something that is not a name: nothing.
  assert.deepEqual(await c.request('textDocument/documentHighlight', { textDocument: { uri: uriOf(file) }, position: positionOf(text, 'driver = smtp', 2) }), []);
});
