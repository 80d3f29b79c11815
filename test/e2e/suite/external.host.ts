// The real-Exim check on save: eximCyrus.exim.path, set where a machine-scoped setting
// lives (code-server's remote "Machine" settings), names a stand-in exim (../exim-probe.ts)
// that the runner made. In this trusted window saving exim.conf runs it, and its complaint
// shows with source `exim`. The untrusted run (untrusted.ts) checks the opposite.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { PROBE_COMPLAIN, PROBE_MESSAGE, probeRuns } from '../exim-probe';
import { activeExtension, describeDiagnostics, open, setText, waitFor, waitForDiagnostics } from './util';

describe('real Exim check on save (trusted)', () => {
  let original: string | undefined;
  // The test saves exim.conf: put the original text back on disk.
  after(async () => {
    if (original === undefined) return;
    const doc = (await open('exim.conf')).document;
    if (doc.getText() !== original) await setText(doc, original);
    if (doc.isDirty) await doc.save();
  });

  it('eximCyrus.exim.path from the machine settings runs on save, and its complaint shows with source exim', async function () {
    const bin = process.env.EXIM_CYRUS_E2E_EXIM_PROBE;
    const log = process.env.EXIM_CYRUS_E2E_EXIM_PROBE_LOG;
    if (!bin || !log) return this.skip(); // set by e2e.test.ts, not by the Electron runner
    assert.equal(vscode.workspace.isTrusted, true);
    // Machine-scoped: in code-server's (remote) window it comes from Machine/settings.json only.
    assert.equal(vscode.workspace.getConfiguration('eximCyrus').inspect<string>('exim.path')?.globalValue, bin, 'eximCyrus.exim.path as the extension sees it');
    await activeExtension();
    const doc = (await open('exim.conf')).document;
    original = doc.getText();
    await setText(doc, original.replace('never_users = root', `never_users = root\n# ${PROBE_COMPLAIN}`));
    assert.ok(await doc.save());
    const line = doc.getText().split('\n').findIndex((l) => l.includes(PROBE_COMPLAIN));
    const ds = await waitForDiagnostics(doc.uri, 'a diagnostic with source exim', (x) => x.some((d) => d.source === 'exim'), 20_000);
    const d = ds.find((x) => x.source === 'exim')!;
    assert.equal(d.range.start.line, line, describeDiagnostics(doc.uri));
    assert.match(d.message, new RegExp(PROBE_MESSAGE));
    assert.ok(probeRuns({ bin, log }).includes(`-C ${doc.uri.fsPath} -bV`), `runs: ${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '(none)'}`);
    await setText(doc, original);
    assert.ok(await doc.save());
    await waitFor('the exim diagnostic to clear after a clean save', () => !vscode.languages.getDiagnostics(doc.uri).some((x) => x.source === 'exim'), 20_000);
  });
});
