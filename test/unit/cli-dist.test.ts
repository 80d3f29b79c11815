// The built CLI as it ships: dist/cli.js dispatches to a bundle per command, and a callout
// with --target reads none of the checker's code (its start-up is what the bench compares
// with swaks). Run on the build `npm test` makes first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const skip = !fs.existsSync(CLI) && 'dist/cli.js is not built (npm run build)';

/** Runs the CLI in a node that reports, at exit, which dist bundles it loaded. */
function run(args: string[]): { status: number | null; stdout: string; loaded: string[] } {
  const probe = `process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('/dist/')).map((f) => require('path').basename(f))) + '\\n'));
process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...${JSON.stringify(args)}];
require(${JSON.stringify(CLI)});`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 60_000 });
  const m = /LOADED (\[.*\])/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return { status: r.status, stdout: r.stdout, loaded: JSON.parse(m[1]).sort() };
}

test('check runs from the dispatcher and its own bundle', { skip }, () => {
  const r = run(['check', '--format', 'json', path.join(ROOT, 'examples/reference')]);
  assert.equal(r.status, 0, r.stdout);
  assert.deepEqual(JSON.parse(r.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error'), []);
  assert.deepEqual(r.loaded, ['cli-check.js', 'cli.js']);
});

test('a callout with --target loads only the session; one that reads configs loads their readers', { skip }, () => {
  // Port 1 on loopback: refused at once, nothing is asked of anyone.
  const direct = run(['callout', '--target', '127.0.0.1:1', '--timeout', '2', '--format', 'json', 'alice@example.com']);
  assert.equal(direct.status, 3, direct.stdout);
  assert.deepEqual(direct.loaded, ['cli-callout.js', 'cli.js']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-clidist-'));
  try {
    const conf = path.join(dir, 'exim.conf');
    fs.writeFileSync(conf, fs.readFileSync(path.join(ROOT, 'examples/reference/exim.conf'), 'utf8').replace(/port\s*=\s*2003/, 'port = 1'));
    const found = run(['callout', '--exim', conf, '--timeout', '2', 'alice@example.com']);
    assert.match(found.stdout, /target 127\.0\.0\.1:1 \(lmtp, from Exim transport cyrus_ltcp\)/);
    assert.equal(found.status, 3);
    assert.deepEqual(found.loaded, ['cli-callout-targets.js', 'cli-callout.js', 'cli.js']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a usage error thrown in a command bundle is reported as one (exit 2, with that command\'s help hint)', { skip }, () => {
  const r = spawnSync(process.execPath, [CLI, 'callout', '--bogus'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^exim-cyrus callout: unknown option --bogus\nRun "exim-cyrus callout --help"/);
});

test('a reader that closes the pipe early (| head) does not crash the CLI, and --fix still fixes every file', { skip }, async () => {
  const { spawn } = await import('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-epipe-'));
  try {
    // Many files with a fixable finding each: far more output than one read takes.
    const files: string[] = [];
    for (let i = 0; i < 40; i++) {
      const f = path.join(dir, `c${i}.exim`);
      fs.writeFileSync(f, `domainlist d${i} = a.example, b.example\nacl_smtp_rcpt = r\nbegin acl\nr:\n  accept domains = +d${i}\n`);
      files.push(f);
    }
    const child = spawn(process.execPath, [CLI, 'check', '--fix', ...files.flatMap((f) => ['--exim', f])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    // Close the read end at the first chunk, as head does after its lines.
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(status, 0, stderr);
    assert.doesNotMatch(stderr, /internal error|EPIPE/);
    for (const f of files) assert.match(fs.readFileSync(f, 'utf8'), /= a\.example : b\.example\n/, f);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--version prints package.json\'s version without loading a command; a command misspelt by a letter or two is named', { skip }, () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const v = run(['--version']);
  assert.equal(v.status, 0);
  assert.equal(v.stdout, `exim-cyrus ${pkg.version}\n`);
  assert.deepEqual(v.loaded, ['cli.js']);
  const typo = spawnSync(process.execPath, [CLI, 'chek', 'x.conf'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /^exim-cyrus: unknown command "chek"; did you mean "check"\?/);
  const other = spawnSync(process.execPath, [CLI, 'frobnicate'], { encoding: 'utf8', timeout: 30_000 });
  assert.match(other.stderr, /^exim-cyrus: unknown command "frobnicate"\n/);
});
