// The callout against Debian's real Cyrus 3.6, started once for this file on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callout, socketmapLookup, cyrusCalloutTargets } from '../../server/src/core/lmtp';
import { runCallout, type CalloutIo } from '../../server/src/cli/callout';
import { UsageError } from '../../server/src/cli/args';
import { loadCyrusConf } from '../../server/src/core/cyrus';
import { defaultOptions } from '../../server/src/core/options';
import { diskHost } from '../../server/src/core/host';
import { cyrusMissingReason, freePort, startCyrus, type CyrusInstance } from './harness/cyrus';
import { TestClient } from '../lsp/client';

const missing = cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;
const ALICE = 'alice@example.com';
const BOB = 'bob@example.org';
const NOBODY = 'nobody@example.com';

before(async () => {
  if (missing) return;
  cy = await startCyrus({ mailboxes: [`user/${ALICE}`, `user/${BOB}`] });
});

after(async () => {
  if (!cy) return;
  await cy.stop();
  assert.equal(fs.existsSync(cy.dir), false, 'the temp dir is removed');
});

function io(env: NodeJS.ProcessEnv = {}): CalloutIo & { stdout: () => string; stderr: () => string } {
  let out = '', err = '';
  return { out: (s) => { out += s; }, err: (s) => { err += s; }, env, stdout: () => out, stderr: () => err };
}

test('existing and unknown mailbox over TCP (lmtpd -a)', { skip }, async () => {
  const r = await callout({ target: cy.lmtpTrusted, recipients: [ALICE] });
  assert.equal(r.outcome.kind, 'accepted');
  assert.deepEqual([r.recipients[0].code, r.recipients[0].enhancedCode], [250, '2.1.5']);
  const u = await callout({ target: cy.lmtpTrusted, recipients: [NOBODY] });
  assert.equal(u.outcome.kind, 'rejected');
  assert.equal(u.recipients[0].code, 550);
  assert.equal(u.recipients[0].enhancedCode, '5.1.1');
  assert.equal(u.recipients[0].reply!.split('\n').length, 3, 'Cyrus answers an unknown user with three lines');
  assert.match(u.recipients[0].reply!, /User unknown$/);
  assert.match(u.greeting!, /Cyrus LMTP/);
  assert.equal(u.pipelining, true);
});

test('existing and unknown mailbox over the UNIX socket', { skip }, async () => {
  const r = await callout({ target: cy.lmtpSocket, recipients: [ALICE, NOBODY] });
  assert.deepEqual(r.recipients.map((x) => x.status), ['accepted', 'rejected']);
  assert.equal(r.target, cy.lmtpSocket);
});

test('mixed recipients over one session, several domains', { skip }, async () => {
  const r = await callout({ target: cy.lmtpTrusted, recipients: [ALICE, NOBODY, BOB, 'carol@example.org'], from: 'postmaster@example.net' });
  assert.deepEqual(r.recipients.map((x) => [x.address, x.accepted]), [[ALICE, true], [NOBODY, false], [BOB, true], ['carol@example.org', false]]);
  assert.equal(r.outcome.kind, 'rejected');
  assert.match(r.outcome.message, /2 of 4 recipients rejected/);
  assert.equal(r.transcript.filter((t) => t.dir === 'C' && t.line.startsWith('RCPT')).length, 4);
});

test('lmtpd without -a: 430 at MAIL, temporary, explained; AUTH PLAIN as the admin gets through', { skip }, async () => {
  const r = await callout({ target: cy.lmtpAuth, recipients: [ALICE] });
  assert.equal(r.outcome.kind, 'temporary');
  assert.equal(r.outcome.phase, 'mail');
  assert.match(r.transcript.find((t) => t.line.startsWith('430'))!.line, /^430 Authentication required/);
  assert.match(r.outcome.hint!, /add -a to lmtpd's cmd in cyrus\.conf/);
  assert.equal(r.recipients[0].status, 'not-tried');
  const a = await callout({ target: cy.lmtpAuth, recipients: [ALICE, NOBODY], credentials: { user: cy.admin.user, password: cy.admin.password } });
  assert.equal(a.authenticated, true);
  assert.deepEqual(a.recipients.map((x) => x.status), ['accepted', 'rejected']);
  assert.ok(!JSON.stringify(a).includes(cy.admin.password));
  const wrong = await callout({ target: cy.lmtpAuth, recipients: [ALICE], credentials: { user: cy.admin.user, password: 'not-it' } });
  assert.equal(wrong.outcome.phase, 'auth');
  // Cyrus refuses the login for good (5xx): a refused session, not a verdict on alice.
  assert.equal(wrong.outcome.kind, 'session-rejected', wrong.outcome.message);
  const afterAuth = wrong.transcript.findIndex((t) => t.line.startsWith('AUTH PLAIN')) + 1;
  assert.match(wrong.transcript[afterAuth]?.line ?? '', /^5\d\d /);
  assert.equal(wrong.recipients[0].status, 'not-tried');
});

test('nothing listening: refused', { skip }, async () => {
  const port = await freePort();
  const r = await callout({ target: `127.0.0.1:${port}`, recipients: [ALICE] });
  assert.equal(r.outcome.kind, 'refused');
  const s = await callout({ target: path.join(cy.dir, 'socket', 'nothing-here'), recipients: [ALICE] });
  assert.equal(s.outcome.kind, 'refused');
});

test('random: Cyrus rejects a random local part, so acceptance means something', { skip }, async () => {
  const r = await callout({ target: cy.lmtpTrusted, recipients: [ALICE, BOB], random: true });
  assert.equal(r.random?.acceptsEverything, false);
  assert.deepEqual(r.random?.probes.map((p) => [p.domain, p.code, p.enhancedCode]), [['example.com', 550, '5.1.1'], ['example.org', 550, '5.1.1']]);
  assert.equal(r.outcome.kind, 'accepted');
});

test('socket-map lookups against the real smmapd', { skip }, async () => {
  const r = await socketmapLookup(cy.smmapSocket, 'cyrus', [ALICE, NOBODY]);
  assert.deepEqual(r.recipients.map((x) => [x.address, x.status]), [[ALICE, 'accepted'], [NOBODY, 'rejected']]);
  assert.match(r.recipients[0].reply!, /^OK /);
  assert.match(r.recipients[1].reply!, /^NOTFOUND/);
  const ok = await socketmapLookup(cy.smmapSocket, 'cyrus', BOB);
  assert.equal(ok.outcome.kind, 'accepted');
});

test('the built language server\'s callout (its own bundle, read at the first callout) over TCP and the UNIX socket', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-live-lsp-'));
  const c = new TestClient();
  try {
    await c.initialize(dir);
    for (const target of [cy.lmtpTrusted, cy.lmtpSocket]) {
      const r = await c.request('workspace/executeCommand', { command: 'eximCyrus.callout', arguments: [{ target, recipients: [ALICE, NOBODY] }] });
      assert.deepEqual(r.recipients.map((x: { address: string; status: string; code: number }) => [x.address, x.status, x.code]),
        [[ALICE, 'accepted', 250], [NOBODY, 'rejected', 550]], target);
      assert.ok(!r.transcript.some((t: { dir: string; line: string }) => t.dir === 'C' && /^DATA\b/i.test(t.line)), 'never DATA');
    }
  } finally {
    await c.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: exit codes 0, 1, 3 and the JSON shape', { skip }, async () => {
  const a = io();
  assert.equal(await runCallout(['--target', cy.lmtpTrusted, ALICE], a), 0);
  assert.match(a.stdout(), /C: LHLO /);
  assert.match(a.stdout(), /alice@example\.com: accepted \(250 2\.1\.5 ok\)/);
  const r = io();
  assert.equal(await runCallout(['--target', cy.lmtpSocket, '--format', 'json', ALICE, NOBODY], r), 1);
  const j = JSON.parse(r.stdout());
  assert.deepEqual(Object.keys(j).sort(), ['durationMs', 'greeting', 'outcome', 'protocol', 'recipients', 'target', 'transcript']);
  assert.deepEqual(j.recipients[1], {
    address: NOBODY, accepted: false, status: 'rejected', code: 550, enhancedCode: '5.1.1',
    reply: '550-Mailbox unknown.  Either there is no mailbox associated with this\n550-name or you do not have authorization to see it.\n550 5.1.1 User unknown',
  });
  assert.ok(j.transcript.every((t: { dir: string; line: string; ms: number }) => (t.dir === 'C' || t.dir === 'S') && typeof t.line === 'string' && typeof t.ms === 'number'));
  const t = io();
  assert.equal(await runCallout(['--target', cy.lmtpAuth, ALICE], t), 3);
  assert.match(t.stdout(), /hint: add -a to lmtpd's cmd/);
  const auth = io({ CYRUS_PW: cy.admin.password });
  assert.equal(await runCallout(['--target', cy.lmtpAuth, '--user', 'cyrus', '--password-env', 'CYRUS_PW', ALICE], auth), 0);
  assert.ok(!auth.stdout().includes(cy.admin.password));
  const badLogin = io({ CYRUS_PW: 'not-it' });
  assert.equal(await runCallout(['--target', cy.lmtpAuth, '--user', 'cyrus', '--password-env', 'CYRUS_PW', '--format', 'json', NOBODY], badLogin), 3,
    'a refused login is no verdict on the recipient');
  assert.equal(JSON.parse(badLogin.stdout()).outcome.kind, 'session-rejected');
  const port = await freePort();
  assert.equal(await runCallout(['--target', `127.0.0.1:${port}`, '--timeout', '1', ALICE], io()), 3);
  const rnd = io();
  assert.equal(await runCallout(['--target', cy.lmtpTrusted, '--random', '--format', 'json', ALICE], rnd), 0);
  assert.equal(JSON.parse(rnd.stdout()).random.acceptsEverything, false);
  const sm = io();
  assert.equal(await runCallout(['--socketmap', '--target', cy.smmapSocket, NOBODY], sm), 1);
});

test('CLI: usage errors for bad recipients, targets and flag combinations', { skip }, async () => {
  for (const argv of [
    ['--target', cy.lmtpTrusted],
    ['--target', cy.lmtpTrusted, 'not an address'],
    ['--target', cy.lmtpTrusted, 'a@b\nDATA'],
    ['--target', '::1:24', ALICE],
    ['--target', cy.lmtpTrusted, '--timeout', 'soon', ALICE],
    ['--target', cy.lmtpTrusted, '--user', 'cyrus', ALICE],
    ['--target', cy.lmtpTrusted, '--user', 'cyrus', '--password-env', 'EXIM_CYRUS_SURELY_UNSET', ALICE],
    ['--target', cy.lmtpTrusted, '--protocol', 'pop3', ALICE],
    ['--socketmap', '--random', '--target', cy.smmapSocket, ALICE],
    [ALICE],
  ]) {
    await assert.rejects(runCallout(argv, io()), UsageError, argv.join(' '));
  }
});

test('CLI: the target found in an Exim config; several Cyrus listeners are listed, not guessed', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-callout-'));
  try {
    const exim = path.join(dir, 'exim.conf');
    fs.writeFileSync(exim, [
      'begin transports',
      'cyrus_lmtp:',
      '  driver = smtp',
      '  protocol = lmtp',
      '  hosts = localhost',
      '  allow_localhost',
      `  port = ${cy.ports.lmtpTrusted}`,
      '',
    ].join('\n'));
    const e = io();
    assert.equal(await runCallout(['--exim', exim, NOBODY], e), 1);
    assert.match(e.stdout(), new RegExp(`target 127\\.0\\.0\\.1:${cy.ports.lmtpTrusted} \\(lmtp, from Exim transport cyrus_lmtp\\)`));
    const conf = loadCyrusConf(cy.cyrusConf, defaultOptions, diskHost);
    assert.ok(conf.entries.length > 0, 'the cyrus.conf parser read the entries');
    assert.deepEqual(cyrusCalloutTargets(conf).candidates.map((c) => [c.label, c.authRequired]).sort(), [
      [`127.0.0.1:${cy.ports.lmtpAuth}`, true], [`127.0.0.1:${cy.ports.lmtpTrusted}`, false], [cy.lmtpSocket, false]].sort());
    const c = io();
    assert.equal(await runCallout(['--cyrus', cy.cyrusConf, ALICE], c), 2);
    assert.match(c.stderr(), /3 LMTP endpoints found/);
    const s = io();
    assert.equal(await runCallout(['--cyrus', cy.cyrusConf, '--socketmap', ALICE], s), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI process itself exits with the documented status', { skip }, () => {
  const cli = path.join(__dirname, '../../server/src/cli.ts');
  const run = (...a: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'callout', ...a], { encoding: 'utf8', timeout: 30_000 });
  // 0 and 3 are covered in-process above; one spawn per remaining status keeps this quick.
  assert.equal(run('--target', cy.lmtpTrusted, NOBODY).status, 1);
  const bad = run('--target', cy.lmtpTrusted, 'x y');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /invalid recipient/);
});

test('nothing is ever delivered: the mailboxes stay empty after many callouts', { skip }, async () => {
  const runs = [];
  for (let i = 0; i < 10; i++) {
    runs.push(callout({ target: cy.lmtpTrusted, recipients: [ALICE, BOB], random: i % 2 === 0 }));
    runs.push(callout({ target: cy.lmtpSocket, recipients: [ALICE, BOB, NOBODY] }));
    runs.push(callout({ target: cy.lmtpAuth, recipients: [ALICE], credentials: { user: cy.admin.user, password: cy.admin.password } }));
  }
  const results = await Promise.all(runs);
  assert.ok(results.every((r) => r.recipients.some((x) => x.accepted)), 'every callout had an accepted recipient');
  assert.ok(results.every((r) => !r.transcript.some((t) => t.dir === 'C' && /^(DATA|BDAT)/i.test(t.line))));
  assert.equal(await cy.messageCount(`user/${ALICE}`), 0);
  assert.equal(await cy.messageCount(`user/${BOB}`), 0);
});
