// The in-host index for the packaged extension: the .vsix installed with
// `code-server --install-extension` (no development folder) must activate and check.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runMocha } from './runner';
import { EXTENSION_ID, typedMistakeComesAndGoes } from './util';

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
    });
  }, path.join(__dirname, 'results.json'));
}
