// Our cyrus.conf/imapd.conf checks against the real Cyrus 3.6: a configuration we call clean
// must start master with every listener we derive from it, and imapd.conf lines we call
// fatal must be the ones `cyr_info` refuses (and the other way round).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { configDiskHost, diskHost } from '../../server/src/core/host';
import { loadCyrusConf, lmtpListeners, type Endpoint } from '../../server/src/core/cyrus';
import { cyrusMissingReason, freePort, startCyrus, withMaster, CYRUS_BIN, type CyrusInstance } from './harness/cyrus';
import { parseCyrusConf } from '../../server/src/core/cyrus/cyrusconf-parser';
import { loadServiceTable } from '../../server/src/core/cyrus';
import { applyEdits } from '../helpers/apply-edits';

const missing = cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
const CYR_INFO = path.join(CYRUS_BIN, 'cyr_info');
let cy: CyrusInstance | undefined;

before(async () => {
  if (missing) return;
  cy = await startCyrus({ startTimeoutMs: 20_000 });
});

after(async () => {
  await cy?.stop();
});

function connects(e: Endpoint): Promise<boolean> {
  return new Promise((resolve) => {
    const s = e.kind === 'unix' ? net.connect(e.path) : net.connect(e.port, e.host ?? '127.0.0.1');
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(3000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

test('a configuration we call clean runs: master is up on every listener we derive', { skip, timeout: 60_000 }, async () => {
  const c = cy!;
  // An option Cyrus ignores (imapd/unknown-option) cannot stop it from running; every
  // other error would mean master should not have come up.
  const findings = checkProject([{ path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions)
    .filter((f) => f.severity === 'error' && f.code !== 'imapd/unknown-option');
  assert.deepEqual(findings.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.code} ${f.message}`), []);
  const conf = loadCyrusConf(c.cyrusConf, defaultOptions, diskHost);
  const services = conf.entries.filter((e) => e.section === 'SERVICES');
  assert.ok(services.length >= 4);
  for (const e of services) {
    assert.ok(e.listen, `no endpoint derived for ${e.name}`);
    assert.equal(await connects(e.listen), true, `${e.name}: nothing accepts on ${JSON.stringify({ ...e.listen, loc: undefined })}`);
  }
  const lmtp = lmtpListeners(conf);
  const byPort = new Map(lmtp.filter((l) => l.endpoint.kind === 'tcp').map((l) => [(l.endpoint as { port: number }).port, l.authRequired]));
  assert.equal(byPort.get(c.ports.lmtpTrusted), false);
  assert.equal(byPort.get(c.ports.lmtpAuth), true);
});

/**
 * A cyrus.conf and an imapd.conf (lines of `imapd(dir)`) in a scratch directory: what
 * `cyr_info conf-lint` prints of them, and our findings, for Cyrus 3.6 as the files say.
 */
function lintPair(cyrusText: string, imapd: (dir: string) => string[]): { lint: ReturnType<typeof spawnSync>; ours: ReturnType<typeof checkProject> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-lint-'));
  // Run as root, cyr_info drops to user cyrus before it reads cyrus.conf.
  fs.chmodSync(dir, 0o755);
  try {
    const imapdConf = path.join(dir, 'imapd.conf');
    const cyrusConf = path.join(dir, 'cyrus.conf');
    fs.writeFileSync(cyrusConf, cyrusText);
    fs.writeFileSync(imapdConf, imapd(dir).join('\n'));
    // The files' verdict: what this machine's permissions make of the directories
    // (imapd/directory-access) is not what conf-lint looks at.
    const ours = checkProject([{ path: cyrusConf, kind: 'cyrus-conf' }, { path: imapdConf, kind: 'imapd-conf' }], { ...defaultOptions, cyrusVersion: '3.6' }, configDiskHost);
    const lint = spawnSync(CYR_INFO, ['-C', imapdConf, '-M', cyrusConf, 'conf-lint'], { encoding: 'utf8', timeout: 15_000 });
    return { lint, ours };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('cyr_info conf-lint finds nothing in an imapd.conf we call clean', { skip, timeout: 30_000 }, () => {
  const { lint, ours } = lintPair('SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n  imap cmd="imapd" listen="143"\n}\n', (dir) => [
    `configdirectory: ${dir}`, 'defaultpartition: default', `partition-default: ${dir}/spool`, `metapartition-default: ${dir}/meta`,
    'admins: cyrus', 'lmtp_admins: mailproxy', 'imap_allowplaintext: no', 'virtdomains: userid', 'defaultdomain: example.com',
    'unixhierarchysep: yes', 'lmtp_downcase_rcpt: yes', `lmtpsocket: ${dir}/lmtp`, 'sasl_pwcheck_method: saslauthd',
    'sasl_mech_list: PLAIN LOGIN', 'timeout: 30', 'tls_session_timeout: 1h', 'httpmodules: caldav carddav',
    'sieve_extensions: fileinto reject \\', '  vacation', 'xlist-drafts: Drafts', '',
  ]);
  assert.deepEqual(ours.map((f) => `${f.code} ${f.message}`), []);
  assert.equal(lint.status, 0, String(lint.stderr));
  assert.equal(lint.stdout, '');
});

test('a <server>_password name one typo from an option: conf-lint lists it, and we warn (a real server name we leave alone)', { skip, timeout: 30_000 }, () => {
  const { lint, ours } = lintPair('SERVICES {\n  imap cmd="imapd" listen="143"\n}\n', (dir) => [
    `configdirectory: ${dir}`, `partition-default: ${dir}/spool`,
    'mupbate_password: secret', 'prxoy_password: secret', 'backend1_password: secret', '',
  ]);
  assert.equal(lint.status, 0, String(lint.stderr));
  // conf-lint knows no server names, so it lists every one; Murder reads them all the same.
  assert.deepEqual(String(lint.stdout).trim().split('\n').map((l) => l.split(':')[0]).sort(), ['backend1_password', 'mupbate_password', 'prxoy_password']);
  assert.deepEqual(ours.map((f) => `${f.range.start.line + 1} ${f.severity} ${f.code}`), ['3 warning imapd/unknown-option', '4 warning imapd/unknown-option']);
  assert.match(ours[0].message, /'mupdate_password'/);
  assert.match(ours[1].message, /'proxy_password'/);
});

test('imapd.conf lines we call fatal are exactly those Cyrus 3.6 refuses', { skip, timeout: 60_000 }, () => {
  const lines = [
    'virtdomains: yes', 'virtdomains: maybe', 'allowplaintext: of', 'allowplaintext: sometimes', 'boundary_limit: 0x10',
    'boundary_limit: 089', 'boundary_limit: 12abc', 'timeout: 1h30m', 'timeout: 10x', 'timeout: m', 'mboxlist_db: twoskip',
    'mboxlist_db: twoskip skiplist', 'httpmodules: caldav carddav', 'httpmodules: caldav calendar', 'maxmessagesize: 1024',
    'maxmessagesize: 10M', 'defaultpartition: abc1', 'defaultpartition: my-part', 'search_engine: Xapian', 'admins:',
    'admins : cyrus', 'bad.name: 1', '@import: x', 'sieve_extensions: fileinto imapflags',
    'timeout: 9999999999', 'timeout: 99999999999999999999', 'timeout: -', 'timeout: -s', 'timeout: 5-', 'timeout: 1h5',
    'timeout: 30\ntimeout: 40', 'timeout: 30\nTimeout: 40',
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-agree-'));
  try {
    const file = path.join(dir, 'imapd.conf');
    const disagree: string[] = [];
    for (const line of lines) {
      fs.writeFileSync(file, `configdirectory: ${dir}\n${line}\n`);
      const ours = checkProject([{ path: file, kind: 'imapd-conf' }], { ...defaultOptions, cyrusVersion: '3.6' }, configDiskHost).some((f) => f.severity === 'error');
      const r = spawnSync(CYR_INFO, ['-C', file, 'conf'], { encoding: 'utf8', timeout: 15_000 });
      const theirs = r.status !== 0;
      if (ours !== theirs) disagree.push(`${line}: ours ${ours ? 'error' : 'ok'}, cyr_info exit ${r.status} ${r.stderr.trim()}`);
    }
    assert.deepEqual(disagree, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Whether this machine has an IPv6 loopback to test [::] wildcards on. */
function hasV6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(0, '::1', () => srv.close(() => resolve(true)));
  });
}

async function ports(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) { const p = await freePort(); if (!out.includes(p)) out.push(p); }
  return out;
}

/** The services our model says master runs, by name, and what each binds. */
function ourServices(text: string) {
  const conf = parseCyrusConf('cyrus.conf', text, loadServiceTable(diskHost));
  return { conf, names: conf.entries.filter((e) => e.section === 'SERVICES').map((e) => e.name) };
}

test('section names as master matches them: first letter exact, rest any case, words before the brace ignored; listen="*:port" and "[*]:port" bind every address', { skip, timeout: 60_000 }, async () => {
  const [lower, star, bstar, ready] = await ports(4);
  const text = [
    'services {',
    `  lower cmd="lmtpd -a -C {conf}" listen="127.0.0.1:${lower}" prefork=0`,
    '}',
    'SERVICES extra words {',
    `  star cmd="lmtpd -a -C {conf}" listen="*:${star}" prefork=0`,
    `  bstar cmd="lmtpd -a -C {conf}" listen="[*]:${bstar}" prefork=0`,
    `  ready cmd="lmtpd -a -C {conf}" listen="127.0.0.1:${ready}" prefork=0`,
    '}',
    '',
  ].join('\n');
  const ours = ourServices(text);
  assert.deepEqual(ours.names, ['star', 'bstar', 'ready']);
  const v6 = await hasV6Loopback();
  await withMaster(text, ready, async (m) => {
    assert.equal(await m.connects(lower), false, 'master skips the lower-case services block');
    for (const p of [star, bstar]) {
      assert.equal(await m.connects(p, '127.0.0.1'), true, `*:${p} on 127.0.0.1`);
      if (v6) assert.equal(await m.connects(p, '::1'), true, `*:${p} on ::1`);
    }
  });
  for (const e of ours.conf.entries.filter((x) => x.name !== 'ready')) {
    assert.equal(e.listen?.kind === 'tcp' && e.listen.host, undefined, `${e.name} listens on every address in our model`);
  }
});

test('a section written Services is read, one written sERVICES is not', { skip, timeout: 60_000 }, async () => {
  const [skipped, read] = await ports(2);
  const text = [
    'sERVICES {',
    `  skipped cmd="lmtpd -a -C {conf}" listen="127.0.0.1:${skipped}" prefork=0`,
    '}',
    'Services {',
    `  read cmd="lmtpd -a -C {conf}" listen="127.0.0.1:${read}" prefork=0`,
    '}',
    '',
  ].join('\n');
  assert.deepEqual(ourServices(text).names, ['read']);
  await withMaster(text, read, async (m) => {
    assert.equal(await m.connects(skipped), false);
  });
});

test('a relative @include is opened from the working directory, not the including file\'s: we report it', { skip, timeout: 30_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-include-'));
  fs.chmodSync(dir, 0o755);
  try {
    const file = path.join(dir, 'imapd.conf');
    fs.writeFileSync(file, `configdirectory: ${dir}\n@include: extra.conf\n`);
    fs.writeFileSync(path.join(dir, 'extra.conf'), 'timeout: 30\n');
    const fromRoot = spawnSync(CYR_INFO, ['-C', file, 'conf'], { encoding: 'utf8', timeout: 15_000, cwd: '/' });
    assert.equal(fromRoot.status, 78, 'from / Cyrus cannot open extra.conf beside imapd.conf');
    const fromDir = spawnSync(CYR_INFO, ['-C', file, 'conf'], { encoding: 'utf8', timeout: 15_000, cwd: dir });
    assert.equal(fromDir.status, 0, fromDir.stderr);
    const ours = checkProject([{ path: file, kind: 'imapd-conf' }], { ...defaultOptions, cyrusVersion: '3.6' }, configDiskHost);
    assert.deepEqual(ours.map((f) => `${f.range.start.line + 1} ${f.severity} ${f.code}`), ['2 error imapd/invalid-value']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Whether a server greets with "220" within a few seconds (lmtpd that exits resets the connection). */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = '';
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(5000, () => done(false));
    s.on('data', (d) => { buf += d.toString('latin1'); if (/^220 /m.test(buf)) done(true); });
    s.once('error', () => done(false));
    s.once('close', () => done(false));
  });
}

test('lmtpd flags: what we call fatal in cmd is what makes the service exit at every connection', { skip, timeout: 90_000 }, async () => {
  const cmds = ['lmtpd -s -a -C {conf}', 'lmtpd -a -x -C {conf}', 'lmtpd -aa -C {conf}', 'lmtpd -a -C{conf}', 'lmtpd -a -U 30 -T 60 -C {conf}', 'lmtpd -C {conf}'];
  const ps = await ports(cmds.length + 1);
  const text = ['SERVICES {', ...cmds.map((c, i) => `  s${i} cmd="${c}" listen="127.0.0.1:${ps[i]}" prefork=0`),
    `  ready cmd="lmtpd -a -C {conf}" listen="127.0.0.1:${ps[cmds.length]}" prefork=0`, '}', ''].join('\n');
  const conf = parseCyrusConf('cyrus.conf', text.replaceAll('{conf}', '/etc/imapd.conf'), loadServiceTable(diskHost));
  const ours = conf.entries.filter((e) => e.name !== 'ready').map((e) => e.cmd!.flagProblems.length > 0);
  const theirs = await withMaster(text, ps[cmds.length], async () => {
    const out: boolean[] = [];
    for (let i = 0; i < cmds.length; i++) out.push(!(await greets(ps[i])));
    return out;
  });
  assert.deepEqual(ours, theirs, cmds.map((c, i) => `${c}: ours ${ours[i] ? 'fatal' : 'fine'}, master ${theirs[i] ? 'exits' : 'serves'}`).join('\n'));
  assert.deepEqual(theirs, [true, true, true, true, false, false]);
});

test('lmtp-no-listener\'s fix for a cyrus.conf with no lmtpd: master binds the service it adds, where the transport delivers, and lmtpd answers there', { skip, timeout: 60_000 }, async () => {
  const [port, ready] = await ports(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-addsvc-'));
  try {
    const exim = path.join(dir, 'exim.conf'), cyrus = path.join(dir, 'cyrus.conf');
    fs.writeFileSync(exim, fs.readFileSync(path.join(__dirname, '../../examples/reference/exim.conf'), 'utf8').replace('  port = 2003\n', `  port = ${port}\n`));
    const before = `SERVICES {\n  imap cmd="imapd -C {conf}" listen="127.0.0.1:${ready}" prefork=0\n}\n`;
    fs.writeFileSync(cyrus, before);
    const pair = [{ path: exim, kind: 'exim' as const }, { path: cyrus, kind: 'cyrus-conf' as const }];
    const f = checkProject(pair, defaultOptions).find((x) => x.code === 'link/lmtp-no-listener');
    const add = f?.fixes?.find((x) => x.title.startsWith('Add an lmtpd service'));
    assert.ok(add?.manual, 'offered, to weigh');
    const e = add.edits[0];
    assert.equal(e.file, cyrus);
    const lines = before.split('\n');
    lines.splice(e.range.start.line, 0, e.newText.replace(/\n$/, ''));
    const after = lines.join('\n');
    assert.match(after, new RegExp(`\\n {2}lmtp cmd="lmtpd -a" listen="127\\.0\\.0\\.1:${port}" prefork=0\\n}`));
    fs.writeFileSync(cyrus, after);
    assert.deepEqual(checkProject(pair, defaultOptions).filter((x) => x.code.startsWith('link/')).map((x) => x.code), []);
    // Here every lmtpd must read the harness's imapd.conf, not this machine's.
    const served = await withMaster(after.replace('cmd="lmtpd -a"', 'cmd="lmtpd -a -C {conf}"'), ready, () => greets(port));
    assert.equal(served, true, 'lmtpd greets on the added service');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('imapd/missing-option: without configdirectory Cyrus stops at start (an error); without a partition, or with defaultpartition naming none, it starts and CREATE fails (a warning)', { skip, timeout: 90_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-required-'));
  const ours = (file: string) => checkProject([{ path: file, kind: 'imapd-conf' }], defaultOptions).filter((f) => f.code === 'imapd/missing-option').map((f) => `${f.severity} ${f.message}`);
  try {
    const file = path.join(dir, 'imapd.conf');
    fs.writeFileSync(file, 'partition-default: /var/spool/cyrus/mail\nadmins: cyrus\n');
    const r = spawnSync(CYR_INFO, ['-C', file, 'conf'], { encoding: 'utf8', timeout: 15_000 });
    assert.equal(r.status, 78);
    assert.match(r.stderr + r.stdout, /configdirectory option not specified/);
    const found = ours(file);
    assert.equal(found.length, 1);
    assert.match(found[0], /^error configdirectory is not set/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const cases: [string, (t: string) => string, RegExp][] = [
    ['no partition', (t) => t.replace(/^defaultpartition: .*\n/m, '').replace(/^partition-default: .*\n/m, ''), /Unknown\/invalid partition/],
    ['defaultpartition naming none', (t) => t.replace(/^defaultpartition: default$/m, 'defaultpartition: main'), /ECONNRESET|closed|NO /],
  ];
  for (const [what, edit, failure] of cases) {
    let imapd = '';
    const c = await startCyrus({ startTimeoutMs: 20_000, editCyrusConf: (text, d) => {
      imapd = path.join(d, 'imapd.conf');
      fs.writeFileSync(imapd, edit(fs.readFileSync(imapd, 'utf8')));
      return text;
    } });
    try {
      const found = ours(imapd);
      assert.equal(found.length, 1, `${what}: ${JSON.stringify(found)}`);
      assert.match(found[0], /^warning /, what);
      await assert.rejects(c.createMailbox('user/bob@example.com'), failure, what);
    } finally {
      await c.stop();
    }
  }
});

test('an entry with two listen=: master listens on the first only, and we flag the second (cyrus/unknown-argument)', { skip, timeout: 90_000 }, async () => {
  const [first, second] = [await freePort(), await freePort()];
  const line = `  duptest cmd="lmtpd -a" listen="127.0.0.1:${first}" listen="127.0.0.1:${second}" prefork=0\n`;
  const c = await startCyrus({ startTimeoutMs: 20_000, editCyrusConf: (text) => text.replace(/SERVICES \{\n/, `SERVICES {\n${line}`) });
  try {
    assert.equal(await connects({ kind: 'tcp', host: '127.0.0.1', port: first } as Endpoint), true, 'the first listen=');
    assert.equal(await connects({ kind: 'tcp', host: '127.0.0.1', port: second } as Endpoint), false, 'the second listen=');
    const text = fs.readFileSync(c.cyrusConf, 'utf8');
    const found = checkProject([{ path: c.cyrusConf, kind: 'cyrus-conf' }], defaultOptions).filter((f) => f.code === 'cyrus/unknown-argument');
    assert.equal(found.length, 1);
    const at = found[0].range.start;
    assert.equal(text.split('\n')[at.line].slice(at.character, at.character + 7), 'listen=');
    assert.ok(text.split('\n')[at.line].indexOf(`${second}`) > at.character, 'the second one is flagged');
  } finally {
    await c.stop();
  }
});

test('a " # note" after an imapd.conf value is part of it (cyr_info conf prints it so), and we warn where the value is a string or a path', { skip, timeout: 30_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-comment-'));
  fs.chmodSync(dir, 0o755);
  try {
    const imapd = path.join(dir, 'imapd.conf');
    fs.writeFileSync(imapd, `configdirectory: ${dir} # where it lives\npartition-default: ${dir}/spool\nadmins: cyrus # the admin\n`);
    const r = spawnSync(CYR_INFO, ['-C', imapd, 'conf'], { encoding: 'utf8', timeout: 15_000 });
    assert.match(r.stdout, new RegExp(`^configdirectory: ${dir.replaceAll('/', '\\/')} # where it lives$`, 'm'));
    assert.match(r.stdout, /^admins: cyrus # the admin$/m);
    const ours = checkProject([{ path: imapd, kind: 'imapd-conf' }], { ...defaultOptions, cyrusVersion: '3.6' }, configDiskHost)
      .filter((f) => f.code === 'imapd/invalid-value');
    assert.deepEqual(ours.map((f) => [f.range.start.line + 1, f.severity]), [[1, 'warning'], [3, 'warning']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a service program given by a path that is not there (or not executable): flagged cyrus/unknown-program; really master exits 78 at start-up; the fix gives the bare name, with which it starts', { skip, timeout: 90_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-progpath-'));
  try {
    const notExec = path.join(dir, 'lmtpd');
    fs.writeFileSync(notExec, '#!/bin/sh\n', { mode: 0o644 });
    for (const program of ['/usr/sbin/lmtpd', notExec]) {
      let edited = '';
      const edit = (text: string) => (edited = text.replace(/(\bcmd=")lmtpd /, `$1${program} `));
      await assert.rejects(startCyrus({ startTimeoutMs: 20_000, editCyrusConf: edit }), /exited \(78\) during start-up/, program);
      assert.notEqual(edited, '', 'the harness let us edit cyrus.conf');
      const conf = path.join(dir, 'cyrus.conf');
      fs.writeFileSync(conf, edited);
      const found = checkProject([{ path: conf, kind: 'cyrus-conf' }], defaultOptions).filter((f) => f.code === 'cyrus/unknown-program');
      assert.equal(found.length, 1, program);
      assert.equal(found[0].severity, 'error');
      assert.match(found[0].message, program === notExec ? /is not executable/ : /is not there.*Cyrus's lmtpd is \/usr\/lib\/cyrus\/bin\/lmtpd/);
      if (program !== notExec) {
        // The fix, as an editor applies it, then master with the result.
        const fixed = applyEdits(edited, found[0].fixes![0].edits);
        fs.writeFileSync(conf, fixed);
        assert.deepEqual(checkProject([{ path: conf, kind: 'cyrus-conf' }], defaultOptions).filter((f) => f.code === 'cyrus/unknown-program'), []);
        // What is left is the harness's own cmd="lmtpd ...", which master starts (the before() hook).
        assert.match(fixed, /\bcmd="lmtpd -a /);
        assert.ok(cy, 'master starts with the bare name');
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a START program given by a path that is not there: flagged cyrus/unknown-program; really master stops at start-up (exit 1: "can\'t run startup", to syslog)', { skip, timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-startpath-'));
  try {
    let edited = '';
    const edit = (text: string) => (edited = text.replace(/(\brecover cmd=")ctl_cyrusdb /, '$1/usr/cyrus/bin/ctl_cyrusdb '));
    await assert.rejects(startCyrus({ startTimeoutMs: 20_000, editCyrusConf: edit }), /exited \(1\) during start-up/);
    assert.match(edited, /recover cmd="\/usr\/cyrus\/bin\/ctl_cyrusdb /);
    const conf = path.join(dir, 'cyrus.conf');
    fs.writeFileSync(conf, edited);
    const found = checkProject([{ path: conf, kind: 'cyrus-conf' }], defaultOptions).filter((f) => f.code === 'cyrus/unknown-program');
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'error');
    assert.match(found[0].message, /master cannot run START entry 'recover' and stops \("can't run startup", exit 1\).*Cyrus's ctl_cyrusdb is \/usr\/lib\/cyrus\/bin\/ctl_cyrusdb/);
    // The fix gives back the harness's own cmd="ctl_cyrusdb ...", with which master starts (the before() hook).
    assert.match(applyEdits(edited, found[0].fixes![0].edits), /\brecover cmd="ctl_cyrusdb /);
    assert.ok(cy, 'master starts with the bare name');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('listen= a service name this machine\'s /etc/services lacks: a warning; really master disables that one service and serves the others', { skip, timeout: 60_000 }, async () => {
  const c = await startCyrus({ startTimeoutMs: 20_000, editCyrusConf: (text) => text.replace(/(lmtpauth\s+cmd="[^"]*" listen=)"[^"]*"/, '$1"httpcyrus"') });
  try {
    assert.match(fs.readFileSync(c.cyrusConf, 'utf8'), /listen="httpcyrus"/);
    const found = checkProject([{ path: c.cyrusConf, kind: 'cyrus-conf' }], defaultOptions).filter((f) => f.code === 'cyrus/invalid-value');
    assert.deepEqual(found.map((f) => f.severity), ['warning']);
    assert.match(found[0].message, /disables this service \(the others still run\)\. Add 'httpcyrus PORT\/tcp' to \/etc\/services/);
    // startCyrus waited for imap and smmap: master is up and serving without the one service.
    assert.equal(await connects({ kind: 'tcp', host: '127.0.0.1', port: c.ports.imap } as Endpoint), true);
    assert.equal(await connects({ kind: 'tcp', host: '127.0.0.1', port: c.ports.lmtpAuth } as Endpoint), false);
  } finally {
    await c.stop();
  }
});

test('prefork=-1: a warning, not an error; really master serves as with prefork=0 (lmtpd greets)', { skip, timeout: 60_000 }, async () => {
  const c = await startCyrus({ startTimeoutMs: 20_000, editCyrusConf: (text) => text.replace(/(lmtptrusted\s+cmd="[^"]*" listen="[^"]*") prefork=0/, '$1 prefork=-1') });
  try {
    assert.match(fs.readFileSync(c.cyrusConf, 'utf8'), /prefork=-1/);
    const found = checkProject([{ path: c.cyrusConf, kind: 'cyrus-conf' }], defaultOptions).filter((f) => f.code === 'cyrus/invalid-value');
    assert.deepEqual(found.map((f) => f.severity), ['warning']);
    const banner = await new Promise<string>((resolve) => {
      const s = net.connect(c.ports.lmtpTrusted, '127.0.0.1');
      let got = '';
      const done = () => { s.destroy(); resolve(got); };
      s.setTimeout(10_000, done);
      s.on('data', (d) => { got += d.toString(); if (got.includes('\n')) done(); });
      s.once('error', done);
    });
    assert.match(banner, /^220 /);
  } finally {
    await c.stop();
  }
});
