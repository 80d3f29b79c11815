// What the e2e suite says when it skips: each missing program, where it was looked for,
// and how to install it (EXIM_CYRUS_CACHE, EXIM_CYRUS_CODE_SERVER, CHROMIUM_PATH honoured).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER_VERSION, missingTools } from './tools';

const KEYS = ['EXIM_CYRUS_CACHE', 'EXIM_CYRUS_CODE_SERVER', 'CHROMIUM_PATH', 'XDG_CACHE_HOME'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
const dirs: string[] = [];
afterEach(() => {
  for (const k of KEYS) { if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-tools-'));
  dirs.push(d);
  return d;
}
const chromium = (m: string[]) => m.find((x) => /chromium/i.test(x));
const codeServer = (m: string[]) => m.find((x) => /code-server/i.test(x) && !/chromium/i.test(x));

test('an empty EXIM_CYRUS_CACHE: code-server is reported missing, with the path looked at and the install command', () => {
  const cache = tmp();
  process.env.EXIM_CYRUS_CACHE = cache;
  delete process.env.EXIM_CYRUS_CODE_SERVER;
  const m = codeServer(missingTools());
  assert.ok(m, 'code-server reported missing');
  assert.ok(m.includes(path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'bin', 'code-server')), m);
  assert.match(m, /EXIM_CYRUS_CACHE/);
  assert.match(m, /bash scripts\/install-code-server\.sh/);
});

test('an interrupted install (launcher, no .complete marker) is called incomplete', () => {
  const cache = tmp();
  process.env.EXIM_CYRUS_CACHE = cache;
  delete process.env.EXIM_CYRUS_CODE_SERVER;
  const bin = path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'code-server'), '#!/bin/sh\n', { mode: 0o755 });
  assert.match(codeServer(missingTools()) ?? '', /incomplete.*install-code-server\.sh/);
  fs.writeFileSync(path.join(cache, `code-server-${CODE_SERVER_VERSION}`, '.complete'), '');
  assert.equal(codeServer(missingTools()), undefined);
});

test('EXIM_CYRUS_CODE_SERVER and CHROMIUM_PATH naming nothing are reported as such, with no fallback', () => {
  process.env.EXIM_CYRUS_CODE_SERVER = path.join(tmp(), 'no-code-server');
  process.env.CHROMIUM_PATH = path.join(tmp(), 'no-chromium');
  const m = missingTools();
  assert.equal(codeServer(m), `EXIM_CYRUS_CODE_SERVER=${process.env.EXIM_CYRUS_CODE_SERVER} does not exist`);
  assert.equal(chromium(m), `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
});
