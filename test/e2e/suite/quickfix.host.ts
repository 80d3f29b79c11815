// A quick fix offered for a misspelt option, applied through the code-action API, puts
// the right name in place and the finding goes away.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, open, restore, setText, waitForDiagnostics } from './util';

describe('quick fixes', () => {
  after(() => restore('exim.conf'));

  it('"Change to allow_localhost" fixes a misspelt allow_localhost', async () => {
    const doc = (await open('exim.conf')).document;
    const original = doc.getText();
    assert.ok(original.includes('\n  allow_localhost\n'));
    await setText(doc, original.replace('\n  allow_localhost\n', '\n  allow_locahost\n'));
    const ds = await waitForDiagnostics(doc.uri, 'exim/unknown-option for allow_locahost', (d) => d.some((x) => codeOf(x) === 'exim/unknown-option'));
    const d = ds.find((x) => codeOf(x) === 'exim/unknown-option')!;
    assert.equal(doc.getText(d.range), 'allow_locahost');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions?.find((a) => /allow_localhost/.test(a.title));
    assert.ok(fix, `no quick fix naming allow_localhost among: ${(actions ?? []).map((a) => a.title).join(' | ')}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
    assert.ok(fix.edit, 'the quick fix carries an edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.getText(), original, 'the fix restores the original line exactly');
    await waitForDiagnostics(doc.uri, 'the finding to clear after the fix', (x) => !x.some((y) => codeOf(y) === 'exim/unknown-option'));
  });
});
