// The rule codes are a public contract: each one the tool can emit is documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/core/rules/codes';

test('every rule code has a row in the README table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const missing = Object.keys(RULES).filter((code) => !readme.includes(`| \`${code}\` |`));
  assert.deepEqual(missing, []);
});

test('each README row gives the severity and summary the rule table in codes.ts does', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const differ: string[] = [];
  for (const [code, rule] of Object.entries(RULES)) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
    const want = `| \`${code}\` | ${rule.severity} | ${rule.summary} |`;
    if (row !== undefined && row.trim() !== want) differ.push(`${row}\n  codes.ts: ${want}`);
  }
  assert.deepEqual(differ, []);
});

test('the README opens with exactly the two set-up commands', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const commands = firstBlock.split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, '').trim());
  assert.deepEqual(commands, ['npm ci && npm start', 'npm test']);
});

test('the README has no relative links: vsce refuses to package them without a public repository', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]).filter((u) => !/^[a-z]+:/i.test(u) && !u.startsWith('#'));
  assert.deepEqual(relative, []);
});
