// Helpers for the in-host tests: they run inside VS Code's extension host (code-server or
// Electron) with the real `vscode` API, on the workspace folder the runner opened.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'exim-cyrus.exim-cyrus';

export function workspaceDir(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the runner must open a workspace folder (a copy of examples/reference)');
  return f.uri.fsPath;
}

export function fileUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), name));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn returns a truthy value; fails with `what` and the last value seen. */
export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${describe()}` : last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await sleep(100);
  }
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The extension, activated, with its language client ready. */
export async function activeExtension(): Promise<vscode.Extension<{ ready?: Promise<void> } | undefined>> {
  const ext = vscode.extensions.getExtension<{ ready?: Promise<void> }>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  await waitFor('the extension to activate', () => ext.isActive, 30_000);
  await ext.exports?.ready;
  return ext;
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function describeDiagnostics(uri?: vscode.Uri): string {
  const all = uri ? [[uri, vscode.languages.getDiagnostics(uri)] as const] : vscode.languages.getDiagnostics();
  return all.map(([u, ds]) => `${path.basename(u.fsPath)}: ${ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)} ${d.message}`).join(' | ') || '(none)'}`).join('\n');
}

/** Waits until the diagnostics of `uri` satisfy `pred`, and returns them. */
export function waitForDiagnostics(uri: vscode.Uri, what: string, pred: (ds: readonly vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<readonly vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const ds = vscode.languages.getDiagnostics(uri);
    return pred(ds) ? ds : undefined;
  }, timeoutMs, () => `diagnostics now:\n${describeDiagnostics()}`);
}

/** Replaces the whole text of an open document (unsaved, as typing would). */
export async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit refused the edit');
  assert.equal(doc.getText(), text);
}

/**
 * Opens exim.conf, waits for the extension, types an unknown option (unsaved) and waits for
 * its finding, then puts the text back and waits for the finding to clear. The document.
 */
export async function typedMistakeComesAndGoes(): Promise<vscode.TextDocument> {
  const doc = (await open('exim.conf')).document;
  assert.equal(doc.languageId, 'exim');
  await activeExtension();
  const original = doc.getText();
  await setText(doc, original.replace('never_users = root', 'never_users = root\nfoo_bar = 1'));
  await waitForDiagnostics(doc.uri, 'exim/unknown-option', (ds) => ds.some((d) => codeOf(d) === 'exim/unknown-option'), 30_000);
  await setText(doc, original);
  await waitForDiagnostics(doc.uri, 'the finding to clear', (ds) => !ds.some((d) => codeOf(d) === 'exim/unknown-option'));
  return doc;
}

/** Puts a file back as it is on disk (the examples copy) and saves it. */
export async function restore(name: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(fileUri(name));
  const disk = fs.readFileSync(doc.uri.fsPath, 'utf8');
  if (doc.getText() !== disk) await setText(doc, disk);
  if (doc.isDirty) await doc.save();
}

/** The position of `needle` (plus `offset` characters) in `text`. */
export function positionOf(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" not found in ${path.basename(doc.uri.fsPath)}`);
  return doc.positionAt(i + offset);
}
