// docs/editors.md is what clients other than VS Code go by: its table of callout outcomes
// names every kind the callout can end in, with the exit status the CLI gives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitCodeFor } from '../../server/src/cli/callout';
import type { OutcomeKind } from '../../server/src/core/lmtp/types';

const ROOT = path.join(__dirname, '../..');

function outcomeKinds(): OutcomeKind[] {
  const src = fs.readFileSync(path.join(ROOT, 'server/src/core/lmtp/types.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const union = /export type OutcomeKind =([\s\S]*?);/.exec(src)?.[1] ?? '';
  return [...union.matchAll(/\|\s*'([a-z-]+)'/g)].map((m) => m[1] as OutcomeKind);
}

test('docs/editors.md lists every callout outcome kind with the CLI\'s exit status', () => {
  const kinds = outcomeKinds();
  assert.ok(kinds.includes('session-rejected') && kinds.length >= 10, `read the kinds from types.ts: ${kinds}`);
  const doc = fs.readFileSync(path.join(ROOT, 'docs/editors.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const m of doc.matchAll(/^\| `([a-z-]+)` \| .* \| (\d) \|$/gm)) rows.set(m[1], m[2]);
  assert.deepEqual(kinds.filter((k) => !rows.has(k)), [], 'kinds without a row');
  assert.deepEqual(kinds.filter((k) => rows.get(k) !== String(exitCodeFor(k))).map((k) => `${k}: ${rows.get(k)}`), [], 'exit status differs from exitCodeFor');
  assert.deepEqual([...rows.keys()].filter((k) => !kinds.includes(k as OutcomeKind)), [], 'rows for kinds that do not exist');
});
