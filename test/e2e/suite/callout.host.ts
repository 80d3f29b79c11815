// "Run LMTP Callout" against a scripted LMTP server on loopback, with the target and the
// recipients given as the command's arguments (the QuickPick and InputBox are driven
// through the real UI in the Playwright smoke test). The transcript lands in the
// "Exim/Cyrus Callout" output channel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FakeLmtp } from './lmtp-fake';
import { activeExtension, open, sleep, waitFor } from './util';

/** The log files behind the extension's output channels (VS Code writes each to disk). */
function outputChannelText(name: RegExp): string | undefined {
  const roots = [process.env.EXIM_CYRUS_E2E_USER_DATA].filter(Boolean) as string[];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 8) return;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (name.test(e.name)) found.push(fs.readFileSync(p, 'utf8'));
    }
  };
  for (const r of roots) walk(path.join(r, 'logs'), 0);
  // Without a known logs folder: an output channel the window shows is a text document.
  for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'output' && name.test(d.uri.path)) found.push(d.getText());
  return found.length ? found.join('\n') : undefined;
}

describe('LMTP callout', () => {
  let lmtp: FakeLmtp;
  before(async () => {
    await activeExtension();
    await open('exim.conf');
    lmtp = new FakeLmtp(['alice@example.com']);
    await lmtp.listen();
  });
  after(() => lmtp.close());

  it('eximCyrus.runCallout({target, recipients}) asks the server, never sends DATA, and writes the transcript', async () => {
    const target = `127.0.0.1:${lmtp.port}`;
    const done = vscode.commands.executeCommand('eximCyrus.runCallout', { target, recipients: ['alice@example.com', 'nobody@example.com'] });
    let finished = false;
    void Promise.resolve(done).then(() => { finished = true; }, () => { finished = true; });
    const session = await waitFor('an LMTP session that ends with QUIT', () => lmtp.sessions.find((s) => s.closed && s.commands.some((c) => /^QUIT/i.test(c))), 30_000,
      () => `sessions: ${JSON.stringify(lmtp.sessions)}`);
    const verbs = session.commands.map((c) => c.split(/[ :]/)[0].toUpperCase());
    assert.equal(verbs[0], 'LHLO');
    assert.ok(session.commands.includes('MAIL FROM:<>'), `commands: ${session.commands.join(' | ')}`);
    assert.ok(session.commands.some((c) => /^RCPT TO:<alice@example\.com>/i.test(c)));
    assert.ok(session.commands.some((c) => /^RCPT TO:<nobody@example\.com>/i.test(c)));
    assert.ok(!verbs.includes('DATA'), 'a callout must never send DATA');
    const transcript = await waitFor('the transcript in the "Exim/Cyrus Callout" output channel', () => {
      const t = outputChannelText(/Callout/);
      return t && t.includes(target) && /RCPT TO:<nobody@example\.com>/i.test(t) ? t : undefined;
    }, 20_000);
    assert.match(transcript, /alice@example\.com: \w+ \(250\)/);
    assert.match(transcript, /nobody@example\.com: \w+ \(550\)/);
    assert.match(transcript, /S: 550 5\.1\.1 Mailbox unknown/);
    // The result notification waits for a click on "Show Transcript": dismiss it.
    for (let i = 0; i < 50 && !finished; i++) {
      await vscode.commands.executeCommand('notifications.clearAll');
      await sleep(200);
    }
    assert.ok(finished, 'the command finished once its notification was dismissed');
  });

  it('against the live Cyrus lmtpd (when installed): accepted for a mailbox, 550 for none, 430 without -a', async function () {
    const trusted = process.env.EXIM_CYRUS_E2E_CYRUS_LMTP;
    const auth = process.env.EXIM_CYRUS_E2E_CYRUS_LMTP_AUTH;
    const mailbox = process.env.EXIM_CYRUS_E2E_CYRUS_MAILBOX;
    if (process.env.EXIM_CYRUS_E2E_CYRUS_ERROR) throw new Error(`Cyrus is installed but did not start: ${process.env.EXIM_CYRUS_E2E_CYRUS_ERROR}`);
    if (!trusted || !auth || !mailbox) return this.skip(); // e2e.test.ts starts Cyrus when it is installed
    const section = async (target: string, recipients: string[]) => {
      const done = vscode.commands.executeCommand('eximCyrus.runCallout', { target, recipients });
      let finished = false;
      void Promise.resolve(done).then(() => { finished = true; }, () => { finished = true; });
      const text = await waitFor(`the transcript of the callout to ${target}`, () => {
        const t = outputChannelText(/Callout/);
        const at = t?.lastIndexOf(`callout to ${target}\n`) ?? -1;
        return t && at >= 0 && /\n=> \w+/.test(t.slice(at)) ? t.slice(at) : undefined;
      }, 30_000);
      for (let i = 0; i < 50 && !finished; i++) {
        await vscode.commands.executeCommand('notifications.clearAll');
        await sleep(200);
      }
      return text;
    };
    const ok = await section(trusted, [mailbox, 'nobody-e2e@example.com']);
    assert.match(ok, /Cyrus LMTP/);
    assert.match(ok, new RegExp(`${mailbox.replace(/[.]/g, '\\.')}: accepted \\(250\\)`));
    assert.match(ok, /nobody-e2e@example\.com: rejected \(550\)/);
    const denied = await section(auth, [mailbox]);
    assert.match(denied, /\b430\b/);
  });

  it('a callout to a closed port reports the failure without throwing', async () => {
    const closed = new FakeLmtp([]);
    const port = await closed.listen();
    await closed.close();
    const done = vscode.commands.executeCommand('eximCyrus.runCallout', { target: `127.0.0.1:${port}`, recipients: ['alice@example.com'] });
    let settled: 'ok' | 'threw' | undefined;
    void Promise.resolve(done).then(() => { settled = 'ok'; }, () => { settled = 'threw'; });
    await waitFor('the refused callout in the output channel', () => {
      const t = outputChannelText(/Callout/);
      const at = t?.indexOf(`callout to 127.0.0.1:${port}`) ?? -1;
      return t && at >= 0 && /\n=> refused\b/.test(t.slice(at)) ? t : undefined;
    }, 20_000);
    for (let i = 0; i < 50 && !settled; i++) {
      await vscode.commands.executeCommand('notifications.clearAll');
      await sleep(200);
    }
    assert.equal(settled, 'ok');
  });
});
