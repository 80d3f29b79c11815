// Quick fixes in a document with CRLF line ends insert CRLF, as the rest of its lines end.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, uriOf } from './client';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-crlf-'));
let c: TestClient | undefined;
after(async () => { await c?.shutdown(); fs.rmSync(dir, { recursive: true, force: true }); });

test('a quick fix that inserts lines into a CRLF document breaks them with CRLF', async () => {
  const text = ['primary_hostname = x.example', 'acl_smtp_rcpt = acl_check_rcpt', 'begin acl', 'acl_check_rcpt:', '  accept hosts = +relay_hosts', ''].join('\r\n');
  const file = path.join(dir, 'exim.conf');
  fs.writeFileSync(file, text);
  c = new TestClient();
  await c.initialize(dir);
  c.open(file, text, 'exim');
  const d = (await c.waitForDiagnostics(file, (ds) => ds.some((x) => x.code === 'exim/undefined-list'))).find((x) => x.code === 'exim/undefined-list')!;
  const actions: { edit?: { changes?: Record<string, { newText: string }[]> } }[] = await c.request('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range: d.range, context: { diagnostics: [d] } });
  const inserted = actions.flatMap((a) => a.edit?.changes?.[uriOf(file)] ?? []).map((e) => e.newText).filter((t) => t.includes('\n'));
  assert.ok(inserted.length > 0, 'a fix that inserts a line');
  for (const t of inserted) assert.doesNotMatch(t, /(^|[^\r])\n/, JSON.stringify(t));
});
