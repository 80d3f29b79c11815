// Runs every *.test.ts under test/ and beside the rule families with node's own test
// runner (TypeScript through tsx). Extra arguments are passed on (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
let files = walk('test', []).concat(walk('server/src', []));
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
files.sort();
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
