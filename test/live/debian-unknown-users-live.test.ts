// link/no-recipient-callout on Debian's own conf.d, against the real update-exim4.conf,
// Exim 4.96 and Cyrus 3.6: a Cyrus router put first (conf.d/router/050) takes every local
// part of its domain, and Debian's RCPT ACL, as shipped, asks Cyrus nothing (its
// local_rcpt_callout file does not exist here, and its "too many bad recipients" statement
// cannot fire at a first RCPT), so Exim accepts users Cyrus does not have. The quick fix's
// callout makes Exim ask lmtpd, which refuses them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { EXIM, eximMissingReason, replies } from './harness/exim';
import { cyrusMissingReason, startCyrus, type CyrusInstance } from './harness/cyrus';
import { applyEditsOnDisk } from '../helpers/apply-edits';

const UPDATE = '/usr/sbin/update-exim4.conf';
const ETC = '/etc/exim4';
const missing = eximMissingReason() ?? cyrusMissingReason()
  ?? (!fs.existsSync(UPDATE) || !fs.existsSync(path.join(ETC, 'conf.d')) ? `${UPDATE} or ${ETC}/conf.d is not installed (exim4-config)` : undefined)
  ?? (fs.existsSync(path.join(ETC, 'exim4.conf.localmacros')) ? `${ETC}/exim4.conf.localmacros exists, and update-exim4.conf would read it into the copy` : undefined)
  // Debian's ACL reads these from the real /etc/exim4 whatever the copy holds.
  ?? (['local_rcpt_callout', 'local_sender_callout', 'local_host_blacklist', 'local_sender_blacklist'].some((f) => fs.existsSync(path.join(ETC, f))) ? `${ETC} has local ACL lists of its own` : undefined);
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;
const dirs: string[] = [];

before(async () => {
  if (missing) return;
  cy = await startCyrus({ mailboxes: ['user/alice@example.com'] });
});
after(async () => {
  if (cy) await cy.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of Debian's conf.d (split, example.com among its local domains), changed by `edit`, with Exim's spool and log inside it. */
function debianCopy(localDelivery: string, edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-debian-users-'));
  dirs.push(dir);
  fs.chmodSync(dir, 0o755);
  fs.cpSync(path.join(ETC, 'conf.d'), path.join(dir, 'conf.d'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'update-exim4.conf.conf'),
    `dc_eximconfig_configtype='internet'\ndc_other_hostnames='example.com'\ndc_local_interfaces='127.0.0.1'\ndc_relay_nets=''\ndc_use_split_config='true'\ndc_localdelivery='${localDelivery}'\n`);
  // Exim's spool and log (the callout cache too) in the copy, not the machine's.
  for (const d of ['spool', 'log']) fs.mkdirSync(path.join(dir, d));
  spawnSync('chown', ['-R', 'Debian-exim:Debian-exim', path.join(dir, 'spool'), path.join(dir, 'log')]);
  fs.writeFileSync(path.join(dir, 'conf.d/main/00_test_spool'), `SPOOLDIR = ${dir}/spool\nlog_file_path = ${dir}/log/%slog\n`);
  edit(dir);
  return dir;
}

const ours = (dir: string) => checkProject([{ path: dir, kind: 'exim' }, { path: cy.cyrusConf, kind: 'cyrus-conf' }, { path: cy.imapdConf, kind: 'imapd-conf' }], defaultOptions)
  .filter((f) => f.code === 'link/no-recipient-callout');

/** The RCPT replies of the real Exim on update-exim4.conf's output, with real callouts (-bhc). */
function rcpts(dir: string, to: string[]): string[] {
  const out = path.join(dir, 'out.conf');
  const u = spawnSync(UPDATE, ['-d', dir, '-o', out], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(u.status, 0, u.stderr);
  const dialog = ['EHLO client.example.net', 'MAIL FROM:<someone@example.net>', ...to.map((r) => `RCPT TO:<${r}>`), 'QUIT', ''].join('\r\n');
  const r = spawnSync(EXIM, ['-C', out, '-bhc', '192.0.2.1'], { input: dialog, encoding: 'utf8', timeout: 60_000 });
  return replies(r.stdout ?? '').slice(3, 3 + to.length);
}

test('Debian\'s conf.d with a Cyrus router first and no callout: flagged link/no-recipient-callout, and really an unknown user is accepted; with the fix\'s callout lmtpd refuses him and alice still gets in', { skip }, () => {
  const dir = debianCopy('mail_spool', (d) => {
    fs.writeFileSync(path.join(d, 'conf.d/router/050_cyrus'), 'cyrus_vdom:\n  driver = accept\n  domains = example.com\n  transport = cyrus_ltcp\n  no_more\n');
    fs.writeFileSync(path.join(d, 'conf.d/transport/35_cyrus'),
      `cyrus_ltcp:\n  driver = smtp\n  protocol = lmtp\n  hosts = localhost\n  allow_localhost\n  gethostbyname\n  port = ${cy.ports.lmtpTrusted}\n`);
  });
  const found = ours(dir);
  assert.equal(found.length, 1);
  assert.equal(found[0].file, path.join(dir, 'conf.d/acl/30_exim4-config_check_rcpt'));
  assert.match(found[0].message, /accepts mail from outside for users Cyrus does not have in example\.com/);
  const [nobody, alice] = rcpts(dir, ['nosuchuser@example.com', 'alice@example.com']);
  assert.match(nobody, /^250 /);
  assert.match(alice, /^250 /);

  applyEditsOnDisk(found[0].fixes![0].edits);
  assert.deepEqual(ours(dir), []);
  const [nobody2, alice2] = rcpts(dir, ['nosuchuser@example.com', 'alice@example.com']);
  assert.match(nobody2, /^550[ -]/);
  assert.match(alice2, /^250 /);
});

test('Debian\'s README.exim recipe (check_local_user taken off local_user, dc_localdelivery an lmtp transport on lmtpd\'s socket): the routers before it let an unknown user through (no account, no alias, no prefix), so it is flagged, and really Exim accepts him', { skip }, () => {
  const dir = debianCopy('cyrus_delivery', (d) => {
    const router = path.join(d, 'conf.d/router/900_exim4-config_local_user');
    const text = fs.readFileSync(router, 'utf8');
    assert.match(text, /^ {2}check_local_user$/m);
    fs.writeFileSync(router, text.replace(/^ {2}check_local_user$/m, '#  check_local_user'));
    fs.writeFileSync(path.join(d, 'conf.d/transport/35_cyrus'), `cyrus_delivery:\n  driver = lmtp\n  socket = ${cy.lmtpSocket}\n  batch_max = 20\n  user = mail\n`);
  });
  const found = ours(dir);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /users Cyrus does not have in .*example\.com: router local_user takes every local part/);
  assert.match(found[0].message, /Exim calls out only through smtp transports/);
  assert.match(rcpts(dir, ['nosuchuser@example.com'])[0], /^250 /);
  // With check_local_user, as Debian ships it, the router refuses him itself: nothing to say.
  const shipped = path.join(dir, 'conf.d/router/900_exim4-config_local_user');
  fs.writeFileSync(shipped, fs.readFileSync(shipped, 'utf8').replace('#  check_local_user', '  check_local_user'));
  assert.deepEqual(ours(dir), []);
  assert.match(rcpts(dir, ['nosuchuser@example.com'])[0], /^550 /);
});
