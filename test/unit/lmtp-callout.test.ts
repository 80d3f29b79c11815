// The callout against small scripted servers on 127.0.0.1: every outcome class, every
// time bound, and that no DATA ever goes out.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { callout, type CalloutOptions } from '../../server/src/core/lmtp/callout';
import { socketmapLookup } from '../../server/src/core/lmtp/socketmap';
import { Channel } from '../../server/src/core/lmtp/channel';
import { fakeServer, lmtpLike, type FakeServer } from './lmtp-fake';

const servers: FakeServer[] = [];
async function serve(h: Parameters<typeof fakeServer>[0], host?: string): Promise<FakeServer> {
  const s = await fakeServer(h, host);
  servers.push(s);
  return s;
}

after(async () => {
  for (const s of servers) await s.close();
  // Whatever each test did, no client ever wrote a message-transfer command.
  const all = servers.flatMap((s) => s.received);
  assert.ok(all.length > 20, 'the fake servers saw traffic');
  assert.deepEqual(all.filter((l) => /^\s*(DATA|BDAT|BURL)\b/i.test(l)), []);
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('accepted and rejected recipients, with codes, enhanced codes and a transcript', async () => {
  const s = await serve(lmtpLike({ pipelining: true }));
  const r = await callout({ target: s.target, recipients: ['alice@example.com', '<nobody@example.com>'], lhloName: 'mx.test' });
  assert.equal(r.outcome.kind, 'rejected');
  assert.equal(r.outcome.phase, 'rcpt');
  assert.match(r.outcome.message, /1 of 2 recipients rejected: nobody@example.com \(550 5.1.1\)/);
  assert.deepEqual(r.recipients.map((x) => [x.address, x.status, x.accepted, x.code, x.enhancedCode]), [
    ['alice@example.com', 'accepted', true, 250, '2.1.5'],
    ['nobody@example.com', 'rejected', false, 550, '5.1.1'],
  ]);
  assert.equal(r.recipients[1].reply!.split('\n').length, 3);
  assert.equal(r.greeting, 'fake Cyrus LMTP ready');
  assert.equal(r.pipelining, true);
  const client = r.transcript.filter((t) => t.dir === 'C').map((t) => t.line);
  assert.deepEqual(client, ['LHLO mx.test', 'MAIL FROM:<>', 'RCPT TO:<alice@example.com>', 'RCPT TO:<nobody@example.com>', 'RSET', 'QUIT']);
  assert.ok(r.transcript.every((t, i) => t.ms >= 0 && (i === 0 || t.ms >= r.transcript[i - 1].ms)));
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(r)));
  const again = await callout({ target: s.target, recipients: ['alice@example.com'], from: 'postmaster@example.com' });
  assert.equal(again.outcome.kind, 'accepted');
  assert.ok(s.received.includes('MAIL FROM:<postmaster@example.com>'));
});

test('RCPTs, and RSET with QUIT, are pipelined only when PIPELINING is advertised', async () => {
  const withP: { sentBeforeReply: boolean; quitBeforeRsetReply?: boolean } = { sentBeforeReply: false };
  const withoutP: typeof withP = { sentBeforeReply: false };
  const a = await serve(lmtpLike({ pipelining: true, observe: withP }));
  const b = await serve(lmtpLike({ pipelining: false, observe: withoutP }));
  const rcpts = ['alice@example.com', 'x@example.com', 'y@example.com'];
  const ra = await callout({ target: a.target, recipients: rcpts });
  const rb = await callout({ target: b.target, recipients: rcpts });
  assert.equal(ra.pipelining, true);
  assert.equal(rb.pipelining, false);
  assert.equal(withP.sentBeforeReply, true, 'with PIPELINING the next RCPT came before the reply');
  assert.equal(withoutP.sentBeforeReply, false, 'without PIPELINING the client waited for every reply');
  assert.equal(withP.quitBeforeRsetReply, true, 'with PIPELINING QUIT followed RSET without waiting');
  assert.equal(withoutP.quitBeforeRsetReply, undefined, 'without PIPELINING QUIT waited for the RSET reply');
  assert.deepEqual(ra.transcript.filter((t) => t.dir === 'C').slice(-2).map((t) => t.line), ['RSET', 'QUIT']);
  assert.equal(ra.transcript.at(-1)!.line, '221 2.0.0 bye', 'the reply to QUIT is still read before the callout ends');
  assert.deepEqual(rb.recipients.map((x) => x.status), ['accepted', 'rejected', 'rejected']);
});

test('nothing listening: refused, with the errno', async () => {
  const port = await freePort();
  const t0 = Date.now();
  const r = await callout({ target: `127.0.0.1:${port}`, recipients: ['a@b.c'] });
  assert.equal(r.outcome.kind, 'refused');
  assert.equal(r.outcome.phase, 'connect');
  assert.equal(r.outcome.errno, 'ECONNREFUSED');
  assert.match(r.outcome.message, /nothing listens/);
  assert.ok(Date.now() - t0 < 2000);
  assert.deepEqual(r.recipients.map((x) => x.status), ['not-tried']);
});

test('a missing UNIX socket: refused with a message naming the socket', async () => {
  const p = path.join(os.tmpdir(), `exim-cyrus-no-such-${process.pid}.sock`);
  const r = await callout({ target: p, recipients: ['a@b.c'] });
  assert.equal(r.outcome.kind, 'refused');
  assert.equal(r.outcome.errno, 'ENOENT');
  assert.ok(r.outcome.message.includes(p));
});

test('a silent server times out in the greeting phase, within the bound', async () => {
  const s = await serve(() => undefined);
  const t0 = Date.now();
  const r = await callout({ target: s.target, recipients: ['a@b.c'], timeoutMs: 300 });
  const took = Date.now() - t0;
  assert.equal(r.outcome.kind, 'timeout');
  assert.equal(r.outcome.phase, 'greeting');
  assert.ok(took >= 280 && took < 1500, `took ${took} ms`);
});

test('a server that stops answering after the greeting times out in the LHLO phase', async () => {
  const s = await serve((c) => { c.send('220 hi\r\n'); });
  const r = await callout({ target: s.target, recipients: ['a@b.c'], timeoutMs: 300 });
  assert.equal(r.outcome.kind, 'timeout');
  assert.equal(r.outcome.phase, 'lhlo');
});

test('the whole session is bounded even when every reply is just in time', async () => {
  const s = await serve(async (c) => {
    c.send('220 hi\r\n');
    for (;;) {
      const l = await c.line();
      if (l === undefined) return;
      await new Promise((r) => setTimeout(r, 200));
      c.send(l.startsWith('LHLO') ? '250 ok\r\n' : l.startsWith('RCPT') ? '250 2.1.5 ok\r\n' : '250 ok\r\n');
    }
  });
  const t0 = Date.now();
  const r = await callout({ target: s.target, recipients: Array.from({ length: 20 }, (_, i) => `u${i}@example.com`), timeoutMs: 400, sessionTimeoutMs: 1000 });
  const took = Date.now() - t0;
  assert.equal(r.outcome.kind, 'timeout');
  assert.equal(r.outcome.phase, 'session');
  assert.ok(took < 1600, `took ${took} ms`);
});

test('a 421 greeting is a temporary failure', async () => {
  const s = await serve((c) => { c.send('421 4.3.2 Service shutting down\r\n'); c.socket.end(); });
  const r = await callout({ target: s.target, recipients: ['a@b.c'] });
  assert.equal(r.outcome.kind, 'temporary');
  assert.equal(r.outcome.phase, 'greeting');
  assert.match(r.outcome.message, /421 4.3.2 Service shutting down/);
});

test('garbage instead of a greeting is a protocol error', async () => {
  const s = await serve((c) => { c.send('HTTP/1.1 400 Bad Request\r\n\r\n'); });
  const r = await callout({ target: s.target, recipients: ['a@b.c'] });
  assert.equal(r.outcome.kind, 'protocol-error');
  assert.equal(r.outcome.phase, 'greeting');
  assert.match(r.outcome.message, /not an SMTP\/LMTP reply line: HTTP\/1.1/);
});

test('a 1 MB line is refused at the line cap, quickly', async () => {
  const s = await serve((c) => { c.send('220 ' + 'x'.repeat(1024 * 1024) + '\r\n'); });
  const t0 = Date.now();
  const r = await callout({ target: s.target, recipients: ['a@b.c'] });
  assert.equal(r.outcome.kind, 'protocol-error');
  assert.match(r.outcome.message, /longer than 4096 bytes/);
  assert.ok(Date.now() - t0 < 2000);
  assert.ok(JSON.stringify(r).length < 10_000, 'the result does not carry the megabyte');
});

test('a reset in the middle of a multi-line reply is a protocol error', async () => {
  const s = await serve(async (c) => {
    c.send('220 hi\r\n');
    await c.line();
    c.send('250-fake\r\n250-PIPELI');
    setTimeout(() => c.socket.resetAndDestroy(), 30);
  });
  const r = await callout({ target: s.target, recipients: ['a@b.c'] });
  assert.equal(r.outcome.kind, 'protocol-error');
  assert.equal(r.outcome.phase, 'lhlo');
  assert.match(r.outcome.message, /reset|closed/);
  assert.match(r.outcome.message, /middle/);
});

test('one byte every 100 ms cannot stretch a phase past its bound', async () => {
  const s = await serve(async (c) => {
    for (const ch of '220 slowly but surely ready\r\n') {
      if (c.socket.destroyed) return;
      c.send(ch);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  const t0 = Date.now();
  const r = await callout({ target: s.target, recipients: ['a@b.c'], timeoutMs: 700 });
  const took = Date.now() - t0;
  assert.equal(r.outcome.kind, 'timeout');
  assert.equal(r.outcome.phase, 'greeting');
  assert.ok(took < 1500, `took ${took} ms`);
});

test('the channel refuses DATA and line breaks whoever asks; a CRLF-smuggling recipient never connects', async () => {
  const s = await serve(lmtpLike());
  const transcript: never[] = [];
  const ch = await Channel.open({ kind: 'tcp', host: '127.0.0.1', port: s.port }, { connectTimeoutMs: 1000, sessionTimeoutMs: 5000, t0: Date.now(), transcript });
  try {
    for (const cmd of ['DATA', 'data', ' DATA', 'BDAT 100 LAST', 'BURL imap://x LAST']) {
      assert.throws(() => ch.write(cmd), /never transfers a message/, cmd);
    }
    assert.throws(() => ch.write('RCPT TO:<a@b>\r\nDATA'), /line break/);
  } finally {
    ch.close();
  }
  const before = s.received.length;
  const r = await callout({ target: s.target, recipients: ['a@example.com>\r\nDATA\r\n'] });
  assert.equal(r.outcome.kind, 'invalid-input');
  assert.equal(r.transcript.length, 0);
  assert.equal(s.received.length, before);
});

test('credentials go out as AUTH PLAIN and never into the transcript', async () => {
  let authLine = '';
  const s = await serve(lmtpLike({ auth: 'PLAIN LOGIN', onAuth: (l) => { authLine = l; return '235 2.0.0 ok'; } }));
  const password = 'S3cr3t-pa55';
  const r = await callout({ target: s.target, recipients: ['alice@example.com'], credentials: { user: 'cyrus', password } });
  assert.equal(r.outcome.kind, 'accepted');
  assert.equal(r.authenticated, true);
  const token = authLine.split(' ')[2];
  assert.equal(Buffer.from(token, 'base64').toString(), '\0cyrus\0' + password);
  const dump = JSON.stringify(r);
  assert.ok(!dump.includes(password) && !dump.includes(token), 'no password or token in the result');
  assert.ok(r.transcript.some((t) => t.line === 'AUTH PLAIN <credentials redacted>'));
  const bad = await serve(lmtpLike({ auth: 'PLAIN', onAuth: () => '535 5.7.8 Authentication failed' }));
  const rb = await callout({ target: bad.target, recipients: ['alice@example.com'], credentials: { user: 'cyrus', password } });
  assert.equal(rb.outcome.kind, 'session-rejected', 'a refused login says nothing about the recipient');
  assert.equal(rb.outcome.phase, 'auth');
  assert.match(rb.outcome.hint!, /password/);
  const none = await serve(lmtpLike({ auth: 'EXTERNAL' }));
  const rn = await callout({ target: none.target, recipients: ['alice@example.com'], credentials: { user: 'cyrus', password } });
  assert.equal(rn.outcome.kind, 'unsupported');
  assert.ok(!JSON.stringify(rn).includes(password));
});

test('430 at MAIL is temporary and names the fix (-a, or authenticate)', async () => {
  const s = await serve(lmtpLike({ mail: '430 Authentication required', auth: 'PLAIN' }));
  const r = await callout({ target: s.target, recipients: ['alice@example.com'] });
  assert.equal(r.outcome.kind, 'temporary');
  assert.equal(r.outcome.phase, 'mail');
  assert.match(r.outcome.message, /authentication/i);
  assert.match(r.outcome.hint!, /add -a to lmtpd's cmd in cyrus\.conf/);
  assert.match(r.outcome.hint!, /authenticate/);
  assert.ok(!s.received.some((l) => l.startsWith('RCPT')), 'no RCPT after a refused MAIL');
});

test('random: a server that accepts anything is flagged; one that checks is not', async () => {
  const all = await serve(lmtpLike({ pipelining: true, exists: () => true }));
  const r = await callout({ target: all.target, recipients: ['alice@example.com', 'bob@other.test'], random: true, randomLocalPart: () => 'zz-random' });
  assert.equal(r.random?.acceptsEverything, true);
  assert.deepEqual(r.random?.probes.map((p) => [p.domain, p.address, p.accepted]), [
    ['example.com', 'zz-random@example.com', true], ['other.test', 'zz-random@other.test', true]]);
  assert.match(r.outcome.message, /random local part/);
  const idx = all.received.indexOf('RSET');
  assert.ok(idx > all.received.indexOf('RCPT TO:<zz-random@example.com>') && idx < all.received.indexOf('RCPT TO:<alice@example.com>'),
    'the random probe is its own transaction, reset before the real one');
  const strict = await serve(lmtpLike());
  const r2 = await callout({ target: strict.target, recipients: ['alice@example.com'], random: true });
  assert.equal(r2.random?.acceptsEverything, false);
  assert.match(r2.random!.probes[0].address, /^callout-random-[0-9a-f]{16}@example\.com$/);
  assert.equal(r2.outcome.kind, 'accepted');
});

test('cancellation through an AbortSignal ends the callout at once', async () => {
  const s = await serve(() => undefined);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const t0 = Date.now();
  const r = await callout({ target: s.target, recipients: ['a@b.c'], timeoutMs: 5000, signal: ac.signal });
  assert.equal(r.outcome.kind, 'cancelled');
  assert.ok(Date.now() - t0 < 1000);
  const pre = new AbortController();
  pre.abort();
  assert.equal((await callout({ target: s.target, recipients: ['a@b.c'], signal: pre.signal })).outcome.kind, 'cancelled');
});

test('protocol smtp says EHLO, and falls back to HELO when EHLO is refused', async () => {
  const s = await serve(lmtpLike());
  const r = await callout({ target: s.target, recipients: ['alice@example.com'], protocol: 'smtp', lhloName: 'h.test' });
  assert.equal(r.outcome.kind, 'accepted');
  assert.ok(s.received.includes('EHLO h.test'));
  const old = await serve(async (c) => {
    c.send('220 old\r\n');
    for (;;) {
      const l = await c.line();
      if (l === undefined) return;
      if (l.startsWith('EHLO')) c.send('500 what\r\n');
      else if (l.startsWith('QUIT')) { c.send('221 bye\r\n'); return; }
      else c.send('250 ok\r\n');
    }
  });
  const r2 = await callout({ target: old.target, recipients: ['a@b.c'], protocol: 'smtp', lhloName: 'h.test' });
  assert.equal(r2.outcome.kind, 'accepted');
  assert.ok(old.received.includes('HELO h.test'));
});

test('bad input comes back as invalid-input, never an exception', async () => {
  const cases: [CalloutOptions, RegExp][] = [
    [{ target: 'nonsense:::', recipients: ['a@b.c'] }, /bracket/],
    [{ target: '127.0.0.1:24', recipients: [] }, /no recipients/],
    [{ target: '127.0.0.1:24', recipients: ['a@b.c'], from: 'x y@z' }, /invalid sender/],
    [{ target: '127.0.0.1:24', recipients: ['a@b.c'], lhloName: 'a b' }, /LHLO name/],
  ];
  for (const [o, re] of cases) {
    const r = await callout(o);
    assert.equal(r.outcome.kind, 'invalid-input');
    assert.match(r.outcome.message, re);
  }
  // What a JSON caller might send: wrong types everywhere. Each is refused before connecting.
  const junk: unknown[] = [
    null, {}, { target: 42, recipients: ['a@b.c'] }, { target: { kind: 'tcp', host: '127.0.0.1', port: 99999 }, recipients: ['a@b.c'] },
    { target: { kind: 'ftp' }, recipients: ['a@b.c'] }, { target: '127.0.0.1:24', recipients: 'a@b.c' },
    { target: '127.0.0.1:24', recipients: [7] }, { target: '127.0.0.1:24', recipients: ['a@b.c'], credentials: { user: 'u' } },
    { target: '127.0.0.1:24', recipients: ['a@b.c'], protocol: 'pop3' },
  ];
  for (const o of junk) {
    const r = await callout(o as CalloutOptions);
    assert.equal(r.outcome.kind, 'invalid-input', JSON.stringify(o));
    assert.equal(r.transcript.length, 0);
  }
  for (const [t, m, k] of [[42, 'cyrus', 'a@b.c'], ['/x', 7, 'a@b.c'], ['/x', 'cyrus', []], [{ kind: 'ftp' }, 'cyrus', 'a@b.c']]) {
    const r = await socketmapLookup(t as string, m as string, k as string);
    assert.equal(r.outcome.kind, 'invalid-input', JSON.stringify([t, m, k]));
  }
});

test('socket-map lookups: OK, NOTFOUND, TEMP, and garbage', async () => {
  const answers: Record<string, string> = { 'cyrus alice@example.com': 'OK alice@example.com', 'cyrus bob@example.com': 'NOTFOUND', 'cyrus tmp@example.com': 'TEMP try later' };
  const s = await serve(async (c) => {
    let buf = '';
    c.socket.on('data', (d) => {
      buf += d.toString('latin1');
      let m;
      while ((m = /^(\d+):/.exec(buf)) && buf.length > m[0].length + Number(m[1])) {
        const req = buf.slice(m[0].length, m[0].length + Number(m[1]));
        buf = buf.slice(m[0].length + Number(m[1]) + 1);
        s.received.push(req);
        const a = answers[req] ?? 'PERM unknown';
        c.send(req === 'cyrus garbage@example.com' ? 'what?' : `${Buffer.byteLength(a)}:${a},`);
      }
    });
  });
  const r = await socketmapLookup(s.target, 'cyrus', ['alice@example.com', 'bob@example.com', 'tmp@example.com']);
  assert.deepEqual(r.recipients.map((x) => [x.address, x.status]), [['alice@example.com', 'accepted'], ['bob@example.com', 'rejected'], ['tmp@example.com', 'temporary']]);
  assert.equal(r.outcome.kind, 'rejected');
  assert.equal(r.protocol, 'socketmap');
  assert.equal(r.transcript[0].line, '23:cyrus alice@example.com,');
  const g = await socketmapLookup(s.target, 'cyrus', 'garbage@example.com', { timeoutMs: 500 });
  assert.equal(g.outcome.kind, 'protocol-error');
  const silent = await serve(() => undefined);
  const t = await socketmapLookup(silent.target, 'cyrus', 'a@b.c', { timeoutMs: 300 });
  assert.equal(t.outcome.kind, 'timeout');
  assert.equal(t.outcome.phase, 'lookup');
  assert.equal((await socketmapLookup(s.target, 'two words', 'a@b.c')).outcome.kind, 'invalid-input');
});

test('unreadable socket path reports permission or refusal, not an exception', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-sock-'));
  try {
    const file = path.join(dir, 'not-a-socket');
    fs.writeFileSync(file, '');
    const r = await callout({ target: file, recipients: ['a@b.c'] });
    assert.equal(r.outcome.kind, 'refused');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('IPv6 loopback in brackets, and a host name', async () => {
  const v6 = await serve(lmtpLike(), '::1');
  assert.equal(v6.target.startsWith('[::1]:'), true);
  const r = await callout({ target: v6.target, recipients: ['alice@example.com'] });
  assert.equal(r.outcome.kind, 'accepted');
  assert.equal(r.target, v6.target);
  const v4 = await serve(lmtpLike());
  const byName = await callout({ target: `localhost:${v4.port}`, recipients: ['alice@example.com'] });
  assert.equal(byName.outcome.kind, 'accepted', byName.outcome.message);
});
