// The VS Code client's start-up, against a stand-in `vscode` API (the real one runs in the
// e2e suite): activated early so eximCyrus.files.eximPatterns works for the first file
// opened, yet starting the server only when a config is open; and the start-up options
// read afresh at each (re)start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './client';

interface Doc { uri: { scheme: string; fsPath: string; toString(): string }; languageId: string; fileName: string }

const settings: Record<string, unknown> = { 'files.eximPatterns': ['**/exim/configure'] };
const state = { trusted: true, globalEximPath: '/usr/sbin/exim4' as string | undefined };
const openListeners = new Set<(d: Doc) => void>();
const textDocuments: Doc[] = [];
const clients: { options: { initializationOptions: () => Record<string, unknown> }; started: number }[] = [];
let clientModuleLoaded = false;
const languageSet: { file: string; id: string }[] = [];

const disposable = { dispose() {} };
const event = () => () => disposable;
const doc = (file: string, languageId: string): Doc => ({ uri: { scheme: 'file', fsPath: file, toString: () => `file://${file}` }, languageId, fileName: file });
const open = (d: Doc) => { textDocuments.push(d); for (const l of [...openListeners]) l(d); };

/** Only the glob shapes the test uses: `**` then literal segments. */
const globMatch = (pattern: string, file: string) => new RegExp('^' + pattern.split('**/').map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('(?:.*/)?') + '$').test(file);

const fakeVscode = {
  workspace: {
    get isTrusted() { return state.trusted; },
    textDocuments,
    onDidOpenTextDocument: (l: (d: Doc) => void) => { openListeners.add(l); return { dispose: () => openListeners.delete(l) }; },
    onDidGrantWorkspaceTrust: event(),
    onDidChangeConfiguration: event(),
    getConfiguration: () => ({
      get: (key: string) => settings[key],
      inspect: (key: string) => (key === 'exim.path' ? { globalValue: state.globalEximPath } : undefined),
    }),
  },
  languages: {
    match: (sel: { pattern: string }, d: Doc) => (globMatch(sel.pattern, d.fileName) ? 10 : 0),
    // VS Code closes the document and opens it again under the new language id.
    setTextDocumentLanguage: async (d: Doc, id: string) => { languageSet.push({ file: d.fileName, id }); open({ ...d, languageId: id }); },
  },
  window: {
    createOutputChannel: () => ({ dispose() {}, show() {}, error() {} }),
    createStatusBarItem: () => ({ dispose() {}, show() {}, hide() {} }),
    onDidChangeActiveTextEditor: event(),
    activeTextEditor: undefined,
  },
  commands: { registerCommand: () => disposable },
  StatusBarAlignment: { Left: 1, Right: 2 },
};

class FakeLanguageClient {
  entry: (typeof clients)[number];
  constructor(_id: string, _name: string, _server: unknown, options: (typeof clients)[number]['options']) {
    this.entry = { options, started: 0 };
    clients.push(this.entry);
  }
  start() { this.entry.started++; return Promise.resolve(); }
  isRunning() { return true; }
  sendRequest() { return Promise.resolve(undefined); }
  sendNotification() { return Promise.resolve(); }
  stop() { return Promise.resolve(); }
}

const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = Module._load;
let ext: typeof import('../../client/src/extension');
const context = { subscriptions: [] as { dispose(): void }[], asAbsolutePath: (p: string) => path.join(ROOT, p), workspaceState: { get: () => undefined, update: async () => undefined } };

before(() => {
  Module._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fakeVscode;
    if (request === 'vscode-languageclient/node') {
      clientModuleLoaded = true;
      return { LanguageClient: FakeLanguageClient, TransportKind: { ipc: 1 } };
    }
    return originalLoad.call(this, request, ...rest);
  };
  ext = require('../../client/src/extension');
});

after(() => { Module._load = originalLoad; });

test('the manifest activates the extension once VS Code has started, not only for our languages', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.ok(pkg.activationEvents.includes('onStartupFinished'));
});

test('activation starts no server; a file matching eximPatterns becomes Exim, and that starts it', () => {
  ext.activate(context as never);
  assert.equal(clients.length, 0, 'the server started with no config open');
  assert.equal(clientModuleLoaded, false, 'the language client library was loaded with no config open');
  open(doc('/tmp/notes.txt', 'plaintext'));
  assert.equal(clients.length, 0);
  open(doc('/usr/exim/configure', 'plaintext'));
  assert.deepEqual(languageSet, [{ file: '/usr/exim/configure', id: 'exim' }]);
  assert.equal(clients.length, 1);
  assert.equal(clients[0].started, 1);
  open(doc('/etc/cyrus.conf', 'cyrus-conf'));
  assert.equal(clients.length, 1, 'one server');
});

test('the options the server starts with are read at each start (a restart after a crash sees the current trust and path)', () => {
  const init = clients[0].options.initializationOptions;
  assert.equal(typeof init, 'function');
  assert.deepEqual(init(), { eximPath: '/usr/sbin/exim4', trusted: true, calloutCommand: 'eximCyrus.runCallout' });
  state.trusted = false;
  assert.deepEqual(init(), { eximPath: undefined, trusted: false, calloutCommand: 'eximCyrus.runCallout' });
});
