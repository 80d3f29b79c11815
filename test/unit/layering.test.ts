// The core must stay free of editor APIs so the CLI and other editors can use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('nothing under server/src/core imports vscode or vscode-languageserver', () => {
  const bad = files(path.join(__dirname, '../../server/src/core')).filter((f) =>
    /from\s+['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|vscode-jsonrpc[^'"]*)['"]|require\(['"]vscode/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(bad, []);
});
