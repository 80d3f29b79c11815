// The callout client against in-test loopback servers that behave at random: arbitrary
// replies (valid, garbage, over-long, a 354 inviting DATA), split at any byte, delayed,
// connections closed mid-reply or left silent. Whatever happens, the callout ends with one
// of its classified outcomes within its time bound, and never writes DATA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import fc from 'fast-check';
import { callout } from '../../server/src/core/lmtp';
import type { OutcomeKind } from '../../server/src/core/lmtp';
import { checkAsync, runs, TIMEOUT } from './support';

const OUTCOMES: OutcomeKind[] = ['accepted', 'rejected', 'session-rejected', 'temporary', 'refused', 'timeout', 'protocol-error', 'cancelled', 'unsupported', 'invalid-input'];

const REPLIES = [
  '220 lmtp ready\r\n', '220-first\r\n220 second\r\n', '250-host\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n', '250 ok\r\n',
  '250 2.1.5 ok\r\n', '550 5.1.1 User unknown\r\n', '550-5.1.1 a\r\n550-5.1.1 b\r\n550 5.1.1 c\r\n', '451 4.3.0 later\r\n',
  '430 Authentication required\r\n', '354 go ahead, send DATA\r\n', '221 bye\r\n', 'garbage\r\n', '2', '25', '\r\n', '\n',
  '250 ' + 'x'.repeat(6000) + '\r\n', '999 weird\r\n', '250 ok\n', '\u0000\u00ff\r\n', '250-more\r\n', '421 shutting down\r\n',
];

interface Step { reply: string; splits: number[]; delayMs: number; waitForLine: boolean; close: boolean }
interface Scenario { steps: Step[]; end: 'silent' | 'close' | 'ok'; random: boolean; recipients: number }

const step: fc.Arbitrary<Step> = fc.record({
  reply: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...REPLIES) }, { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) }),
  splits: fc.array(fc.nat({ max: 100 }), { maxLength: 3 }),
  delayMs: fc.nat({ max: 30 }),
  waitForLine: fc.boolean(),
  close: fc.nat({ max: 9 }).map((n) => n < 2),
});
const scenario: fc.Arbitrary<Scenario> = fc.record({
  steps: fc.array(step, { maxLength: 8 }),
  end: fc.constantFrom('silent', 'close', 'ok'),
  random: fc.boolean(),
  recipients: fc.integer({ min: 1, max: 3 }),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server playing one scenario on each connection; records every line the client sent. */
async function serve(sc: Scenario): Promise<{ port: number; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => undefined);
    let buf = '';
    let wake: (() => void) | undefined;
    const lines: string[] = [];
    let closed = false;
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0;) { const l = buf.slice(0, i).replace(/\r$/, ''); buf = buf.slice(i + 1); lines.push(l); received.push(l); }
      wake?.();
    });
    sock.on('close', () => { closed = true; sockets.delete(sock); wake?.(); });
    const nextLine = async (ms: number) => {
      const deadline = Date.now() + ms;
      while (!lines.length && !closed && Date.now() < deadline) {
        await new Promise<void>((r) => { const t = setTimeout(r, deadline - Date.now()); wake = () => { clearTimeout(t); r(); }; });
        wake = undefined;
      }
      return lines.shift();
    };
    void (async () => {
      for (let i = 0; i < sc.steps.length && !closed; i++) {
        const s = sc.steps[i];
        if (s.waitForLine && i > 0) await nextLine(300);
        const cuts = [...new Set(s.splits.map((p) => p % (s.reply.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const c of [...cuts, s.reply.length]) {
          if (closed) return;
          if (c > from) sock.write(Buffer.from(s.reply.slice(from, c), 'latin1'));
          from = c;
          if (s.delayMs) await sleep(s.delayMs);
        }
        if (s.close) { sock.destroy(); return; }
      }
      if (sc.end === 'close') { sock.end(); return; }
      if (sc.end === 'ok') {
        for (;;) {
          const l = await nextLine(2000);
          if (l === undefined || closed) return;
          sock.write(/^quit/i.test(l) ? '221 bye\r\n' : '250 ok\r\n');
        }
      }
    })().catch(() => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

const PER_PHASE_MS = 150;
const SESSION_MS = 900;

test('callout under random server behaviour: a classified outcome, in time, never DATA', { timeout: TIMEOUT }, async () => {
  await checkAsync('lmtp-random-server', scenario, async (sc) => {
    const srv = await serve(sc);
    try {
      const recipients = ['alice@example.com', 'bob@example.org', 'carol@example.com'].slice(0, sc.recipients);
      // A hang guard, not a timing assertion: the session bound is 0.9 s.
      let guard: NodeJS.Timeout | undefined;
      const r = await Promise.race([
        callout({ target: `127.0.0.1:${srv.port}`, recipients, random: sc.random, lhloName: 'fuzz.localhost', timeoutMs: PER_PHASE_MS, sessionTimeoutMs: SESSION_MS }),
        new Promise<never>((_, rej) => { guard = setTimeout(() => rej(new Error('the callout did not end within 10 s')), 10_000); }),
      ]).finally(() => clearTimeout(guard));
      assert.ok(OUTCOMES.includes(r.outcome.kind), `unclassified outcome ${r.outcome.kind}`);
      assert.equal(typeof r.outcome.message, 'string');
      if (r.outcome.kind === 'accepted') assert.ok(r.recipients.every((x) => x.accepted), 'accepted means every recipient was');
      for (const l of srv.received) assert.doesNotMatch(l, /^\s*(DATA|BDAT|BURL)\b/i, 'the client never starts a message');
      for (const t of r.transcript) if (t.dir === 'C') assert.doesNotMatch(t.line, /^\s*(DATA|BDAT|BURL)\b/i);
    } finally {
      await srv.close();
    }
  }, Math.max(1, Math.floor(runs(400) / 10))); // real sockets: a tenth of the runs of the pure properties
});

// A server that answers every command correctly, each RCPT reply tagged with its address,
// and then misbehaves: extra replies appended to some of its answers (in the same write, as
// a server that says too much does), or it stops answering at some command. Whatever the
// callout reports as a verdict must come from the reply to that very RCPT.
// Strays never read 221 or 421: one of those standing in for QUIT's reply after the last
// verdict cannot be told from the real one, and a shift that late changes no verdict. A
// server that says too much and then stops answering is left out too: when pipelining, the
// shift it causes can only be seen at RSET/QUIT, which such a server never answers.
const STRAYS = [
  '250 2.1.5 ok <stray@example.com>\r\n', '550 5.1.1 <stray@example.com> unknown\r\n', '250 ok\r\n', '451 4.3.0 later\r\n',
  '250-two\r\n250 lines\r\n', '354 go ahead\r\n', '220 hello again\r\n', 'garbage\r\n',
];

interface Faulty {
  pipelining: boolean;
  exists: boolean[];
  random: boolean;
  /** Per reply (0 the greeting, n the reply to the n-th command line): where to split it, and the pause between the pieces. */
  splits: { at: number[]; delayMs: number }[];
  fault: { kind: 'strays'; strays: { after: number; text: string }[] } | { kind: 'stop'; at: number; how: 'silent' | 'close' } | { kind: 'none' };
}

const faulty: fc.Arbitrary<Faulty> = fc.record({
  pipelining: fc.boolean(),
  exists: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  random: fc.boolean(),
  splits: fc.array(fc.record({ at: fc.array(fc.nat({ max: 60 }), { maxLength: 2 }), delayMs: fc.nat({ max: 8 }) }), { maxLength: 12 }),
  fault: fc.oneof(
    fc.record({ kind: fc.constant('strays' as const), strays: fc.array(fc.record({ after: fc.nat({ max: 11 }), text: fc.constantFrom(...STRAYS) }), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('stop' as const), at: fc.nat({ max: 11 }), how: fc.constantFrom('silent' as const, 'close' as const) }),
    fc.record({ kind: fc.constant('none' as const) }),
  ),
});

const ADDRS = ['alice@example.com', 'bob@example.org', 'carol@example.com'];

async function serveFaithfully(sc: Faulty): Promise<{ port: number; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => undefined);
    let buf = '';
    let wake: (() => void) | undefined;
    const lines: string[] = [];
    let closed = false;
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0;) { const l = buf.slice(0, i).replace(/\r$/, ''); buf = buf.slice(i + 1); lines.push(l); received.push(l); }
      wake?.();
    });
    sock.on('close', () => { closed = true; sockets.delete(sock); wake?.(); });
    const nextLine = async () => {
      while (!lines.length && !closed) {
        await new Promise<void>((r) => { wake = r; });
        wake = undefined;
      }
      return lines.shift();
    };
    const answer = (l: string): string => {
      const verb = l.split(/[ :]/)[0].toUpperCase();
      if (verb === 'LHLO') return '250-fuzz\r\n' + (sc.pipelining ? '250-PIPELINING\r\n' : '') + '250 ENHANCEDSTATUSCODES\r\n';
      if (verb === 'MAIL') return '250 2.1.0 ok\r\n';
      if (verb === 'RSET') return '250 2.0.0 ok\r\n';
      if (verb === 'QUIT') return '221 2.0.0 bye\r\n';
      if (verb === 'RCPT') {
        const addr = /<(.*)>/.exec(l)?.[1] ?? '';
        const i = ADDRS.indexOf(addr);
        return i >= 0 && sc.exists[i] ? `250 2.1.5 ok <${addr}>\r\n` : `550 5.1.1 <${addr}> unknown\r\n`;
      }
      return '500 5.5.1 what\r\n';
    };
    // Reply n in pieces; the strays after it go out with its last piece.
    const send = async (n: number, reply: string) => {
      const stray = sc.fault.kind === 'strays' ? sc.fault.strays.filter((s) => s.after === n).map((s) => s.text).join('') : '';
      const split = sc.splits[n] ?? { at: [], delayMs: 0 };
      const cuts = [...new Set(split.at.map((p) => p % reply.length))].filter((c) => c > 0).sort((a, b) => a - b);
      let from = 0;
      for (const c of cuts) {
        if (closed) return;
        sock.write(reply.slice(from, c));
        from = c;
        await sleep(split.delayMs);
      }
      if (!closed) sock.write(reply.slice(from) + stray);
    };
    void (async () => {
      await send(0, '220 fuzz ready\r\n');
      for (let n = 1; ; n++) {
        const l = await nextLine();
        if (l === undefined || closed) return;
        if (sc.fault.kind === 'stop' && sc.fault.at === n) {
          if (sc.fault.how === 'close') sock.destroy();
          return;
        }
        await send(n, answer(l));
        if (/^quit/i.test(l)) { sock.end(); return; }
      }
    })().catch(() => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

test('callout against a server that says too much or stops: no verdict comes from another command\'s reply', { timeout: TIMEOUT }, async () => {
  await checkAsync('lmtp-faithful-server', faulty, async (sc) => {
    const srv = await serveFaithfully(sc);
    try {
      const recipients = ADDRS.slice(0, sc.exists.length);
      let guard: NodeJS.Timeout | undefined;
      const r = await Promise.race([
        callout({ target: `127.0.0.1:${srv.port}`, recipients, random: sc.random, randomLocalPart: () => 'zz-probe', lhloName: 'fuzz.localhost',
          timeoutMs: 500, sessionTimeoutMs: 5000 }),
        new Promise<never>((_, rej) => { guard = setTimeout(() => rej(new Error('the callout did not end within 10 s')), 10_000); }),
      ]).finally(() => clearTimeout(guard));
      const answered = [...r.recipients, ...(r.random?.probes ?? [])].filter((x) => x.status !== 'not-tried');
      for (const x of answered) {
        assert.ok(x.reply?.includes(`<${x.address}>`), `${x.address} is ${x.status} on "${x.reply}", a reply to another command (${r.outcome.message})`);
      }
      for (const [i, x] of r.recipients.entries()) {
        if (x.status !== 'not-tried') assert.equal(x.status, sc.exists[i] ? 'accepted' : 'rejected', x.address);
      }
      // A rejection learnt is reported, whatever happened next; and only then.
      assert.equal(r.outcome.kind === 'rejected', r.recipients.some((x) => x.status === 'rejected'), r.outcome.message);
      if (r.outcome.kind === 'accepted') assert.ok(r.recipients.every((x) => x.accepted));
      if (sc.fault.kind === 'none') assert.ok(r.outcome.kind === 'accepted' || r.outcome.kind === 'rejected', r.outcome.message);
      for (const l of srv.received) assert.doesNotMatch(l, /^\s*(DATA|BDAT|BURL)\b/i);
    } finally {
      await srv.close();
    }
  }, Math.max(1, Math.floor(runs(400) / 10)));
});
