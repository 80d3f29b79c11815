// The built language server over stdio, driven as an editor drives it: start-up, first
// diagnostics, diagnostics after edits, completion and hover, memory, on the generated
// 20k-line config. Latencies are wall-clock from sending to receiving.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { generateEximConf } from '../generate.mjs';
import { median, quantile, sleep } from './stats.mjs';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

/** The server's resident memory in MB (Linux /proc), or undefined elsewhere. */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch { return undefined; }
}

function positionOf(text, needle, occurrence = 0, offset = 0) {
  let i = -1;
  for (let k = 0; k <= occurrence; k++) { i = text.indexOf(needle, i + 1); if (i < 0) throw new Error(`"${needle}" not found`); }
  i += offset;
  const before = text.slice(0, i);
  return { line: before.split('\n').length - 1, character: i - (before.lastIndexOf('\n') + 1) };
}

/** The environment without NODE_EXTRA_CA_CERTS: node then skips parsing extra CA certificates at start-up. */
export function envWithoutExtraCerts() {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Wall time from spawning the server to the answer to `initialize`. */
async function spawnToInitialize(server, env) {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [...nodeArgs(), server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    return performance.now() - t0;
  } finally {
    conn.dispose();
    proc.kill();
    await new Promise((r) => proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once('exit', r));
  }
}

/**
 * Start-up alone, `runs` times (medians), in the environment as it is and without
 * NODE_EXTRA_CA_CERTS, interleaved so both see the same machine load.
 */
export async function startupBench(root, { runs = 7 } = {}) {
  const server = path.join(root, 'dist/server.js');
  const asIs = [], noCerts = [];
  const bare = envWithoutExtraCerts();
  for (let i = 0; i < runs; i++) {
    asIs.push(await spawnToInitialize(server, process.env));
    noCerts.push(await spawnToInitialize(server, bare));
  }
  return { initializeMs: median(asIs), initializeNoExtraCertsMs: median(noCerts), extraCerts: !!process.env.NODE_EXTRA_CA_CERTS };
}

export async function lspBench(root, { edits = 30, lines = 20000, settleMs = 30_000 } = {}) {
  const server = path.join(root, 'dist/server.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-bench-lsp-'));
  const file = path.join(dir, 'exim.conf');
  const text = generateEximConf(lines);
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const t0 = performance.now();
  // The server reports the time each check spent in parse + rules and in total (see lsp/diagnostics.ts).
  const env = { ...process.env, EXIM_CYRUS_TIMING: '1' };
  const proc = spawn(process.execPath, [...nodeArgs(), server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  proc.stderr.on('data', () => undefined);
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let waiter;
  let lastDiag;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    lastDiag = { at: performance.now(), version: p.version, count: p.diagnostics.length };
    waiter?.();
  });
  const timings = [];
  conn.onNotification('window/logMessage', (m) => {
    const t = /^timing (\{.*\})$/.exec(m?.message ?? '');
    if (t) timings.push(JSON.parse(t[1]));
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.listen();
  const waitDiag = async (pred, timeoutMs = 60_000) => {
    const deadline = performance.now() + timeoutMs;
    while (!(lastDiag && pred(lastDiag))) {
      if (performance.now() > deadline) throw new Error('no diagnostics within the bound');
      await new Promise((r) => { waiter = r; setTimeout(r, 100); });
    }
    return lastDiag;
  };
  const out = {};
  try {
    await conn.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(dir).toString(), workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'bench' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    out.initializeMs = performance.now() - t0;
    await conn.sendNotification('initialized', {});
    await sleep(200);
    const baseRss = rssMb(proc.pid);
    const tOpen = performance.now();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'exim', version: 1, text } });
    const first = await waitDiag((d) => d.version === 1);
    out.openToDiagnosticsMs = first.at - tOpen;
    out.rssAfterOpenMb = rssMb(proc.pid);
    out.diagnostics = first.count;
    out.lines = text.split('\n').length;

    // Edits: change one ACL line back and forth; each is a full-text change, as many clients send.
    const lat = [];
    const linesArr = text.split('\n');
    const target = linesArr.findIndex((l) => l.startsWith('  deny    domains'));
    for (let k = 0; k < edits; k++) {
      const v = 2 + k;
      const copy = linesArr.slice();
      copy[target] = k % 2 ? linesArr[target] : linesArr[target] + ' : edited.example';
      const tEdit = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: copy.join('\n') }] });
      const d = await waitDiag((x) => x.version === v);
      lat.push({ v, ms: d.at - tEdit });
    }
    out.editRawP50 = median(lat.map((l) => l.ms));
    out.editRawP95 = quantile(lat.map((l) => l.ms), 0.95);
    // The server's own account of each edit's check: parse + rules, everything else it did,
    // and the debounce it waited first (it scales with the file's last check: lsp/diagnostics.ts).
    await sleep(100);
    const delayOf = new Map(timings.filter((t) => t.delayMs !== undefined).map((t) => [t.version, t.delayMs]));
    const delays = lat.map((l) => delayOf.get(l.v)).filter((x) => x !== undefined);
    out.debounceMs = delays.length ? `${Math.min(...delays)}–${Math.max(...delays)}` : '?';
    const after = lat.filter((l) => delayOf.has(l.v)).map((l) => Math.max(0, l.ms - delayOf.get(l.v)));
    out.editP50 = median(after);
    out.editP95 = quantile(after, 0.95);
    const perEdit = timings.filter((t) => t.version >= 2 && t.version < 2 + edits && t.checkMs !== undefined);
    if (perEdit.length) {
      out.checkP50 = median(perEdit.map((t) => t.checkMs));
      out.outsideCheckP50 = median(perEdit.map((t) => t.totalMs - t.checkMs));
      out.outsideCheckP95 = quantile(perEdit.map((t) => t.totalMs - t.checkMs), 0.95);
    }
    const opened = timings.find((t) => t.version === 1 && t.checkMs !== undefined);
    if (opened) out.openCheckMs = opened.checkMs;

    // Completion and hover on the (now current) text.
    const cur = text;
    const td = { uri };
    const comp = [], hov = [];
    const cpos = positionOf(cur, '  transport = lmtp_', 3, 14);
    const hpos = positionOf(cur, '  batch_max', 5, 4);
    // The text is back to the original after an even number of edits; make it so.
    if (edits % 2) await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 + edits }, contentChanges: [{ text: cur }] });
    for (let k = 0; k < 20; k++) {
      let t = performance.now();
      const items = await conn.sendRequest('textDocument/completion', { textDocument: td, position: cpos });
      comp.push(performance.now() - t);
      if (k === 0) out.completionItems = Array.isArray(items) ? items.length : items?.items?.length ?? 0;
      t = performance.now();
      const h = await conn.sendRequest('textDocument/hover', { textDocument: td, position: hpos });
      hov.push(performance.now() - t);
      if (k === 0) out.hoverFound = !!h;
    }
    out.completionP50 = median(comp);
    out.completionP95 = quantile(comp, 0.95);
    out.hoverP50 = median(hov);
    out.hoverP95 = quantile(hov, 0.95);
    out.rssMb = rssMb(proc.pid);
    out.rssBeforeOpenMb = baseRss;
    // What the server holds once idle: V8 returns the garbage of the burst to the system only
    // when its memory reducer runs, some seconds after allocation stops. Wait (bounded) until
    // the figure has dropped and stayed put for 2 s.
    if (out.rssMb !== undefined) {
      const settleStart = performance.now();
      let low = out.rssMb, stableSince = performance.now();
      while (performance.now() - settleStart < settleMs) {
        await sleep(500);
        const now = rssMb(proc.pid);
        if (now === undefined) break;
        if (now < low - 1) { low = now; stableSince = performance.now(); }
        else if (low < out.rssMb * 0.9 && performance.now() - stableSince >= 2000) break;
      }
      out.rssSettledMb = low;
      out.rssSettledAfterS = low < out.rssMb - 1 ? (stableSince - settleStart) / 1000 : undefined;
    }
    try {
      await Promise.race([conn.sendRequest('shutdown'), sleep(2000)]);
      await conn.sendNotification('exit');
    } catch { /* gone */ }
  } finally {
    await sleep(100);
    conn.dispose();
    if (proc.exitCode === null) proc.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Extra node flags for the server (e.g. `--cpu-prof`), which NODE_OPTIONS may not carry. */
function nodeArgs() {
  return (process.env.EXIM_CYRUS_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

export function bundleSizes(root) {
  const out = {};
  for (const f of ['server.js', 'server-checker.js', 'server-callout.js', 'cli.js', 'cli-check.js', 'cli-callout.js', 'cli-callout-targets.js', 'extension.js']) {
    const p = path.join(root, 'dist', f);
    out[f] = fs.existsSync(p) ? fs.statSync(p).size : undefined;
  }
  return out;
}
