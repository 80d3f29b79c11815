// Language server entry point (dist/server.js --stdio, or --node-ipc from VS Code).
// A thin shell: requests become core calls, results become protocol messages. Every
// handler is guarded, because a malformed request must cost one error reply, not the server.
import './v8-server-flags';
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, ResponseError, ErrorCodes,
  type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigWorkspace } from './core/features/workspace';
import type { FileKind } from './core/project';
import { loadChecker } from './lsp/core';
import { UriMap, completionSupport, diagnosticSupport, hoverSupport, signatureSupport, NO_COMPLETION_SUPPORT, NO_DIAGNOSTIC_SUPPORT, NO_HOVER_SUPPORT, NO_SIGNATURE_SUPPORT } from './lsp/convert';
import { DiagnosticsPublisher } from './lsp/diagnostics';
import { DEFAULT_SETTINGS, parseCalloutCommand, parseMachineSettings, parseSettings, type MachineSettings, type ServerSettings } from './lsp/settings';
import { registerFeatures, SEMANTIC_LEGEND } from './lsp/features';
import { registerCommands } from './lsp/commands';
import { ExternalCheck } from './lsp/external';
import { FileWatches } from './lsp/watch';
import { checkedSync } from './lsp/sync-params';
import { VERSION } from './version';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const uris = new UriMap();
const log = (m: string) => connection.console.log(m);

let machine: MachineSettings = { trusted: true };
/** The client's own command for callout lenses, when it has one (initializationOptions.calloutCommand). */
let lensCommand: string | undefined;
let hasConfigurationCapability = false;
let semanticRefresh = false;
let inlayRefresh = false;
/** What the client shows of a diagnostic, from its capabilities at initialize. */
let diagnosticFields = NO_DIAGNOSTIC_SUPPORT;
let completionFields = NO_COMPLETION_SUPPORT;
let hoverFields = NO_HOVER_SUPPORT;
let signatureFields = NO_SIGNATURE_SUPPORT;
let folders: string[] = [];
const folderSettings = new Map<string, ServerSettings>();
let workspace: ConfigWorkspace | undefined;

/**
 * The workspace, created with the checker on first use (see lsp/core.ts); the folders and
 * settings received until then are handed over.
 */
function ws(): ConfigWorkspace {
  if (!workspace) {
    const w = new (loadChecker().ConfigWorkspace)();
    w.setFolders(folders);
    for (const [folder, s] of folderSettings) w.setSettings(folder, folderSettingsOf(s));
    workspace = w;
  }
  return workspace;
}

function folderSettingsOf(s: ServerSettings) {
  return { options: s.options, eximConfig: s.eximConfig, cyrusConfig: s.cyrusConfig, imapdConfig: s.imapdConfig };
}

const watches = new FileWatches(connection, ws, uris, log);
const publisher = new DiagnosticsPublisher(connection, ws, uris, () => diagnosticFields,
  (file) => documents.get(uris.uriOf(file))?.version, log, () => { watches.schedule(); refreshViews(); });
const external = new ExternalCheck(ws, publisher, () => machine, log);

const KIND_OF_LANGUAGE: Record<string, FileKind> = { exim: 'exim', 'cyrus-conf': 'cyrus-conf', 'imapd-conf': 'imapd-conf' };

/** The settings in force for a file (its workspace folder's). */
export function settingsFor(file: string): ServerSettings {
  const folder = ws().folderOf(file) ?? '';
  return folderSettings.get(folder) ?? folderSettings.get('') ?? DEFAULT_SETTINGS;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
  semanticRefresh = !!params.capabilities.workspace?.semanticTokens?.refreshSupport;
  inlayRefresh = !!params.capabilities.workspace?.inlayHint?.refreshSupport;
  diagnosticFields = diagnosticSupport(params.capabilities);
  completionFields = completionSupport(params.capabilities);
  hoverFields = hoverSupport(params.capabilities);
  signatureFields = signatureSupport(params.capabilities);
  watches.setCapabilities(params.capabilities);
  machine = parseMachineSettings(params.initializationOptions, { trusted: true });
  lensCommand = parseCalloutCommand(params.initializationOptions);
  const init = (params.initializationOptions ?? {}) as Record<string, unknown>;
  if (init.settings) applySettings('', parseSettings(init.settings));
  folders = (params.workspaceFolders ?? []).map((f) => uris.pathOf(f.uri));
  if (!folders.length && params.rootUri) folders = [uris.pathOf(params.rootUri)];
  workspace?.setFolders(folders);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      completionProvider: { triggerCharacters: ['$', '{', '+', '=', ' ', '.'], resolveProvider: false },
      hoverProvider: true,
      signatureHelpProvider: { triggerCharacters: ['{'], retriggerCharacters: ['}'] },
      documentHighlightProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      foldingRangeProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
      semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
      inlayHintProvider: true,
      executeCommandProvider: { commands: ['eximCyrus.callout', 'eximCyrus.calloutReport', 'eximCyrus.calloutTargets', 'eximCyrus.pairing'] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'exim-cyrus', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (hasConfigurationCapability) void refreshSettings();
  // Load the checker now, while the client is still busy starting up, rather than on the first open.
  setImmediate(() => guard('loading the checker', ws));
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const removed = new Set(e.removed.map((f) => uris.pathOf(f.uri)));
    folders = folders.filter((f) => !removed.has(f)).concat(e.added.map((f) => uris.pathOf(f.uri)));
    workspace?.setFolders(folders);
    void refreshSettings();
  });
});

function applySettings(folder: string, s: ServerSettings): void {
  folderSettings.set(folder, s);
  workspace?.setSettings(folder, folderSettingsOf(s));
}

async function refreshSettings(): Promise<void> {
  try {
    const scopes = folders.length ? folders : [''];
    const items = scopes.map((f) => ({ section: 'eximCyrus', scopeUri: f ? uris.uriOf(f) : undefined }));
    const results = await connection.workspace.getConfiguration(items);
    scopes.forEach((f, i) => applySettings(f, parseSettings(results?.[i])));
    if (folders.length) applySettings('', parseSettings(results?.[0]));
  } catch (e) {
    log(`could not read settings: ${(e as Error)?.message ?? e}`);
  }
  recheckAll();
}

function recheckAll(): void {
  for (const d of documents.all()) publisher.schedule(uris.pathOf(d.uri), 0);
}

/**
 * Views drawn from a whole pairing change with any file of it (a cyrus.conf edit moves the
 * link notes in exim.conf; a macro in one conf.d piece skips a branch in another; -D
 * settings): after each check, ask the client to draw them again where it can be asked.
 */
function refreshViews(): void {
  // Typed void, but a request all the same: its failure is the client's business.
  if (semanticRefresh) void Promise.resolve(connection.languages.semanticTokens.refresh() as unknown).catch(() => undefined);
  if (inlayRefresh) connection.languages.inlayHint.refresh().catch(() => undefined);
}

connection.onDidChangeConfiguration((change) => {
  if (hasConfigurationCapability) { void refreshSettings(); return; }
  const s = (change.settings as Record<string, unknown> | undefined)?.eximCyrus;
  if (s) { applySettings('', parseSettings(s)); recheckAll(); }
});

connection.onNotification('eximCyrus/machineSettings', (p: unknown) => {
  machine = parseMachineSettings(p, machine);
});

documents.onDidOpen((e) => guard('didOpen', () => {
  const file = uris.open(e.document.uri);
  // The client names the language: only our three ids count ("constructor" is none of them).
  const id = e.document.languageId;
  ws().open(file, e.document.getText(), Object.hasOwn(KIND_OF_LANGUAGE, id) ? KIND_OF_LANGUAGE[id] : undefined);
  publisher.schedule(file, 0);
}));

documents.onDidChangeContent((e) => guard('didChange', () => {
  const file = uris.pathOf(e.document.uri);
  ws().update(file, e.document.getText());
  publisher.documentChanged(file);
  if (settingsFor(file).validate === 'onType') publisher.schedule(file);
}));

documents.onDidSave((e) => guard('didSave', () => {
  const file = uris.pathOf(e.document.uri);
  publisher.schedule(file, 0);
  void external.onSave(file);
}));

documents.onDidClose((e) => guard('didClose', () => {
  const file = uris.pathOf(e.document.uri);
  const covering = ws().analysesCovering(file).map((a) => a.key);
  ws().close(file);
  publisher.clear(file);
  uris.close(e.document.uri);
  publisher.afterClose();
  // Other open files checked together with it see the disk version again.
  for (const d of documents.all()) if (d.uri !== e.document.uri) {
    const other = uris.pathOf(d.uri);
    if (!covering.length || ws().analysesCovering(other).length === 0) publisher.schedule(other);
  }
}));

connection.onDidChangeWatchedFiles((p) => guard('didChangeWatchedFiles', () => {
  let changed = false;
  for (const c of p.changes ?? []) {
    const file = uris.pathOf(c.uri);
    // An open document's text comes from the editor, not the disk (a save fires this too).
    if (documents.get(c.uri) || ws().isOpen(file)) continue;
    ws().changedOnDisk(file);
    changed = true;
  }
  if (changed) recheckAll();
}));

/**
 * chmod and chown fire no file watcher: while a check has looked at this machine's
 * permissions (the machine rules, link/socket-permission), they are looked at again every
 * few seconds, and a change re-checks the open documents.
 */
const MACHINE_POLL_MS = 3000;
setInterval(() => guard('machine poll', () => {
  if (workspace && documents.all().length && workspace.machineChanged()) recheckAll();
}), MACHINE_POLL_MS).unref();

function guard(what: string, f: () => void): void {
  try { f(); } catch (e) { log(`${what} failed: ${(e as Error)?.stack ?? e}`); }
}

/** Runs a request handler; an exception becomes an error reply and a log line. */
export function safe<P, R>(what: string, fallback: R, f: (p: P) => R): (p: P) => R {
  return (p: P) => {
    try {
      return f(p);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log(`${what} failed: ${(e as Error)?.stack ?? e}`);
      return fallback;
    }
  };
}

registerFeatures({ connection, ws, uris, documents, safe, lensCommand: () => lensCommand, diagnosticSupport: () => diagnosticFields, completionSupport: () => completionFields, hoverSupport: () => hoverFields, signatureSupport: () => signatureFields });
registerCommands({ connection, ws, uris, settingsFor, machine: () => machine, log });

connection.onRequest((method: string) => {
  throw new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
});

process.on('uncaughtException', (e) => log(`uncaught exception: ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

documents.listen(checkedSync(connection, log));
connection.listen();
