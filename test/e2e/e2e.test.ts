// End-to-end: the extension in a real VS Code (code-server 4.139.1, driven by Debian's
// Chromium). One code-server serves three workbench pages:
//   1. the development folder (this working tree) with the in-host mocha suite (suite/index.ts),
//   2. the packaged .vsix, installed with `code-server --install-extension`, with a smoke index,
//   3. the plain UI, driven by Playwright: squiggles, the Problems count, the command palette.
// Skips, saying what is missing, when code-server or Chromium is not installed.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ARTIFACTS, Browser, CodeServer, ROOT, Scratch, bundleHostSuite, installExtension, packageVsix, readResults, runInHost, screenshot,
  type HostResult,
} from './harness';
import { missingTools } from './tools';
import { cyrusMissingReason, startCyrus, type CyrusInstance } from '../live/harness/cyrus';
import { FakeLmtp, type FakeSession } from './suite/lmtp-fake';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const missing = missingTools();
const HOST_TIMEOUT = 8 * 60_000;

function saveLog(name: string, r: HostResult | undefined, extra = ''): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.log`);
  fs.writeFileSync(file, `${extra}${r ? r.log.join('\n') : ''}\n`);
  return file;
}

if (missing.length) {
  test('e2e: VS Code in code-server', { skip: `not installed: ${missing.join('; ')}` }, () => {});
} else {
  describe('e2e: VS Code (code-server) in Chromium', () => {
    let scratch: Scratch;
    let cs: CodeServer | undefined;
    let browser: Browser | undefined;
    let devIndex: string;
    let vsixIndex: string;
    let vsixError: Error | undefined;
    let cyrus: CyrusInstance | undefined;

    before(async () => {
      scratch = new Scratch();
      const t0 = Date.now();
      devIndex = await bundleHostSuite(path.join(__dirname, 'suite/index.ts'), scratch.dir('host', 'dev'));
      vsixIndex = await bundleHostSuite(path.join(__dirname, 'suite/vsix.ts'), scratch.dir('host', 'vsix'));
      // The .vsix is installed before code-server starts (packaged from dist/, which `npm test` built).
      try {
        const vsix = path.join(scratch.root, 'exim-cyrus.vsix');
        packageVsix(vsix);
        installExtension(scratch, vsix);
      } catch (e) {
        vsixError = e as Error;
      }
      // The real Cyrus for the callout test, when it is installed (else that test skips).
      const env: Record<string, string> = { EXIM_CYRUS_E2E_USER_DATA: scratch.userData, EXIM_CYRUS_E2E_EXTENSIONS_DIR: scratch.extensions };
      if (!cyrusMissingReason()) {
        try {
          cyrus = await startCyrus({ mailboxes: ['user/alice@example.com'] });
          Object.assign(env, { EXIM_CYRUS_E2E_CYRUS_LMTP: cyrus.lmtpTrusted, EXIM_CYRUS_E2E_CYRUS_LMTP_AUTH: cyrus.lmtpAuth, EXIM_CYRUS_E2E_CYRUS_MAILBOX: 'alice@example.com' });
        } catch (e) {
          // Installed but not starting: that one in-host test fails with the reason.
          env.EXIM_CYRUS_E2E_CYRUS_ERROR = String((e as Error)?.message ?? e).slice(0, 2000);
        }
      }
      cs = await CodeServer.start(scratch, env);
      browser = await Browser.launch(scratch);
      if (process.env.E2E_VERBOSE) console.error(`e2e: ready in ${Date.now() - t0} ms on ${cs.origin}`);
    }, { timeout: 5 * 60_000 });

    after(async () => {
      await browser?.close();
      await cs?.stop();
      await cyrus?.stop();
      scratch?.remove();
    }, { timeout: 60_000 });

    test('in-host suite on the development folder (real vscode API)', { timeout: HOST_TIMEOUT + 60_000 }, async (t) => {
      const ws = scratch.copyExample('reference', 'dev');
      const url = cs!.url(ws, [
        ['extensionDevelopmentPath', cs!.remoteUri(ROOT)],
        ['extensionTestsPath', cs!.remoteUri(devIndex)],
      ]);
      let r: HostResult | undefined;
      try {
        r = await runInHost(browser!, url, HOST_TIMEOUT, 'dev');
      } finally {
        saveLog('e2e-dev-extension-host', r);
      }
      if (r!.code !== 0) await screenshot(r!.page, 'e2e-dev-failed');
      await r!.page.close();
      const results = readResults(path.join(path.dirname(devIndex), 'results.json')) ?? [];
      assert.ok(results.length > 0, `the in-host suite ran no test (exit code ${r.code}); extension host log:\n${r.log.slice(-60).join('\n')}`);
      for (const rec of results) {
        await t.test(rec.title, { skip: rec.state === 'pending' }, (st) => {
          if (rec.durationMs !== undefined) st.diagnostic(`${rec.durationMs} ms in the extension host`);
          if (rec.state === 'failed') throw new Error(rec.error);
        });
      }
      assert.equal(r.code, 0, `the extension host exited with ${r.code}; see test-artifacts/e2e-dev-extension-host.log`);
    });

    test('the packaged .vsix installs with code-server --install-extension and activates', { timeout: HOST_TIMEOUT + 60_000 }, async (t) => {
      if (vsixError) throw vsixError;
      const ws = scratch.copyExample('reference', 'vsix');
      // The payload runs test indexes only in extension-development mode, so the installed
      // copy itself is named as the development folder: what runs is exactly what the
      // .vsix unpacked into the extensions directory.
      const installed = fs.readdirSync(scratch.extensions).filter((d) => d.startsWith('exim-cyrus.exim-cyrus-'));
      assert.equal(installed.length, 1, `installed extensions: ${fs.readdirSync(scratch.extensions).join(', ')}`);
      const url = cs!.url(ws, [
        ['extensionDevelopmentPath', cs!.remoteUri(path.join(scratch.extensions, installed[0]))],
        ['extensionTestsPath', cs!.remoteUri(vsixIndex)],
      ]);
      let r: HostResult | undefined;
      try {
        r = await runInHost(browser!, url, HOST_TIMEOUT, 'vsix');
      } finally {
        saveLog('e2e-vsix-extension-host', r);
      }
      await r.page.close();
      const results = readResults(path.join(path.dirname(vsixIndex), 'results.json')) ?? [];
      assert.ok(results.length > 0, `the .vsix suite ran no test (exit code ${r.code}):\n${r.log.slice(-60).join('\n')}`);
      for (const rec of results) {
        await t.test(rec.title, () => { if (rec.state !== 'passed') throw new Error(rec.error ?? rec.state); });
      }
      assert.equal(r.code, 0);
    });

    test('UI: squiggle and Problems count for a broken exim.conf, callout from the command palette', { timeout: 4 * 60_000 }, async () => {
      const ws = scratch.copyExample('reference', 'ui');
      const exim = path.join(ws, 'exim.conf');
      fs.writeFileSync(exim, fs.readFileSync(exim, 'utf8').replace('never_users = root', 'never_users = root\nfoo_bar = 1'));
      const lmtp = new FakeLmtp(['alice@example.com']);
      const port = await lmtp.listen();
      const page = await browser!.context.newPage();
      const log: string[] = [];
      page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
      try {
        await page.goto(cs!.url(ws, [
          ['extensionDevelopmentPath', cs!.remoteUri(ROOT)],
          ['openFile', cs!.remoteUri(exim)],
        ]), { waitUntil: 'domcontentloaded', timeout: 60_000 });
        await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
        await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 60_000 });
        // The language server's error squiggle under foo_bar, and the count in the status bar.
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 90_000 });
        const problems = page.locator('[id="status.problems"]');
        await problems.waitFor({ timeout: 30_000 });
        const label = (await problems.getAttribute('aria-label')) ?? (await problems.innerText());
        const errors = Number(/(\d+)\s+error/i.exec(label)?.[1] ?? /(\d+)/.exec(label)?.[1]);
        assert.ok(errors >= 1, `Problems status: "${label}"`);
        // The Problems panel lists our finding with its code.
        await page.keyboard.press('Control+Shift+M');
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'foo_bar' }).first();
        await row.waitFor({ timeout: 30_000 });
        assert.match(await row.innerText(), /exim\/unknown-option/);
        await screenshot(page, 'e2e-ui-problems');

        // Command palette → Run LMTP Callout → "Enter host:port…" → target → recipients.
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ timeout: 15_000 });
        await input.fill('>Exim/Cyrus: Run LMTP Callout');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Run LMTP Callout' }).first().waitFor({ timeout: 15_000 });
        await page.keyboard.press('Enter');
        const enter = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter host:port' }).first();
        await enter.waitFor({ timeout: 30_000 });
        // Discovery from the open exim.conf lists the Cyrus LMTP transport too.
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'cyrus_ltcp' }).first().waitFor({ timeout: 10_000 });
        await enter.click();
        await page.locator('.quick-input-widget .quick-input-title', { hasText: 'LMTP callout target' }).waitFor({ timeout: 15_000 });
        await input.fill(`127.0.0.1:${port}`);
        await page.keyboard.press('Enter');
        await page.locator('.quick-input-widget .quick-input-title', { hasText: `LMTP callout to 127.0.0.1:${port}` }).waitFor({ timeout: 15_000 });
        await input.fill('alice@example.com nobody@example.com');
        await page.keyboard.press('Enter');
        const deadline = Date.now() + 45_000;
        let session: FakeSession | undefined;
        while (!(session = lmtp.sessions.find((s) => s.closed && s.commands.some((c) => /^RCPT TO:<nobody@example\.com>/i.test(c)))) && Date.now() < deadline) await sleep(200);
        assert.ok(session, `the fake LMTP server saw: ${JSON.stringify(lmtp.sessions)}`);
        assert.ok(!session.commands.some((c) => /^DATA/i.test(c)), 'no DATA');
        // The result: an error notification (one recipient was refused). Toasts may hide on
        // their own, so read it in the notification centre.
        await page.locator('[id="status.notifications"]').click();
        const note = page.locator('.notifications-center .notification-list-item', { hasText: 'LMTP callout rejected' }).first();
        await note.waitFor({ timeout: 30_000 });
        assert.match(await note.innerText(), /nobody@example\.com.*550/s);
        // "Show Transcript" opens the output channel with the transcript.
        // (The bell's hover tooltip can cover the button: move the pointer away first.)
        await page.mouse.move(700, 300);
        await page.locator('.workbench-hover').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
        await note.locator('.monaco-button', { hasText: 'Show Transcript' }).first().click();
        await page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'RCPT TO:<nobody@example.com>' }).first().waitFor({ timeout: 20_000 });
        const shot = await screenshot(page, 'e2e-ui-callout');
        assert.ok(shot && fs.statSync(shot).size > 10_000, 'a screenshot was saved');
      } catch (e) {
        await screenshot(page, 'e2e-ui-failed');
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        fs.writeFileSync(path.join(ARTIFACTS, 'e2e-ui-console.log'), log.join('\n'));
        throw e;
      } finally {
        await page.close().catch(() => undefined);
        await lmtp.close();
      }
    });
  });
}
