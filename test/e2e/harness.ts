// Runs VS Code for real: code-server on a free loopback port in a temp directory, driven
// by Debian's Chromium through playwright-core. A workbench page opened with a `payload`
// (extensionDevelopmentPath, extensionTestsPath) runs a bundled in-host test index inside
// the server's extension host, with the full `vscode` API; its exit code arrives through
// the smoke-test driver's `codeAutomationExit`. Everything is bounded in time and cleaned
// up (the whole code-server process group, the browser, the temp directory).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, codeServerPath } from './tools';

export const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const VERBOSE = !!process.env.E2E_VERBOSE;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A temp directory tree for one run: code-server's state, workspaces, bundles. */
export class Scratch {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-e2e-'));
  readonly userData = this.dir('user-data');
  readonly extensions = this.dir('extensions');

  dir(...parts: string[]): string {
    const p = path.join(this.root, ...parts);
    fs.mkdirSync(p, { recursive: true });
    return p;
  }

  /** A fresh copy of examples/NAME. */
  copyExample(name: string, as = name): string {
    const dest = path.join(this.root, 'ws', as);
    fs.cpSync(path.join(ROOT, 'examples', name), dest, { recursive: true });
    return dest;
  }

  remove(): void {
    if (process.env.E2E_KEEP) { console.error(`e2e: kept ${this.root}`); return; }
    fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Bundles an in-host test entry (mocha included, `vscode` external) into outDir/index.js. */
export async function bundleHostSuite(entry: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'index.js');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'error',
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return outfile;
}

/**
 * Packs the working tree into a .vsix as `npm run package` does, minus its build step:
 * `npm test` has just built dist/, and rebuilding it here could race other test files
 * that run dist/server.js.
 */
export function packageVsix(outFile: string): void {
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) {
    const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (b.status !== 0) throw new Error(`npm run build failed:\n${b.stdout}\n${b.stderr}`);
  }
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', outFile],
    { cwd: ROOT, encoding: 'utf8', timeout: 240_000, input: '' });
  if (r.status !== 0 || !fs.existsSync(outFile)) throw new Error(`packaging the .vsix failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

function codeServerEnv(scratch: Scratch, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // Keep code-server's config, state and logs inside the scratch directory.
  env.XDG_CONFIG_HOME = scratch.dir('xdg-config');
  env.XDG_DATA_HOME = scratch.dir('xdg-data');
  env.XDG_CACHE_HOME = scratch.dir('xdg-cache');
  for (const k of ['PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'VSCODE_PROXY_URI', 'NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE']) delete env[k];
  delete env.npm_config_nodedir;
  // No marketplace: the workbench would otherwise query one on start. Loopback port 9
  // refuses at once, so nothing leaves the machine.
  env.EXTENSIONS_GALLERY = JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item', resourceUrlTemplate: 'http://127.0.0.1:9/{publisher}/{name}/{version}/{path}' });
  return env;
}

/** `code-server --install-extension FILE` into the scratch extensions directory. */
export function installExtension(scratch: Scratch, vsix: string): string {
  const bin = codeServerPath();
  if (!bin) throw new Error('code-server is not installed');
  const r = spawnSync(bin, ['--user-data-dir', scratch.userData, '--extensions-dir', scratch.extensions, '--install-extension', vsix, '--force'], {
    env: codeServerEnv(scratch, {}), encoding: 'utf8', timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

// Process groups still running, killed if this process exits or is told to stop before
// the test's own clean-up runs (code-server is detached into its own group).
const liveGroups = new Set<number>();
function killLiveGroups(): void {
  for (const pid of liveGroups) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
  liveGroups.clear();
}
process.once('exit', killLiveGroups);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => { killLiveGroups(); process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1)); });
}

export interface CodeServerOptions {
  /** A separate user-data and extensions directory under the scratch root, for a second server. */
  profile?: string;
  /** Leave Workspace Trust on (code-server's default): folders open in Restricted Mode. */
  workspaceTrust?: boolean;
  /** Remote ("Machine") settings, where machine-scoped settings such as eximCyrus.exim.path live. */
  machineSettings?: Record<string, unknown>;
  timeoutMs?: number;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

export class CodeServer {
  private constructor(readonly proc: ChildProcess, readonly port: number, readonly output: string[]) {}

  get origin(): string { return `http://127.0.0.1:${this.port}`; }

  /** A file path on the server as the workbench addresses it. */
  remoteUri(p: string): string { return `vscode-remote://127.0.0.1:${this.port}${encodeURI(p)}`; }

  /** The workbench URL for a folder, with an optional smoke-test payload. */
  url(folder: string, payload: [string, string][] = []): string {
    const q = new URLSearchParams({ folder });
    if (payload.length) q.set('payload', JSON.stringify(payload));
    return `${this.origin}/?${q}`;
  }

  static async start(scratch: Scratch, env: Record<string, string>, opts: CodeServerOptions = {}): Promise<CodeServer> {
    const bin = codeServerPath();
    if (!bin) throw new Error('code-server is not installed');
    const userData = opts.profile ? scratch.dir(opts.profile, 'user-data') : scratch.userData;
    const extensions = opts.profile ? scratch.dir(opts.profile, 'extensions') : scratch.extensions;
    const timeoutMs = opts.timeoutMs ?? 60_000;
    writeJson(path.join(userData, 'User', 'settings.json'), {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      // One theme whatever the browser prefers, so token colours are reproducible.
      'workbench.colorTheme': 'Default Dark Modern',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      ...(opts.workspaceTrust
        // Trust on, and no modal "Do you trust the authors?" at start: every folder this
        // browser profile has not trusted (none: the profile is new) opens in Restricted Mode.
        ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' }
        : { 'security.workspace.trust.enabled': false }),
      'chat.disableAIFeatures': true,
      'window.restoreWindows': 'none',
      'files.autoSave': 'off',
    });
    // code-server's workbench is always a remote window: machine-scoped settings are read
    // from the remote ("Machine") settings, not from User/settings.json.
    if (opts.machineSettings) writeJson(path.join(userData, 'Machine', 'settings.json'), opts.machineSettings);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const output: string[] = [];
      const proc = spawn(bin, [
        '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
        '--user-data-dir', userData, '--extensions-dir', extensions,
        '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override', '--reconnection-grace-time', '30', '--ignore-last-opened',
        '--vscode-option', 'enable-smoke-test-driver',
      ], { env: codeServerEnv(scratch, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      if (proc.pid) liveGroups.add(proc.pid);
      const collect = (b: Buffer) => {
        const s = b.toString();
        output.push(s);
        if (VERBOSE) process.stderr.write(`[code-server] ${s}`);
      };
      proc.stdout!.on('data', collect);
      proc.stderr!.on('data', collect);
      const cs = new CodeServer(proc, port, output);
      try {
        await cs.waitReady(timeoutMs);
        return cs;
      } catch (e) {
        lastError = e;
        await cs.stop();
        if (!/EADDRINUSE/.test(output.join(''))) break;
      }
    }
    throw lastError;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited: string | undefined;
    this.proc.once('exit', (code, sig) => { exited = `exited with ${code ?? sig}`; });
    while (Date.now() < deadline) {
      if (exited) throw new Error(`code-server ${exited}:\n${this.output.join('')}`);
      try {
        const r = await fetch(`${this.origin}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (r.ok) return;
      } catch { /* not listening yet */ }
      await sleep(250);
    }
    throw new Error(`code-server did not answer on ${this.origin} within ${timeoutMs} ms:\n${this.output.join('')}`);
  }

  /** SIGTERM to the whole process group, SIGKILL after 5 s. */
  async stop(): Promise<void> {
    const pid = this.proc.pid;
    if (!pid || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise<void>((r) => this.proc.once('exit', () => r()));
    try { process.kill(-pid, 'SIGTERM'); } catch { return; }
    const t = setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await Promise.race([gone, sleep(8000)]);
    clearTimeout(t);
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    liveGroups.delete(pid);
  }
}

export class Browser {
  private constructor(readonly context: BrowserContext, private readonly profile: string) {}

  static async launch(scratch: Scratch): Promise<Browser> {
    const executablePath = chromiumPath();
    if (!executablePath) throw new Error('Chromium is not installed');
    const profile = scratch.dir('chromium-profile');
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1400, height: 900 },
      timeout: 60_000,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    return new Browser(context, profile);
  }

  async close(): Promise<void> {
    await Promise.race([this.context.close().catch(() => undefined), sleep(15_000)]);
    void this.profile;
  }
}

export interface HostResult {
  /** The extension host's exit code: 0 when every in-host test passed. */
  code: number;
  /** The extension host's console (codeAutomationLog). */
  log: string[];
  /** The log files the workbench hands over on exit, if any. */
  files: unknown;
  page: Page;
}

export const HOST_STARTED = 'exim-cyrus-e2e: in-host suite started';

/**
 * Opens a workbench page whose payload runs an in-host test index, and waits for the
 * extension host to exit. The page is left open (the caller closes it).
 */
export async function runInHost(browser: Browser, url: string, timeoutMs: number, label: string, startTimeoutMs = 150_000): Promise<HostResult> {
  const page = await browser.context.newPage();
  const log: string[] = [];
  let done!: (r: { code: number; files: unknown }) => void;
  const exited = new Promise<{ code: number; files: unknown }>((r) => { done = r; });
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const line = `${type}: ${(Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`;
    log.push(line);
    if (VERBOSE) process.stderr.write(`[${label}] ${line}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number, files: unknown) => { done({ code, files }); });
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  let timer: NodeJS.Timeout | undefined;
  let startTimer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: the extension host did not finish within ${timeoutMs / 1000} s\n${log.slice(-40).join('\n')}`)), timeoutMs);
    // The test index logs HOST_STARTED first thing: without it nothing is going to run.
    startTimer = setTimeout(() => {
      if (!log.some((l) => l.includes(HOST_STARTED))) {
        reject(new Error(`${label}: the in-host test index did not start within ${startTimeoutMs / 1000} s (is the payload right?)\n${log.slice(-40).join('\n')}`));
      }
    }, startTimeoutMs);
  });
  try {
    const r = await Promise.race([exited, timeout]);
    return { ...r, log, page };
  } catch (e) {
    await screenshot(page, `${label}-timeout`);
    throw e;
  } finally {
    clearTimeout(timer);
    clearTimeout(startTimer);
  }
}

export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  try {
    await page.screenshot({ path: file, timeout: 15_000 });
    return file;
  } catch {
    return undefined;
  }
}

/** One in-host test result, as the in-host index writes them (suite/report.ts). */
export interface TestRecord { title: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number; error?: string }

export function readResults(file: string): TestRecord[] | undefined {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')) as TestRecord[]; } catch { return undefined; }
}
