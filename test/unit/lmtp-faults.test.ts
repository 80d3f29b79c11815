// The callout against servers that fail part-way or say too much: what was learnt before a
// failure is kept, a reply is never credited to the wrong command, a session refused before
// any RCPT is not a recipient verdict, and every time-out says what ran out and what to check.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { callout } from '../../server/src/core/lmtp/callout';
import { socketmapLookup } from '../../server/src/core/lmtp/socketmap';
import { exitCodeFor } from '../../server/src/cli/callout';
import { fakeServer, lmtpLike, type FakeServer, type LmtpScript } from './lmtp-fake';

const servers: FakeServer[] = [];
async function serve(h: Parameters<typeof fakeServer>[0]): Promise<FakeServer> {
  const s = await fakeServer(h);
  servers.push(s);
  return s;
}
const lmtp = (s: LmtpScript) => serve(lmtpLike(s));

after(async () => {
  for (const s of servers) await s.close();
  assert.deepEqual(servers.flatMap((s) => s.received).filter((l) => /^\s*(DATA|BDAT|BURL)\b/i.test(l)), []);
});

const SIX = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com', 'frank@example.com'];
const statuses = (r: { recipients: { status: string }[] }) => r.recipients.map((x) => x.status);

test('a session time-out keeps the answers already received, and a known rejection decides the outcome', async () => {
  for (const pipelining of [false, true]) {
    // Alice and bob are answered; carol's RCPT (pipelined: the rest of the group) never is.
    const s = await lmtp({ pipelining, silentAt: (l) => l === 'RCPT TO:<carol@example.com>',
      rcpt: (a) => a === 'bob@example.com' ? '550 5.1.1 User unknown' : '250 2.1.5 ok' });
    const r = await callout({ target: s.target, recipients: SIX, timeoutMs: 5000, sessionTimeoutMs: 600 });
    const label = pipelining ? 'pipelined' : 'one at a time';
    assert.deepEqual(statuses(r).slice(0, 2), ['accepted', 'rejected'], label);
    assert.deepEqual(statuses(r).slice(2), ['not-tried', 'not-tried', 'not-tried', 'not-tried'], label);
    assert.equal(r.recipients[1].code, 550);
    assert.equal(r.outcome.kind, 'rejected', label);
    assert.equal(exitCodeFor(r.outcome.kind), 1);
    assert.equal(r.outcome.interrupted?.kind, 'timeout', label);
    assert.equal(r.outcome.interrupted?.phase, 'session', label);
    assert.match(r.outcome.message, /1 of 6 recipients rejected: bob@example\.com \(550 5\.1\.1\)/);
    assert.match(r.outcome.message, /4 not answered/);
  }
});

test('answers received before a time-out are kept even when none is a rejection', async () => {
  const s = await lmtp({ silentAt: (l) => l === 'RCPT TO:<bob@example.com>' });
  const r = await callout({ target: s.target, recipients: SIX.slice(0, 3), timeoutMs: 300 });
  assert.equal(r.outcome.kind, 'timeout');
  assert.equal(r.outcome.phase, 'rcpt');
  assert.deepEqual(statuses(r), ['accepted', 'not-tried', 'not-tried']);
  assert.equal(r.recipients[0].code, 250);
  assert.equal(exitCodeFor(r.outcome.kind), 3);
});

test('a socket-map key not found before a failure still makes the result a rejection', async () => {
  const s = await serve((c) => {
    let n = 0;
    c.socket.on('data', () => { if (n++ === 0) c.send('8:NOTFOUND,'); });
  });
  const r = await socketmapLookup(s.target, 'cyrus', ['bob@example.com', 'alice@example.com'], { timeoutMs: 300 });
  assert.deepEqual(statuses(r), ['rejected', 'not-tried']);
  assert.equal(r.outcome.kind, 'rejected');
  assert.equal(r.outcome.interrupted?.kind, 'timeout');
});

test('a socket-map server answering twice voids every answer instead of shifting them onto the next key', async () => {
  const s = await serve((c) => {
    let n = 0;
    c.socket.on('data', () => { if (n++ === 0) c.send('8:NOTFOUND,2:OK,'); else c.send('2:OK,'); });
  });
  const r = await socketmapLookup(s.target, 'cyrus', ['bob@example.com', 'alice@example.com'], { timeoutMs: 300 });
  assert.equal(r.outcome.kind, 'protocol-error', r.outcome.message);
  assert.match(r.outcome.message, /"2:OK," unasked/);
  assert.deepEqual(statuses(r), ['not-tried', 'not-tried']);
});

test('a stray line after the greeting is unsolicited data, named, and LHLO is never sent', async () => {
  const s = await lmtp({ greeting: '220 ready\r\n250 bogus extra\r\n' });
  const r = await callout({ target: s.target, recipients: ['nobody@example.com'] });
  assert.equal(r.outcome.kind, 'protocol-error');
  assert.equal(r.outcome.phase, 'lhlo');
  assert.match(r.outcome.message, /"250 bogus extra"/);
  assert.match(r.outcome.message, /unasked, before "LHLO /);
  assert.deepEqual(statuses(r), ['not-tried']);
  assert.ok(!s.received.some((l) => l.startsWith('LHLO')));
});

test('a stray line after the reply to MAIL stops the callout before any RCPT', async () => {
  const s = await lmtp({ extra: (l) => l.startsWith('MAIL') ? '250 2.1.5 ok\r\n' : undefined });
  const r = await callout({ target: s.target, recipients: ['nobody@example.com'] });
  assert.equal(r.outcome.kind, 'protocol-error');
  assert.equal(r.outcome.phase, 'rcpt');
  assert.match(r.outcome.message, /"250 2\.1\.5 ok" unasked, before "RCPT TO:<nobody@example\.com>"/);
  assert.ok(!s.received.some((l) => l.startsWith('RCPT')));
  assert.deepEqual(statuses(r), ['not-tried']);
});

test('an extra reply among RCPT replies voids every verdict, pipelined or not', async () => {
  for (const pipelining of [false, true]) {
    // Every later reply would be credited to the RCPT before it: bob would read as accepted.
    const s = await lmtp({ pipelining, extra: (l) => l === 'RCPT TO:<alice@example.com>' ? '250 2.1.5 ok\r\n' : undefined });
    const r = await callout({ target: s.target, recipients: ['alice@example.com', 'bob@example.com', 'carol@example.com'] });
    const label = pipelining ? 'pipelined' : 'one at a time';
    assert.equal(r.outcome.kind, 'protocol-error', `${label}: ${r.outcome.message}`);
    assert.match(r.outcome.message, /out of step|unsolicited|before/, label);
    assert.deepEqual(statuses(r), ['not-tried', 'not-tried', 'not-tried'], label);
    assert.ok(r.recipients.every((x) => x.code === undefined && x.reply === undefined));
  }
});

test('a reply RCPT never gets (221, 354) is a protocol error, not a verdict', async () => {
  for (const odd of ['221 2.0.0 bye', '354 go ahead']) {
    const s = await lmtp({ rcpt: () => odd });
    const r = await callout({ target: s.target, recipients: ['alice@example.com'] });
    assert.equal(r.outcome.kind, 'protocol-error', odd);
    assert.equal(r.outcome.phase, 'rcpt');
    assert.match(r.outcome.message, new RegExp(odd.slice(0, 3)));
    assert.deepEqual(statuses(r), ['not-tried'], odd);
  }
});

test('a session refused before any RCPT is not a recipient verdict: session-rejected, exit 3', async () => {
  const refuseLhlo = async (c: Parameters<Parameters<typeof fakeServer>[0]>[0]) => {
    c.send('220 hi\r\n');
    await c.line();
    c.send('501 5.5.4 bad LHLO\r\n');
    await c.line();
    c.send('221 bye\r\n');
  };
  const cases: [string, Parameters<typeof fakeServer>[0], object?][] = [
    ['greeting', lmtpLike({ greeting: '554 5.3.2 no service for you\r\n' })],
    ['lhlo', refuseLhlo],
    ['auth', lmtpLike({ auth: 'PLAIN', onAuth: () => '535 5.7.8 Authentication failed' }), { credentials: { user: 'cyrus', password: 'x' } }],
    ['mail', lmtpLike({ mail: '553 5.1.8 sender refused' })],
  ];
  for (const [phase, handler, extra] of cases) {
    const s = await serve(handler);
    const r = await callout({ target: s.target, recipients: ['alice@example.com'], ...extra });
    assert.equal(r.outcome.kind, 'session-rejected', `${phase}: ${r.outcome.message}`);
    assert.equal(r.outcome.phase, phase);
    assert.match(r.outcome.message, /no recipient was asked/, phase);
    assert.deepEqual(statuses(r), ['not-tried']);
    assert.equal(exitCodeFor(r.outcome.kind), 3, phase);
  }
});

test('time-outs are sentences naming the phase, the limit and what to check', async () => {
  const silent = await serve(() => undefined);
  const g = await callout({ target: silent.target, recipients: ['a@b.c'], timeoutMs: 300 });
  assert.match(g.outcome.message, /^the server sent no greeting within 0\.3 s \(the per-reply limit\): /);
  assert.match(g.outcome.message, /LMTP/);
  const half = await serve((c) => { c.send('220-first line\r\n'); });
  const h = await callout({ target: half.target, recipients: ['a@b.c'], timeoutMs: 300 });
  assert.match(h.outcome.message, /^the server started the greeting but did not finish it within 0\.3 s \(the per-reply limit\): /);
  const mute = await lmtp({ silentAt: (l) => l.startsWith('LHLO') });
  const l = await callout({ target: mute.target, recipients: ['a@b.c'], timeoutMs: 300 });
  assert.match(l.outcome.message, /^the server sent no reply to LHLO within 0\.3 s \(the per-reply limit\): /);
  const slow = await lmtp({ silentAt: (x) => x.startsWith('MAIL') });
  const t = await callout({ target: slow.target, recipients: ['a@b.c'], timeoutMs: 5000, sessionTimeoutMs: 400 });
  assert.equal(t.outcome.phase, 'session');
  assert.match(t.outcome.message, /^the session ran out of its 0\.4 s limit while waiting for the reply to MAIL: /);
  for (const m of [g, h, l, t].map((r) => r.outcome.message)) assert.doesNotMatch(m, /no complete|complete a /);
});
