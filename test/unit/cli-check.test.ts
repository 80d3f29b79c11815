// Runs the real `exim-cyrus check` as a user would, from its own bundle (test/helpers/cli-bundle.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, useCliBundle } from '../helpers/cli-bundle';
import { systemConfigs } from '../../server/src/cli/system';
import { diskHost } from '../../server/src/core/host';

const bundle = useCliBundle('exim-cyrus-cli-');

function run(args: string[], cwd = bundle.dir) {
  const r = spawnSync(process.execPath, [bundle.cli, 'check', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function write(name: string, text: string): string {
  const p = path.join(bundle.dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

const CLEAN = `primary_hostname = mail.example.com
begin routers
r1:
  driver = accept
  check_local_user
  transport = t1
begin transports
t1:
  driver = appendfile
  file = /var/mail/$local_part_data
`;

// Line 2 names an option Exim does not have: "qualify_domian" for qualify_domain.
const BROKEN = `primary_hostname = mail.example.com
qualify_domian = example.com
`;

test('clean config: exit 0, summary line', () => {
  write('clean/exim.conf', CLEAN);
  const r = run(['clean/exim.conf']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /1 config checked: no problems found\./);
});

test('json: one object, 1-based positions, file as given', () => {
  write('broken/exim.conf', BROKEN);
  const r = run(['--format', 'json', 'broken/exim.conf']);
  assert.equal(r.code, 1, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.version, 1);
  const d = doc.diagnostics.find((x: { code: string }) => x.code === 'exim/unknown-option');
  assert.ok(d, r.out);
  assert.deepEqual([d.file, d.line, d.column, d.endLine, d.endColumn, d.severity], ['broken/exim.conf', 2, 1, 2, 15, 'error']);
  assert.match(d.message, /qualify_domain/);
  assert.deepEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
});

test('text: file:line:col: severity: message [code], no colour when not a TTY', () => {
  write('broken/exim.conf', BROKEN);
  const r = run(['broken/exim.conf']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^broken\/exim\.conf:2:1: error: .*\[exim\/unknown-option\]$/m);
  assert.match(r.out, /1 config checked: 1 error, 0 warnings\.\n$/);
  assert.doesNotMatch(r.out, /\x1b\[/);
});

test('sarif: 2.1.0 with rules and regions', () => {
  write('broken/exim.conf', BROKEN);
  const r = run(['--format=sarif', 'broken/exim.conf']);
  assert.equal(r.code, 1);
  const log = JSON.parse(r.out);
  assert.equal(log.version, '2.1.0');
  const run0 = log.runs[0];
  assert.equal(run0.columnKind, 'utf16CodeUnits');
  const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
  assert.ok(ids.includes('exim/unknown-option'));
  const res = run0.results.find((x: { ruleId: string }) => x.ruleId === 'exim/unknown-option');
  assert.equal(ids[res.ruleIndex], 'exim/unknown-option');
  assert.equal(res.level, 'error');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 15 });
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'broken/exim.conf');
});

test('-D defines a macro the config uses', () => {
  write('macro/exim.conf', `.ifdef USE_BAD\nqualify_domian = x\n.endif\nprimary_hostname = a.example\n`);
  assert.equal(run(['macro/exim.conf']).code, 0);
  const r = run(['-D', 'USE_BAD=1', '--format', 'json', 'macro/exim.conf']);
  assert.equal(r.code, 1, r.out);
  assert.equal(run(['-DUSE_BAD', 'macro/exim.conf']).code, 1);
});

test('--exim-version 4.96 flags options added later', () => {
  write('newer/exim.conf', 'panic_coredump = true\n');
  assert.equal(run(['newer/exim.conf']).code, 0);
  const r = run(['--exim-version', '4.96', '--format', 'json', 'newer/exim.conf']);
  assert.equal(r.code, 1);
  assert.match(JSON.parse(r.out).diagnostics[0].message, /4\.96/);
});

test('usage errors exit 2 with a message', () => {
  for (const args of [['--format', 'xml', 'x'], ['--bogus'], [], ['-D', 'lower=1', 'x'], ['--exim-version', '5']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /exim-cyrus/);
  }
});

test('a usage error of check names check and points at its own --help', () => {
  const r = run(['--format', 'xml', 'x']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^exim-cyrus check: --format must be one of text, json, sarif \(got "xml"\)\nRun "exim-cyrus check --help" for its options\.\n$/);
});

test('unreadable or unknown input exits 2 naming the file', () => {
  let r = run(['no/such/exim.conf']);
  assert.equal(r.code, 2);
  assert.match(r.err, /no\/such\/exim\.conf: no such file/);
  write('mystery.txt', 'hello\n');
  r = run(['mystery.txt']);
  assert.equal(r.code, 2);
  assert.match(r.err, /mystery\.txt: cannot tell which kind of config/);
  r = run(['--exim', 'mystery.txt']);
  assert.notEqual(r.code, 2, r.err);
});

test('an input is refused for the reason that applies, however its path is written', () => {
  write('paths/exim.conf', CLEAN);
  // A file named as a directory does not exist as written, though its resolved path does.
  let r = run(['--exim', 'paths/exim.conf/']);
  assert.equal(r.code, 2);
  assert.match(r.err, /paths\/exim\.conf\/: no such file or directory \(given as --exim\)/);
  r = run(['--exim', 'paths/exim.conf/../exim.conf']);
  assert.equal(r.code, 2);
  assert.match(r.err, /no such file or directory/);
  // A link that leads nowhere is there to see: the message says what it is.
  fs.symlinkSync('/nonexistent/exim.conf', path.join(bundle.dir, 'paths/dangling'));
  r = run(['--exim', 'paths/dangling']);
  assert.equal(r.code, 2);
  assert.match(r.err, /paths\/dangling: a symbolic link to \/nonexistent\/exim\.conf, which does not exist/);
  fs.symlinkSync('loop-b', path.join(bundle.dir, 'paths/loop-a'));
  fs.symlinkSync('loop-a', path.join(bundle.dir, 'paths/loop-b'));
  r = run(['--exim', 'paths/loop-a']);
  assert.equal(r.code, 2);
  assert.match(r.err, /paths\/loop-a: a symbolic link in a loop/);
  r = run(['--exim', '/dev/null']);
  assert.equal(r.code, 2);
  assert.match(r.err, /\/dev\/null: not a regular file/);
  r = run(['--exim', 'paths/./exim.conf']);
  assert.equal(r.code, 0, r.err);
});

test('a binary file is one input/unreadable finding, whatever kind it is given as, not a parse of its bytes', () => {
  // Bytes no config has: NULs among them, as in any compiled or compressed file.
  const bytes = Buffer.from(Array.from({ length: 6000 }, (_, i) => (i * 7919 + (i >> 3) * 31) % 256));
  const p = path.join(bundle.dir, 'binary/blob');
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, bytes);
  for (const flag of ['--exim', '--cyrus', '--imapd']) {
    const r = run(['--format', 'json', flag, 'binary/blob']);
    assert.equal(r.code, 2, `${flag}: ${r.out}`);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /binary\/blob: .*is not a text file \(it holds NUL bytes/);
    assert.doesNotMatch(r.out, /exim\/syntax|cyrus\/syntax|imapd\/syntax/);
  }
  // Control characters without a NUL (e.g. a file of escape sequences) are not text either.
  fs.writeFileSync(p, Buffer.from('\x1b[1m\x01\x02\x03begin routers\x04\x05\n'.repeat(50), 'latin1'));
  const r = run(['--exim', 'binary/blob']);
  assert.equal(r.code, 2, r.out);
  assert.match(r.err, /control characters/);
});

test('--fix applies the suggested replacement, and only with --fix', () => {
  const p = write('fix/exim.conf', BROKEN);
  run(['fix/exim.conf']);
  assert.equal(fs.readFileSync(p, 'utf8'), BROKEN);
  const r = run(['--fix', 'fix/exim.conf']);
  assert.match(r.out, /fixed 1 problem in fix\/exim\.conf/);
  assert.equal(fs.readFileSync(p, 'utf8'), BROKEN.replace('qualify_domian', 'qualify_domain'));
  assert.equal(r.code, 0, r.out);
});

test('many files in one call, and a directory of setups', () => {
  write('multi/a/exim.conf', BROKEN);
  write('multi/b/exim.conf', CLEAN);
  write('multi/README', 'not a config\n');
  const r = run(['--format', 'json', 'multi']);
  assert.equal(r.code, 1, r.err);
  const files = new Set(JSON.parse(r.out).diagnostics.map((d: { file: string }) => d.file));
  assert.deepEqual([...files], [path.join('multi', 'a', 'exim.conf')]);
  const t = run(['multi/a/exim.conf', 'multi/b/exim.conf']);
  assert.match(t.out, /2 configs checked: 1 error/);
});

test('an include shared by several configs: each of its findings is said once', () => {
  write('shared/common.inc', 'qualify_domian = example.com\n');
  write('shared/a/exim.conf', '.include ../common.inc\n');
  write('shared/b/exim.conf', '.include ../common.inc\n');
  for (const args of [['shared/a/exim.conf', 'shared/b/exim.conf'], ['shared/a', 'shared/b']]) {
    const r = run(['--format', 'json', ...args]);
    assert.equal(r.code, 1, r.err);
    const found = JSON.parse(r.out).diagnostics.filter((d: { code: string }) => d.code === 'exim/unknown-option');
    assert.equal(found.length, 1, `${args.join(' ')}: ${r.out}`);
    assert.equal(found[0].file, path.join('shared', 'common.inc'));
  }
  assert.match(run(['shared/a/exim.conf', 'shared/b/exim.conf']).out, /2 configs checked: 1 error,/);
});

test('the examples: reference clean of errors, broken reported', () => {
  const r = run(['--format', 'json', 'examples/reference'], ROOT);
  const errs = JSON.parse(r.out).diagnostics.filter((d: { severity: string }) => d.severity === 'error');
  assert.deepEqual(errs, []);
});

test('a link finding names the other file\'s line: indented in text, relatedLocations in SARIF, related in JSON', () => {
  const text = run(['examples/broken'], ROOT);
  assert.equal(text.code, 1);
  assert.match(text.out, /^examples\/broken\/cyrus\.conf:10:22: error: .*\[link\/lmtp-auth-required\]\n {2}examples\/broken\/exim\.conf:\d+:\d+: transport cyrus_ltcp /m);
  const json = JSON.parse(run(['--format', 'json', 'examples/broken'], ROOT).out);
  const d = json.diagnostics.find((x: { code: string }) => x.code === 'link/lmtp-auth-required');
  // The README's field list, plus the optional `related` it documents.
  assert.deepEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'related', 'severity']);
  assert.deepEqual(Object.keys(d.related[0]).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message']);
  assert.equal(d.related[0].file, 'examples/broken/exim.conf');
  for (const x of json.diagnostics) if (!x.related) assert.deepEqual(Object.keys(x).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
  const sarif = JSON.parse(run(['--format', 'sarif', 'examples/broken'], ROOT).out);
  const rel = sarif.runs[0].results[0].relatedLocations;
  assert.equal(rel.length, 1);
  assert.equal(rel[0].physicalLocation.artifactLocation.uri, 'examples/broken/exim.conf');
  assert.equal(rel[0].physicalLocation.region.startLine, d.related[0].line);
  assert.equal(rel[0].physicalLocation.region.endColumn, d.related[0].endColumn);
});

test('two cyrus.conf in one call: a note says which one the Exim config is paired with', () => {
  const exim = write('two/exim.conf', CLEAN);
  const a = write('two/a/cyrus.conf', 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n');
  const b = write('two/b/cyrus.conf', 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2004"\n}\n');
  const r = run([exim, a, b]);
  assert.match(r.out, /^note: .*two\/exim\.conf is paired with .*two\/a\/cyrus\.conf; .*two\/b\/cyrus\.conf was checked on its own\./m);
  const json = run(['--format', 'json', exim, a, b]);
  assert.doesNotThrow(() => JSON.parse(json.out));
  assert.match(json.err, /^note: .*paired with .*a\/cyrus\.conf/m);
  assert.doesNotMatch(run([exim, a]).out, /^note:/m, 'one of each kind needs no note');
});

test('a Debian /etc/exim4: the config dc_use_split_config picks is checked, and a note says which', () => {
  write('deb/exim4/conf.d/main/01_main', 'primary_hostname = split.example\nbogus_split_option = 1\n');
  write('deb/exim4/exim4.conf.template', `UPEX4CmacrosUPEX4C = 1\n${CLEAN}`);
  write('deb/exim4/update-exim4.conf.conf', "dc_eximconfig_configtype='local'\ndc_use_split_config='false'\n");
  const r = run(['deb/exim4']);
  assert.match(r.out, /^note: deb\/exim4 is checked as .*deb\/exim4\/exim4\.conf\.template: update-exim4\.conf\.conf sets dc_use_split_config='false'; with the macros update-exim4\.conf defines from update-exim4\.conf\.conf \(dc_eximconfig_configtype='local'\): MAIN_LOCAL_DOMAINS, .*DCconfig_local\.$/m);
  assert.match(run(['deb/exim4/exim4.conf.template']).out, /^note: deb\/exim4\/exim4\.conf\.template is checked with the macros update-exim4\.conf defines/m,
    'also when the template is named itself');
  assert.equal(r.code, 0, 'conf.d, which has the error, is not what Exim runs');
  write('deb/exim4/update-exim4.conf.conf', "dc_use_split_config='true'\n");
  const split = run(['deb/exim4']);
  assert.equal(split.code, 1);
  assert.match(split.out, /bogus_split_option/);
});

test('--system: the configs the packages put on a machine, the first found of each kind', () => {
  const root = path.join(bundle.dir, 'machine');
  const at = (p: string) => path.join(root, p);
  const put = (p: string, text = '') => { fs.mkdirSync(path.dirname(at(p)), { recursive: true }); fs.writeFileSync(at(p), text); };
  assert.deepEqual(systemConfigs(diskHost, root), { exim: undefined, cyrus: undefined, imapd: undefined, looked: systemConfigs(diskHost, root).looked });
  put('usr/exim/configure', CLEAN);
  put('usr/local/etc/cyrus.conf');
  put('etc/imapd.conf');
  const bsd = systemConfigs(diskHost, root);
  assert.deepEqual([bsd.exim, bsd.cyrus, bsd.imapd], [at('usr/exim/configure'), at('usr/local/etc/cyrus.conf'), at('etc/imapd.conf')]);
  fs.mkdirSync(at('etc/exim4'), { recursive: true });
  put('etc/cyrus.conf');
  const debian = systemConfigs(diskHost, root);
  assert.deepEqual([debian.exim, debian.cyrus], [at('etc/exim4'), at('etc/cyrus.conf')], 'Debian\'s directory and /etc first');
});

test('--system on this machine: checks what it finds, says so, or says where it looked', () => {
  const found = systemConfigs(diskHost);
  const r = run(['--system']);
  const paths = [found.exim, found.cyrus, found.imapd].filter((p): p is string => !!p);
  if (!paths.length) {
    assert.equal(r.code, 2);
    assert.match(r.err, /--system: none of \/etc\/exim4, .* is on this machine; name the configs with --exim, --cyrus and --imapd/);
    return;
  }
  assert.ok(r.code === 0 || r.code === 1, r.err);
  assert.ok(r.out.startsWith(`note: --system: checking this machine's ${paths.join(', ')}.\n`), r.out.slice(0, 300));
  assert.match(r.out, new RegExp(`${paths.length} configs? checked`));
  // A config named with its flag replaces the machine's of that kind.
  const own = write('own/imapd.conf', 'configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n');
  const mixed = run(['--system', '--imapd', own]);
  assert.doesNotMatch(mixed.out.split('\n')[0], /imapd\.conf/);
});

test('columns count UTF-16 code units: a "€" before a finding is one column, not three', () => {
  write('utf8/exim.conf', 'smtp_banner = € ${lc:x}} end\n');
  const r = run(['--format', 'json', 'utf8/exim.conf']);
  const [d] = JSON.parse(r.out).diagnostics;
  assert.equal(d.code, 'exim/expansion-syntax');
  assert.deepEqual([d.line, d.column, d.endColumn], [1, 24, 25]);
});

// Texts where a regular expression once backtracked over a long run of one character: each
// took minutes. The bound stops a hang only; speed is measured by `npm run bench`.
const LONG_RUNS: [string, string, string][] = [
  ['a million slashes ending a configdirectory', 'runs/imapd.conf', `configdirectory: ${'/'.repeat(1 << 20)}=\n`],
];

for (const [what, name, text] of LONG_RUNS) {
  test(`${what}: checked without a hang`, { timeout: 120_000 }, () => {
    write(name, text);
    const r = spawnSync(process.execPath, [bundle.cli, 'check', name], { cwd: bundle.dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.error, undefined, `${name}: ${r.error?.message}`);
    assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `${name}: status ${r.status}`);
  });
}
