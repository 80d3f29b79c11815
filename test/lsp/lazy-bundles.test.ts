// The built server reads each of its bundles only when it needs it: the checker
// (dist/server-checker.js) once initialized, the LMTP session (dist/server-callout.js) at the
// first callout and not before. NODE_DEBUG=module makes Node write each module it loads to
// stderr.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, TestClient, scratch } from './client';

const { tree } = scratch('exim-cyrus-lazy-');
let c: TestClient | undefined;
after(async () => { await c?.shutdown(); });

const loads = (stderr: string, bundle: string) => stderr.split('\n').filter((l) => l.includes(`load "${path.join(ROOT, 'dist', bundle)}"`)).length;

test('opening a config loads the checker but not the LMTP session; the first callout loads it, once', async () => {
  const text = fs.readFileSync(path.join(ROOT, 'examples/reference/exim.conf'), 'utf8');
  const dir = tree({ 'exim.conf': text });
  c = new TestClient({ NODE_DEBUG: 'module' });
  await c.initialize(dir);
  const exim = path.join(dir, 'exim.conf');
  c.open(exim, text, 'exim');
  await c.waitForDiagnostics(exim);
  assert.equal(loads(c.stderr, 'server-checker.js'), 1, c.stderr);
  assert.equal(loads(c.stderr, 'server-callout.js'), 0, 'the LMTP session is not read before a callout');
  for (let i = 0; i < 2; i++) {
    const r: { outcome: { kind: string } } = await c.request('workspace/executeCommand', { command: 'eximCyrus.callout', arguments: [{ target: '127.0.0.1:1', recipients: ['a@example.com'] }] });
    assert.equal(r.outcome.kind, 'refused');
  }
  assert.equal(loads(c.stderr, 'server-callout.js'), 1);
});
