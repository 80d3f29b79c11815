// VS Code client: starts the language server and adds what needs the editor's UI (status
// bar, pickers, the callout dialog). Checking and discovery all happen in the server.
//
// The extension activates when VS Code has started (onStartupFinished), not only when a
// file of our languages opens: `eximCyrus.files.eximPatterns` must be able to turn a file
// such as /usr/exim/configure into an Exim config, and nothing would activate us for it.
// Activation is cheap: the language client library is loaded and the server started only
// when a document of our languages is open, or a command needs the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { registerCallout } from './callout';
import { PairingStatus, selectPairing } from './pairing';
import { machineSettings } from './trust';

export const LANGUAGES = ['exim', 'cyrus-conf', 'imapd-conf'];

/** The lens command the server should use: this extension's own, which asks for recipients in an input box. */
const CALLOUT_COMMAND = 'eximCyrus.runCallout';

/** What activate() returns: lets tests wait for the server and talk to it (asking starts it). */
export interface EximCyrusApi {
  readonly client: LanguageClient;
  readonly ready: Promise<void>;
}

let started: { client: LanguageClient; ready: Promise<void> } | undefined;

/**
 * What the server is told at each start, read afresh each time: after a crash the client
 * restarts the server by itself, and the trust or the Exim path may have changed since.
 */
export function initializationOptions(): Record<string, unknown> {
  return { ...machineSettings(), calloutCommand: CALLOUT_COMMAND };
}

export function activate(context: vscode.ExtensionContext): EximCyrusApi {
  started = undefined;
  let log: vscode.LogOutputChannel | undefined;
  let status: PairingStatus | undefined;

  const start = (): { client: LanguageClient; ready: Promise<void> } => {
    if (started) return started;
    // Loaded here, not at activation: most VS Code sessions never open a mail config.
    const { LanguageClient: Client, TransportKind } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
    log = vscode.window.createOutputChannel('Exim/Cyrus Language Server', { log: true });
    context.subscriptions.push(log);
    const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: LANGUAGES.flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
      // The server registers the file watchers it needs (every file its checks read) itself.
      synchronize: { configurationSection: 'eximCyrus' },
      outputChannel: log,
      initializationOptions,
    };
    const client = new Client('eximCyrus', 'Exim/Cyrus Language Server', serverOptions, clientOptions);
    const ready = client.start();
    started = { client, ready };
    status = new PairingStatus(client);
    context.subscriptions.push(status);
    const l = log;
    void ready.then(() => status?.refresh(), (e) => l.error(`the language server did not start: ${e?.message ?? e}`));
    return started;
  };

  const sendMachine = () => {
    if (started?.client.isRunning()) void started.client.sendNotification('eximCyrus/machineSettings', machineSettings());
  };
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(sendMachine),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('eximCyrus.exim.path')) sendMachine(); }),
    vscode.commands.registerCommand('eximCyrus.selectPairing', () => selectPairing()),
    vscode.commands.registerCommand('eximCyrus.showOutput', () => { start(); log?.show(true); }),
    vscode.commands.registerCommand('eximCyrus.restartServer', async () => {
      const s = start();
      await s.ready.catch(() => undefined);
      await s.client.restart();
      sendMachine();
      void status?.refresh();
    }),
  );
  registerCallout(context, async () => { const s = start(); await s.ready; return s.client; });
  registerExtraPatterns(context);

  // The server starts with the first document of our languages, now or later (a language
  // set by eximPatterns reopens the document under its new id, which lands here too).
  const ours = (d: vscode.TextDocument) => LANGUAGES.includes(d.languageId);
  if (vscode.workspace.textDocuments.some(ours)) start();
  else {
    const sub = vscode.workspace.onDidOpenTextDocument((d) => { if (ours(d)) { sub.dispose(); start(); } });
    context.subscriptions.push(sub);
  }
  return { get client() { return start().client; }, get ready() { return start().ready; } };
}

/** `eximCyrus.files.eximPatterns`: files with generic names the user wants read as Exim. */
function registerExtraPatterns(context: vscode.ExtensionContext): void {
  const apply = (doc: vscode.TextDocument) => {
    if (doc.languageId === 'exim' || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'vscode-remote')) return;
    const patterns = vscode.workspace.getConfiguration('eximCyrus', doc.uri).get<string[]>('files.eximPatterns') ?? [];
    if (patterns.some((pattern) => typeof pattern === 'string' && pattern && vscode.languages.match({ pattern }, doc) > 0)) {
      void vscode.languages.setTextDocumentLanguage(doc, 'exim');
    }
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(apply),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('eximCyrus.files.eximPatterns')) for (const d of vscode.workspace.textDocuments) apply(d);
    }),
  );
  for (const d of vscode.workspace.textDocuments) apply(d);
}

export function deactivate(): Thenable<void> | undefined {
  return started?.client.stop();
}
