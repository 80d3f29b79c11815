// In-process throughput: parse + every check through the core, texts held in memory so the
// figure is the checker's, not the disk's. Each run repeats until it has taken a measurable
// time; the median run is reported. CPU time is used as well as wall time, because the
// bench machine may be shared and CPU time is what the checker itself costs.
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { generateEximConf, generateCyrus, generatePairing } from '../generate.mjs';
import { median, cpuMs } from './stats.mjs';

function memoryHost(core, files) {
  return core.overlayHost(new Map([...files].map(([f, t]) => [path.resolve(f), t])), {
    readFile: () => undefined, readDir: () => undefined, isDirectory: () => false,
  });
}

/** Runs `once` `runs` times after one warm-up; medians of CPU and wall time in ms. */
function measure(once, runs) {
  once();
  const cpu = [], wall = [];
  for (let i = 0; i < runs; i++) {
    const m = cpuMs(once);
    cpu.push(m.cpu); wall.push(m.wall);
  }
  return { cpuMs: median(cpu), wallMs: median(wall), runs };
}

export function eximCorpusThroughput(core, confs, readText, runs) {
  const files = new Map(confs.map((c) => [c.file, readText(c.file)]));
  // Included files (aux-fixed, aux-var) are read from the disk once, by the snapshot host the
  // CLI uses, and then held in memory like the configs: the figure is the checker's, not the disk's.
  const host = core.overlayHost(new Map([...files].map(([f, t]) => [path.resolve(f), t])), core.cachingDiskHost());
  const opts = { ...core.defaultOptions, defines: { EXIM_PATH: '/usr/sbin/exim4' } };
  const bytes = [...files.values()].reduce((a, t) => a + Buffer.byteLength(t, 'latin1'), 0);
  const pass = () => { for (const c of confs) core.checkProject([{ path: c.file, kind: 'exim' }], opts, host); };
  const m = measure(pass, runs);
  // The same once the code is warm (as a long-lived server runs it): how much of the figure
  // above is the checker's own work and how much the JIT compiler's warming up.
  for (let i = 0; i < 10; i++) pass();
  const warm = measure(pass, runs);
  return {
    ...m, files: confs.length, bytes, mbPerS: bytes / 1e6 / (m.cpuMs / 1000), perConfigMs: m.cpuMs / confs.length,
    warmMbPerS: bytes / 1e6 / (warm.cpuMs / 1000), warmPerConfigMs: warm.cpuMs / confs.length,
  };
}

export function cyrusThroughput(core, inputs, runs) {
  // Tiny files: repeat each run until there is enough work to time.
  const host = memoryHost(core, new Map(inputs.map((i) => [i.file, i.text])));
  const bytes = inputs.reduce((a, i) => a + Buffer.byteLength(i.text), 0);
  const reps = Math.max(1, Math.ceil(2e6 / Math.max(1, bytes)));
  const opts = core.defaultOptions;
  const once = () => {
    for (let r = 0; r < reps; r++) for (const i of inputs) {
      if (i.kind === 'cyrus-conf') core.checkCyrusConf(core.loadCyrusConf(i.file, opts, host), opts);
      else core.checkImapdConf(core.loadImapdConf(i.file, opts, host), opts);
    }
  };
  const m = measure(once, runs);
  return { ...m, files: inputs.length, bytes: bytes * reps, mbPerS: bytes * reps / 1e6 / (m.cpuMs / 1000) };
}

/**
 * One generated config through checkProject, as the CLI and the editor check it: the Exim
 * rules and the link rules that need no Cyrus file (e.g. IPv6 addresses in colon lists).
 * `eximOnlyMs` is the Exim rule families alone (loadExim + checkExim), for comparison.
 */
export function generatedEximCheck(core, lines, runs) {
  const text = generateEximConf(lines);
  const file = path.resolve('/bench-virtual/exim.conf');
  const host = memoryHost(core, new Map([[file, text]]));
  const opts = core.defaultOptions;
  let findings = 0, eximFindings = 0;
  // Steady state, as in an editor re-checking it: a 20k-line config takes about five runs
  // before the optimised code is all there (the CLI's figure is the cold one).
  for (let i = 0; i < 5; i++) core.checkProject([{ path: file, kind: 'exim' }], opts, host);
  const m = measure(() => { findings = core.checkProject([{ path: file, kind: 'exim' }], opts, host).length; }, runs);
  const e = measure(() => { eximFindings = core.checkExim(core.loadExim(file, opts, host), opts).length; }, runs);
  return { ...m, lines: text.split('\n').length, bytes: text.length, findings, eximFindings, eximOnlyMs: e.cpuMs, mbPerS: text.length / 1e6 / (m.cpuMs / 1000) };
}

/**
 * Where the Exim rules' time goes on the generated config: each family timed in the order
 * the check runs them, on a freshly loaded model each run (so indexes one family builds and
 * the next reuses are charged to the first, as in a real check). Medians, slowest first.
 */
export function eximRuleFamilies(core, lines, runs) {
  const text = generateEximConf(lines);
  const file = path.resolve('/bench-virtual/exim.conf');
  const host = memoryHost(core, new Map([[file, text]]));
  const opts = core.defaultOptions;
  const times = new Map(Object.keys(core.EXIM_RULE_FAMILIES).map((k) => [k, []]));
  for (let r = -2; r < runs; r++) {
    const cfg = core.loadExim(file, opts, host);
    for (const [name, rule] of Object.entries(core.EXIM_RULE_FAMILIES)) {
      const t = performance.now();
      rule(cfg, opts);
      if (r >= 0) times.get(name).push(performance.now() - t);
    }
  }
  return [...times].map(([name, ms]) => ({ name, ms: median(ms) })).sort((a, b) => b.ms - a.ms);
}

/**
 * The generated hosting pairing (generatePairing) through checkProject with its Cyrus files:
 * parse, the Exim and Cyrus rules, and the link rules walking every domain through the ACL.
 */
export function generatedPairingCheck(core, domains, statements, runs) {
  const g = generatePairing(domains, statements);
  const dir = path.resolve('/bench-virtual/pairing');
  const files = [['exim.conf', g.exim, 'exim'], ['cyrus.conf', g.cyrus, 'cyrus-conf'], ['imapd.conf', g.imapd, 'imapd-conf']].map(([n, text, kind]) => ({ path: path.join(dir, n), text, kind }));
  const host = memoryHost(core, new Map(files.map((f) => [f.path, f.text])));
  const inputs = files.map((f) => ({ path: f.path, kind: f.kind }));
  let findings = 0;
  core.checkProject(inputs, core.defaultOptions, host);
  const m = measure(() => { findings = core.checkProject(inputs, core.defaultOptions, host).length; }, runs);
  return { ...m, findings };
}

/**
 * What the loaded and checked model of the generated config keeps alive: heap in use after
 * full collections with the model held, minus the same without it (MB). What an editor
 * holds per open config, whatever the garbage collector's timing.
 */
export function generatedEximRetained(core, lines) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const text = generateEximConf(lines);
  const file = path.resolve('/bench-virtual/exim.conf');
  const host = memoryHost(core, new Map([[file, text]]));
  const opts = core.defaultOptions;
  const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
  const before = heap();
  let cfg = core.loadExim(file, opts, host);
  const findings = core.checkExim(cfg, opts);
  const held = heap();
  const out = { modelMb: (held - before) / 1e6, findings: findings.length, textMb: text.length / 1e6 };
  cfg = undefined;
  return out;
}

/** Pathological 1 MB inputs: the checker must stay linear on them. */
export function pathologicalInputs() {
  const MB = 1 << 20;
  const fill = (unit, prefix = '') => (prefix + unit.repeat(Math.ceil(MB / unit.length))).slice(0, MB);
  return [
    { name: 'nested ${ (1 MB)', text: fill('${', 'x = ') },
    { name: '10 000 continuation lines', text: 'received_header_text = X \\\n' + '  ${if eq{$domain}{x}{y}{z}} \\\n'.repeat(10000) + '  end\n' },
    { name: 'one 1 MB line', text: fill('${lookup{$local_part}lsearch{/etc/x}} : ', 'domainlist big = ') },
    { name: 'backslashes and quotes (1 MB)', text: fill('"\\\\${:}\\', 'primary_hostname = ') },
    { name: '.ifdef nesting, 1 MB', text: fill('.ifdef X\n.ifndef Y\nfoo = bar\n.endif\n.endif\n') },
  ];
}

export function pathological(core, runs) {
  const out = [];
  const opts = core.defaultOptions;
  for (const p of pathologicalInputs()) {
    const file = path.resolve('/bench-virtual/patho.conf');
    const host = memoryHost(core, new Map([[file, p.text]]));
    const m = measure(() => core.checkExim(core.loadExim(file, opts, host), opts), Math.max(1, Math.min(runs, 3)));
    out.push({ name: p.name, bytes: p.text.length, ...m, msPerKB: m.cpuMs / (p.text.length / 1024) });
  }
  return out;
}

export function generatedCyrus(entries = 2000) {
  const g = generateCyrus(entries);
  return [
    { file: path.resolve('/bench-virtual/cyrus.conf'), kind: 'cyrus-conf', text: g.cyrusConf },
    { file: path.resolve('/bench-virtual/imapd.conf'), kind: 'imapd-conf', text: g.imapdConf },
  ];
}
