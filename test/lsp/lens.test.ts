// The callout code lens in any editor: by default it runs the server's eximCyrus.calloutReport,
// which takes recipients from the settings, asks before connecting in an untrusted workspace
// and reports with window/showMessage; a client with its own command names it at start-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, copyExample, uriOf } from './client';
import { fakeServer, lmtpLike, type FakeServer } from '../unit/lmtp-fake';

let dir: string;
let exim: string;
let text: string;
let lmtp: FakeServer;
const clients: TestClient[] = [];

before(async () => {
  dir = copyExample('reference');
  exim = path.join(dir, 'exim.conf');
  text = fs.readFileSync(exim, 'utf8');
  lmtp = await fakeServer(lmtpLike());
});

after(async () => {
  for (const c of clients) await c.shutdown();
  await lmtp.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(init: Record<string, unknown>, settings: Record<string, unknown>): Promise<TestClient> {
  const c = new TestClient();
  clients.push(c);
  c.settings = settings;
  const r = await c.initialize(dir, init);
  assert.ok(r.capabilities.executeCommandProvider.commands.includes('eximCyrus.calloutReport'));
  c.open(exim, text, 'exim');
  await c.waitForDiagnostics(exim);
  return c;
}

type Lens = { command: { command: string; arguments: { target: string; uri?: string }[] } };
const lensOf = async (c: TestClient) => ((await c.request('textDocument/codeLens', { textDocument: { uri: uriOf(exim) } })) as Lens[])[0];

/** Runs the lens's command as the editor would, pointed at the fake lmtpd. */
async function runLens(c: TestClient): Promise<any> {
  const lens = await lensOf(c);
  return c.request('workspace/executeCommand', { command: lens.command.command, arguments: [{ ...lens.command.arguments[0], target: lmtp.target }] });
}

test('the lens runs the server\'s command with the recipients of the settings and reports the outcome', async () => {
  const c = await start({}, { callout: { recipients: ['alice@example.com'] } });
  const lens = await lensOf(c);
  assert.equal(lens.command.command, 'eximCyrus.calloutReport');
  assert.equal(lens.command.arguments[0].uri, uriOf(exim));
  const before = lmtp.received.length;
  const r = await runLens(c);
  assert.equal(r.outcome.kind, 'accepted');
  const sent = lmtp.received.slice(before);
  assert.ok(sent.some((l) => /^RCPT TO:<alice@example\.com>/i.test(l)), sent.join(' | '));
  assert.ok(!sent.some((l) => /^DATA/i.test(l)), 'never DATA');
  const shown = c.messages.find((m) => m.message.includes(lmtp.target));
  assert.ok(shown, `messages: ${JSON.stringify(c.messages)}`);
  assert.equal(shown.type, 3 /* Info */);
  assert.match(shown.message, /accepted/);
  assert.ok(c.logs.some((l) => /RCPT TO:<alice@example\.com>/.test(l)), 'the transcript is in the log');
});

test('without recipients in the settings the lens says what to set, and connects nowhere', async () => {
  const c = await start({}, {});
  const before = lmtp.received.length;
  assert.equal(await runLens(c), null);
  assert.equal(lmtp.received.length, before);
  assert.ok(c.messages.some((m) => m.type === 2 && /eximCyrus\.callout\.recipients/.test(m.message)), JSON.stringify(c.messages));
});

test('in an untrusted workspace the lens asks first, and a no means no connection', async () => {
  const c = await start({ trusted: false }, { callout: { recipients: ['alice@example.com'] } });
  const before = lmtp.received.length;
  c.answerMessage = () => ({ title: 'Cancel' });
  assert.equal(await runLens(c), null);
  assert.equal(c.messageRequests.length, 1);
  assert.match(c.messageRequests[0].message, /not trusted/);
  assert.equal(lmtp.received.length, before, 'connected without a yes');
  c.answerMessage = (p) => p.actions?.find((a) => a.title === 'Connect') ?? null;
  const r = await runLens(c);
  assert.equal(r.outcome.kind, 'accepted');
});

test('a client that names its own callout command at start-up gets lenses that run it', async () => {
  const c = await start({ calloutCommand: 'eximCyrus.runCallout' }, {});
  assert.equal((await lensOf(c)).command.command, 'eximCyrus.runCallout');
});
