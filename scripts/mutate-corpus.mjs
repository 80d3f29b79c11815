// Mutation testing against the real Exim: takes the test-suite confs Exim 4.96 accepts,
// makes one small seeded-random change to each copy (a misspelt option, a wrong-typed
// value, a renamed transport, a broken expansion, ...), and asks both the real
// `exim4 -bV` and our checker about the mutant. Where they disagree is a bug of ours, or a
// place where Exim only meets the mistake at run time (where we warn). A developer tool,
// not part of `npm test`: it needs exim4 (run as root, so -C and -D are taken) and the corpus.
//
//   node scripts/mutate-corpus.mjs [CORPUS_DIR] [--count N] [--seed S] [--depth D] [--jobs J]
//        [--exim PATH] [--exim-version 4.96|latest] [--kinds k1,k2] [--report FILE] [--keep]
//
// --keep leaves the mutants (DIR/test-config-NAME.mID) in the scratch directory, to run
// exim4 -C on one again; the last line says where.
//
// --kinds takes kind names and groups: `token` (the default: options, values, names,
// references, ACLs), `lexical` (what the line reader meets: line ends, bytes, continuations,
// comments, macros, directives, quoting; kinds lex-*), `all`.
//
// Lexical disagreements that stand (seeds 1-5 and 6 at depth 2, 400 mutants each):
// - "user X was not found" for a user name with a stray letter or byte in it: Exim looks the
//   name up in this machine's passwd, which says nothing of the machine the config is for;
//   we do not look users up. A name no system can have (white space, a control character,
//   a backslash or quote where no expansion undoes it) is an error since seed 12.
// - Two or more NULs in a file (depth 2): loadInput calls it not a text file (input/
//   unreadable) rather than read it line by line; a single NUL is read as Exim reads it
//   (the line up to it) with a warning.
// - Exim counts lines by LF, an editor also breaks at a lone CR: `on` below maps Exim's line
//   to ours for that; our findings keep the editor's lines.
//
// Classes: false positive (Exim accepts, we report an error), miss (Exim rejects the
// config, we report no error), wrong line (we report errors, none on the line Exim names),
// agree. The same seed and count give the same mutants and the same report.
import { loadBundled } from './bundle-core.mjs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layOutAux, readBytes, scratchDir, writeBytes, writeConf } from './testsuite-layout.mjs';
import { rng, classify, eximMutations, lexicalMutations, AUX, donorsOf, verdict, diff, kindTable, writeReport, runProgram, pool as poolOf, oursOn, errorsOf } from './exim-mutations.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const flagNames = new Set(['--count', '--seed', '--depth', '--jobs', '--exim', '--exim-version', '--kinds', '--report']);
const positional = args.filter((a, i) => !a.startsWith('--') && !flagNames.has(args[i - 1]));
const corpus = path.resolve(positional[0] ?? path.join(root, '../shared/corpus/exim-testsuite'));
const count = Number(flag('--count', '1000'));
const seed = Number(flag('--seed', '1'));
const jobs = Number(flag('--jobs', String(Math.max(1, os.cpus().length))));
const exim = flag('--exim', '/usr/sbin/exim4');
const eximVersion = flag('--exim-version', '4.96');
const depth = Number(flag('--depth', '1'));
const report = path.resolve(flag('--report', path.join(root, 'test-artifacts/mutate-report.txt')));

if (!fs.existsSync(path.join(corpus, 'labels.tsv')) || !fs.existsSync(path.join(corpus, 'confs'))) {
  console.log(`corpus not found at ${corpus} (no labels.tsv/confs there): no mutants made.`);
  process.exit(0);
}
try { fs.accessSync(exim, fs.constants.X_OK); } catch {
  console.log(`${exim} not found or not executable: no mutants made (the real Exim is what they are compared with).`);
  process.exit(0);
}
if (process.getuid && process.getuid() !== 0) {
  console.log('not running as root: exim4 would not take -C and -D from us, so no mutants made.');
  process.exit(0);
}
if (!(count > 0) || !Number.isInteger(seed) || !(jobs > 0) || !(depth >= 1)) {
  console.error('usage: mutate-corpus.mjs [CORPUS_DIR] [--count N>0] [--seed INT] [--depth D>=1] [--jobs J>0] [--exim PATH] [--exim-version 4.96|latest] [--kinds k1,k2] [--report FILE] [--keep]');
  process.exit(2);
}

// ---- the core, bundled for this process ---------------------------------------------
const scratch = scratchDir('exim-cyrus-mutate-');
// Exim reads the sections after the main one, and the files they include, no longer as
// root: mkdtemp's 0700 would make every such .include fail to open.
fs.chmodSync(scratch, 0o755);
const { checkProject, configDiskHost } = await loadBundled(root, `export { checkProject } from './server/src/core/project';
export { configDiskHost } from './server/src/core/host';`);
const DIR = path.join(scratch, 'DIR');
layOutAux(corpus, DIR);
const defines = { EXIM_PATH: '/usr/sbin/exim4' };

/** Single-line settings of every accepted conf, by where they can go: main, a driver, an ACL. */
let donorPool;
const TOKEN = eximMutations(() => donorPool ??= donorsOf(accepted.map(original).filter(Boolean)));
const LEXICAL = lexicalMutations();
const MUTATIONS = { ...TOKEN, ...LEXICAL };
// Groups: the token-level kinds (the default), `lexical`, `all`.
const GROUPS = { token: Object.keys(TOKEN), lexical: Object.keys(LEXICAL), all: Object.keys(MUTATIONS) };
const kinds = flag('--kinds', 'token').split(',').flatMap((k) => GROUPS[k] ?? [k]);
for (const k of kinds) if (!MUTATIONS[k]) { console.error(`unknown mutation kind ${k}; known: ${Object.keys(MUTATIONS).join(', ')}`); process.exit(2); }

// ---- labels and the mutants ---------------------------------------------------------
const [head, ...rows] = fs.readFileSync(path.join(corpus, 'labels.tsv'), 'utf8').split('\n').filter(Boolean);
const cols = head.split('\t');
const accepted = rows.map((row) => Object.fromEntries(row.split('\t').map((c, i) => [cols[i], c])))
  .filter((l) => l.verdict === 'accept').map((l) => l.file).sort();

const originals = new Map(); // name -> { file, text, lines, recs, eol }
function original(name) {
  if (!originals.has(name)) {
    const w = writeConf(corpus, DIR, name);
    if (!w) { originals.set(name, undefined); return undefined; }
    const text = readBytes(w.file);
    const lines = text.split('\n');
    const last = lines.at(-1) === '' ? lines.pop() : undefined;
    originals.set(name, { file: w.file, text, lines, recs: classify(lines), trailing: last !== undefined });
  }
  return originals.get(name);
}

const r = rng(seed);
const mutants = [];
const seen = new Set();
for (let tries = 0; mutants.length < count && tries < count * 20; tries++) {
  const name = r.pick(accepted);
  const kind = r.pick(kinds);
  const o = original(name);
  if (!o) continue;
  let out = MUTATIONS[kind](r, o.lines, o.recs);
  if (!out) continue;
  // --depth D: D mutations of one conf, the later ones applied to the text the earlier made.
  for (let d = 1; d < depth && out; d++) {
    const again = MUTATIONS[r.pick(kinds)](r, out, classify(out));
    if (again) out = again;
  }
  const id = mutants.length;
  const file = path.join(DIR, `test-config-${name}.m${id}`);
  let text = out.join('\n') + (out.trailing ?? o.trailing ? '\n' : '');
  if (text === o.text || seen.has(text)) continue;
  seen.add(text);
  if (out.aux !== undefined) {
    text = text.replaceAll(AUX, file + '.inc');
    writeBytes(file + '.inc', out.aux);
  }
  writeBytes(file, text);
  mutants.push({ id, name, kind, file, lines: out });
}

// ---- the real Exim --------------------------------------------------------------------
const runExim = (file) => runProgram(exim, [`-DEXIM_PATH=/usr/sbin/exim4`, '-C', file, '-bV'], { cwd: scratch });
const pool = (items, fn) => poolOf(items, jobs, fn);
const started = Date.now();
const usedNames = [...new Set(mutants.map((m) => m.name))].sort();
const origVerdicts = await pool(usedNames, async (n) => verdict(await runExim(originals.get(n).file)));
const origOk = new Map(usedNames.map((n, i) => [n, origVerdicts[i].kind === 'accept']));
const skippedOriginals = usedNames.filter((n) => !origOk.get(n));
const live = mutants.filter((m) => origOk.get(m.name));
const eximVerdicts = await pool(live, async (m) => verdict(await runExim(m.file)));

// ---- our checker ----------------------------------------------------------------------
const opts = { eximVersion, cyrusVersion: 'latest', defines };
// exim -bV reads no TLS file and connects to no socket: this machine's permissions are not compared.
const ours = (file) => oursOn(checkProject, file, opts, configDiskHost);
const origErrs = new Map(usedNames.filter((n) => origOk.get(n)).map((n) => [n, errorsOf(ours(originals.get(n).file)).length]));

/**
 * Whether a finding names Exim's line: it touches the logical line Exim's line ends (Exim
 * counts a setting continued with "\\" at its last physical line, we point at its name),
 * or one of its related lines does (an unclosed .ifdef is reported where it opens, and names
 * the end of the file, where Exim notices).
 */
const on = (ex) => {
  const file = path.resolve(scratch, ex.file);
  let first = ex.line;
  const text = fs.existsSync(file) ? readBytes(file).split('\n') : [];
  while (first > 1 && /\\\s*$/.test(text[first - 2] ?? '')) first--;
  // Exim counts lines by LF, we (as an editor) break at a lone CR too: Exim's line n is our
  // lines from lsp(n) to lsp(n) + its lone CRs.
  const lone = (n) => ((text[n - 1] ?? '').replace(/\r$/, '').match(/\r/g) ?? []).length;
  const lsp = (n) => { let a = n; for (let i = 1; i < n; i++) a += lone(i); return a; };
  const from = lsp(first), to = lsp(ex.line) + lone(ex.line);
  const covers = (f, loc) => path.resolve(f) === file && loc.start.line + 1 <= to && from <= (loc.end ?? loc.start).line + 1;
  return (f) => covers(f.file, f.range) || (f.related ?? []).some((r) => covers(r.file, r.range));
};
const results = live.map((m, i) => {
  const ex = eximVerdicts[i];
  const t0 = Date.now();
  const all = ours(m.file);
  const ms = Date.now() - t0;
  const errs = errorsOf(all);
  let cls;
  if (ex.kind === 'timeout') cls = 'exim-timeout';
  else if (ex.kind === 'accept') cls = errs.length ? 'false-positive' : 'agree';
  else if (!errs.length) cls = !ex.config ? 'miss-other' : ex.line !== undefined && all.some(on(ex)) ? 'miss-warned' : 'miss';
  else if (ex.line === undefined) cls = 'agree';
  else cls = errs.some(on(ex)) ? 'agree' : 'wrong-line';
  if (origErrs.get(m.name)) cls = 'original-has-errors';
  return { ...m, ex, all, errs, cls, ms };
});

// ---- summary and report ---------------------------------------------------------------
const shown = (p) => p.startsWith(DIR + '/') ? 'DIR/' + p.slice(DIR.length + 1) : p;
const out = [];
out.push(`mutants of ${accepted.length} accepted confs, seed ${seed}, depth ${depth}, ${mutants.length} made, ${live.length} compared (${skippedOriginals.length} originals not accepted here: ${skippedOriginals.join(' ') || 'none'}), our target Exim ${eximVersion}, ${((Date.now() - started) / 1000).toFixed(1)}s`);
out.push('');
out.push(...kindTable(results));
out.push('FP: Exim accepts, we report an error. miss: Exim reports a config error, we no error');
out.push('(missW: but a warning on its line). missO: Exim fails otherwise, we report no error.');
out.push('wline: we report errors, none on (or related to) the line Exim names.');
const slow = results.filter((x) => x.ms > 2000);
if (slow.length) out.push(`slow checks (>2s): ${slow.map((x) => `#${x.id} ${x.ms}ms`).join(', ')}`);
const summary = out.join('\n');
console.log(summary);

writeReport(report, summary, results, (x) => [
  `--- #${x.id} ${x.kind} of confs/${x.name} (line numbers of the mutant)`,
  diff(originals.get(x.name).lines, x.lines).replace(/[\x00-\x08\x0b-\x1f\x7f-\xff]/g, (c) => `<${c.charCodeAt(0).toString(16).padStart(2, '0')}>`).slice(0, 3000),
  ...(x.lines.aux !== undefined ? [`aux: ${JSON.stringify(x.lines.aux)}`] : []),
  `exim: ${x.ex.kind === 'accept' ? 'accepted' : x.ex.message ?? x.ex.kind}`.replaceAll(DIR + '/', 'DIR/'),
], shown);
if (args.includes('--keep')) console.log(`mutants kept in ${DIR} (run exim4 -C there with cwd ${scratch})`);
else fs.rmSync(scratch, { recursive: true, force: true });
