// Whole-process comparisons: our CLI over the whole corpus in one process against the real
// `exim4 -bV` per config, and our callout against swaks. Wall time of the child process,
// spawned the same way for both sides, measured in one run and interleaved.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { median } from './stats.mjs';

export const EXIM = '/usr/sbin/exim4';
export const SWAKS = ['/usr/bin/swaks', '/usr/local/bin/swaks'].find((p) => fs.existsSync(p));

function timed(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, timeout: 120_000, ...opts });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '', error: r.error };
}

export function eximMissingReason() {
  if (!fs.existsSync(EXIM)) return `${EXIM} is not installed`;
  if (process.getuid?.() !== 0) return 'exim4 -C/-D needs root (run the bench as root to compare)';
  return undefined;
}

/** Evenly spread sample of n items (deterministic). */
export function sample(xs, n) {
  if (xs.length <= n) return xs;
  const out = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.floor(i * xs.length / n)]);
  return out;
}

export function cliVersusExim(root, confs, runs, eximSample) {
  const cli = `${root}/dist/cli.js`;
  const args = [cli, 'check', '--format', 'json', '-D', 'EXIM_PATH=/usr/sbin/exim4', ...confs.flatMap((c) => ['--exim', c.file])];
  const ours = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const r = timed(process.execPath, args);
    if (r.error || (r.status !== 0 && r.status !== 1)) throw new Error(`exim-cyrus check failed (${r.status}): ${r.stderr.slice(0, 500)}`);
    ours.push(r.ms);
    findings = JSON.parse(r.stdout).diagnostics.length;
  }
  const oursMs = median(ours);
  const out = { confs: confs.length, oursTotalMs: oursMs, oursPerConfigMs: oursMs / confs.length, findings };
  const missing = eximMissingReason();
  if (missing) return { ...out, eximSkipped: missing };
  const picked = sample(confs, eximSample);
  const per = [];
  for (const c of picked) {
    const times = [];
    for (let i = 0; i < Math.max(1, Math.min(runs, 3)); i++) {
      times.push(timed(EXIM, ['-DEXIM_PATH=/usr/sbin/exim4', '-C', c.file, '-bV'], { timeout: 30_000 }).ms);
    }
    per.push(median(times));
  }
  const eximPer = median(per);
  return { ...out, eximSample: picked.length, eximPerConfigMs: eximPer, ratio: eximPer / out.oursPerConfigMs };
}

/**
 * Our callout against swaks on one target, whole process, interleaved run by run. Measured
 * twice: with the environment as it is, and with NODE_EXTRA_CA_CERTS unset for both tools.
 * Node 20 parses that file's certificates at start-up, before any of our code runs (our CLI
 * never uses TLS), so the second figure is what our own code costs; `node -e 0` shows
 * node's fixed start-up beside them.
 */
export function calloutVersusSwaks(root, target, recipient, runs) {
  const [host, port] = target.split(':');
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS || undefined;
  const unset = { ...process.env };
  delete unset.NODE_EXTRA_CA_CERTS;
  const envs = extraCerts ? { asIs: process.env, unset } : { unset };
  const ours = [process.execPath, [`${root}/dist/cli.js`, 'callout', '--target', target, '--lhlo', 'bench.localhost', '--from', 'bench@example.com', '--format', 'json', recipient]];
  const swaks = [SWAKS, ['--protocol', 'LMTP', '--quit-after', 'RCPT', '--server', host, '--port', port, '--helo', 'bench.localhost', '--from', 'bench@example.com', '--to', recipient, '--suppress-data']];
  const bare = [process.execPath, ['-e', '0']];
  const times = {};
  let oursOutcome = '', swaksStatus = 0;
  // One round first, not counted: the first spawns pay for cold caches, on both sides.
  for (const env of Object.values(envs)) for (const [cmd, args] of [ours, swaks, bare]) timed(cmd, args, { env });
  for (let i = 0; i < runs; i++) {
    for (const [name, env] of Object.entries(envs)) {
      const t = (times[name] ??= { ours: [], swaks: [], node: [] });
      const a = timed(...ours, { env });
      t.ours.push(a.ms);
      try { oursOutcome = JSON.parse(a.stdout).outcome?.kind ?? `exit ${a.status}`; } catch { oursOutcome = `exit ${a.status}`; }
      const b = timed(...swaks, { env });
      t.swaks.push(b.ms);
      swaksStatus = b.status;
      t.node.push(timed(...bare, { env }).ms);
    }
  }
  const figures = Object.fromEntries(Object.entries(times).map(([name, t]) => {
    const o = median(t.ours), s = median(t.swaks);
    return [name, { oursMs: o, swaksMs: s, nodeMs: median(t.node), ratio: o / s }];
  }));
  return { runs, extraCerts, ...figures, oursOutcome, swaksStatus };
}
