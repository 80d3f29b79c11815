// End-to-end: the extension in a real VS Code (code-server 4.139.1, driven by Debian's
// Chromium). One code-server, with Workspace Trust off, serves four workbench pages:
//   1. the development folder (this working tree) with the in-host mocha suite (suite/index.ts),
//   2. the packaged .vsix, installed with `code-server --install-extension`, with a smoke index,
//   3. the plain UI, driven by Playwright: squiggles, the Problems count, the command palette,
//   4. the grammars: TextMate scopes and colours of known tokens in the three kinds of file.
// A second code-server, with Workspace Trust on, opens a folder in Restricted Mode: first
// with suite/untrusted.ts in the extension host, then as a plain UI page, where the
// callout's consent modal is answered.
// Skips, saying what is missing, when code-server or Chromium is not installed.
import { describe, before, after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import {
  ARTIFACTS, Browser, CodeServer, ROOT, Scratch, bundleHostSuite, installExtension, packageVsix, readResults, runInHost, screenshot,
  type HostResult,
} from './harness';
import { missingTools } from './tools';
import { writeEximProbe, type EximProbe } from './exim-probe';
import { goTo, openInspector, tokenAt, type TokenAt } from './ui-tokens';
import { cyrusMissingReason, startCyrus, type CyrusInstance } from '../live/harness/cyrus';
import { FakeLmtp, type FakeSession } from './suite/lmtp-fake';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const missing = missingTools();
const HOST_TIMEOUT = 8 * 60_000;

/** Reports a host suite's records as subtests, then fails if the extension host did. */
async function reportHostResults(t: TestContext, r: HostResult, resultsFile: string, label: string): Promise<void> {
  const results = readResults(resultsFile) ?? [];
  assert.ok(results.length > 0, `the ${label} suite ran no test (exit code ${r.code}); extension host log:\n${r.log.slice(-60).join('\n')}`);
  for (const rec of results) {
    await t.test(rec.title, { skip: rec.state === 'pending' }, (st) => {
      if (rec.durationMs !== undefined) st.diagnostic(`${rec.durationMs} ms in the extension host`);
      if (rec.state === 'failed') throw new Error(rec.error);
    });
  }
  assert.equal(r.code, 0, `the extension host exited with ${r.code}; see test-artifacts/e2e-${label}-extension-host.log`);
}

/**
 * Command palette → Run LMTP Callout → "Enter host:port…" → target → recipients, in a
 * workbench page showing exim.conf. Returns once the recipients are entered.
 */
async function calloutFromPalette(page: Page, target: string, recipients: string, expectTarget?: string): Promise<void> {
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
  if (expectTarget) await page.locator('.quick-input-list .monaco-list-row', { hasText: expectTarget }).first().waitFor({ timeout: 10_000 });
  await enter.click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'LMTP callout target' }).waitFor({ timeout: 15_000 });
  await input.fill(target);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `LMTP callout to ${target}` }).waitFor({ timeout: 15_000 });
  await input.fill(recipients);
  await page.keyboard.press('Enter');
}

/** Opens a workspace file in the UI with Quick Open and waits for its editor. */
async function quickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+p');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
}

function saveLog(name: string, r: HostResult | undefined, extra = ''): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.log`);
  fs.writeFileSync(file, `${extra}${r ? r.log.join('\n') : ''}\n`);
  return file;
}

if (missing.length) {
  test('e2e: VS Code in code-server', { skip: `needs code-server and Chromium: ${missing.join('; ')}` }, () => {});
} else {
  describe('e2e: VS Code (code-server) in Chromium', () => {
    let scratch: Scratch;
    let cs: CodeServer | undefined;
    let browser: Browser | undefined;
    let devIndex: string;
    let vsixIndex: string;
    let vsixError: Error | undefined;
    let cyrus: CyrusInstance | undefined;
    let untrustedIndex: string;
    // Stand-ins for exim named by eximCyrus.exim.path: one for the trusted server, two
    // (machine and workspace settings) for the untrusted one.
    let probe: EximProbe;
    let untrustedProbes: { machine: EximProbe; workspace: EximProbe };
    // The second code-server: Workspace Trust on.
    let untrustedCs: CodeServer | undefined;

    before(async () => {
      scratch = new Scratch();
      const t0 = Date.now();
      devIndex = await bundleHostSuite(path.join(__dirname, 'suite/index.ts'), scratch.dir('host', 'dev'));
      vsixIndex = await bundleHostSuite(path.join(__dirname, 'suite/vsix.ts'), scratch.dir('host', 'vsix'));
      untrustedIndex = await bundleHostSuite(path.join(__dirname, 'suite/untrusted.ts'), scratch.dir('host', 'untrusted'));
      probe = writeEximProbe(scratch.dir('probes'), 'exim-trusted');
      untrustedProbes = {
        machine: writeEximProbe(scratch.dir('probes'), 'exim-untrusted-machine'),
        workspace: writeEximProbe(scratch.dir('probes'), 'exim-untrusted-workspace'),
      };
      // The .vsix is installed before code-server starts (packaged from dist/, which `npm test` built).
      try {
        const vsix = path.join(scratch.root, 'exim-cyrus.vsix');
        packageVsix(vsix);
        installExtension(scratch, vsix);
      } catch (e) {
        vsixError = e as Error;
      }
      // The real Cyrus for the callout test, when it is installed (else that test skips).
      const env: Record<string, string> = {
        EXIM_CYRUS_E2E_USER_DATA: scratch.userData, EXIM_CYRUS_E2E_EXTENSIONS_DIR: scratch.extensions,
        EXIM_CYRUS_E2E_EXIM_PROBE: probe.bin, EXIM_CYRUS_E2E_EXIM_PROBE_LOG: probe.log,
      };
      if (!cyrusMissingReason()) {
        try {
          cyrus = await startCyrus({ mailboxes: ['user/alice@example.com'] });
          Object.assign(env, { EXIM_CYRUS_E2E_CYRUS_LMTP: cyrus.lmtpTrusted, EXIM_CYRUS_E2E_CYRUS_LMTP_AUTH: cyrus.lmtpAuth, EXIM_CYRUS_E2E_CYRUS_MAILBOX: 'alice@example.com' });
        } catch (e) {
          // Installed but not starting: that one in-host test fails with the reason.
          env.EXIM_CYRUS_E2E_CYRUS_ERROR = String((e as Error)?.message ?? e).slice(0, 2000);
        }
      }
      const { machine, workspace } = untrustedProbes;
      [cs, untrustedCs] = await Promise.all([
        CodeServer.start(scratch, env, { machineSettings: { 'eximCyrus.exim.path': probe.bin } }),
        // Its own user data, and a new origin (port) in the browser, whose storage holds the
        // folders the user trusted: none.
        CodeServer.start(scratch, {
          EXIM_CYRUS_E2E_USER_DATA: path.join(scratch.root, 'untrusted', 'user-data'),
          EXIM_CYRUS_E2E_EXIM_PROBE: machine.bin, EXIM_CYRUS_E2E_EXIM_PROBE_LOG: machine.log,
          EXIM_CYRUS_E2E_WS_EXIM_PROBE: workspace.bin, EXIM_CYRUS_E2E_WS_EXIM_PROBE_LOG: workspace.log,
        }, { profile: 'untrusted', workspaceTrust: true, machineSettings: { 'eximCyrus.exim.path': machine.bin } }),
      ]);
      browser = await Browser.launch(scratch);
      if (process.env.E2E_VERBOSE) console.error(`e2e: ready in ${Date.now() - t0} ms on ${cs.origin}`);
    }, { timeout: 5 * 60_000 });

    after(async () => {
      await browser?.close();
      await cs?.stop();
      await untrustedCs?.stop();
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
      await reportHostResults(t, r!, path.join(path.dirname(devIndex), 'results.json'), 'dev');
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
        await calloutFromPalette(page, `127.0.0.1:${port}`, 'alice@example.com nobody@example.com', 'cyrus_ltcp');
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

    test('UI: the grammars give exim.conf, cyrus.conf and imapd.conf their scopes and colours', { timeout: 4 * 60_000 }, async () => {
      // The token inspector names each token's TextMate scopes and theme colour; the span
      // the editor drew there must have that colour. Needle, offset, the token the inspector
      // shows there, its innermost scope. Without the grammar the inspector shows no such token.
      type Probe = [needle: string, offset: number, token: string, scope: string, what: string];
      const files: [string, string, Probe[], string[]][] = [
        ['exim.conf', 'source.exim', [
          ['# Exim in front', 0, '#', 'punctuation.definition.comment.exim', 'comment'],
          ['primary_hostname', 0, 'primary_hostname', 'variable.other.option.exim', 'option name'],
          ['${lookup', 0, '${', 'punctuation.section.expansion.begin.exim', 'expansion'],
          ['${lookup', 2, 'lookup', 'support.function.item.exim', 'expansion item'],
          ['$local_part}', 1, 'local_part', 'variable.other.expansion.exim', '$variable'],
          ['+local_domains', 1, 'local_domains', 'variable.other.list.exim', '+list reference'],
          ['  accept  hosts', 2, 'accept', 'keyword.control.acl.exim', 'ACL verb'],
        ], ['comment', 'option name', 'ACL verb', 'expansion item']],
        ['cyrus.conf', 'source.cyrus-conf', [
          ['# Cyrus master', 0, '#', 'punctuation.definition.comment.cyrus-conf', 'comment'],
          ['SERVICES', 0, 'SERVICES', 'entity.name.section.cyrus-conf', 'section'],
          ['  lmtp   ', 2, 'lmtp', 'entity.name.function.cyrus-conf', 'service name'],
          ['cmd="lmtpd -a"', 0, 'cmd', 'entity.other.attribute-name.cyrus-conf', 'argument name'],
          ['cmd="lmtpd -a"', 5, 'lmtpd·-a', 'string.quoted.double.cyrus-conf', 'string'],
          ['prefork=0', 8, '0', 'constant.numeric.cyrus-conf', 'number'],
        ], ['comment', 'service name', 'string', 'number']],
        ['imapd.conf', 'source.imapd-conf', [
          ['# Cyrus IMAP', 0, '#', 'punctuation.definition.comment.imapd-conf', 'comment'],
          ['configdirectory', 0, 'configdirectory', 'variable.other.option.imapd-conf', 'option name'],
          ['/var/lib/cyrus', 0, '/var/lib/cyrus', 'string.unquoted.imapd-conf', 'value'],
          ['unixhierarchysep: yes', 18, 'yes', 'constant.language.boolean.imapd-conf', 'boolean'],
        ], ['comment', 'option name', 'value', 'boolean']],
      ];
      const ws = scratch.copyExample('reference', 'grammar');
      const page = await browser!.context.newPage();
      const report: string[] = [];
      try {
        await page.goto(cs!.url(ws, [
          ['extensionDevelopmentPath', cs!.remoteUri(ROOT)],
          ['openFile', cs!.remoteUri(path.join(ws, files[0][0]))],
        ]), { waitUntil: 'domcontentloaded', timeout: 60_000 });
        await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
        for (const [name, root, probes, distinct] of files) {
          if (name !== files[0][0]) await quickOpen(page, name);
          else await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 60_000 });
          const text = fs.readFileSync(path.join(ws, name), 'utf8');
          await goTo(page, 1, 1);
          await openInspector(page, name);
          const seen = new Map<string, TokenAt>();
          for (const [needle, offset, token, scope, what] of probes) {
            const tok = await tokenAt(page, text, needle, offset, token);
            report.push(`${name} ${what}: ${tok.token} ${tok.scopes.join(' < ')} ${tok.foreground} drawn ${tok.drawn} (${tok.drawnClass})`);
            assert.equal(tok.scopes[0], scope, `${name}, ${what} "${token}": scopes ${tok.scopes.join(', ')}`);
            assert.equal(tok.scopes.at(-1), root, `${name}, ${what}: scopes ${tok.scopes.join(', ')}`);
            assert.equal(tok.drawn, tok.foreground, `${name}, ${what} "${token}" is drawn in ${tok.drawn}, the theme gives ${tok.foreground}`);
            seen.set(what, tok);
          }
          // Different kinds of token look different (the grammar's scopes reach the theme).
          const colours = distinct.map((w) => seen.get(w)!.drawnClass);
          assert.equal(new Set(colours).size, distinct.length, `${name}: ${distinct.map((w, i) => `${w} ${colours[i]}`).join(', ')} should all differ`);
          await page.keyboard.press('Escape');
        }
        await screenshot(page, 'e2e-ui-grammar');
      } catch (e) {
        await screenshot(page, 'e2e-ui-grammar-failed');
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        fs.writeFileSync(path.join(ARTIFACTS, 'e2e-ui-grammar.log'), report.join('\n'));
        throw e;
      } finally {
        await page.close().catch(() => undefined);
      }
    });

    test('untrusted workspace (Restricted Mode): checks, never runs exim, calls out only with consent', { timeout: HOST_TIMEOUT + 180_000 }, async (t) => {
      const server = untrustedCs!;
      const ws = scratch.copyExample('reference', 'untrusted');
      // The workspace asks for its own exim: a restricted setting (and a machine-scoped one).
      fs.mkdirSync(path.join(ws, '.vscode'));
      fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'eximCyrus.exim.path': untrustedProbes.workspace.bin }, null, 2));
      let r: HostResult | undefined;
      const lmtp = new FakeLmtp(['alice@example.com']);
      try {
        // 1. In the extension host: restricted, still checking, never running exim.
        const url = server.url(ws, [
          ['extensionDevelopmentPath', server.remoteUri(ROOT)],
          ['extensionTestsPath', server.remoteUri(untrustedIndex)],
        ]);
        try {
          r = await runInHost(browser!, url, HOST_TIMEOUT, 'untrusted');
        } finally {
          saveLog('e2e-untrusted-extension-host', r);
        }
        if (r.code !== 0) await screenshot(r.page, 'e2e-untrusted-failed');
        await r.page.close();
        // Reported now, thrown after the UI part (which runs whatever the host suite found).
        const hostFailure = await reportHostResults(t, r, path.join(path.dirname(untrustedIndex), 'results.json'), 'untrusted').then(() => undefined, (e: unknown) => e ?? 'failed');

        // 2. In the UI (the workbench answers no modal itself while extension tests run,
        // so the consent modal is met here): the callout asks first; "Cancel" connects
        // nowhere, "Connect anyway" does.
        await t.test('UI: Restricted Mode, and the callout modal: Cancel connects nowhere, "Connect anyway" connects', async () => {
          const port = await lmtp.listen();
          const target = `127.0.0.1:${port}`;
          const page = await browser!.context.newPage();
          try {
            await page.goto(server.url(ws, [
              ['extensionDevelopmentPath', server.remoteUri(ROOT)],
              ['openFile', server.remoteUri(path.join(ws, 'exim.conf'))],
            ]), { waitUntil: 'domcontentloaded', timeout: 60_000 });
            await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
            await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
            await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 60_000 });
            const dialog = page.locator('.monaco-dialog-box');
            const answers: string[] = [];
            for (const answer of ['Cancel', 'Connect anyway']) {
              await calloutFromPalette(page, target, 'alice@example.com');
              const deadline = Date.now() + 30_000;
              while (!(await dialog.isVisible()) && !lmtp.sessions.length && Date.now() < deadline) await sleep(100);
              // Nothing connected yet: not this callout before its answer, nor (at the second
              // modal) the first one, refused, whose command has returned by then.
              assert.deepEqual(lmtp.sessions, [], answers.length ? `connected after "${answers.join('", "')}"` : 'connected without asking');
              assert.ok(await dialog.isVisible(), 'no consent modal within 30 s');
              const text = await dialog.innerText();
              assert.match(text, /not trusted/, text);
              assert.ok(text.includes(target), `the modal names the target: ${text}`);
              if (answer === 'Cancel') await screenshot(page, 'e2e-untrusted-consent');
              await dialog.locator('.monaco-button', { hasText: answer }).first().click();
              await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
              answers.push(answer);
            }
            const until = Date.now() + 30_000;
            while (!lmtp.sessions.some((x) => x.closed) && Date.now() < until) await sleep(100);
            assert.equal(lmtp.sessions.length, 1, `sessions: ${JSON.stringify(lmtp.sessions)}`);
            assert.ok(lmtp.sessions[0].commands.some((c) => /^RCPT TO:<alice@example\.com>/i.test(c)), JSON.stringify(lmtp.sessions));
          } catch (e) {
            await screenshot(page, 'e2e-untrusted-ui-failed');
            throw e;
          } finally {
            await page.close().catch(() => undefined);
          }
        });
        if (hostFailure) throw hostFailure;
      } finally {
        await lmtp.close();
      }
    });
  });
}
