// The in-host index for the packaged extension: the .vsix installed with
// `code-server --install-extension` (no development folder) must activate and check.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runMocha } from './runner';
import { FakeLmtp } from './lmtp-fake';
import { EXTENSION_ID, sleep, typedMistakeComesAndGoes, waitFor } from './util';

export function run(): Promise<void> {
  return runMocha(() => {
    describe('packaged .vsix', () => {
      it('is the installed copy, not the working tree', () => {
        const ext = vscode.extensions.getExtension(EXTENSION_ID);
        assert.ok(ext, `${EXTENSION_ID} is not installed`);
        const dir = process.env.EXIM_CYRUS_E2E_EXTENSIONS_DIR;
        assert.ok(dir, 'EXIM_CYRUS_E2E_EXTENSIONS_DIR is set by the runner');
        assert.ok(ext.extensionPath.startsWith(dir + path.sep), `extension runs from ${ext.extensionPath}`);
      });

      it('activates on exim.conf and reports a typed mistake', async () => {
        const doc = await typedMistakeComesAndGoes();
        await doc.save();
      });

      it('runs an LMTP callout with the session bundle it ships (read at the first callout)', async () => {
        const lmtp = new FakeLmtp(['alice@example.com']);
        await lmtp.listen();
        try {
          const done = vscode.commands.executeCommand('eximCyrus.runCallout', { target: `127.0.0.1:${lmtp.port}`, recipients: ['alice@example.com'] });
          let finished = false;
          void Promise.resolve(done).then(() => { finished = true; }, () => { finished = true; });
          await waitFor('an LMTP session that ends with QUIT', () => lmtp.sessions.find((x) => x.closed && x.commands.some((c) => /^QUIT/i.test(c))), 30_000,
            () => `sessions: ${JSON.stringify(lmtp.sessions)}`);
          // The result notification waits for a click on "Show Transcript": dismiss it.
          for (let i = 0; i < 50 && !finished; i++) {
            await vscode.commands.executeCommand('notifications.clearAll');
            await sleep(200);
          }
          assert.ok(finished, 'the command finished once its notification was dismissed');
        } finally {
          await lmtp.close();
        }
      });
    });
  }, path.join(__dirname, 'results.json'));
}
