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

test('the README table gives each code the severity the tool reports by default', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const wrong = Object.entries(RULES)
    .map(([code, r]) => [code, /^\| `([^`]+)` \| (\w+) \|/m.exec(readme.slice(readme.indexOf(`| \`${code}\` |`)))?.[2], r.severity])
    .filter(([, documented, actual]) => documented !== actual);
  assert.deepEqual(wrong, []);
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
