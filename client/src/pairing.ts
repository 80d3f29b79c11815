// The status bar item showing which configs are checked together, and the picker that
// changes that (stored in the workspace folder's settings).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface PairingReply { exim?: string; cyrus?: string; imapd?: string }

export class PairingStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('eximCyrus.pairing', vscode.StatusBarAlignment.Left, 10);
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'Exim/Cyrus pairing';
    this.item.command = 'eximCyrus.selectPairing';
    this.subs.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('eximCyrus')) setTimeout(() => this.refresh(), 300); }),
    );
  }

  async refresh(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !['exim', 'cyrus-conf', 'imapd-conf'].includes(doc.languageId) || !this.client.isRunning()) {
      this.item.hide();
      return;
    }
    try {
      const p = await this.client.sendRequest('workspace/executeCommand', { command: 'eximCyrus.pairing', arguments: [doc.uri.toString()] }) as PairingReply;
      const name = (u?: string) => (u ? path.basename(vscode.Uri.parse(u).fsPath) : '—');
      this.item.text = `$(link) ${name(p?.exim)} ↔ ${name(p?.cyrus)}`;
      this.item.tooltip = new vscode.MarkdownString(
        `**Checked together**\n\n- Exim: ${p?.exim ? vscode.Uri.parse(p.exim).fsPath : 'none found'}\n- cyrus.conf: ${p?.cyrus ? vscode.Uri.parse(p.cyrus).fsPath : 'none found'}\n- imapd.conf: ${p?.imapd ? vscode.Uri.parse(p.imapd).fsPath : 'none found'}\n\nClick to choose.`);
      this.item.show();
    } catch {
      this.item.hide();
    }
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subs) s.dispose();
  }
}

const AUTO = '$(search) Find automatically (nearest by name)';

async function pick(kind: string, setting: string, glob: string, folder: vscode.WorkspaceFolder): Promise<boolean> {
  const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), '**/node_modules/**', 200);
  // A Debian split config is chosen as its conf.d directory, not as one of its pieces.
  const rels = [...new Set(files.map((u) => path.relative(folder.uri.fsPath, u.fsPath).replace(/^(.*?conf\.d)[\\/].*$/, '$1')))].sort();
  const items: vscode.QuickPickItem[] = [{ label: AUTO }, ...rels.map((r) => ({ label: r, description: path.join(folder.uri.fsPath, r) }))];
  const chosen = await vscode.window.showQuickPick(items, { title: `Exim/Cyrus: ${kind}`, placeHolder: `Which ${kind} belongs to this pairing?` });
  if (!chosen) return false;
  const value = chosen.label === AUTO ? undefined : chosen.label;
  await vscode.workspace.getConfiguration('eximCyrus', folder.uri).update(setting, value, vscode.ConfigurationTarget.WorkspaceFolder);
  return true;
}

export async function selectPairing(): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active))
    ?? (vscode.workspace.workspaceFolders?.length === 1 ? vscode.workspace.workspaceFolders[0] : await vscode.window.showWorkspaceFolderPick());
  if (!folder) {
    void vscode.window.showInformationMessage('Open a folder first: the pairing is stored in its settings.');
    return;
  }
  if (!await pick('Exim configuration', 'eximConfig', '**/{exim.conf,exim4.conf,exim4.conf.template,*.exim,conf.d/main/*}', folder)) return;
  if (!await pick('cyrus.conf', 'cyrusConfig', '**/{cyrus.conf,*.cyrus.conf}', folder)) return;
  await pick('imapd.conf', 'imapdConfig', '**/{imapd.conf,*.imapd.conf}', folder);
}
