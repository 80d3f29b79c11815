// "Run LMTP Callout": pick a target (from the server's discovery, or typed), ask for
// recipients, run the callout in the server with progress and cancel, show the transcript.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { confirmUntrusted } from './trust';

interface Target { label: string; description: string; target: string }
interface Recipient { address: string; status: string; code?: number; reply?: string }
interface Result {
  target: string;
  recipients: Recipient[];
  transcript: { dir: 'C' | 'S'; line: string; ms: number }[];
  outcome: { kind: string; message: string; hint?: string };
}

const RECIPIENTS_KEY = 'eximCyrus.callout.recipients';
const ENTER = '$(edit) Enter host:port or socket path…';
const ADDRESS_RE = /^[^\s@<>()",;]+@[^\s@<>()",;]+$/;

export function validateRecipients(input: string): string | undefined {
  const list = input.split(/[\s,;]+/).filter(Boolean);
  if (!list.length) return 'Give at least one address, e.g. user@example.com';
  const bad = list.find((a) => !ADDRESS_RE.test(a.replace(/^<(.*)>$/, '$1')));
  return bad ? `"${bad}" is not an address of the form local@domain` : undefined;
}

function validateTarget(input: string): string | undefined {
  const s = input.trim();
  if (!s) return 'Give HOST:PORT, [IPv6]:PORT or a UNIX socket path';
  if (s.startsWith('/')) return undefined;
  return /^(\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}$/.test(s) ? undefined : 'Give HOST:PORT (e.g. 127.0.0.1:2003), [IPv6]:PORT or a socket path starting with /';
}

/** `client` starts the language server if it is not running yet. */
export function registerCallout(context: vscode.ExtensionContext, client: () => Promise<LanguageClient>): void {
  const out = vscode.window.createOutputChannel('Exim/Cyrus Callout');
  context.subscriptions.push(out);
  context.subscriptions.push(vscode.commands.registerCommand('eximCyrus.runCallout', async (arg?: { target?: string; label?: string; recipients?: string[] }) => {
    const c = await client();
    let target = typeof arg?.target === 'string' ? arg.target : undefined;
    if (!target) {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      let targets: Target[] = [];
      try {
        targets = await c.sendRequest('workspace/executeCommand', { command: 'eximCyrus.calloutTargets', arguments: uri ? [uri] : [] }) as Target[] ?? [];
      } catch { /* discovery is a convenience; typing a target still works */ }
      const items: vscode.QuickPickItem[] = [...targets.map((t) => ({ label: t.label, description: t.target, detail: t.description })), { label: ENTER }];
      const chosen = await vscode.window.showQuickPick(items, { title: 'LMTP callout: where to?', placeHolder: 'An LMTP transport or lmtpd service, or type an address' });
      if (!chosen) return;
      target = chosen.label === ENTER
        ? await vscode.window.showInputBox({ title: 'LMTP callout target', prompt: 'HOST:PORT, [IPv6]:PORT or UNIX socket path', placeHolder: '127.0.0.1:2003', validateInput: validateTarget })
        : chosen.description;
      if (!target) return;
    }
    let recipients = arg?.recipients;
    if (!recipients?.length) {
      const configured = vscode.workspace.getConfiguration('eximCyrus').get<string[]>('callout.recipients') ?? [];
      const remembered = context.workspaceState.get<string>(RECIPIENTS_KEY) ?? configured.filter((r) => typeof r === 'string').join(' ');
      const typed = await vscode.window.showInputBox({
        title: `LMTP callout to ${target}`, prompt: 'Recipient addresses (separated by spaces or commas)', value: remembered,
        placeHolder: 'user@example.com', validateInput: validateRecipients,
      });
      if (!typed) return;
      await context.workspaceState.update(RECIPIENTS_KEY, typed);
      recipients = typed.split(/[\s,;]+/).filter(Boolean).map((a) => a.replace(/^<(.*)>$/, '$1'));
    }
    if (!await confirmUntrusted(`The callout connects to ${target}.`)) return;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `LMTP callout to ${target}`, cancellable: true }, async (_p, token) => {
      try {
        return await c.sendRequest('workspace/executeCommand', {
          command: 'eximCyrus.callout',
          arguments: [{ target, recipients, confirmed: true, uri: vscode.window.activeTextEditor?.document.uri.toString() }],
        }, token) as Result;
      } catch (e) {
        if (token.isCancellationRequested) return undefined;
        void vscode.window.showErrorMessage(`LMTP callout failed: ${(e as Error)?.message ?? e}`);
        return undefined;
      }
    });
    if (!result) return;
    out.appendLine(`--- ${new Date().toISOString()} callout to ${result.target}`);
    for (const t of result.transcript ?? []) out.appendLine(`${String(t.ms).padStart(6)} ms ${t.dir}: ${t.line}`);
    for (const r of result.recipients ?? []) out.appendLine(`${r.address}: ${r.status}${r.code ? ` (${r.code})` : ''}${r.reply ? ` ${r.reply}` : ''}`);
    out.appendLine(`=> ${result.outcome.kind}: ${result.outcome.message}${result.outcome.hint ? `\n   fix: ${result.outcome.hint}` : ''}`);
    const show = 'Show Transcript';
    const message = `LMTP callout ${result.outcome.kind}: ${result.outcome.message}${result.outcome.hint ? ` — ${result.outcome.hint}` : ''}`;
    const shown = result.outcome.kind === 'accepted' ? vscode.window.showInformationMessage(message, show)
      : result.outcome.kind === 'temporary' ? vscode.window.showWarningMessage(message, show)
      : vscode.window.showErrorMessage(message, show);
    if (await shown === show) out.show(true);
  }));
}
