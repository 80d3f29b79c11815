// Machine-scoped settings the server may act on. The Exim binary path is read from the
// user's own settings only, and withheld in an untrusted workspace, so a cloned
// repository can never make the server run a program.
import * as vscode from 'vscode';

export interface MachineSettings { eximPath?: string; trusted: boolean }

export function machineSettings(): MachineSettings {
  const trusted = vscode.workspace.isTrusted;
  const inspected = vscode.workspace.getConfiguration('eximCyrus').inspect<string>('exim.path');
  const eximPath = trusted ? (inspected?.globalValue || undefined) : undefined;
  return { eximPath, trusted };
}

/** In an untrusted workspace, asks before anything leaves the editor. True = go ahead. */
export async function confirmUntrusted(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const go = 'Connect anyway';
  const answer = await vscode.window.showWarningMessage(
    `This workspace is not trusted. ${what} Its address comes from files in this workspace. Continue?`,
    { modal: true }, go);
  return answer === go;
}
