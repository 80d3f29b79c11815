// Bad input must cost at most an error reply: the server stays up and keeps answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, copyExample, positionOf, uriOf } from './client';

let c: TestClient;
let dir: string;
let exim: string;
let text: string;

before(async () => {
  dir = copyExample('reference');
  exim = path.join(dir, 'exim.conf');
  text = fs.readFileSync(exim, 'utf8');
  c = new TestClient();
  await c.initialize(dir);
  c.open(exim, text, 'exim');
  await c.waitForDiagnostics(exim);
});

after(async () => { await c.shutdown(); fs.rmSync(dir, { recursive: true, force: true }); });

async function stillAnswers(): Promise<void> {
  const h = await c.request('textDocument/hover', { textDocument: { uri: uriOf(exim) }, position: positionOf(text, '  allow_localhost', 4) });
  assert.match(h?.contents?.value ?? '', /boolean/);
  assert.ok(c.alive, 'server process exited');
}

test('malformed params get an error or an empty answer, never a crash', async () => {
  const bad: [string, unknown][] = [
    ['textDocument/hover', {}],
    ['textDocument/hover', { textDocument: { uri: 42 }, position: 'x' }],
    ['textDocument/completion', { textDocument: { uri: uriOf(exim) }, position: { line: 'a', character: null } }],
    ['textDocument/definition', null],
    ['textDocument/rename', { textDocument: { uri: uriOf(exim) }, position: { line: 0, character: 0 } }],
    ['textDocument/documentSymbol', { textDocument: {} }],
    ['textDocument/codeAction', { textDocument: { uri: uriOf(exim) } }],
    ['workspace/executeCommand', { command: 'eximCyrus.callout', arguments: [{ target: 17 }] }],
    ['workspace/executeCommand', { command: 'eximCyrus.callout', arguments: ['nonsense'] }],
    ['workspace/executeCommand', { command: 'eximCyrus.pairing', arguments: [] }],
    ['workspace/executeCommand', {}],
    ['workspace/symbol', { query: { not: 'a string' } }],
    ['textDocument/signatureHelp', { textDocument: { uri: uriOf(exim) }, position: null }],
    ['textDocument/documentHighlight', { position: { line: 1, character: 1 } }],
    ['textDocument/inlayHint', { textDocument: { uri: uriOf(exim) }, range: 'all' }],
    ['textDocument/inlayHint', { textDocument: 5 }],
    ['textDocument/semanticTokens/full', { textDocument: { uri: null } }],
    ['textDocument/semanticTokens/full', { textDocument: { uri: uriOf(path.join(dir, 'never-opened.exim')) } }],
  ];
  for (const [method, params] of bad) {
    await c.request(method, params).then(() => undefined, (e) => assert.ok(typeof e.code === 'number', `${method}: ${e}`));
  }
  // Notifications with nonsense are ignored.
  void c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere' }, contentChanges: 'x' });
  void c.conn.sendNotification('textDocument/didOpen', { textDocument: null });
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'not a uri', type: 9 }] });
  void c.conn.sendNotification('eximCyrus/machineSettings', 'garbage');
  await stillAnswers();
});

test('malformed document notifications are ignored with one clear log line each, not an exception', async () => {
  const from = c.logs.length;
  const bad: [string, unknown][] = [
    ['textDocument/didOpen', {}],
    ['textDocument/didOpen', { textDocument: { uri: uriOf(path.join(dir, 'odd.exim')), languageId: 'exim', version: 1, text: 3 } }],
    ['textDocument/didChange', { textDocument: { uri: uriOf(exim) }, contentChanges: [{ text: 'x' }] }],
    ['textDocument/didClose', {}],
    ['textDocument/didSave', { textDocument: 7 }],
  ];
  for (const [method, params] of bad) void c.conn.sendNotification(method, params);
  await stillAnswers();
  const logs = c.logs.slice(from);
  assert.deepEqual(logs.filter((l) => /failed|internal error|\n\s+at /.test(l)), []);
  for (const [method] of bad) assert.ok(logs.some((l) => l.startsWith(`ignored ${method}: `)), `${method}: ${JSON.stringify(logs)}`);
  // The document is still what it was: the bad change did not reach it.
  assert.ok(!(c.diagnostics.get(uriOf(exim))?.diagnostics ?? []).some((d) => d.code === 'exim/syntax'));
});

test('an unknown method is answered with MethodNotFound', async () => {
  await assert.rejects(c.request('eximCyrus/noSuchThing', { a: 1 }), (e: { code: number }) => e.code === -32601);
  await stillAnswers();
});

test('positions past the end of a line or the file are clamped', async () => {
  for (const position of [{ line: 100000, character: 5 }, { line: 3, character: 100000 }, { line: -5, character: -1 }]) {
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/signatureHelp', 'textDocument/definition', 'textDocument/references', 'textDocument/documentHighlight', 'textDocument/prepareRename']) {
      await c.request(method, { textDocument: { uri: uriOf(exim) }, position, context: { includeDeclaration: true } })
        .then(() => undefined, (e) => assert.ok(typeof e.code === 'number'));
    }
  }
  const unknown = await c.request('textDocument/hover', { textDocument: { uri: uriOf(path.join(dir, 'never-opened.exim')) }, position: { line: 0, character: 0 } });
  assert.equal(unknown, null);
  await stillAnswers();
});

test('a 10 MB document is checked without taking the server down', async () => {
  const big = path.join(dir, 'big.exim');
  const line = '# ' + 'x'.repeat(98) + '\n';
  const body = 'primary_hostname = big.example\n' + line.repeat(100_000) + 'frobnicate_this = 1\n';
  assert.ok(body.length >= 10_000_000);
  c.open(big, body, 'exim');
  const d = await c.waitForDiagnostics(big, (ds) => ds.some((x) => x.code === 'exim/unknown-option'), 60_000);
  assert.equal(d.find((x) => x.code === 'exim/unknown-option')!.range.start.line, 100_001);
  const folds = await c.request('textDocument/foldingRange', { textDocument: { uri: uriOf(big) } });
  assert.ok(Array.isArray(folds));
  const tokens: { data: number[] } = await c.request('textDocument/semanticTokens/full', { textDocument: { uri: uriOf(big) } });
  assert.deepEqual(tokens.data, [], 'no branch skipped');
  assert.deepEqual(await c.request('textDocument/inlayHint', { textDocument: { uri: uriOf(big) }, range: { start: { line: 0, character: 0 }, end: { line: 100_002, character: 0 } } }), []);
  void c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(big) } });
  await stillAnswers();
});

test('a burst of 100 edits publishes the result of the last one only once it settles', async () => {
  const file = path.join(dir, 'burst.exim');
  c.open(file, 'primary_hostname = a\n', 'exim');
  await c.waitForDiagnostics(file);
  const seen: number[] = [];
  const listener = (p: { uri: string; version?: number }) => { if (p.uri === uriOf(file) && p.version) seen.push(p.version); };
  c.publishListeners.add(listener);
  for (let i = 0; i < 100; i++) c.change(file, `primary_hostname = a\nbogus_${i} = 1\n`);
  const d = await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.message.includes('bogus_99')));
  assert.equal(d.filter((x) => x.code === 'exim/unknown-option').length, 1);
  await new Promise((r) => setTimeout(r, 400));
  c.publishListeners.delete(listener);
  // Debounced: far fewer checks than edits, and nothing older arrives after the final one.
  assert.ok(seen.length < 20, `published ${seen.length} times for 100 edits`);
  assert.equal(seen.at(-1), 101);
  assert.ok(c.diagnostics.get(uriOf(file))!.diagnostics.some((x) => x.message.includes('bogus_99')));
  await stillAnswers();
});

test('onSave validation: edits are not checked until the file is saved', async () => {
  c.settings = { validate: 'onSave' };
  void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await new Promise((r) => setTimeout(r, 300));
  const file = path.join(dir, 'onsave.exim');
  fs.writeFileSync(file, 'primary_hostname = a\n');
  c.open(file, 'primary_hostname = a\n', 'exim');
  await c.waitForDiagnostics(file);
  c.change(file, 'primary_hostname = a\nunsaved_typo = 1\n');
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!c.diagnostics.get(uriOf(file))!.diagnostics.some((x) => x.code === 'exim/unknown-option'), 'checked while typing despite onSave');
  c.save(file);
  await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'exim/unknown-option'));
  c.settings = {};
  void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
});

test('an untitled buffer is checked and its diagnostics use its own URI', async () => {
  const uri = 'untitled:Untitled-7';
  const received = new Promise<{ uri: string; diagnostics: { code?: unknown }[] }>((resolve) => {
    const l = (p: { uri: string; diagnostics: { code?: unknown }[] }) => { if (p.uri === uri && p.diagnostics.length) { c.publishListeners.delete(l); resolve(p); } };
    c.publishListeners.add(l);
  });
  void c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'exim', version: 1, text: 'no_such_option_here = 1\n' } });
  const p = await received;
  assert.ok(p.diagnostics.some((d) => d.code === 'exim/unknown-option'));
  const h = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
  assert.ok(h === null || typeof h.contents.value === 'string');
  await stillAnswers();
});
