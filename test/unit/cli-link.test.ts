// `exim-cyrus check` over the link fixtures, as a user runs it (bundle: test/helpers/cli-bundle.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, useCliBundle } from '../helpers/cli-bundle';

const FIXTURES = path.join(ROOT, 'server/src/core/rules/link/fixtures');
const bundle = useCliBundle('exim-cyrus-cli-link-');

interface Diag { file: string; line: number; column: number; severity: string; code: string; message: string }

function check(args: string[]): { code: number | null; diags: Diag[]; err: string } {
  const r = spawnSync(process.execPath, [bundle.cli, 'check', '--format', 'json', ...args], { cwd: bundle.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  let diags: Diag[] = [];
  try { diags = JSON.parse(r.stdout).diagnostics; } catch { assert.fail(`not JSON: ${r.stdout}\n${r.stderr}`); }
  return { code: r.status, diags, err: r.stderr };
}

const files = (dir: string) => ['exim.conf', 'cyrus.conf', 'imapd.conf'].map((f) => path.join(dir, f));

test('the reference setup: exit 0, no findings at all', () => {
  const r = check(files(path.join(ROOT, 'examples/reference')));
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.diags, []);
});

test('examples/broken: lmtp-auth-required on the lmtpd line of cyrus.conf, exit 1', () => {
  const r = check(files(path.join(ROOT, 'examples/broken')));
  assert.equal(r.code, 1);
  assert.deepEqual(r.diags.map((d) => [path.basename(d.file), d.line, d.column, d.severity, d.code]),
    [['cyrus.conf', 10, 22, 'error', 'link/lmtp-auth-required']]);
  assert.match(r.diags[0].message, /430 Authentication required/);
});

test('a fixture directory is one setup: the link codes come out with their lines', () => {
  const cases: [string, string, number, string][] = [
    ['no-listener-port', 'exim.conf', 104, 'link/lmtp-no-listener'],
    ['localhost-not-allowed', 'exim.conf', 100, 'link/localhost-not-allowed'],
    ['router-shadowed', 'exim.conf', 71, 'link/router-shadowed'],
    ['virtdomains-off', 'imapd.conf', 7, 'link/virtdomains'],
  ];
  for (const [name, file, line, code] of cases) {
    const r = check([path.join(FIXTURES, name)]);
    assert.deepEqual(r.diags.map((d) => [path.basename(d.file), d.line, d.code]), [[file, line, code]], name);
    assert.equal(r.code, r.diags.some((d) => d.severity === 'error') ? 1 : 0, name);
  }
});

test('an Exim config alone still gets link/ipv6-colon-list', () => {
  const r = check([path.join(FIXTURES, 'ipv6-exim-only.exim')]);
  assert.deepEqual(r.diags.map((d) => [d.line, d.code]), [[2, 'link/ipv6-colon-list'], [5, 'link/ipv6-colon-list'], [12, 'link/ipv6-colon-list'], [13, 'exim/open-relay']]);
  assert.equal(r.code, 0, 'warnings only');
});

test('--fix repairs a copy of examples/broken and of a wrong port; the result checks clean', () => {
  for (const [src, name] of [[path.join(ROOT, 'examples/broken'), 'broken'], [path.join(FIXTURES, 'no-listener-port'), 'port']] as const) {
    const dir = path.join(bundle.dir, `fix-${name}`);
    fs.mkdirSync(dir);
    for (const f of files(src)) fs.copyFileSync(f, path.join(dir, path.basename(f)));
    const r = spawnSync(process.execPath, [bundle.cli, 'check', '--fix', ...files(dir)], { cwd: bundle.dir, encoding: 'utf8' });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const again = check(files(dir));
    assert.deepEqual(again.diags, [], `${name}: clean after --fix`);
    assert.equal(again.code, 0);
  }
  assert.match(fs.readFileSync(path.join(bundle.dir, 'fix-broken/cyrus.conf'), 'utf8'), /lmtp {10}cmd="lmtpd -a" listen="127\.0\.0\.1:2003"/);
  assert.match(fs.readFileSync(path.join(bundle.dir, 'fix-port/exim.conf'), 'utf8'), /\n {2}port = 2003\n/);
});
