// `npm run bench`: measured speed of the checker, the CLI, the language server and the
// callout, each beside its target, in one run. Not a test: nothing here fails the build,
// and figures depend on the machine. Medians of several runs.
//
//   node bench/run.mjs [--json] [--runs N] [--quick] [--only inprocess,cli,lsp,callout]
//
// The Exim test-suite corpus (../shared/corpus, or $EXIM_CYRUS_CORPUS) is used when present;
// without it the bench says so and uses generated configurations only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore, loadCyrusHarness } from './lib/core.mjs';
import { findCorpus, layOutCorpus } from './lib/corpus.mjs';
import { cyrusThroughput, eximCorpusThroughput, eximRuleFamilies, generatedCyrus, generatedEximCheck, generatedEximRetained, generatedPairingCheck, pathological } from './lib/inprocess.mjs';
import { calloutVersusSwaks, cliVersusExim, SWAKS } from './lib/processes.mjs';
import { bundleSizes, lspBench, startupBench } from './lib/lsp.mjs';
import { fmt } from './lib/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const runsArg = argv.indexOf('--runs');
const runs = runsArg >= 0 ? Math.max(1, Number(argv[runsArg + 1]) || 5) : quick ? 3 : 7;
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(argv[onlyArg + 1].split(',')) : undefined;
const want = (s) => !only || only.has(s);

const rows = [];
const notes = [];
/** One line of the table: what, measured, target, verdict. */
function row(section, what, value, unit, target, ok) {
  rows.push({ section, what, value, unit, target: target ?? '', ok: ok === undefined ? null : !!ok });
  if (!json) {
    const v = typeof value === 'number' ? fmt(value, value >= 100 ? 0 : value >= 10 ? 1 : 2) : String(value);
    const verdict = ok === undefined ? '' : ok ? 'ok' : 'MISSED';
    console.log(`  ${what.padEnd(58)} ${(v + ' ' + unit).padStart(16)}  ${String(target ?? '').padEnd(14)} ${verdict}`);
  }
}
function section(title) { if (!json) console.log(`\n${title}`); }
function note(s) { notes.push(s); if (!json) console.log(`  - ${s}`); }

const corpusRoot = findCorpus(root);
const layout = corpusRoot ? layOutCorpus(corpusRoot) : undefined;
const readText = (f) => fs.readFileSync(f).toString('latin1');
try {
  if (!json) console.log(`exim-cyrus bench — node ${process.version}, ${runs} runs each (medians), ${new Date().toISOString()}`);
  if (!corpusRoot) note('corpus not found (../shared/corpus or $EXIM_CYRUS_CORPUS): corpus figures skipped, generated inputs only');
  else note(`corpus: ${corpusRoot} (${layout.confs.length} Exim confs, ${layout.cyrus.length} Cyrus examples)`);

  if (want('inprocess')) {
    const core = await loadCore(root);
    section('In-process: parse + all checks (CPU time)');
    if (layout) {
      const e = eximCorpusThroughput(core, layout.confs, readText, runs);
      row('inprocess', `Exim test-suite confs (${e.files} files, ${fmt(e.bytes / 1e6, 2)} MB)`, e.mbPerS, 'MB/s', '>= 50 MB/s', e.mbPerS >= 50);
      row('inprocess', '  per config', e.perConfigMs, 'ms');
      row('inprocess', `  same with the code warm (ten more passes first): ${fmt(e.warmPerConfigMs, 3)} ms per config`, e.warmMbPerS, 'MB/s');
      const cy = cyrusThroughput(core, layout.cyrus.map((c) => ({ ...c, text: readText(c.file) })), runs);
      row('inprocess', `Cyrus examples (${cy.files} files, repeated)`, cy.mbPerS, 'MB/s', '>= 50 MB/s', cy.mbPerS >= 50);
    }
    const gc = cyrusThroughput(core, generatedCyrus(2000), runs);
    row('inprocess', 'generated cyrus.conf + imapd.conf (2000 entries each)', gc.mbPerS, 'MB/s', '>= 50 MB/s', gc.mbPerS >= 50);
    const g = generatedEximCheck(core, 20000, runs);
    row('inprocess', `generated exim.conf (${g.lines} lines, ${fmt(g.bytes / 1e6, 2)} MB): parse + all checks`, g.cpuMs, 'ms');
    row('inprocess', '  same, throughput', g.mbPerS, 'MB/s', '>= 50 MB/s', g.mbPerS >= 50);
    row('inprocess', `  of which the Exim rules alone (${g.eximFindings} of the ${g.findings} findings)`, g.eximOnlyMs, 'ms');
    const slow = eximRuleFamilies(core, 20000, runs).slice(0, 6);
    row('inprocess', `  slowest families: ${slow.map((f) => `${f.name} ${fmt(f.ms, 1)}`).join(', ')} (ms)`, slow.reduce((a, f) => a + f.ms, 0), 'ms');
    const r = generatedEximRetained(core, 20000);
    row('inprocess', `  model + findings kept (heap after GC, text ${fmt(r.textMb, 2)} MB)`, r.modelMb, 'MB');
    const p = generatedPairingCheck(core, 5000, 300, runs);
    row('inprocess', `Exim + Cyrus pairing: a Cyrus router for 5000 domains, 300 ACL statements (${p.findings} findings)`, p.cpuMs, 'ms');
    section('Pathological 1 MB inputs (must stay linear)');
    for (const p of pathological(core, runs)) row('pathological', p.name, p.msPerKB, 'ms/KB', '', undefined);
  }

  if (want('cli') && layout) {
    section('Whole process: exim-cyrus check (whole corpus, one process) vs exim4 -bV (per config)');
    const c = cliVersusExim(root, layout.confs, Math.min(runs, 3), quick ? 10 : 40);
    row('cli', `exim-cyrus check, ${c.confs} confs in one process`, c.oursTotalMs, 'ms');
    row('cli', '  per config', c.oursPerConfigMs, 'ms');
    if (c.eximSkipped) note(`exim4 -bV not compared: ${c.eximSkipped}`);
    else {
      row('cli', `exim4 -bV per config (sample of ${c.eximSample})`, c.eximPerConfigMs, 'ms');
      row('cli', '  exim4 time / our time per config', c.ratio, 'x', '>= 50x', c.ratio >= 50);
    }
  } else if (want('cli')) note('CLI vs exim4 skipped: needs the corpus');

  if (want('lsp')) {
    section('Language server over stdio (dist/server.js), generated 20k-line exim.conf');
    const s = await startupBench(root, { runs: Math.max(runs, 5) });
    // NODE_EXTRA_CA_CERTS makes every node process parse those certificates before running
    // any code; the server never uses TLS, so the second figure is the server's own cost.
    row('lsp', `spawn -> initialize answered${s.extraCerts ? ' (NODE_EXTRA_CA_CERTS set, as here)' : ''}`, s.initializeMs, 'ms', '< 150 ms', s.initializeMs < 150);
    if (s.extraCerts) row('lsp', '  same with NODE_EXTRA_CA_CERTS unset', s.initializeNoExtraCertsMs, 'ms', '< 150 ms', s.initializeNoExtraCertsMs < 150);
    const l = await lspBench(root, { edits: quick ? 10 : 30 });
    row('lsp', `open -> first diagnostics (${l.lines} lines, ${l.diagnostics} diagnostics)`, l.openToDiagnosticsMs, 'ms');
    if (l.openCheckMs !== undefined) row('lsp', '  of which parse + check in the server', l.openCheckMs, 'ms');
    row('lsp', `edit -> diagnostics p50 (after the debounce, ${l.debounceMs} ms here)`, l.editP50, 'ms');
    row('lsp', `edit -> diagnostics p95 (after the debounce)`, l.editP95, 'ms', '< 30 ms', l.editP95 < 30);
    row('lsp', '  same, raw p95 including the debounce', l.editRawP95, 'ms');
    if (l.checkP50 !== undefined) {
      row('lsp', '  edit: parse + check in the server, p50', l.checkP50, 'ms');
      row('lsp', '  edit: rest of the server\'s time until written, p50 / p95', `${fmt(l.outsideCheckP50)} / ${fmt(l.outsideCheckP95)}`, 'ms');
    }
    // The size of a real configuration (Debian's exim4.conf.template is about 2200 lines): what
    // most admins feel as they type. Not a target; the target is the 20k-line figure above.
    const small = await lspBench(root, { edits: quick ? 10 : 30, lines: 3000, settleMs: 0 });
    row('lsp', `  the same on a ${small.lines}-line config (${small.diagnostics} diagnostics): edit -> diagnostics p50 / p95`, `${fmt(small.editP50)} / ${fmt(small.editP95)}`, 'ms');
    row('lsp', `    raw, including the debounce (${small.debounceMs} ms here), p50 / p95`, `${fmt(small.editRawP50)} / ${fmt(small.editRawP95)}`, 'ms');
    row('lsp', `completion p50 / p95 (${l.completionItems} items)`, `${fmt(l.completionP50)} / ${fmt(l.completionP95)}`, 'ms');
    row('lsp', `hover p50 / p95${l.hoverFound ? '' : ' (no hover found!)'}`, `${fmt(l.hoverP50)} / ${fmt(l.hoverP95)}`, 'ms');
    if (l.rssAfterOpenMb !== undefined) row('lsp', 'server memory (RSS) after opening it (first diagnostics received)', l.rssAfterOpenMb, 'MB', '< 80 MB', l.rssAfterOpenMb < 80);
    if (l.rssMb !== undefined) row('lsp', 'server memory (RSS) after opening and editing it, at once', l.rssMb, 'MB', '< 80 MB', l.rssMb < 80);
    if (l.rssSettledMb !== undefined) row('lsp', `  same, settled (idle; lowest within 30 s, ${l.rssSettledAfterS === undefined ? 'V8 gave nothing back' : `reached after ${fmt(l.rssSettledAfterS, 1)} s`})`, l.rssSettledMb, 'MB', '< 80 MB', l.rssSettledMb < 80);
    if (l.rssBeforeOpenMb !== undefined) row('lsp', '  same before opening anything (checker loaded)', l.rssBeforeOpenMb, 'MB');
    const b = bundleSizes(root);
    // The language server is three bundles: the shell read at start-up, the checker it loads
    // when the first file is opened, and the LMTP session it loads at the first callout. The
    // size target is for what an editor reads before it shows diagnostics: the first two.
    const serverOpen = b['server.js'] + (b['server-checker.js'] ?? 0);
    row('lsp', 'bundles of the language server, start-up + first open', serverOpen / 1024, 'KB', '< 400 KB', serverOpen < 400 * 1024);
    row('lsp', '  dist/server.js (read at start-up)', b['server.js'] / 1024, 'KB');
    if (b['server-checker.js'] !== undefined) row('lsp', '  dist/server-checker.js (read at first open)', b['server-checker.js'] / 1024, 'KB');
    if (b['server-callout.js'] !== undefined) row('lsp', '  dist/server-callout.js (read at first callout)', b['server-callout.js'] / 1024, 'KB');
    // The CLI is a dispatcher and a bundle per command; what `check` reads, and what a callout with --target reads.
    row('lsp', 'bundles of exim-cyrus check (dist/cli.js + cli-check.js)', (b['cli.js'] + (b['cli-check.js'] ?? 0)) / 1024, 'KB');
    row('lsp', 'bundles of exim-cyrus callout --target (dist/cli.js + cli-callout.js)', (b['cli.js'] + (b['cli-callout.js'] ?? 0)) / 1024, 'KB');
    row('lsp', 'bundle dist/extension.js', b['extension.js'] / 1024, 'KB');
  }

  if (want('callout')) {
    section('Callout: exim-cyrus callout vs swaks --protocol LMTP --quit-after RCPT (whole process, live Cyrus)');
    const h = await loadCyrusHarness(root);
    const missing = h.cyrusMissingReason() ?? (SWAKS ? undefined : 'swaks is not installed');
    if (missing) note(`callout comparison skipped: ${missing}`);
    else {
      const cy = await h.startCyrus({ mailboxes: ['user/alice@example.com'] });
      try {
        const c = calloutVersusSwaks(root, cy.lmtpTrusted, 'alice@example.com', Math.max(7, runs));
        note(`both ask ${cy.lmtpTrusted} (lmtpd -a) for alice@example.com; ours: outcome ${c.oursOutcome}, swaks: exit ${c.swaksStatus}`);
        const compare = (f, label) => {
          row('callout', `exim-cyrus callout (${label})`, f.oursMs, 'ms');
          row('callout', `swaks (${label})`, f.swaksMs, 'ms');
          row('callout', '  ours / swaks', f.ratio, 'x', '<= 1.0x', f.ratio <= 1.0);
          row('callout', '  node start-up alone (node -e 0), same env', f.nodeMs, 'ms');
        };
        if (c.asIs) compare(c.asIs, 'env as is: NODE_EXTRA_CA_CERTS set');
        if (c.asIs && c.asIs.nodeMs >= c.asIs.swaksMs) {
          note(`with NODE_EXTRA_CA_CERTS set, node's start-up alone (${fmt(c.asIs.nodeMs, 0)} ms) exceeds swaks's whole run: no node program can meet <= 1.0x there`);
        }
        compare(c.unset, c.extraCerts ? 'NODE_EXTRA_CA_CERTS unset for both' : 'NODE_EXTRA_CA_CERTS not set');
      } finally {
        await cy.stop();
      }
    }
  }
} finally {
  layout?.cleanup();
}
if (json) console.log(JSON.stringify({ node: process.version, runs, corpus: corpusRoot ?? null, notes, rows }, null, 2));
