// The in-host index for a folder opened in Restricted Mode (Workspace Trust on, folder not
// trusted; see e2e.test.ts). The extension declares `untrustedWorkspaces: limited`: it
// must still check, must never run the exim binary named by eximCyrus.exim.path, and its
// server must not call out unless the client says the user agreed. (The consent modal
// itself is answered in e2e.test.ts's UI part: while extension tests run, the workbench
// refuses every modal without showing it.)
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROBE_COMPLAIN, probeRuns, type EximProbe } from '../exim-probe';
import { FakeLmtp } from './lmtp-fake';
import { runMocha } from './runner';
import { activeExtension, codeOf, describeDiagnostics, open, setText, sleep, typedMistakeComesAndGoes, waitForDiagnostics } from './util';

function probes(): { machine: EximProbe; workspace: EximProbe } {
  const env = (k: string) => { const v = process.env[k]; assert.ok(v, `${k} is set by the runner`); return v; };
  return {
    machine: { bin: env('EXIM_CYRUS_E2E_EXIM_PROBE'), log: env('EXIM_CYRUS_E2E_EXIM_PROBE_LOG') },
    workspace: { bin: env('EXIM_CYRUS_E2E_WS_EXIM_PROBE'), log: env('EXIM_CYRUS_E2E_WS_EXIM_PROBE_LOG') },
  };
}

export function run(): Promise<void> {
  return runMocha(() => {
    describe('untrusted workspace (Restricted Mode)', () => {
      it('the folder is not trusted', () => {
        assert.equal(vscode.workspace.isTrusted, false);
      });

      it('the extension activates and reports a typed mistake', async () => {
        await typedMistakeComesAndGoes();
      });

      it('eximCyrus.exim.path is not used, neither the machine setting nor the workspace one: saving runs no exim', async () => {
        const { machine, workspace } = probes();
        const inspected = vscode.workspace.getConfiguration('eximCyrus').inspect<string>('exim.path');
        // The machine value is visible to the extension: only the missing trust keeps it from running.
        assert.equal(inspected?.globalValue, machine.bin);
        const doc = (await open('exim.conf')).document;
        const original = doc.getText();
        try {
          await setText(doc, original.replace('never_users = root', `never_users = root\n# ${PROBE_COMPLAIN}\nfoo_bar = 1`));
          assert.ok(await doc.save());
          await waitForDiagnostics(doc.uri, 'the saved file checked', (ds) => ds.some((d) => codeOf(d) === 'exim/unknown-option'), 30_000);
          // The server spawns exim from its didSave handler, synchronously; a request answered
          // after the save means that handler has run. Then a grace period for a spawned probe
          // to write its log (its first command).
          await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
          await sleep(1000);
          assert.deepEqual(probeRuns(machine), [], 'the machine-settings exim ran');
          assert.deepEqual(probeRuns(workspace), [], 'the workspace-settings exim ran');
          const fromExim = vscode.languages.getDiagnostics().flatMap(([, ds]) => ds).filter((d) => d.source === 'exim');
          assert.deepEqual(fromExim, [], describeDiagnostics());
        } finally {
          await setText(doc, original);
          await doc.save();
        }
      });

      it('the server refuses an LMTP callout the client does not say was confirmed', async () => {
        await activeExtension();
        await open('exim.conf');
        const lmtp = new FakeLmtp(['alice@example.com']);
        const port = await lmtp.listen();
        try {
          // The language server's own command, as another extension or a crafted call could send it.
          await assert.rejects(
            Promise.resolve(vscode.commands.executeCommand('eximCyrus.callout', { target: `127.0.0.1:${port}`, recipients: ['alice@example.com'] })),
            /not trusted/, 'the server ran a callout the client did not confirm');
          assert.deepEqual(lmtp.sessions, []);
        } finally {
          await lmtp.close();
        }
      });
    });
  }, path.join(__dirname, 'results.json'));
}
