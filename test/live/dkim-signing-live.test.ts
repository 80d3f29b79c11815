// DKIM signing words of an smtp transport against Debian's real Exim 4.96, delivering to a
// second Exim on loopback: where we warn, the message really arrives unsigned (or signed
// otherwise than written, or deferred only with the word Exim takes); where we say nothing,
// it arrives signed as written. Our quick fix is what makes it so. A dkim_private_key that is
// no absolute path is taken for the key itself, and Exim 4.96 crashes signing with it; a
// dkim_timestamps written as a time ("1w") is read as seconds (1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/diagnostic';
import { deliver, eximMissingReason, eximScratchDir, spoolLines, withEximDaemon } from './harness/exim';
import { freePort } from './harness/cyrus';
import { applyEditsOnDisk } from '../helpers/apply-edits';

const missing = eximMissingReason() ?? (spawnSync('openssl', ['version']).status !== 0 ? 'openssl is not installed' : undefined);
const skip = missing ? `skipped: ${missing}` : false;

/** The receiving Exim: accepts everything into one mailbox file. */
function receiver(): { dir: string; conf: string; box: string } {
  const dir = eximScratchDir('exim-cyrus-dkim-rx-', ['mail']);
  const conf = path.join(dir, 'exim.conf');
  const box = path.join(dir, 'mail', 'box');
  fs.writeFileSync(conf, `primary_hostname = mx.example.net\n${spoolLines(dir)}acl_smtp_rcpt = r\nbegin acl\nr:\n  accept\nbegin routers\nl:\n  driver = accept\n  transport = box\nbegin transports\nbox:\n  driver = appendfile\n  file = ${box}\n  user = Debian-exim\n`);
  return { dir, conf, box };
}

/** The sending Exim, signing with a key of its own; `options` are its smtp transport's DKIM words. */
function sender(port: number, options: string, keyAs?: (key: string) => string): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-dkim-tx-');
  const key = path.join(dir, 'dkim.key');
  const r = spawnSync('openssl', ['genrsa', '-out', key, '2048'], { timeout: 60_000 });
  assert.equal(r.status, 0, `openssl: ${r.stderr}`);
  fs.chmodSync(key, 0o644);
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, `primary_hostname = mail.example.com\n${spoolLines(dir)}begin routers\nr:\n  driver = manualroute\n  route_list = * 127.0.0.1::${port}\n  transport = t\n  self = send\n`
    + `begin transports\nt:\n  driver = smtp\n  allow_localhost\n  hosts_avoid_tls = *\n  dkim_domain = example.com\n  dkim_selector = s1\n  dkim_private_key = ${keyAs ? keyAs(key) : key}\n${options}`);
  return { dir, conf };
}

const dkimFindings = (conf: string): Finding[] => checkProject([{ path: conf, kind: 'exim' }], { ...defaultOptions, eximVersion: '4.96' })
  .filter((f) => f.code === 'exim/invalid-value' && /dkim_/.test(f.message));

/** Messages in the box (mbox format: each starts with a "From " line). */
const messages = (box: string) => fs.existsSync(box) ? fs.readFileSync(box, 'utf8').split(/^From /m).slice(1) : [];

/**
 * The DKIM-Signature header of message number `n` (from 1) in the box, if it has one: the
 * receiving daemon delivers in a process of its own, so the message is waited for (bounded).
 */
async function signatureOf(box: string, n: number): Promise<string | undefined> {
  const deadline = Date.now() + 15_000;
  while (messages(box).length < n) {
    assert.ok(Date.now() < deadline, `message ${n} never reached the box`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return /^DKIM-Signature:.*(?:\n[ \t].*)*/m.exec(messages(box)[n - 1])?.[0];
}

test('dkim_hash, dkim_canon, dkim_strict, dkim_timestamps and dkim_private_key as Exim reads them: unsigned, relaxed, not strict where we warn; signed as written after our fixes', { skip }, async () => {
  const rx = receiver();
  const port = await freePort();
  await withEximDaemon(rx.conf, port, rx.dir, async () => {
    // An unknown hash: unsigned. The fix (sha256) signs.
    const h = sender(port, '  dkim_hash = SHA-256\n');
    const hf = dkimFindings(h.conf);
    assert.deepEqual(hf.map((f) => f.severity), ['warning']);
    let log = deliver(h.dir, h.conf, 'alice@remote.example');
    assert.match(log, /DKIM: unrecognised hashname 'SHA-256'/);
    assert.match(log, / => alice@remote\.example R=r T=t H=127\.0\.0\.1/);
    assert.equal(await signatureOf(rx.box, 1), undefined);
    applyEditsOnDisk(hf[0].fixes![0].edits);
    assert.deepEqual(dkimFindings(h.conf), []);
    deliver(h.dir, h.conf, 'alice@remote.example');
    assert.match(await signatureOf(rx.box, 2) ?? '', /a=rsa-sha256;/);

    // relaxed/relaxed: logged, and signed with relaxed anyway; the fix says so.
    const c = sender(port, '  dkim_canon = simple/simple\n');
    const cf = dkimFindings(c.conf);
    assert.equal(cf.length, 1);
    log = deliver(c.dir, c.conf, 'alice@remote.example');
    assert.match(log, /DKIM: unknown canonicalization method 'simple\/simple', defaulting to 'relaxed'/);
    assert.match(await signatureOf(rx.box, 3) ?? '', /c=relaxed\/relaxed;/);
    applyEditsOnDisk(cf[0].fixes![0].edits);
    assert.deepEqual(dkimFindings(c.conf), []);
    deliver(c.dir, c.conf, 'alice@remote.example');
    assert.match(await signatureOf(rx.box, 4) ?? '', /c=simple\/simple;/);

    // dkim_strict = yes with a message that cannot be signed: sent unsigned. With the
    // fix ("true") Exim defers it instead.
    const s = sender(port, '  dkim_hash = sha265\n  dkim_strict = yes\n');
    const sf = dkimFindings(s.conf);
    assert.equal(sf.length, 2);
    const strict = sf.find((f) => /dkim_strict/.test(f.message))!;
    log = deliver(s.dir, s.conf, 'bob@remote.example');
    assert.match(log, / => bob@remote\.example R=r T=t H=127\.0\.0\.1/);
    assert.equal(await signatureOf(rx.box, 5), undefined);
    applyEditsOnDisk(strict.fixes![0].edits);
    assert.deepEqual(dkimFindings(s.conf).map((f) => /dkim_hash/.test(f.message)), [true]);
    log = deliver(s.dir, s.conf, 'carol@remote.example');
    assert.match(log, /dkim_strict is set\. Deferring message delivery/);
    assert.doesNotMatch(log, / => carol@remote\.example/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(messages(rx.box).length, 5);

    // dkim_timestamps written as a time: seconds to Exim, so "1w" is x= one second after t=.
    const ts = sender(port, '  dkim_timestamps = 1w\n');
    const tf = dkimFindings(ts.conf);
    assert.equal(tf.length, 1);
    deliver(ts.dir, ts.conf, 'erin@remote.example');
    const expiry = (sig: string | undefined) => { const m = /t=(\d+);[\s\S]*x=(\d+);/.exec(sig ?? ''); assert.ok(m, sig); return Number(m[2]) - Number(m[1]); };
    assert.equal(expiry(await signatureOf(rx.box, 6)), 1);
    applyEditsOnDisk(tf[0].fixes![0].edits);
    assert.deepEqual(dkimFindings(ts.conf), []);
    deliver(ts.dir, ts.conf, 'erin@remote.example');
    assert.equal(expiry(await signatureOf(rx.box, 7)), 604800);

    // The key file named relative to the config: Exim takes the name for the key itself, and
    // 4.96 crashes signing with it; the delivery defers and the message is frozen.
    const k = sender(port, '', (key) => path.basename(key));
    assert.equal(dkimFindings(k.conf).length, 1);
    log = deliver(k.dir, k.conf, 'dave@remote.example');
    assert.match(log, /SIGSEGV/);
    assert.match(log, /== dave@remote\.example R=r T=t defer/);
    assert.doesNotMatch(log, / => dave@remote\.example/);
  });
});
