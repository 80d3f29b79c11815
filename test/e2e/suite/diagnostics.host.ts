// Diagnostics as the user sees them: a mistake typed into exim.conf shows up with our
// rule code and goes away when fixed; an edit to cyrus.conf re-checks exim.conf.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, fileUri, open, restore, setText, waitForDiagnostics } from './util';

describe('diagnostics', () => {
  afterEach(async () => {
    await restore('exim.conf');
    await restore('cyrus.conf');
  });

  it('the reference configuration has no errors', async () => {
    await open('exim.conf');
    await open('cyrus.conf');
    await open('imapd.conf');
    for (const name of ['exim.conf', 'cyrus.conf', 'imapd.conf']) {
      await waitForDiagnostics(fileUri(name), `no errors in ${name}`, (ds) => !ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error));
    }
  });

  it('an unknown option typed into exim.conf is reported with its rule code, and fixing it clears it', async () => {
    const editor = await open('exim.conf');
    const doc = editor.document;
    const original = doc.getText();
    const broken = original.replace('never_users = root', 'never_users = root\nfoo_bar = 1');
    await setText(doc, broken);
    const ds = await waitForDiagnostics(doc.uri, 'exim/unknown-option for foo_bar', (d) => d.some((x) => codeOf(x) === 'exim/unknown-option'));
    const d = ds.find((x) => codeOf(x) === 'exim/unknown-option')!;
    assert.equal(d.range.start.line, broken.split('\n').findIndex((l) => l.startsWith('foo_bar')));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.source, 'exim-cyrus');
    assert.match(d.message, /foo_bar/);
    await setText(doc, original);
    await waitForDiagnostics(doc.uri, 'the finding to clear', (x) => !x.some((y) => codeOf(y) === 'exim/unknown-option'));
  });

  it('removing -a from lmtpd in cyrus.conf (unsaved) reports link/lmtp-auth-required, and putting it back clears it', async () => {
    await open('exim.conf');
    const editor = await open('cyrus.conf');
    const doc = editor.document;
    const original = doc.getText();
    assert.ok(original.includes('cmd="lmtpd -a"'), 'the reference cyrus.conf runs lmtpd -a');
    await setText(doc, original.replace('cmd="lmtpd -a"', 'cmd="lmtpd"'));
    const anywhere = () => vscode.languages.getDiagnostics().flatMap(([u, ds]) => ds.filter((d) => codeOf(d) === 'link/lmtp-auth-required').map((d) => ({ u, d })));
    await waitForDiagnostics(fileUri('exim.conf'), 'link/lmtp-auth-required', () => anywhere().length > 0, 30_000);
    const found = anywhere();
    assert.ok(found.every(({ d }) => d.severity === vscode.DiagnosticSeverity.Error));
    await setText(doc, original);
    await waitForDiagnostics(fileUri('exim.conf'), 'link/lmtp-auth-required to clear', () => anywhere().length === 0, 30_000);
  });
});
