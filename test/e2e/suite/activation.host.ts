// Opening the three kinds of file gives our language ids and activates the extension.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activeExtension, open, waitFor } from './util';

describe('activation', () => {
  it('exim.conf, cyrus.conf and imapd.conf open as exim, cyrus-conf and imapd-conf', async () => {
    const expected: Record<string, string> = { 'exim.conf': 'exim', 'cyrus.conf': 'cyrus-conf', 'imapd.conf': 'imapd-conf' };
    for (const [name, id] of Object.entries(expected)) {
      const editor = await open(name);
      assert.equal(editor.document.languageId, id, `${name} opened as ${editor.document.languageId}`);
    }
  });

  it('the extension is active and its language server is running', async () => {
    const ext = await activeExtension();
    assert.equal(ext.id, EXTENSION_ID);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['eximCyrus.runCallout', 'eximCyrus.selectPairing', 'eximCyrus.restartServer']) assert.ok(commands.includes(c), `command ${c} not registered`);
    // The server answers: the outline of exim.conf comes from it.
    const editor = await open('exim.conf');
    const symbols = await waitFor('document symbols from the language server', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri);
      return s?.length ? s : undefined;
    });
    assert.ok(symbols.some((s) => s.name === 'begin transports'), `outline: ${symbols.map((s) => s.name).join(', ')}`);
  });
});
