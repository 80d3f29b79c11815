// VS Code client: starts the language server and adds what needs the editor's UI (status
// bar, pickers, the callout dialog). Checking and discovery all happen in the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCallout } from './callout';
import { PairingStatus, selectPairing } from './pairing';
import { machineSettings } from './trust';

export const LANGUAGES = ['exim', 'cyrus-conf', 'imapd-conf'];

/** What activate() returns: lets tests wait for the server and talk to it. */
export interface EximCyrusApi {
  client: LanguageClient;
  ready: Promise<void>;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): EximCyrusApi {
  const log = vscode.window.createOutputChannel('Exim/Cyrus Language Server', { log: true });
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
    initializationOptions: machineSettings(),
  };
  client = new LanguageClient('eximCyrus', 'Exim/Cyrus Language Server', serverOptions, clientOptions);
  const c = client;
  const ready = c.start();

  const sendMachine = () => { if (c.isRunning()) void c.sendNotification('eximCyrus/machineSettings', machineSettings()); };
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(sendMachine),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('eximCyrus.exim.path')) sendMachine(); }),
  );

  const status = new PairingStatus(c);
  context.subscriptions.push(status);
  context.subscriptions.push(
    vscode.commands.registerCommand('eximCyrus.selectPairing', () => selectPairing()),
    vscode.commands.registerCommand('eximCyrus.showOutput', () => log.show(true)),
    vscode.commands.registerCommand('eximCyrus.restartServer', async () => {
      await c.restart();
      sendMachine();
      status.refresh();
    }),
  );
  registerCallout(context, c);
  registerExtraPatterns(context);
  void ready.then(() => status.refresh(), (e) => log.error(`the language server did not start: ${e?.message ?? e}`));
  return { client: c, ready };
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
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(apply));
  for (const d of vscode.workspace.textDocuments) apply(d);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
