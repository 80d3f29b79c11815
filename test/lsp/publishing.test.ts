// What the server publishes for files several configs share, for files the client spells
// differently from Node, and for untitled buffers, over stdio as an editor sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { scratch, TestClient, uriOf } from './client';

const { tree: writeIn, client } = scratch('exim-cyrus-pub-');
/** The folder's files, with DIR standing for the folder itself. */
const tree = (files: Record<string, string>, name?: string) => writeIn(files, (t, dir) => t.replaceAll('DIR', dir), name);

/** Waits until `pred` holds after some publication (or already holds). */
async function until(c: TestClient, pred: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 200 && !pred(); tries++) await new Promise((r) => setTimeout(r, 50));
  if (!pred()) throw new Error(`timed out waiting for ${what}`);
}

/** A request answered: every notification the server sent before it has arrived. */
const settle = (c: TestClient) => c.request('workspace/symbol', { query: '' });
const codes = (d: Diagnostic[] | undefined) => (d ?? []).map((x) => `${x.code} ${x.message}`).sort();

test('an include two open configs share shows both configs\' findings, whichever was edited last', async () => {
  const inc = 't1:\n  driver = appendfile\n  file = /tmp/x\n  bogus_in_inc = 1\n';
  const a = 'primary_hostname = a\nbegin routers\nr:\n  driver = accept\n  transport = t1\nbegin transports\n.include DIR/inc/t.conf\n';
  const b = 'primary_hostname = b\nbegin routers\nr:\n  driver = accept\n  transport = t2\nbegin transports\n.include DIR/inc/t.conf\nt2:\n  driver = pipe\n  command = /bin/true\n';
  const dir = tree({ 'a.exim': a, 'b.exim': b, 'inc/t.conf': inc });
  const fa = path.join(dir, 'a.exim'), fb = path.join(dir, 'b.exim'), finc = path.join(dir, 'inc/t.conf');
  const ta = fs.readFileSync(fa, 'utf8'), tb = fs.readFileSync(fb, 'utf8');
  const c = await client(dir);
  c.open(fa, ta, 'exim');
  c.open(fb, tb, 'exim');
  const both = await c.waitForDiagnostics(finc, (d) => d.some((x) => x.code === 'exim/unused-definition'));
  // Unused in b.exim only, and it says so; the unknown option is every config's.
  assert.deepEqual(codes(both), [
    'exim/unknown-option Unknown option of the appendfile transport "bogus_in_inc" in transport "t1".',
    'exim/unused-definition The transport "t1" is not used by any router. (when read by b.exim)',
  ]);
  const version = new Map([[fa, 1], [fb, 1]]);
  for (const [file, text] of [[fa, ta], [fb, tb], [fa, ta + '\n']] as const) {
    c.change(file, text + '\n');
    const v = version.get(file)! + 1;
    version.set(file, v);
    await c.waitForDiagnostics(file, () => c.diagnostics.get(uriOf(file))!.version === v);
    await settle(c);
    assert.deepEqual(codes(c.diagnostics.get(uriOf(finc))?.diagnostics), codes(both), `after editing ${path.basename(file)}`);
  }
  // Editing the include itself re-checks both configs.
  c.open(finc, inc, 'exim');
  c.change(finc, inc.replace('bogus_in_inc', 'bogus_two'));
  const d = await c.waitForDiagnostics(finc, (ds) => ds.some((x) => x.message.includes('bogus_two')));
  assert.ok(d.some((x) => x.code === 'exim/unused-definition'), JSON.stringify(d.map((x) => x.message)));
  // Once b.exim is closed, what only b.exim found goes.
  void c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(fb) } });
  await c.waitForDiagnostics(finc, (ds) => !ds.some((x) => x.code === 'exim/unused-definition') && ds.some((x) => x.message.includes('bogus_two')));
});

test('a file first published under Node\'s URI spelling is cleared there once the client opens it under its own', async () => {
  const dir = tree({
    'exim.conf': 'primary_hostname = x\nbegin routers\nr:\n  driver = accept\n  transport = t\nbegin transports\n.include inc/t.conf\n',
    'inc/t.conf': 't:\n  driver = appendfile\n  file = /tmp/x\n  bogus_opt = 1\n',
  }, 'exim-cyrus-pub c+d@e-');
  // VS Code percent-encodes every reserved character; Node leaves `+` and `@` as they are.
  const vscode = (p: string) => 'file://' + p.split('/').map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase())).join('/');
  const main = path.join(dir, 'exim.conf'), inc = path.join(dir, 'inc/t.conf');
  assert.notEqual(vscode(inc), uriOf(inc));
  const c = await client(dir);
  void c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: vscode(main), languageId: 'exim', version: 1, text: fs.readFileSync(main, 'utf8') } });
  await c.waitForDiagnostics(inc, (d) => d.some((x) => x.code === 'exim/unknown-option'));
  void c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: vscode(inc), languageId: 'exim', version: 1, text: fs.readFileSync(inc, 'utf8') } });
  // The old spelling is emptied; the findings are under the client's.
  await c.waitForDiagnostics(inc, (d) => d.length === 0 && !!c.diagnostics.get(vscode(inc))?.diagnostics.some((x) => x.code === 'exim/unknown-option'));
});

test('an untitled buffer\'s relative .include: no stand-in path in the message, no link to it', async () => {
  const dir = tree({ 'x.txt': '' });
  const c = await client(dir);
  const uri = 'untitled:Untitled-7';
  const text = '.include inc/x.conf\n.include /nonexistent/abs.conf\nprimary_hostname = x\n';
  void c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'exim', version: 1, text } });
  await until(c, () => !!c.diagnostics.get(uri)?.diagnostics.length, 'the untitled buffer\'s diagnostics');
  const d = c.diagnostics.get(uri)!.diagnostics;
  const rel = d.find((x) => x.range.start.line === 0)!;
  assert.equal(rel.code, 'exim/include-not-found');
  assert.doesNotMatch(rel.message, /__untitled__/);
  assert.match(rel.message, /not been saved.*"inc\/x\.conf"/);
  // An absolute path is reported as before.
  assert.match(d.find((x) => x.range.start.line === 1)!.message, /\/nonexistent\/abs\.conf/);
  const links: { target: string }[] = await c.request('textDocument/documentLink', { textDocument: { uri } });
  assert.deepEqual(links.map((l) => l.target), ['file:///nonexistent/abs.conf']);
  assert.deepEqual(await c.request('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 12 } }), []);
});

test('an open document keeps its client spelling when the same file arrives spelt otherwise (a watcher event)', async () => {
  const dir = tree({ 'exim.conf': 'primary_hostname = x\nbogus_main = 1\nbegin transports\n.include t.conf\n', 't.conf': 't:\n  driver = appendfile\n  file = /tmp/x\n' }, 'exim-cyrus-pub c+d@e-');
  const main = path.join(dir, 'exim.conf'), inc = path.join(dir, 't.conf');
  const vscode = (p: string) => 'file://' + p.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  assert.notEqual(vscode(main), uriOf(main));
  const c = await client(dir);
  for (const f of [main, inc]) void c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: vscode(f), languageId: 'exim', version: 1, text: fs.readFileSync(f, 'utf8') } });
  await until(c, () => c.diagnostics.get(vscode(main))?.version === 1 && c.diagnostics.get(vscode(inc))?.version === 1, 'the first publications');
  // VS Code's watcher spells the file as Node does here; the open document is unchanged.
  void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(main), type: 2 }] });
  void c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: vscode(inc), version: 2 }, contentChanges: [{ text: 't:\n  driver = appendfile\n  file = /tmp/x\n  bogus_here = 1\n' }] });
  await until(c, () => !!c.diagnostics.get(vscode(inc))?.diagnostics.some((x) => x.code === 'exim/unknown-option'), 'the edit\'s diagnostics');
  await settle(c);
  assert.equal(c.diagnostics.get(uriOf(main)), undefined, 'nothing published under the watcher\'s spelling');
  assert.ok(c.diagnostics.get(vscode(main))?.diagnostics.some((x) => x.message.includes('bogus_main')), 'main keeps its diagnostics');
});

test('the debounce after an edit follows what the file\'s last check took: short for a small config, never past 150 ms', async () => {
  const dir = tree({ 'small.exim': 'primary_hostname = a\n' });
  const file = path.join(dir, 'small.exim');
  // The timing log says which debounce each check waited (the bench reads it too).
  const c = new TestClient({ EXIM_CYRUS_TIMING: '1' });
  try {
    await c.initialize(dir);
    c.open(file, 'primary_hostname = a\n', 'exim');
    await c.waitForDiagnostics(file);
    for (let v = 2; v <= 4; v++) {
      c.change(file, `primary_hostname = a\nbogus_${v} = 1\n`);
      await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.message.includes(`bogus_${v}`)));
    }
    await settle(c);
    const delays = c.logs.map((l) => /^timing (\{.*\})$/.exec(l)).filter((m) => m).map((m) => JSON.parse(m![1]) as { version: number; delayMs: number });
    // Opening is checked at once; each edit waits 25–150 ms, and once the code is warm a
    // two-line config (checked in a few milliseconds) waits less than the longest.
    assert.equal(delays.find((t) => t.version === 1)?.delayMs, 0);
    const edits = delays.filter((t) => t.version >= 2).map((t) => t.delayMs);
    assert.equal(edits.length, 3, JSON.stringify(delays));
    assert.ok(edits.every((d) => d >= 25 && d <= 150), JSON.stringify(edits));
    assert.ok(edits.at(-1)! < 150, JSON.stringify(edits));
  } finally {
    await c.shutdown();
  }
});
