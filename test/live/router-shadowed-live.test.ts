// link/router-shadowed against the real Exim 4.96 and Debian's own configuration: what we
// flag really keeps mail from the Cyrus router (`exim4 -bt` names the router that takes an
// address), and what the fix or the message says to do really hands it to Cyrus, whichever
// way the `.ifdef`s around it go. Debian's configs are turned into Exim's by the real
// update-exim4.conf (-d, -o) from a scratch directory.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProject, type Input } from '../../server/src/core/project';
import { defaultOptions, type CheckOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/diagnostic';
import { applyEditsOnDisk } from '../helpers/apply-edits';

const EXIM = '/usr/sbin/exim4';
const UPDATE = '/usr/sbin/update-exim4.conf';
const DEBIAN = '/etc/exim4';
const FIXTURES = path.join(__dirname, '../../server/src/core/rules/link/fixtures');

function missingReason(): string | undefined {
  try { fs.accessSync(EXIM, fs.constants.X_OK); } catch { return `Exim is not installed (${EXIM} missing)`; }
  if (process.getuid?.() !== 0) return 'needs root: Exim drops privileges for -C unless run by root';
  if (!fs.existsSync(UPDATE) || !fs.existsSync(path.join(DEBIAN, 'exim4.conf.template')) || !fs.existsSync(path.join(DEBIAN, 'conf.d/router'))) {
    return "Debian's exim4-config (update-exim4.conf, /etc/exim4) is not installed";
  }
  return undefined;
}

const missing = missingReason();
const skip = missing ? `skipped: ${missing}` : false;
const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-shadow-live-'));
  dirs.push(dir);
  return dir;
}

/** Which router takes `address` (or Exim's verdict when none does), as `exim4 -bt` says. */
function routedBy(conf: string, address: string, defines: string[] = []): string {
  const r = spawnSync(EXIM, ['-C', conf, ...defines.map((d) => `-D${d}`), '-bt', address], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined);
  return /router = (\S+),/.exec(r.stdout)?.[1] ?? r.stdout.trim();
}

function shadowFindings(inputs: Input[], opts: CheckOptions = defaultOptions): Finding[] {
  return checkProject(inputs, opts).filter((f) => f.code === 'link/router-shadowed');
}

const CYRUS_CONF = fs.readFileSync(path.join(FIXTURES, 'router-shadowed-ifdef', 'cyrus.conf'), 'utf8');
const CYRUS_ROUTER = '\n# Cyrus takes example.com\ncyrus_vdom:\n  driver = accept\n  domains = example.com\n  transport = cyrus_lmtp\n';
const CYRUS_TRANSPORT = '\ncyrus_lmtp:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  allow_localhost\n  port = 2003\n';

/** A copy of Debian's /etc/exim4 set to the "local" type, with a Cyrus router after nonlocal. */
function debianLocal(split: boolean): { dir: string; etc: string; inputs: Input[]; generate: () => string } {
  const dir = scratch();
  const etc = path.join(dir, 'exim4');
  fs.cpSync(DEBIAN, etc, { recursive: true, filter: (src) => !/passwd|\.pem$|\.key$/.test(path.basename(src)) });
  fs.writeFileSync(path.join(etc, 'update-exim4.conf.conf'),
    `dc_eximconfig_configtype='local'\ndc_other_hostnames='mail.example.net'\ndc_local_interfaces='127.0.0.1 ; ::1'\ndc_relay_nets=''\ndc_use_split_config='${split}'\ndc_localdelivery='mail_spool'\n`);
  if (split) {
    fs.writeFileSync(path.join(etc, 'conf.d/router/250_cyrus'), CYRUS_ROUTER);
    fs.writeFileSync(path.join(etc, 'conf.d/transport/40_cyrus'), CYRUS_TRANSPORT);
  } else {
    const file = path.join(etc, 'exim4.conf.template');
    let t = fs.readFileSync(file, 'utf8');
    const end = t.indexOf('.endif\n', t.indexOf('\nnonlocal:')) + '.endif\n'.length;
    t = t.slice(0, end) + CYRUS_ROUTER + t.slice(end);
    const transports = t.indexOf('begin transports\n') + 'begin transports\n'.length;
    fs.writeFileSync(file, t.slice(0, transports) + CYRUS_TRANSPORT + t.slice(transports));
  }
  fs.writeFileSync(path.join(dir, 'cyrus.conf'), CYRUS_CONF);
  const inputs: Input[] = [{ path: etc, kind: 'exim' }, { path: path.join(dir, 'cyrus.conf'), kind: 'cyrus-conf' }];
  const generate = () => {
    const out = path.join(dir, 'generated.conf');
    const r = spawnSync(UPDATE, ['-d', etc, '-o', out], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return out;
  };
  return { dir, etc, inputs, generate };
}

test("Debian's local type: nonlocal (:fail:, no_more) really takes the Cyrus domain; the fix moves the Cyrus router above its .ifdef and Cyrus gets it", { skip }, () => {
  const s = debianLocal(false);
  const found = shadowFindings(s.inputs);
  assert.deepEqual(found.map((f) => [f.severity, /Router nonlocal comes before cyrus_vdom/.test(f.message)]), [['warning', true]]);
  assert.match(routedBy(s.generate(), 'u@example.com'), /undeliverable: Mailing to remote domains not supported/);
  const fix = found[0].fixes?.[0];
  assert.equal(fix?.title, 'Move router cyrus_vdom before nonlocal (above .ifdef DCconfig_local)');
  applyEditsOnDisk(fix!.edits);
  assert.deepEqual(shadowFindings(s.inputs), []);
  assert.equal(routedBy(s.generate(), 'u@example.com'), 'cyrus_vdom');
});

test("Debian's local type in conf.d: no fix across files; renaming the file as the message says hands the domain to Cyrus", { skip }, () => {
  const s = debianLocal(true);
  const found = shadowFindings(s.inputs);
  assert.equal(found.length, 1);
  assert.equal(found[0].fixes, undefined);
  assert.match(routedBy(s.generate(), 'u@example.com'), /undeliverable: Mailing to remote domains not supported/);
  const name = /rename 250_cyrus to a name that sorts before 200_exim4-config_primary \(such as (\w+)\)/.exec(found[0].message)?.[1];
  assert.ok(name, found[0].message);
  fs.renameSync(path.join(s.etc, 'conf.d/router/250_cyrus'), path.join(s.etc, 'conf.d/router', name));
  assert.deepEqual(shadowFindings(s.inputs), []);
  assert.equal(routedBy(s.generate(), 'u@example.com'), 'cyrus_vdom');
});

test('a shadowing router under .ifdef: the fixed config routes the Cyrus domain to Cyrus with and without the macro', { skip }, () => {
  const dir = scratch();
  for (const f of ['exim.conf', 'cyrus.conf']) fs.copyFileSync(path.join(FIXTURES, 'router-shadowed-ifdef', f), path.join(dir, f));
  const conf = path.join(dir, 'exim.conf');
  const inputs: Input[] = [{ path: conf, kind: 'exim' }, { path: path.join(dir, 'cyrus.conf'), kind: 'cyrus-conf' }];
  const internet = { ...defaultOptions, defines: { INTERNET: '1' } };
  const found = shadowFindings(inputs, internet);
  assert.equal(found.length, 1);
  applyEditsOnDisk(found[0].fixes![0].edits);
  assert.deepEqual(shadowFindings(inputs, internet), []);
  for (const defines of [[], ['INTERNET=1'], ['INTERNET=1', 'EXTRA=1']]) {
    const bv = spawnSync(EXIM, ['-C', conf, ...defines.map((d) => `-D${d}`), '-bV'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bv.status, 0, bv.stdout + bv.stderr);
    assert.equal(routedBy(conf, 'u@example.com', defines), 'cyrus_vdom', defines.join(' '));
  }
});
