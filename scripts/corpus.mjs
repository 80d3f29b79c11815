// `npm run corpus`: compares our Exim findings with what Debian's Exim 4.96 said about each
// conf of Exim's own test suite (labels.tsv in the corpus). Not part of `npm test`: the
// corpus is not shipped with the project.
//
//   node scripts/corpus.mjs [CORPUS_DIR] [--verbose]
//
// CORPUS_DIR defaults to ../shared/corpus/exim-testsuite. The confs are rewritten the way
// Exim's runtest does (subst.pl's substitutions, done here in JS) into a scratch directory
// laid out like the test suite, then all are checked in this one process through the core.
import { loadBundled } from './bundle-core.mjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layOutAux, scratchDir, writeConf } from './testsuite-layout.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const corpus = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(root, '../shared/corpus/exim-testsuite'));

if (!fs.existsSync(path.join(corpus, 'labels.tsv')) || !fs.existsSync(path.join(corpus, 'confs'))) {
  console.log(`corpus not found at ${corpus} (no labels.tsv/confs there): nothing compared.`);
  process.exit(0);
}

// ---- the core, bundled for this process ---------------------------------------------
const scratch = scratchDir('exim-cyrus-corpus-');
const { checkProject, configDiskHost } = await loadBundled(root, `export { checkProject } from './server/src/core/project';
export { configDiskHost } from './server/src/core/host';`);

const DIR = path.join(scratch, 'DIR');
layOutAux(corpus, DIR);

// ---- labels -------------------------------------------------------------------------
const [head, ...rows] = fs.readFileSync(path.join(corpus, 'labels.tsv'), 'utf8').split('\n').filter(Boolean);
const cols = head.split('\t');
const labels = rows.map((r) => Object.fromEntries(r.split('\t').map((c, i) => [cols[i], c])));

const defines = { EXIM_PATH: '/usr/sbin/exim4' };
const base = { cyrusVersion: 'latest', defines };
const shown = (file) => file.startsWith(DIR + '/test-config-') ? 'confs/' + file.slice(DIR.length + 13)
  : file.startsWith(DIR + '/') ? 'DIR/' + file.slice(DIR.length + 1) : file;

function check(name, version) {
  const conf = path.join(DIR, `test-config-${name}`);
  if (!fs.existsSync(conf) && !writeConf(corpus, DIR, name)) return undefined;
  try {
    // Configs written for Exim's test machines: what this machine's permissions make of their paths is not asked.
    return checkProject([{ path: conf, kind: 'exim' }], { ...base, eximVersion: version }, configDiskHost);
  } catch (e) {
    return [{ file: conf, range: { start: { line: 0, character: 0 } }, severity: 'error', code: 'internal', message: `EXCEPTION ${e.stack}` }];
  }
}
const errorsOf = (fs_) => fs_.filter((f) => f.severity === 'error');
const fmt = (f) => `${shown(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.code}: ${f.message}`;

const started = Date.now();
const acceptedBad = [];
const accepted496Bad = [];
const configErr = { total: 0, hit: [], miss: [] };
const newer = { total: 0, ok: 0, bad: [] };
const feature = { total: 0, ok: 0, bad: [], caught496: 0, missed496: [] };
let accepted = 0, skipped = 0;
const codeCounts = new Map();

for (const l of labels) {
  const latest = check(l.file, 'latest');
  if (!latest) { skipped++; continue; }
  for (const f of latest) codeCounts.set(`${f.severity} ${f.code}`, (codeCounts.get(`${f.severity} ${f.code}`) ?? 0) + 1);
  const errs = errorsOf(latest);
  if (l.verdict === 'accept') {
    accepted++;
    if (errs.length) acceptedBad.push({ file: l.file, errs });
    // Debian's 4.96 accepted it, so targeting 4.96 must not find an error either.
    const old = errorsOf(check(l.file, '4.96') ?? []);
    if (old.length) accepted496Bad.push({ file: l.file, errs: old });
  } else if (l.class === 'config-error') {
    configErr.total++;
    const m = /in line (\d+) of (\S+):/.exec(l.exim_message);
    const hit = m
      ? errs.some((f) => f.range.start.line + 1 === Number(m[1]) && shown(f.file) === m[2])
      : errs.length > 0;
    (hit ? configErr.hit : configErr.miss).push({ file: l.file, msg: l.exim_message, errs });
  } else if (l.class === 'newer-option') {
    newer.total++;
    const old = errorsOf(check(l.file, '4.96') ?? []);
    if (!errs.length && old.length) newer.ok++;
    else newer.bad.push({ file: l.file, msg: l.exim_message, latest: errs, old });
  } else if (l.class === 'build-feature') {
    feature.total++;
    if (!errs.length) feature.ok++;
    else feature.bad.push({ file: l.file, errs });
    // The 4.96 target is Debian 12's build, the one that refused these: an error there on Exim's line is a catch.
    const line = /in line (\d+) of/.exec(l.exim_message ?? '')?.[1];
    if (errorsOf(check(l.file, '4.96') ?? []).some((f) => line === undefined || f.range.start.line + 1 === Number(line))) feature.caught496++;
    else feature.missed496.push({ file: l.file, msg: l.exim_message });
  }
}

const pct = (a, b) => b ? `${(100 * a / b).toFixed(1)}%` : 'n/a';
console.log(`Exim test-suite corpus at ${corpus}: ${labels.length} confs (${skipped} directories skipped), ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
console.log(`accepted by Exim with an error from us: ${acceptedBad.length} of ${accepted} (must be 0)`);
for (const a of acceptedBad) {
  console.log(`  ${a.file}`);
  for (const f of a.errs.slice(0, verbose ? 50 : 3)) console.log(`    ${fmt(f)}`);
}
console.log(`accepted by Exim 4.96 with an error from us for --exim-version 4.96: ${accepted496Bad.length} of ${accepted} (must be 0)`);
for (const a of accepted496Bad) {
  console.log(`  ${a.file}`);
  for (const f of a.errs.slice(0, verbose ? 50 : 3)) console.log(`    ${fmt(f)}`);
}
console.log(`\nconfig-error rejects where we report an error on Exim's line: ${configErr.hit.length} of ${configErr.total} (${pct(configErr.hit.length, configErr.total)}, target >= 90%)`);
for (const m of configErr.miss) {
  console.log(`  missed ${m.file}: exim says: ${m.msg}`);
  for (const f of m.errs.slice(0, 3)) console.log(`    we say: ${fmt(f)}`);
}
console.log(`\nnewer-option rejects: clean for latest and an error for 4.96: ${newer.ok} of ${newer.total} (${pct(newer.ok, newer.total)})`);
for (const b of newer.bad) {
  console.log(`  ${b.file}: exim says: ${b.msg}`);
  for (const f of b.latest.slice(0, 3)) console.log(`    latest: ${fmt(f)}`);
  if (!b.old.length) console.log('    4.96: no error reported');
}
console.log(`\nbuild-feature rejects: clean for latest: ${feature.ok} of ${feature.total} (${pct(feature.ok, feature.total)}); an error on Exim's line for --exim-version 4.96 (Debian 12's build, which refused them): ${feature.caught496} of ${feature.total}`);
for (const b of feature.bad) {
  console.log(`  ${b.file}`);
  for (const f of b.errs.slice(0, 3)) console.log(`    ${fmt(f)}`);
}
if (verbose) for (const m of feature.missed496) console.log(`  not caught for 4.96: ${m.file}: ${m.msg}`);
if (verbose) {
  console.log('\nfindings over all confs (latest):');
  for (const [k, n] of [...codeCounts].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${k}`);
}
fs.rmSync(scratch, { recursive: true, force: true });
process.exitCode = acceptedBad.length || accepted496Bad.length ? 1 : 0;
