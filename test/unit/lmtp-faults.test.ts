// The callout against servers that fail part-way or say too much: what was learnt before a
// failure is kept, a reply is never credited to the wrong command, a session refused before
// any RCPT is not a recipient verdict, and every time-out says what ran out and what to check.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { callout } from '../../server/src/core/lmtp/callout';
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
