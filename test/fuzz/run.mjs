// `npm run fuzz -- [--runs N] [filter]`: the property tests of test/fuzz with many runs
// (default 100 000 per property; the Exim test-suite corpus is checked too when present).
// A counterexample is shrunk and saved under test/fuzz/regressions/, where the normal
// `npm test` replays it from then on: commit it with the fix.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const i = args.indexOf('--runs');
const n = i >= 0 ? Number(args[i + 1]) : 100_000;
if (!Number.isFinite(n) || n < 1) {
  console.error('usage: npm run fuzz -- [--runs N] [filter]');
  process.exit(2);
}
const filters = args.filter((a, k) => !a.startsWith('--') && !(i >= 0 && k === i + 1));
let files = readdirSync(here).filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test/fuzz', f));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) { console.error('no fuzz tests matched'); process.exit(2); }
console.log(`fuzzing ${files.join(', ')} with ${n} runs per property`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=0', ...files], {
  cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: String(n) },
});
process.exit(r.status ?? 1);
