// Speaks LSP to the built server over stdio, as an editor would. Builds dist/server.js
// first when it is missing or older than the sources.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeTree } from '../helpers/temp-tree';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, MessageActionItem, PublishDiagnosticsParams, Registration, ShowMessageRequestParams } from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'dist/server.js');

function newestSource(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

export function ensureBuilt(): void {
  const built = fs.existsSync(SERVER) ? fs.statSync(SERVER).mtimeMs : 0;
  if (built >= newestSource(path.join(ROOT, 'server/src'))) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 && !fs.existsSync(SERVER)) throw new Error('build failed');
}

export { writeTree };

export const uriOf = (p: string) => pathToFileURL(p).toString();

/** What VS Code's language client (vscode-languageclient 9) declares it shows of a published diagnostic, with versionSupport. */
export const VSCODE_PUBLISH_DIAGNOSTICS = Object.freeze({
  relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true,
});

/** What VS Code's language client declares of completion items (the part the server reads). */
export const VSCODE_COMPLETION = Object.freeze({
  completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], deprecatedSupport: true, tagSupport: { valueSet: [1] } },
});

/** What VS Code's language client declares of hovers. */
export const VSCODE_HOVER = Object.freeze({ dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] });

export class TestClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: (() => void)[] = [];
  readonly logs: string[] = [];
  stderr = '';
  private versions = new Map<string, number>();

  constructor(env: Record<string, string> = {}) {
    ensureBuilt();
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => { this.stderr += d; });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      for (const l of this.publishListeners) l(p);
      const w = this.waiters; this.waiters = [];
      for (const f of w) f();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); });
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => { this.messages.push(p); });
    this.conn.onRequest('window/showMessageRequest', (p: ShowMessageRequestParams) => { this.messageRequests.push(p); return this.answerMessage(p); });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('client/registerCapability', (p: { registrations: Registration[] }) => {
      for (const r of p.registrations ?? []) this.registrations.set(r.id, r);
      for (const l of this.registrationListeners) l();
      return null;
    });
    this.conn.onRequest('client/unregisterCapability', (p: { unregisterations: { id: string }[] }) => {
      for (const u of p.unregisterations ?? []) this.registrations.delete(u.id);
      return null;
    });
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.listen();
  }

  settings: Record<string, unknown> = {};
  /** window/showMessage notifications received. */
  readonly messages: { type: number; message: string }[] = [];
  /** window/showMessageRequest requests received, and how to answer them (default: dismissed). */
  readonly messageRequests: ShowMessageRequestParams[] = [];
  answerMessage: (p: ShowMessageRequestParams) => MessageActionItem | null = () => null;
  /** Capabilities the server registered at run time and has not unregistered, by id. */
  readonly registrations = new Map<string, Registration>();
  private readonly registrationListeners = new Set<() => void>();

  /** Waits until the live registrations satisfy `pred`. */
  async waitForRegistrations(pred: (live: Registration[]) => boolean, timeoutMs = 10000): Promise<Registration[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = [...this.registrations.values()];
      if (pred(live)) return live;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for registrations; now: ${JSON.stringify(live)}`);
      await new Promise<void>((res) => {
        const done = () => { clearTimeout(t); this.registrationListeners.delete(done); res(); };
        const t = setTimeout(done, Math.min(left, 200));
        this.registrationListeners.add(done);
      });
    }
  }
  /** Extra observers of every publishDiagnostics (jsonrpc allows one handler per method). */
  readonly publishListeners = new Set<(p: PublishDiagnosticsParams) => void>();

  /**
   * `workspace` is merged into the default workspace capabilities (e.g. to offer dynamic file
   * watching); `publishDiagnostics`, `completion` and `hover` replace VS Code's, which are the default;
   * `textDocument` adds other text-document capabilities (e.g. signatureHelp).
   */
  async initialize(folder: string, initializationOptions: unknown = {}, workspace: Record<string, unknown> = {},
    publishDiagnostics: Record<string, unknown> = VSCODE_PUBLISH_DIAGNOSTICS, completion: Record<string, unknown> = VSCODE_COMPLETION,
    hover: Record<string, unknown> = VSCODE_HOVER, textDocument: Record<string, unknown> = {}): Promise<any> {
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: uriOf(folder), workspaceFolders: [{ uri: uriOf(folder), name: 'ws' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true, ...workspace }, textDocument: { publishDiagnostics, completion, hover, ...textDocument }, window: { workDoneProgress: true } },
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  open(file: string, text: string, languageId: string): void {
    this.versions.set(file, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId, version: 1, text } });
  }

  /** Replaces the whole text (full-document change). */
  change(file: string, text: string): void {
    const v = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, v);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version: v }, contentChanges: [{ text }] });
  }

  save(file: string): void {
    void this.conn.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(file) } });
  }

  /** Waits until the file's latest published diagnostics satisfy `pred`. */
  async waitForDiagnostics(file: string, pred: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const cur = this.diagnostics.get(uri);
      if (cur && pred(cur.diagnostics)) return cur.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for diagnostics of ${file}; last: ${JSON.stringify(cur?.diagnostics.map((d) => d.code))}\n${this.logs.join('\n')}`);
      await new Promise<void>((res) => { const t = setTimeout(res, Math.min(left, 200)); this.waiters.push(() => { clearTimeout(t); res(); }); });
    }
  }

  request<R = any>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 100));
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }

  get alive(): boolean { return this.proc.exitCode === null && !this.proc.killed; }
}

/** A fresh copy of examples/<name> in a temp directory, so tests can edit files freely. */
export function copyExample(name: string): string {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), `exim-cyrus-lsp-${name}-`));
  for (const f of fs.readdirSync(path.join(ROOT, 'examples', name))) fs.copyFileSync(path.join(ROOT, 'examples', name, f), path.join(dir, f));
  return dir;
}

/** The 0-based position of the first occurrence of `needle` (plus `offset` characters). */
export function positionOf(text: string, needle: string, offset = 0, occurrence = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= occurrence; k++) { i = text.indexOf(needle, i + 1); if (i < 0) throw new Error(`"${needle}" not found`); }
  i += offset;
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  return { line, character: i - (before.lastIndexOf('\n') + 1) };
}

/**
 * Scratch folders and servers for one test file, all stopped and removed after its tests:
 * `tree` writes a folder, `client` starts a server with that folder as its workspace.
 */
export function scratch(prefix: string): {
  tree: (files: Record<string, string>, edit?: (text: string, dir: string) => string, name?: string) => string;
  /** `publishDiagnostics`, `completion`, `hover`: the client's capabilities instead of VS Code's. */
  client: (dir: string, initializationOptions?: unknown, publishDiagnostics?: Record<string, unknown>, completion?: Record<string, unknown>, hover?: Record<string, unknown>) => Promise<TestClient>;
} {
  const dirs: string[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    for (const c of clients) await c.shutdown();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    tree: (files, edit, name = prefix) => { const d = writeTree(name, files, edit); dirs.push(d); return d; },
    client: async (dir, initializationOptions, publishDiagnostics, completion, hover) => {
      const c = new TestClient();
      clients.push(c);
      await c.initialize(dir, initializationOptions, {}, publishDiagnostics, completion, hover);
      return c;
    },
  };
}
