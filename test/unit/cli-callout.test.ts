// `exim-cyrus callout --target` as a user runs it (bundle: test/helpers/cli-bundle.ts), against a
// scripted LMTP server. A one-shot callout's start-up is mostly what it loads, so this pins down
// what it must not: node:crypto (only --random needs it) and node:zlib (the built bundle's
// compressed catalogs, which only checking reads).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useCliBundle } from '../helpers/cli-bundle';
import { fakeServer, lmtpLike, type FakeServer } from './lmtp-fake';
import { runCallout } from '../../server/src/cli/callout';

const bundle = useCliBundle('exim-cyrus-cli-callout-');
const servers: FakeServer[] = [];
after(async () => { for (const s of servers) await s.close(); });

/** Runs the CLI asynchronously (the fake server lives in this process) and lists the built-in modules it loaded. */
function run(args: string[]): Promise<{ status: number | null; stdout: string; modules: string[] }> {
  const preload = path.join(bundle.dir, 'list-modules.cjs');
  fs.writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, '\\nMODULES ' + JSON.stringify(process.moduleLoadList) + '\\n'));\n");
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-r', preload, bundle.cli, 'callout', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('close', (status) => {
      const line = stderr.split('\n').find((l) => l.startsWith('MODULES '));
      const modules = line ? (JSON.parse(line.slice(8)) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) : [];
      resolve({ status, stdout, modules });
    });
  });
}

test('a callout with --target loads neither node:crypto nor node:zlib, and --random loads crypto when it needs it', async () => {
  const s = await fakeServer(lmtpLike({ pipelining: true }));
  servers.push(s);
  const r = await run(['--target', s.target, '--lhlo', 'cli.test', '--format', 'json', 'alice@example.com']);
  assert.equal(r.status, 0, r.stdout);
  assert.equal(JSON.parse(r.stdout).outcome.kind, 'accepted');
  assert.ok(r.modules.includes('net'), 'the list of loaded modules was read');
  assert.deepEqual(r.modules.filter((m) => m === 'crypto' || m === 'zlib'), []);
  const rnd = await run(['--target', s.target, '--random', 'alice@example.com']);
  assert.equal(rnd.status, 0, rnd.stdout);
  assert.match(rnd.stdout, /random callout-random-[0-9a-f]{16}@example\.com: rejected 550/);
  assert.ok(rnd.modules.includes('crypto'));
});

/** The CLI in this process, as the audit ran it: the exit status and what it printed. */
async function inProcess(args: string[]): Promise<{ status: number; stdout: string }> {
  let stdout = '';
  const status = await runCallout(args, { out: (s) => { stdout += s; }, err: () => undefined, env: {} });
  return { status, stdout };
}

const SIX = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com', 'frank@example.com'];

test('a time-out after bob was refused still exits 1 and prints what was answered', async () => {
  const s = await fakeServer(lmtpLike({ silentAt: (l) => l === 'RCPT TO:<carol@example.com>' }));
  servers.push(s);
  const r = await inProcess(['--target', s.target, '--timeout', '0.2', '--format', 'json', ...SIX]);
  assert.equal(r.status, 1, r.stdout);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.recipients.map((x: { status: string }) => x.status), ['accepted', 'rejected', 'not-tried', 'not-tried', 'not-tried', 'not-tried']);
  assert.equal(j.recipients[1].code, 550);
  assert.equal(j.outcome.kind, 'rejected');
  assert.equal(j.outcome.interrupted.kind, 'timeout');
  const text = await inProcess(['--target', s.target, '--timeout', '0.2', ...SIX]);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /^bob@example\.com: REJECTED \(550 5\.1\.1 User unknown\)$/m);
  assert.match(text.stdout, /^carol@example\.com: not tried$/m);
});

test('a stray line after the greeting exits 3 with a protocol error, never 0', async () => {
  const s = await fakeServer(lmtpLike({ greeting: '220 ready\r\n250 bogus extra\r\n' }));
  servers.push(s);
  const r = await inProcess(['--target', s.target, '--format', 'json', 'nobody@example.com']);
  assert.equal(r.status, 3, r.stdout);
  const j = JSON.parse(r.stdout);
  assert.equal(j.outcome.kind, 'protocol-error');
  assert.match(j.outcome.message, /250 bogus extra/);
  assert.equal(j.recipients[0].accepted, false);
});

test('a session refused before any RCPT exits 3 (session-rejected), not 1', async () => {
  for (const handler of [
    lmtpLike({ greeting: '554 5.3.2 not for you\r\n' }),
    lmtpLike({ auth: 'PLAIN', onAuth: () => '535 5.7.8 Authentication failed' }),
    lmtpLike({ auth: 'PLAIN', mail: '550 5.7.1 sender refused' }),
  ]) {
    const s = await fakeServer(handler);
    servers.push(s);
    let stdout = '';
    const status = await runCallout(['--target', s.target, '--user', 'cyrus', '--password-env', 'PW', '--format', 'json', 'alice@example.com'],
      { out: (x) => { stdout += x; }, err: () => undefined, env: { PW: 'secret' } });
    const j = JSON.parse(stdout);
    assert.equal(status, 3, stdout);
    assert.equal(j.outcome.kind, 'session-rejected');
    assert.equal(j.recipients[0].status, 'not-tried');
  }
});
