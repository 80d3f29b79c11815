// Every option Exim 4.96 has, set to values of its type that are right, wrong and odd, each in
// a config of its own, judged by the real Exim (`exim4 -C conf -bV`) and by us. Where the
// mutation scripts change working configs at random, this walks the whole option table with
// the same values, so a value Exim reads otherwise than we do shows up for every option that
// reads it. A developer tool, not part of `npm test`: needs Exim and ../shared/reference.
//
//   node scripts/scan-values.mjs [--scope main|drivers|all] [--types t1,t2] [--jobs J]
//        [--report FILE] [--reference DIR]
//
// A config Exim accepts must get no error from us (FALSE-POSITIVE); one it refuses must get an
// error on the line it names (MISS; WRONG-LINE when ours is elsewhere). Exim refusing a user
// or group name this machine lacks is left out: we judge names only where no system has them.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundled } from './bundle-core.mjs';
import { pool } from './exim-mutations.mjs';
import { optionReader } from './lib/options.mjs';
import { readTsv } from './lib/reference.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flag = optionReader(process.argv.slice(2));
const EXIM = '/usr/sbin/exim4';
const refDir = path.resolve(flag('--reference', path.join(root, '../shared/reference')));
const scope = flag('--scope', 'all');
const jobs = Math.max(1, Number(flag('--jobs', String(os.availableParallelism?.() ?? 2))));
const report = flag('--report', path.join(root, 'test-artifacts/scan-values-report.txt'));

function bail(msg) {
  console.error(`scan-values: ${msg}`);
  process.exit(2);
}
if (!fs.existsSync(EXIM)) bail(`${EXIM} is not installed (apt-get install exim4-daemon-heavy)`);
if (!fs.existsSync(path.join(refDir, 'exim-options.tsv'))) bail(`no exim-options.tsv in ${refDir}; pass --reference DIR`);

// Values by the type 4.96 gives the option: valid ones, and the mistakes people make.
const VALUES = {
  integer: ['', '1x', '-1', '99999999999', '9999999999999999999999', '1K', '1M', '0x10', '010', '08', '1.5', '+5', '1KK', '0x', '2147483647', '2147483648', '5 # c'],
  time: ['', '1d2h', '1w', '5', '1.5h', '1h2', '-1s', '1x', '0s', '99999999999s', '1h 2m', '2m1h'],
  boolean: ['true', 'false', 'yes', 'no', '1', 'TRUE', 'maybe', '', 'on'],
  'fixed-point': ['1.5', '1.2345', '1.', '-1', '1e3', 'x', '.5', '99999999'],
  'time list': ['1s : 2s', '1s:x', '', ':'],
  'octal integer': ['0600', '0800', '600', '-1', '99999999999', '0'],
  string: ['', 'bogus', '${if', '$nonexistent_var', '"unterminated', '1', '${lc:X}}', '<; a ; b'],
};
for (const t of ['string list', 'domain list', 'host list', 'address list', 'local part list', 'list']) VALUES[t] = VALUES.string;

// A config Exim loads around one instance of each driver: what each needs besides the option.
const ROUTERS = {
  accept: ['transport = t'], dnslookup: ['transport = t'], manualroute: ['route_list = * localhost', 'transport = t'],
  redirect: ['data = x@example.com'], ipliteral: ['transport = t'], iplookup: ['hosts = localhost', 'port = 53'],
  queryprogram: ['command = /bin/true', 'command_user = nobody'],
};
const TRANSPORTS = { appendfile: ['file = /tmp/x'], smtp: [], lmtp: ['socket = /tmp/s'], pipe: ['command = /bin/true'], autoreply: [] };
const AUTHS = { plaintext: [], cram_md5: [], dovecot: ['server_socket = /tmp/s'], spa: [], cyrus_sasl: [], gsasl: [], heimdal_gssapi: [], tls: [], external: [] };
const indent = (lines) => lines.map((l) => `  ${l}`).join('\n');

function configFor(row, line) {
  const use = row.use;
  if (use === 'main') return { text: `${line}\n`, line: 1 };
  const [kind, driver] = use === 'routers' ? ['r', 'accept'] : use === 'transports' ? ['t', 'appendfile'] : use === 'authenticators' ? ['a', 'plaintext']
    : Object.hasOwn(ROUTERS, use) ? ['r', use] : Object.hasOwn(TRANSPORTS, use) ? ['t', use] : Object.hasOwn(AUTHS, use) ? ['a', use] : [];
  if (!kind) return undefined;
  const transport = 'begin transports\nt:\n  driver = appendfile\n  file = /tmp/x\n';
  if (kind === 'r') {
    const own = ROUTERS[driver];
    return { text: `begin routers\nr:\n  driver = ${driver}\n${indent(own)}${own.length ? '\n' : ''}  ${line}\n${transport}`, line: 4 + own.length };
  }
  if (kind === 't') {
    const own = TRANSPORTS[driver];
    return { text: `begin routers\nr:\n  driver = accept\n  transport = t\nbegin transports\nt:\n  driver = ${driver}\n${indent(own)}${own.length ? '\n' : ''}  ${line}\n`, line: 8 + own.length };
  }
  const own = AUTHS[driver];
  return { text: `begin authenticators\na:\n  driver = ${driver}\n${indent(own)}${own.length ? '\n' : ''}  ${line}\n`, line: 4 + own.length };
}

function runExim(conf) {
  return new Promise((resolve) => {
    const child = spawn(EXIM, ['-C', conf, '-bV'], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/bin', LANG: 'C' } });
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = err.split('\n').filter((l) => l && !/purging the environment|Suggested action/.test(l)).join(' ').replace(/\s+/g, ' ').trim();
      const m = /in line (\d+) of/.exec(text);
      resolve({ refused: code !== 0, line: m ? Number(m[1]) : undefined, text });
    });
  });
}

const rows = readTsv(refDir, 'exim-options.tsv').filter((r) => r.in_4_96 === 'yes'
  && (scope === 'all' || (scope === 'main') === (r.use === 'main')));
const types = flag('--types', undefined)?.split(',');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-scan-'));
fs.chmodSync(dir, 0o755);
const cases = [];
for (const r of rows) {
  const values = VALUES[r.type_4_96];
  if (!values || (types && !types.includes(r.type_4_96))) continue;
  for (const v of values) {
    const c = configFor(r, `${r.name} = ${v}`);
    if (!c) continue;
    const file = path.join(dir, `c${cases.length}.conf`);
    fs.writeFileSync(file, c.text);
    cases.push({ option: `${r.use}.${r.name}`, type: r.type_4_96, value: v, file, line: c.line });
  }
}
console.log(`scan-values: ${cases.length} configs (${rows.length} options, scope ${scope}) in ${dir}`);

const core = await loadBundled(root, [
  "export { checkProject } from './server/src/core/project';",
  "export { defaultOptions } from './server/src/core/options';",
].join('\n'));
const opts = { ...core.defaultOptions, eximVersion: '4.96' };
const t0 = Date.now();
const verdicts = await pool(cases, jobs, (c) => runExim(c.file));
const out = { 'FALSE-POSITIVE': [], MISS: [], 'WRONG-LINE': [] };
let agree = 0, skipped = 0;
cases.forEach((c, i) => {
  const exim = verdicts[i];
  const errors = core.checkProject([{ path: c.file, kind: 'exim' }], opts).filter((f) => f.severity === 'error');
  const ours = errors.map((f) => `${f.range.start.line + 1}: ${f.code} ${f.message}`);
  const head = `${c.option} (${c.type}) = ${JSON.stringify(c.value)}`;
  if (exim.refused && /(user|group) \S* ?was not found/.test(exim.text)) { skipped++; return; }
  if (!exim.refused && errors.length) out['FALSE-POSITIVE'].push(`${head}\n  exim: accepts\n  ours: ${ours.join('\n        ')}`);
  else if (exim.refused && !errors.length) out.MISS.push(`${head}\n  exim: ${exim.text}\n  ours: nothing`);
  else if (exim.refused && exim.line !== undefined && !errors.some((f) => f.range.start.line + 1 === exim.line)) out['WRONG-LINE'].push(`${head}\n  exim: ${exim.text}\n  ours: ${ours.join('\n        ')}`);
  else agree++;
});
fs.rmSync(dir, { recursive: true, force: true });
const summary = `${cases.length} configs in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${agree} agree, ${out['FALSE-POSITIVE'].length} FALSE-POSITIVE, ${out.MISS.length} MISS, ${out['WRONG-LINE'].length} WRONG-LINE, ${skipped} left out (a user or group this machine lacks)`;
const body = Object.entries(out).flatMap(([k, list]) => list.map((s) => `== ${k} ${s}`)).join('\n\n');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.writeFileSync(report, `scan-values --scope ${scope}\n${summary}\n\n${body}\n`);
console.log(summary);
console.log(`report: ${path.relative(process.cwd(), report)}`);
process.exit(out['FALSE-POSITIVE'].length || out.MISS.length || out['WRONG-LINE'].length ? 1 : 0);
