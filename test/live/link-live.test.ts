// Live proof of the link rules with Debian's real Exim 4.96 and Cyrus 3.6 on loopback: the
// pairing we call clean really verifies and delivers, and the mistakes we flag really break
// it the way the rule says. Exim runs no daemon: `exim4 -C conf -bhc IP` plays an SMTP
// session on stdin (running the RCPT ACL and its callouts for real), and `exim4 -C conf -odf`
// delivers one message in the foreground.
//
// Facts this depends on (Debian's exim4 4.96): Exim runs as Debian-exim, so the spool and
// log directories given in the generated conf must be that user's; the callout cache lives
// in the spool, so every case gets a fresh one; -bh writes its log lines to stderr.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import type { Finding } from '../../server/src/core/diagnostic';
import { defaultOptions } from '../../server/src/core/options';
import { applyEditsOnDisk } from '../helpers/apply-edits';
import { deliver, EXIM, eximMissingReason, mainLog, makeSpool, rcpt, REFERENCE, replies, spoolLines } from './harness/exim';
import { CYRUS_BIN, cyrusMissingReason, freePort, startCyrus, type CyrusInstance } from './harness/cyrus';

const ALICE = 'alice@example.com';
const NOBODY = 'nobody@example.com';

const missing = eximMissingReason() ?? cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
let cy: CyrusInstance;
const dirs: string[] = [];

before(async () => {
  if (missing) return;
  cy = await startCyrus({ mailboxes: [`user/${ALICE}`] });
});

after(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  if (cy) await cy.stop();
});

/** A generated exim.conf: the reference with `edit` applied, spool and logs in a fresh temp dir. */
function eximConf(edit: (text: string) => string): { dir: string; conf: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-link-live-'));
  dirs.push(dir);
  // mkdtemp makes it 0700; Exim (as Debian-exim) must get through it to its spool.
  fs.chmodSync(dir, 0o755);
  makeSpool(dir);
  const text = edit(REFERENCE);
  assert.notEqual(text, REFERENCE, 'the edit changed something');
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, text.replace('primary_hostname = mail.example.com\n', `primary_hostname = mail.example.com\n${spoolLines(dir)}`));
  return { dir, conf };
}

const port = (p: number) => (t: string) => t.replace('  port = 2003\n', `  port = ${p}\n`);

/** Every finding for the generated conf paired with the live Cyrus's own cyrus.conf and imapd.conf. */
function paired(conf: string, c: CyrusInstance = cy): Finding[] {
  return checkProject([
    { path: conf, kind: 'exim' }, { path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' },
  ], defaultOptions);
}

/** The link findings' codes of that pairing. */
function lint(conf: string): string[] {
  return paired(conf).filter((f) => f.code.startsWith('link/')).map((f) => f.code);
}

test('clean pairing: no link finding; the callout reaches lmtpd, rejects an unknown user, accepts a known one; mail is delivered', { skip }, async () => {
  const { dir, conf } = eximConf(port(cy.ports.lmtpTrusted));
  assert.deepEqual(lint(conf), []);
  const s = rcpt(conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^250 /);
  assert.match(s.rcpt[1], /^550[ -]/);
  assert.match(s.rcpt[1], /5\.1\.1 User unknown/, "Cyrus's own answer comes through");
  assert.match(s.log, /Cyrus LMTP/, 'the callout talked to lmtpd');
  const before = await cy.messageCount(`user/${ALICE}`);
  const log = deliver(dir, conf, ALICE);
  assert.match(log, /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\] C="250 2\.1\.5/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('hosts left out of the Cyrus transport: flagged exim/transport-no-destination; really the callout is never made (an unknown user is accepted) and every delivery defers', { skip }, async () => {
  for (const hosts of ['', '  hosts =\n']) {
    const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  hosts = localhost\n', hosts));
    const found = paired(conf)
      .filter((f) => f.severity !== 'hint').map((f) => f.code);
    assert.deepEqual(found, ['exim/transport-no-destination'], hosts || 'no hosts');
    // nobody has no mailbox, and the clean pairing's callout refuses it (the first test).
    const s = rcpt(conf, [ALICE, NOBODY]);
    assert.match(s.rcpt[1], /^250 /, 'nobody is accepted: no callout is made');
    const before = await cy.messageCount(`user/${ALICE}`);
    const log = deliver(dir, conf, ALICE);
    const says = hosts ? 'cyrus_ltcp transport has empty hosts setting' : 'cyrus_ltcp transport called with no hosts set';
    assert.match(log, new RegExp(`== alice@example\\.com R=cyrus_vdom T=cyrus_ltcp defer .*${says}`));
    assert.equal(await cy.messageCount(`user/${ALICE}`), before);
    // Its quick fix (a manual one: only the user knows Cyrus is on this machine), applied as an editor does.
    const fix = checkProject([{ path: conf, kind: 'exim' }], defaultOptions).find((f) => f.code === 'exim/transport-no-destination')!.fixes![0];
    assert.ok(fix.manual);
    applyEditsOnDisk(fix.edits);
    const again = paired(conf);
    assert.deepEqual(again.filter((f) => f.severity !== 'hint').map((f) => f.code), [], 'fixed');
    const fixed = rcpt(conf, [ALICE, NOBODY]);
    assert.match(fixed.rcpt[0], /^250 /);
    assert.match(fixed.rcpt[1], /^550[ -]/, 'the callout runs again and refuses nobody');
    assert.match(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127\.0\.0\.1 \[127\.0\.0\.1\]/);
    assert.ok(await cy.messageCount(`user/${ALICE}`) > before, 'delivered');
  }
});

test('the Cyrus router naming the pipe or file transport that serves redirects: flagged exim/transport-no-destination; really every delivery defers', { skip }, async () => {
  for (const [transport, says] of [['address_pipe', 'no command specified for address_pipe transport'], ['address_file', 'Mandatory file or directory option missing from address_file transport']]) {
    const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  transport = cyrus_ltcp\n', `  transport = ${transport}\n`));
    const found = checkProject([{ path: conf, kind: 'exim' }], defaultOptions).filter((f) => f.severity !== 'hint').map((f) => f.code);
    assert.deepEqual(found, ['exim/transport-no-destination'], transport);
    const log = deliver(dir, conf, ALICE);
    assert.match(log, new RegExp(`== alice@example\\.com R=cyrus_vdom T=${transport} defer .*${says}`), log);
  }
});

test('lmtpd without -a: flagged link/lmtp-auth-required; really answers 430 and the callout defers', { skip }, () => {
  const { conf } = eximConf(port(cy.ports.lmtpAuth));
  assert.deepEqual(lint(conf), ['link/lmtp-auth-required']);
  const s = rcpt(conf, [ALICE, NOBODY]);
  for (const r of s.rcpt) assert.match(r, /^451 Could not complete recipient verify callout/);
  assert.match(s.log, /430 Authentication required/);
});

test('wrong port: flagged link/lmtp-no-listener; really the callout cannot connect', { skip }, async () => {
  const unused = await freePort();
  const { conf } = eximConf(port(unused));
  assert.deepEqual(lint(conf), ['link/lmtp-no-listener']);
  const s = rcpt(conf, [ALICE]);
  assert.match(s.rcpt[0], /^451 Could not complete recipient verify callout/);
});

test('no allow_localhost: flagged link/localhost-not-allowed; really Exim refuses to deliver to localhost', { skip }, async () => {
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  allow_localhost\n', ''));
  assert.deepEqual(lint(conf), ['link/localhost-not-allowed']);
  const before = await cy.messageCount(`user/${ALICE}`);
  const log = deliver(dir, conf, ALICE);
  assert.match(log, /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer .*cyrus_ltcp transport found host localhost to be local/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before);
});

test('manualroute to 127.0.0.1 without self = send: flagged link/localhost-not-allowed; really Exim will not route there; the fix (self = send, no allow_localhost needed) delivers', { skip }, async () => {
  const routed = (t: string) => port(cy.ports.lmtpTrusted)(t)
    .replace('cyrus_vdom:\n  driver = accept\n', 'cyrus_vdom:\n  driver = manualroute\n  route_list = * 127.0.0.1\n')
    .replace('  hosts = localhost\n  allow_localhost\n', '').replace('  gethostbyname\n', '');
  const { dir, conf } = eximConf(routed);
  const found = paired(conf)
    .filter((f) => f.code.startsWith('link/'));
  assert.deepEqual(found.map((f) => f.code), ['link/localhost-not-allowed']);
  const bt = spawnSync(EXIM, ['-C', conf, '-bt', ALICE], { encoding: 'utf8', timeout: 60_000 });
  assert.match(bt.stdout, /cannot be resolved at this time: remote host address is the local host/);
  const fixed = eximConf((t) => routed(t).replace('  route_list = * 127.0.0.1\n', '  route_list = * 127.0.0.1\n  self = send\n'));
  assert.doesNotMatch(fs.readFileSync(fixed.conf, 'utf8'), /^\s*allow_localhost/m);
  assert.deepEqual(lint(fixed.conf), []);
  const before = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(fixed.dir, fixed.conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127\.0\.0\.1 \[127\.0\.0\.1\] C="250 2\.1\.5/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
  assert.doesNotMatch(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127/, 'unfixed, nothing is delivered');
});

test('manualroute hosts replace the transport\'s: route_list to a free port is flagged link/lmtp-no-listener and really defers; with hosts_override the transport\'s hosts deliver, unflagged', { skip }, async () => {
  const unused = await freePort();
  const routed = (extra: string) => (t: string) => port(cy.ports.lmtpTrusted)(t)
    .replace('cyrus_vdom:\n  driver = accept\n', `cyrus_vdom:\n  driver = manualroute\n  route_list = * 127.0.0.1::${unused}\n  self = send\n`)
    .replace('  allow_localhost\n', `  allow_localhost\n${extra}`);
  const bad = eximConf(routed(''));
  assert.deepEqual(lint(bad.conf), ['link/lmtp-no-listener']);
  assert.match(rcpt(bad.conf, [ALICE]).rcpt[0], /^451 Could not complete recipient verify callout/);
  const good = eximConf(routed('  hosts_override\n'));
  assert.deepEqual(lint(good.conf), []);
  const s = rcpt(good.conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^250 /);
  assert.match(s.rcpt[1], /^550[ -]/);
  const before = await cy.messageCount(`user/${ALICE}`);
  deliver(good.dir, good.conf, ALICE);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('hosts_avoid_esmtp on the LMTP transport: flagged link/lmtp-avoid-esmtp; really Exim greets with HELO, lmtpd answers 500, the callout rejects everyone and nothing is delivered', { skip }, async () => {
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  allow_localhost\n', '  allow_localhost\n  hosts_avoid_esmtp = *\n'));
  assert.deepEqual(lint(conf), ['link/lmtp-avoid-esmtp']);
  const s = rcpt(conf, [ALICE]);
  assert.match(s.rcpt[0], /^550[ -]Callout verification failed/);
  assert.match(s.rcpt[0], /500 5\.5\.2 Syntax error/);
  const before = await cy.messageCount(`user/${ALICE}`);
  const log = deliver(dir, conf, ALICE);
  assert.match(log, /\*\* alice@example\.com R=cyrus_vdom T=cyrus_ltcp .*after HELO .*500 5\.5\.2 Syntax error/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before);
});

test('lmtp over the UNIX socket: flagged link/callout-needs-tcp; really the callout is skipped and an unknown user is accepted', { skip }, () => {
  const { conf } = eximConf((t) => t.replace(/cyrus_ltcp:\n(?: {2}.*\n)+/, `cyrus_ltcp:\n  driver = lmtp\n  socket = ${cy.lmtpSocket}\n  user = cyrus\n`));
  assert.deepEqual(lint(conf), ['link/callout-needs-tcp']);
  const s = rcpt(conf, [NOBODY]);
  assert.match(s.rcpt[0], /^250 /, 'the unknown user is accepted');
  assert.match(s.log, /Cannot do callout/);
});

test('hosts = localhost without gethostbyname: flagged link/localhost-dns; the callout fails where DNS does not answer for localhost', { skip }, (t) => {
  const { conf } = eximConf((x) => port(cy.ports.lmtpTrusted)(x).replace('  gethostbyname\n', ''));
  assert.deepEqual(lint(conf), ['link/localhost-dns']);
  const s = rcpt(conf, [ALICE]);
  // Whether DNS answers for "localhost" depends on this machine's resolver.
  if (/^250 /.test(s.rcpt[0])) t.diagnostic('DNS answers for localhost on this machine: the callout worked without gethostbyname');
  else assert.match(s.rcpt[0], /^451 Could not complete recipient verify callout/);
});

test('a host of the list that refuses, or answers MAIL with 430: only a warning; really Exim moves on to the next host and delivers', { skip }, async () => {
  const both = (hosts: string) => (t: string) => port(cy.ports.lmtpTrusted)(t).replace('  hosts = localhost\n', `  hosts = ${hosts}\n`);
  const refused = eximConf(both('127.0.0.2 : 127.0.0.1'));
  const found = (conf: string) => paired(conf)
    .filter((f) => f.code.startsWith('link/')).map((f) => `${f.code} ${f.severity}`);
  assert.deepEqual(found(refused.conf), ['link/lmtp-no-listener warning']);
  const s = rcpt(refused.conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^250 /);
  assert.match(s.rcpt[1], /^550[ -]/);
  let before = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(refused.dir, refused.conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127\.0\.0\.1 \[127\.0\.0\.1\] C="250 2\.1\.5/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);

  const auth = eximConf(both(`127.0.0.1::${cy.ports.lmtpAuth} : 127.0.0.1`));
  assert.deepEqual(found(auth.conf), ['link/lmtp-auth-required warning']);
  before = await cy.messageCount(`user/${ALICE}`);
  const log = deliver(auth.dir, auth.conf, ALICE);
  assert.match(log, /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127\.0\.0\.1 \[127\.0\.0\.1\]:?\d* C="250 2\.1\.5/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('every transport host names its port (host::port): flagged link/callout-host-port; really delivery works but the callout cannot run', { skip }, async () => {
  const hosts = (h: string) => (t: string) => t.replace('  hosts = localhost\n', `  hosts = ${h}\n`);
  for (const h of [`127.0.0.1::${cy.ports.lmtpTrusted}`, `localhost::${cy.ports.lmtpTrusted}`]) {
    const { dir, conf } = eximConf(hosts(h));
    assert.deepEqual(lint(conf), ['link/callout-host-port'], h);
    const s = rcpt(conf, [ALICE, NOBODY]);
    for (const r of s.rcpt) assert.match(r, /^451 Could not complete recipient verify callout/, h);
    assert.match(s.log, /no IP address found for host (127\.0\.0\.1|localhost):\d+/);
    const before = await cy.messageCount(`user/${ALICE}`);
    assert.match(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=\S+ \[127\.0\.0\.1\] C="250 2\.1\.5/, h);
    assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
  }
  // One plain host left: the callout uses it.
  const mixed = eximConf((t) => port(cy.ports.lmtpTrusted)(hosts(`127.0.0.1::${cy.ports.lmtpTrusted} : localhost`)(t)));
  assert.deepEqual(lint(mixed.conf), []);
  const s = rcpt(mixed.conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^250 /);
  assert.match(s.rcpt[1], /^550[ -]/);
});

test('protocol = lmtp left out: flagged link/smtp-to-lmtpd; really lmtpd answers EHLO with 500, the callout rejects everyone and nothing is delivered', { skip }, async () => {
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  protocol = lmtp\n', ''));
  assert.deepEqual(lint(conf), ['link/smtp-to-lmtpd']);
  const s = rcpt(conf, [ALICE, NOBODY]);
  for (const r of s.rcpt) assert.match(r, /^550[ -]Callout verification failed:[^]*500 5\.5\.2 Syntax error/);
  const before = await cy.messageCount(`user/${ALICE}`);
  assert.doesNotMatch(deliver(dir, conf, ALICE), /=> alice@example\.com/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before);
});

test('hosts_require_auth without a client authenticator: flagged link/require-auth-no-client; really every delivery and callout defers', { skip }, async () => {
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  gethostbyname\n', '  gethostbyname\n  hosts_require_auth = *\n'));
  assert.deepEqual(lint(conf), ['link/require-auth-no-client']);
  const s = rcpt(conf, [ALICE]);
  assert.match(s.rcpt[0], /^451 Could not complete recipient verify callout/);
  const before = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(dir, conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-42\): authentication required but no common mechanisms were found/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before);
});

test('hosts_require_tls to lmtpd -a, or to lmtpd without a certificate: flagged link/lmtp-tls-unavailable; really lmtpd offers no STARTTLS, so every callout and delivery defers', { skip }, async () => {
  const requireTls = (p: number) => (t: string) => port(p)(t).replace('  gethostbyname\n', '  gethostbyname\n  hosts_require_tls = *\n');
  const trusted = eximConf(requireTls(cy.ports.lmtpTrusted));
  assert.deepEqual(lint(trusted.conf), ['link/lmtp-tls-unavailable']);
  // The live Cyrus's imapd.conf has no certificate, so lmtpd without -a offers none either.
  const auth = eximConf(requireTls(cy.ports.lmtpAuth));
  assert.deepEqual(lint(auth.conf).sort(), ['link/lmtp-auth-required', 'link/lmtp-tls-unavailable']);
  for (const { dir, conf } of [trusted, auth]) {
    const s = rcpt(conf, [ALICE]);
    assert.match(s.rcpt[0], /^451 Could not complete recipient verify callout/);
    assert.match(s.log, /a TLS session is required, but the server did not offer TLS support/);
    const before = await cy.messageCount(`user/${ALICE}`);
    assert.match(deliver(dir, conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-38\) H=localhost \[127\.0\.0\.1\]: a TLS session is required, but the server did not offer TLS support/);
    assert.equal(await cy.messageCount(`user/${ALICE}`), before);
  }
});

test('hosts_require_dane on the transport to lmtpd (localhost, or 127.0.0.1): flagged link/lmtp-tls-unavailable; really Exim fails every delivery ("lookup not DNSSEC") and the callout answers 451; hosts_try_dane, or the fix, delivers', { skip }, async () => {
  const dane = (o: string, hosts = 'localhost') => (t: string) => port(cy.ports.lmtpTrusted)(t).replace('  hosts = localhost\n', `  hosts = ${hosts}\n`).replace('  gethostbyname\n', `  gethostbyname\n  ${o}\n`);
  for (const hosts of ['localhost', '127.0.0.1']) {
    const { dir, conf } = eximConf(dane('hosts_require_dane = *', hosts));
    const found = paired(conf)
      .filter((f) => f.code.startsWith('link/'));
    assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['link/lmtp-tls-unavailable error']);
    assert.match(rcpt(conf, [ALICE]).rcpt[0], /^451 Could not complete recipient verify callout/);
    const before = await cy.messageCount(`user/${ALICE}`);
    assert.match(deliver(dir, conf, ALICE), new RegExp(`\\*\\* alice@example\\.com R=cyrus_vdom T=cyrus_ltcp: DANE error: ${hosts.replaceAll('.', '\\.')} lookup not DNSSEC`));
    assert.equal(await cy.messageCount(`user/${ALICE}`), before);
    // The quick fix, as an editor applies it.
    applyEditsOnDisk(found[0].fixes![0].edits);
    assert.deepEqual(lint(conf), []);
    assert.match(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp/);
    assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
  }
  const tried = eximConf(dane('hosts_try_dane = *'));
  assert.deepEqual(lint(tried.conf), []);
  const before = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(tried.dir, tried.conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('hosts_require_tls of one host of two: only a warning; really Exim gives that host up for want of STARTTLS and delivers through the next', { skip }, async () => {
  const second = await freePort();
  const c2 = await startCyrus({ mailboxes: [`user/${ALICE}`], extraServices: [`lmtp2 cmd="lmtpd -a -C {conf}" listen="127.0.0.2:${second}" prefork=0`] });
  try {
    const { dir, conf } = eximConf((t) => port(second)(t).replace('  hosts = localhost\n', `  hosts = 127.0.0.1::${c2.ports.lmtpTrusted} : 127.0.0.2\n`)
      .replace('  gethostbyname\n', '  gethostbyname\n  hosts_require_tls = 127.0.0.1\n'));
    const found = checkProject([{ path: conf, kind: 'exim' }, { path: c2.cyrusConf, kind: 'cyrus-conf' }, { path: c2.imapdConf, kind: 'imapd-conf' }], defaultOptions)
      .filter((f) => f.code.startsWith('link/')).map((f) => `${f.code} ${f.severity}`);
    assert.deepEqual(found, ['link/lmtp-tls-unavailable warning']);
    const log = deliver(dir, conf, ALICE);
    assert.match(log, /H=127\.0\.0\.1 \[127\.0\.0\.1\]: a TLS session is required, but the server did not offer TLS support/);
    assert.match(log, /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127\.0\.0\.2 \[127\.0\.0\.2\] C="250 2\.1\.5/);
    assert.equal(await c2.messageCount(`user/${ALICE}`), 1);
  } finally {
    await c2.stop();
  }
});

test('disable_ipv6 with lmtpd on [::1]: hosts = <; ::1 flagged exim/invalid-value, and really Exim finds no address for ::1 (callout 451, delivery defers); without disable_ipv6 it delivers unflagged; with 127.0.0.1 after it only the warning, and really Exim skips ::1 and delivers', { skip }, async () => {
  const v6 = await freePort();
  const c2 = await startCyrus({ mailboxes: [`user/${ALICE}`], extraServices: [`lmtp6 cmd="lmtpd -a -C {conf}" listen="[::1]:${v6}" prefork=0`] });
  const off = (t: string) => t.replace('never_users = root\n', 'never_users = root\ndisable_ipv6 = true\n');
  const hosts = (h: string) => (t: string) => t.replace('  hosts = localhost\n', `  hosts = ${h}\n`);
  const invalid = (conf: string) => paired(conf, c2).filter((f) => f.code !== 'exim/unused-definition').map((f) => `${f.code} ${f.severity}`);
  try {
    const only = eximConf((t) => off(hosts('<; ::1')(port(v6)(t))));
    assert.deepEqual(invalid(only.conf), ['exim/invalid-value warning']);
    assert.match(paired(only.conf, c2)[0].message, /names the IPv6 address ::1, but disable_ipv6 is set: .* every delivery through it defers/);
    assert.match(rcpt(only.conf, [ALICE]).rcpt[0], /^451 Could not complete recipient verify callout/);
    assert.match(deliver(only.dir, only.conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-32\): failed to lookup IP address for ::1/);
    assert.equal(await c2.messageCount(`user/${ALICE}`), 0);

    const on = eximConf((t) => hosts('<; ::1')(port(v6)(t)));
    assert.deepEqual(invalid(on.conf), []);
    assert.match(deliver(on.dir, on.conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=::1 \[::1\]/);
    assert.equal(await c2.messageCount(`user/${ALICE}`), 1);

    const next = eximConf((t) => off(hosts('<; ::1 ; 127.0.0.1')(port(c2.ports.lmtpTrusted)(t))));
    assert.deepEqual(invalid(next.conf), ['exim/invalid-value warning']);
    assert.match(paired(next.conf, c2)[0].message, /skips it and tries 127\.0\.0\.1/);
    assert.match(deliver(next.dir, next.conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127\.0\.0\.1 \[127\.0\.0\.1\]/);
    assert.equal(await c2.messageCount(`user/${ALICE}`), 2);
  } finally {
    await c2.stop();
  }
});

/** A PLAIN client authenticator for Cyrus's admin, appended to the (last) authenticators section. */
const plainClient = (password: string) => `\ncyrus_plain:\n  driver = plaintext\n  public_name = PLAIN\n  client_send = ^cyrus^${password}\n`;
const withAuth = (p: number, opt: string, password: string) => (t: string) =>
  port(p)(t).replace('  gethostbyname\n', `  gethostbyname\n  ${opt} = *\n`) + plainClient(password);

test('hosts_require_auth with a PLAIN client: to lmtpd without -a and allowplaintext it authenticates and delivers; to lmtpd -a (EXTERNAL only) flagged link/auth-no-common-mechanism and really every callout and delivery defers', { skip }, async () => {
  const good = eximConf(withAuth(cy.ports.lmtpAuth, 'hosts_require_auth', cy.admin.password));
  assert.deepEqual(lint(good.conf), []);
  const before = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(good.dir, good.conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\] A=cyrus_plain C="250 2\.1\.5/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
  const { dir, conf } = eximConf(withAuth(cy.ports.lmtpTrusted, 'hosts_require_auth', cy.admin.password));
  assert.deepEqual(lint(conf), ['link/auth-no-common-mechanism']);
  const s = rcpt(conf, [ALICE]);
  assert.match(s.rcpt[0], /^451 Could not complete recipient verify callout/);
  assert.match(s.log, /authentication required but no common mechanisms were found/);
  assert.match(deliver(dir, conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-42\): authentication required but no common mechanisms were found/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('allowplaintext off, no certificate: lmtpd without -a offers no PLAIN; hosts_require_auth flagged link/auth-no-common-mechanism, hosts_try_auth link/lmtp-auth-required; really Exim defers, or goes on and gets 430; a sasl_mech_list without PLAIN likewise, and sasl_minimum_layer (lmtpd then offers only mechanisms with a security layer)', { skip }, async () => {
  // imap keeps plaintext logins for the harness's own admin session.
  const strict = (extra: string) => (t: string) => t.replace('allowplaintext: yes\n', `allowplaintext: no\nimap_allowplaintext: yes\n${extra}`);
  for (const [edit, said] of [[strict(''), 'server did not advertise AUTH support'], [(t: string) => t.replace('sasl_mech_list: PLAIN\n', 'sasl_mech_list: LOGIN\n'), 'no common mechanisms were found'],
    [(t: string) => `${t}lmtpauth_sasl_minimum_layer: 1\n`, 'server did not advertise AUTH support']] as const) {
    const c = await startCyrus({ mailboxes: [`user/${ALICE}`], editCyrusConf: (text, d) => {
      const f = path.join(d, 'imapd.conf');
      fs.writeFileSync(f, edit(fs.readFileSync(f, 'utf8')));
      return text;
    } });
    try {
      const lintWith = (conf: string) => checkProject([{ path: conf, kind: 'exim' }, { path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions)
        .filter((f) => f.code.startsWith('link/')).map((f) => f.code);
      const req = eximConf(withAuth(c.ports.lmtpAuth, 'hosts_require_auth', c.admin.password));
      assert.deepEqual(lintWith(req.conf), ['link/auth-no-common-mechanism']);
      assert.match(deliver(req.dir, req.conf, ALICE), new RegExp(`== alice@example\\.com R=cyrus_vdom T=cyrus_ltcp defer \\(-42\\): authentication required but ${said}`));
      const tried = eximConf(withAuth(c.ports.lmtpAuth, 'hosts_try_auth', c.admin.password));
      assert.deepEqual(lintWith(tried.conf), ['link/lmtp-auth-required']);
      assert.match(deliver(tried.dir, tried.conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-45\) H=localhost \[127\.0\.0\.1\]: SMTP error from remote mail server after pipelined MAIL FROM:<sender@example\.net> SIZE=\d+: 430 Authentication required/);
      assert.equal(await c.messageCount(`user/${ALICE}`), 0);
    } finally {
      await c.stop();
    }
  }
});

test('lmtpd without -a with a certificate, allowplaintext off: not flagged with hosts_require_tls and hosts_require_auth; really Exim starts TLS, authenticates with PLAIN and delivers', { skip: skip || (spawnSync('openssl', ['version']).status !== 0 && 'skipped: openssl is not installed') }, async () => {
  const c = await startCyrus({ mailboxes: [`user/${ALICE}`], editCyrusConf: (text, d) => {
    const [key, cert] = [path.join(d, 'key.pem'), path.join(d, 'cert.pem')];
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'], { timeout: 60_000 });
    assert.equal(r.status, 0, `openssl: ${r.stderr}`);
    // lmtpd runs as cyrus.
    fs.chmodSync(key, 0o644);
    const f = path.join(d, 'imapd.conf');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('allowplaintext: yes\n', `allowplaintext: no\nimap_allowplaintext: yes\ntls_server_cert: ${cert}\ntls_server_key: ${key}\n`));
    return text;
  } });
  try {
    const { dir, conf } = eximConf((t) => withAuth(c.ports.lmtpAuth, 'hosts_require_auth', c.admin.password)(t).replace('  hosts_require_auth = *\n', '  hosts_require_auth = *\n  hosts_require_tls = *\n'));
    const found = checkProject([{ path: conf, kind: 'exim' }, { path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions).filter((f) => f.code.startsWith('link/'));
    assert.deepEqual(found.map((f) => f.code), []);
    assert.match(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\] X=TLS\S+ CV=no A=cyrus_plain C="250 2\.1\.5/);
    assert.equal(await c.messageCount(`user/${ALICE}`), 1);
  } finally {
    await c.stop();
  }
});

/**
 * A message of about `bytes` to alice in one SMTP session (-bs) that delivers in the
 * foreground; lines of 70 characters, since Exim's smtp transport refuses lines over 998.
 * The reply to the data, and the main log.
 */
function sendSized(dir: string, conf: string, bytes: number): { data: string; log: string } {
  const body = `${'a'.repeat(70)}\r\n`.repeat(Math.ceil(bytes / 72));
  const dialog = ['EHLO client.example.net', 'MAIL FROM:<sender@example.net>', `RCPT TO:<${ALICE}>`, 'DATA', `Subject: size\r\n\r\n${body}.`, 'QUIT', ''].join('\r\n');
  const r = spawnSync(EXIM, ['-C', conf, '-odf', '-bs'], { input: dialog, encoding: 'utf8', timeout: 60_000 });
  return { data: replies(r.stdout)[5] ?? '', log: mainLog(dir) };
}

test('maxmessagesize in imapd.conf below message_size_limit: flagged link/message-size-limit; really a bigger message is accepted, refused by lmtpd with 552 and bounced; with the limit it suggests, Exim refuses it at submission and a smaller one is delivered', { skip }, async () => {
  const c = await startCyrus({ mailboxes: [`user/${ALICE}`], editCyrusConf: (text, d) => { fs.appendFileSync(path.join(d, 'imapd.conf'), 'maxmessagesize: 10240\n'); return text; } });
  try {
    const lintWith = (conf: string) => checkProject([{ path: conf, kind: 'exim' }, { path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions)
      .filter((f) => f.code.startsWith('link/'));
    const dflt = eximConf(port(c.ports.lmtpTrusted));
    const found = lintWith(dflt.conf);
    assert.deepEqual(found.map((f) => f.code), ['link/message-size-limit']);
    assert.match(found[0].message, /Set message_size_limit = 8K/);
    const big = sendSized(dflt.dir, dflt.conf, 9 * 1024);
    assert.match(big.data, /^250 /, 'accepted');
    assert.match(big.log, /\*\* alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\]: SMTP error from remote mail server after pipelined MAIL FROM:<sender@example\.net> SIZE=\d+: 552 5\.2\.3 Message SIZE exceeds fixed maximum message size \(10240\)/);
    assert.equal(await c.messageCount(`user/${ALICE}`), 0);
    const fixed = eximConf((t) => port(c.ports.lmtpTrusted)(t).replace('primary_hostname = mail.example.com\n', 'primary_hostname = mail.example.com\nmessage_size_limit = 8K\n'));
    assert.deepEqual(lintWith(fixed.conf), []);
    const refused = sendSized(fixed.dir, fixed.conf, 9 * 1024);
    assert.match(refused.data, /^552 /, 'refused while the sender is still there');
    assert.doesNotMatch(refused.log, /<= sender@example\.net/);
    const small = sendSized(fixed.dir, fixed.conf, 7 * 1024);
    assert.match(small.data, /^250 /);
    assert.match(small.log, /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp/);
    assert.equal(await c.messageCount(`user/${ALICE}`), 1);
  } finally {
    await c.stop();
  }
});

test('the Cyrus transport\'s own message_size_limit below the main one: flagged link/message-size-limit; really a bigger message is accepted and failed at delivery ("transport limit"); with the main limit lowered to it, Exim refuses it at DATA', { skip }, async () => {
  const withLimit = (t: string) => port(cy.ports.lmtpTrusted)(t).replace('  protocol = lmtp\n', '  protocol = lmtp\n  message_size_limit = 8K\n');
  const over = eximConf(withLimit);
  const found = paired(over.conf)
    .filter((f) => f.code.startsWith('link/'));
  assert.deepEqual(found.map((f) => f.code), ['link/message-size-limit']);
  assert.match(found[0].message, /Transport cyrus_ltcp delivers to Cyrus only messages up to 8K/);
  const before = await cy.messageCount(`user/${ALICE}`);
  const big = sendSized(over.dir, over.conf, 9 * 1024);
  assert.match(big.data, /^250 /, 'accepted');
  assert.match(big.log, /\*\* alice@example\.com R=cyrus_vdom T=cyrus_ltcp: message is too big \(transport limit = 8192\)/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before);
  const fixed = eximConf((t) => withLimit(t).replace('primary_hostname = mail.example.com\n', 'primary_hostname = mail.example.com\nmessage_size_limit = 8K\n'));
  assert.deepEqual(lint(fixed.conf), []);
  const refused = sendSized(fixed.dir, fixed.conf, 9 * 1024);
  assert.match(refused.data, /^552 /, 'refused while the sender is still there');
  const small = sendSized(fixed.dir, fixed.conf, 7 * 1024);
  assert.match(small.data, /^250 /);
  assert.match(small.log, /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('transport hosts that name no host (+list, [address], "a, b", a mask, /MX): flagged exim/invalid-value; really each is looked up whole, every callout gets 451 and every delivery defers; the fix, where there is one, delivers', { skip }, async () => {
  const cases: [string, string, string | undefined][] = [
    ['+cyrus_hosts', '+cyrus_hosts', undefined], ['[127.0.0.1]', '[127.0.0.1]', '127.0.0.1'], ['localhost, 127.0.0.1', 'localhost, 127.0.0.1', 'localhost : 127.0.0.1'],
    ['127.0.0.1/32', '127.0.0.1/32', '127.0.0.1'], ['localhost/MX', 'localhost/MX', undefined],
  ];
  for (const [hosts, item, fixed] of cases) {
    const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  hosts = localhost\n', `  hosts = ${hosts}\n`)
      .replace('hostlist   relay_from_hosts', 'hostlist   cyrus_hosts = localhost\nhostlist   relay_from_hosts'));
    const found = paired(conf)
      .filter((f) => f.code === 'exim/invalid-value');
    assert.deepEqual(found.map((f) => f.severity), ['warning'], hosts);
    assert.match(found[0].message, new RegExp(`"${item.replace(/[[\].+]/g, '\\$&')}" in hosts is no host Exim can look up`));
    assert.match(rcpt(conf, [ALICE]).rcpt[0], /^451 Could not complete recipient verify callout/);
    const before = await cy.messageCount(`user/${ALICE}`);
    assert.match(deliver(dir, conf, ALICE), new RegExp(`== alice@example\\.com R=cyrus_vdom T=cyrus_ltcp defer \\(-32\\): failed to lookup IP address for ${item.replace(/[[\].+]/g, '\\$&')}`));
    assert.equal(await cy.messageCount(`user/${ALICE}`), before);
    if (!fixed) continue;
    assert.equal(found[0].fixes![0].edits[0].newText, fixed);
    applyEditsOnDisk(found[0].fixes![0].edits);
    assert.deepEqual(paired(conf).map((f) => f.code).filter((c) => c !== 'exim/unused-definition'), []);
    assert.match(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp/);
    assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
  }
});

test('hosts = 0.0.0.0: no finding, and really Linux connects it to lmtpd on 127.0.0.1; interface = ::1 in a colon list: flagged link/ipv6-colon-list, and really every delivery defers', { skip }, async () => {
  const any = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  hosts = localhost\n', '  hosts = 0.0.0.0\n'));
  assert.deepEqual(lint(any.conf), []);
  const before = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(any.dir, any.conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=0\.0\.0\.0 \[0\.0\.0\.0\]/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
  const v6 = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  gethostbyname\n', '  gethostbyname\n  interface = ::1\n'));
  const found = checkProject([{ path: v6.conf, kind: 'exim' }], defaultOptions).filter((f) => f.code === 'link/ipv6-colon-list');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /interface of cyrus_ltcp .* is no address: Exim defers every delivery/);
  assert.match(deliver(v6.dir, v6.conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-1\): ":1" is not a valid IP address for the "interface" option for cyrus_ltcp transport/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('a callout time of 0s: flagged exim/invalid-value; really Exim makes no callout, so an unknown Cyrus user passes RCPT, which the 5s callout refuses', { skip }, async () => {
  const zero = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('recipient/callout=random,5s', 'recipient/callout=random,0s'));
  const found = paired(zero.conf);
  assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['exim/invalid-value warning']);
  assert.match(found[0].message, /A callout time of 0s makes no callout/);
  const s = rcpt(zero.conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^250 /);
  assert.match(s.rcpt[1], /^250 /, 'the unknown user passes: no callout asked Cyrus');
  const five = eximConf(port(cy.ports.lmtpTrusted));
  assert.deepEqual(lint(five.conf), []);
  assert.match(rcpt(five.conf, [NOBODY]).rcpt[0], /^550[ -]/);
});

test('no recipient callout before accept domains = +cyrus_domains: flagged link/no-recipient-callout; really an unknown user is accepted and bounced after lmtpd\'s 550; the quick fix makes Exim refuse it at RCPT', { skip }, async () => {
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  deny    domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n', ''));
  const found = paired(conf)
    .filter((f) => f.code.startsWith('link/'));
  assert.deepEqual(found.map((f) => f.code), ['link/no-recipient-callout']);
  const s = rcpt(conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^250 /);
  assert.match(s.rcpt[1], /^250 /, 'the unknown user is accepted');
  assert.match(deliver(dir, conf, NOBODY), /\*\* nobody@example\.com R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\]: SMTP error from remote mail server after RCPT TO:<nobody@example\.com>: 550[^]*5\.1\.1 User unknown/);
  // The fix, as an editor applies it: one insertion before the accepting statement.
  assert.equal(found[0].fixes![0].edits[0].file, conf);
  applyEditsOnDisk(found[0].fixes![0].edits);
  assert.deepEqual(lint(conf), []);
  const after = rcpt(conf, [ALICE, NOBODY]);
  assert.match(after.rcpt[0], /^250 /);
  assert.match(after.rcpt[1], /^550[ -]/, 'refused at RCPT, while the sender is there');
});

test('the callout statement written without "!" (deny verify = recipient/callout), or as require !verify: flagged exim/acl-verify-inverted; really the mailbox Cyrus has is refused at RCPT and the unknown one accepted; the quick fix turns it round', { skip }, async () => {
  const statement = '  deny    domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n';
  for (const written of ['  deny    domains       = +cyrus_domains\n          verify       = recipient/callout=random,5s\n',
    '  require domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n']) {
    const { conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace(statement, written));
    const found = paired(conf).filter((f) => f.code === 'exim/acl-verify-inverted');
    assert.equal(found.length, 1, written);
    assert.equal(found[0].severity, 'warning');
    const s = rcpt(conf, [ALICE, NOBODY]);
    assert.match(s.rcpt[0], /^550[ -]/, 'the mailbox Cyrus has is refused');
    assert.match(s.rcpt[1], /^250 /, 'the unknown one passes on to accept domains = +cyrus_domains');
    applyEditsOnDisk(found[0].fixes![0].edits);
    assert.deepEqual(paired(conf).filter((f) => f.code === 'exim/acl-verify-inverted'), []);
    const after = rcpt(conf, [ALICE, NOBODY]);
    assert.match(after.rcpt[0], /^250 /);
    assert.match(after.rcpt[1], /^550[ -]/);
  }
});

test('autocreate_post with autocreate_quota 0 behind the callout: flagged link/cyrus-autocreate-any-user; really lmtpd makes a mailbox at RCPT, so an unknown user passes the callout; with the quick fix (autocreate_post: no, Cyrus restarted, Exim\'s callout cache cleared) it is refused again', { skip }, async () => {
  const auto = await startCyrus({
    mailboxes: [`user/${ALICE}`],
    editCyrusConf: (text, d) => { fs.appendFileSync(path.join(d, 'imapd.conf'), 'autocreate_post: yes\nautocreate_quota: 0\n'); return text; },
  });
  try {
    const { dir, conf } = eximConf(port(auto.ports.lmtpTrusted));
    const pair = () => paired(conf, auto).filter((f) => f.code.startsWith('link/'));
    const found = pair();
    assert.deepEqual(found.map((f) => f.code), ['link/cyrus-autocreate-any-user']);
    const s = rcpt(conf, [ALICE, NOBODY]);
    assert.match(s.rcpt[0], /^250 /);
    assert.match(s.rcpt[1], /^250 /, 'the unknown user passes');
    applyEditsOnDisk(found[0].fixes![0].edits);
    assert.deepEqual(pair(), []);
    // lmtpd processes read imapd.conf when they start and serve connection after connection:
    // a Cyrus restarted with the fixed lines. Exim's callout cache still holds the domain as
    // accepting any address, until its hints database is removed, as the finding says.
    const lines = fs.readFileSync(auto.imapdConf, 'utf8').split('\n').filter((l) => l.startsWith('autocreate_')).join('\n') + '\n';
    assert.match(lines, /^autocreate_post: no$/m);
    await auto.stop();
    const mended = await startCyrus({ mailboxes: [`user/${ALICE}`], editCyrusConf: (text, d) => { fs.appendFileSync(path.join(d, 'imapd.conf'), lines); return text; } });
    try {
      fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace(/  port = \d+\n/, `  port = ${mended.ports.lmtpTrusted}\n`));
      assert.match(rcpt(conf, [NOBODY]).rcpt[0], /^250 /, 'the cache still says the domain takes anything');
      const db = path.join(dir, 'spool', 'db');
      for (const f of fs.readdirSync(db)) if (f.startsWith('callout')) fs.rmSync(path.join(db, f));
      const after = rcpt(conf, [ALICE, NOBODY]);
      assert.match(after.rcpt[0], /^250 /);
      assert.match(after.rcpt[1], /^550[ -]/, 'refused again');
    } finally {
      await mended.stop();
    }
  } finally {
    await auto.stop();
  }
});

test('the Cyrus router\'s transport chosen by an ${if} with a branch naming no transport: flagged exim/undefined-transport on that branch; really the RCPT of an address taking it gets 451, the other branch\'s is accepted; the quick fix of a misspelt branch delivers', { skip }, async () => {
  const { conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  transport = cyrus_ltcp\n  no_more', '  transport = ${if eq{$domain}{example.org}{cyrus_ltcp}{cyrus_other}}\n  no_more'));
  const found = paired(conf).filter((f) => f.code === 'exim/undefined-transport');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /can expand to "cyrus_other"/);
  const s = rcpt(conf, [ALICE, 'alice@example.org']);
  assert.match(s.rcpt[0], /^451 /, 'example.com takes the missing branch');
  assert.doesNotMatch(s.rcpt[1], /^451 /, 'example.org goes to Cyrus (which has no such mailbox there, so the callout answers)');

  const { dir, conf: typo } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  transport = cyrus_ltcp\n  no_more', '  transport = ${if eq{$domain}{example.org}{remote_smtp}{cyrus_ltpc}}\n  no_more'));
  const misspelt = paired(typo).filter((f) => f.code === 'exim/undefined-transport');
  assert.equal(misspelt.length, 1);
  assert.match(rcpt(typo, [ALICE]).rcpt[0], /^451 /);
  applyEditsOnDisk(misspelt[0].fixes![0].edits);
  assert.deepEqual(paired(typo).filter((f) => f.code === 'exim/undefined-transport'), []);
  assert.match(rcpt(typo, [ALICE]).rcpt[0], /^250 /);
  const before = await cy.messageCount(`user/${ALICE}`);
  deliver(dir, typo, ALICE);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('the Cyrus transport\'s hosts looked up in a file only root may read: flagged exim/lookup-file-access; really the callout is not made (an unknown user passes RCPT) and every delivery defers; opened to Debian-exim\'s group as advised, the callout refuses the unknown user and mail is delivered', { skip }, async () => {
  const priv = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-hosts-file-'));
  dirs.push(priv);
  const file = path.join(priv, 'cyrus-hosts');
  fs.writeFileSync(file, 'example.com: localhost\nexample.org: localhost\n', { mode: 0o600 });
  const hostsFromFile = (t: string) => port(cy.ports.lmtpTrusted)(t).replace('  hosts = localhost\n', `  hosts = \${lookup{$domain}lsearch{${file}}}\n`);
  const { dir, conf } = eximConf(hostsFromFile);
  const found = paired(conf).filter((f) => f.code === 'exim/lookup-file-access');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /runs as user Debian-exim .* when it delivers over SMTP or makes a callout, .* which it reads when transport cyrus_ltcp expands hosts to deliver or make a callout: Exim cannot work out the hosts/);
  const s = rcpt(conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[1], /^250 /, 'no callout: the unknown user passes');
  const before = await cy.messageCount(`user/${ALICE}`);
  const log = deliver(dir, conf, ALICE);
  assert.match(log, /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer[^\n]*Permission denied/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before);

  for (const [p, mode] of [[priv, 0o750], [file, 0o640]] as const) {
    assert.equal(spawnSync('chgrp', ['Debian-exim', p]).status, 0);
    fs.chmodSync(p, mode);
  }
  assert.deepEqual(paired(conf).filter((f) => f.code === 'exim/lookup-file-access'), []);
  const fresh = eximConf(hostsFromFile);
  assert.match(rcpt(fresh.conf, [NOBODY]).rcpt[0], /^550[ -]/);
  deliver(fresh.dir, fresh.conf, ALICE);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('the Cyrus domains accepted by no statement (Debian\'s ACL takes +local_domains and +relay_to_domains only): flagged link/domain-mismatch; really every RCPT from outside gets "550 relay not permitted"; with the Cyrus domains in local_domains, unflagged, the callout refuses the unknown user and mail is delivered', { skip }, async () => {
  const callout = '  deny    domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n';
  const accept = '  accept  domains       = +cyrus_domains\n';
  const { conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace(callout, '').replace(accept, ''));
  assert.deepEqual(lint(conf), ['link/domain-mismatch']);
  assert.match(paired(conf).find((f) => f.code === 'link/domain-mismatch')!.message, /accepts them from no other host: the require statement here refuses them \("relay not permitted"\)/);
  const s = rcpt(conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^550 relay not permitted/);
  assert.match(s.rcpt[1], /^550 relay not permitted/);

  const { dir, conf: local } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace(accept, '').replace('domainlist local_domains = @ : localhost\n', '').replace('domainlist relay_to_domains =', 'domainlist local_domains = @ : localhost : +cyrus_domains\ndomainlist relay_to_domains ='));
  assert.deepEqual(lint(local), []);
  const ok = rcpt(local, [ALICE, NOBODY]);
  assert.match(ok.rcpt[0], /^250 /);
  assert.match(ok.rcpt[1], /^550[ -]/);
  const before = await cy.messageCount(`user/${ALICE}`);
  deliver(dir, local, ALICE);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('protocol = lmtp left out, hosts from a manualroute router: flagged link/smtp-to-lmtpd; really lmtpd answers 500 at the router\'s host, the transport\'s own is not used', { skip }, async () => {
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  protocol = lmtp\n', '').replace('  hosts = localhost\n', '  hosts = 127.0.0.2\n')
    .replace('cyrus_vdom:\n  driver = accept\n', 'cyrus_vdom:\n  driver = manualroute\n  route_list = * 127.0.0.1\n  self = send\n'));
  assert.deepEqual(lint(conf), ['link/smtp-to-lmtpd']);
  const s = rcpt(conf, [ALICE, NOBODY]);
  for (const r of s.rcpt) assert.match(r, /^550[ -]Callout verification failed:[^]*500 5\.5\.2 Syntax error/);
  const before = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(dir, conf, ALICE), /\*\* alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127\.0\.0\.1 \[127\.0\.0\.1\]: SMTP error .*500 5\.5\.2 Syntax error/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before);
});

test('host::port in a manualroute route_list: not flagged; really the router looks it up with its port, so the callout and delivery both use it', { skip }, async () => {
  const unused = await freePort();
  const { dir, conf } = eximConf((t) => port(unused)(t)
    .replace('cyrus_vdom:\n  driver = accept\n', `cyrus_vdom:\n  driver = manualroute\n  route_list = * 127.0.0.1::${cy.ports.lmtpTrusted}\n  self = send\n`));
  assert.deepEqual(lint(conf), []);
  const s = rcpt(conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^250 /);
  assert.match(s.rcpt[1], /^550[ -][^]*5\.1\.1 User unknown/);
  const before = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=127\.0\.0\.1 \[127\.0\.0\.1\] C="250 2\.1\.5/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
});

test('no_verify on the Cyrus router: flagged link/cyrus-router-no-verify; really the later routers verify and refuse a real mailbox as "Unknown user", though mail is delivered; a verify_only router to Cyrus mends it', { skip }, async () => {
  const noVerify = (t: string) => port(cy.ports.lmtpTrusted)(t).replace('  domains = +cyrus_domains\n  transport = cyrus_ltcp\n', '  domains = +cyrus_domains\n  no_verify\n  transport = cyrus_ltcp\n');
  const { dir, conf } = eximConf(noVerify);
  assert.deepEqual(lint(conf), ['link/cyrus-router-no-verify']);
  assert.match(rcpt(conf, [ALICE]).rcpt[0], /^550 Unknown user/);
  const before = await cy.messageCount(`user/${ALICE}`);
  deliver(dir, conf, ALICE);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
  const split = eximConf((t) => noVerify(t).replace('  no_verify\n  transport = cyrus_ltcp\n  no_more\n',
    '  no_verify\n  transport = cyrus_ltcp\n  no_more\n\ncyrus_verify:\n  driver = accept\n  domains = +cyrus_domains\n  verify_only\n  transport = cyrus_ltcp\n  no_more\n'));
  assert.deepEqual(lint(split.conf), []);
  const s = rcpt(split.conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^250 /);
  assert.match(s.rcpt[1], /^550[ -][^]*5\.1\.1 User unknown/);
});

test('unseen on the Cyrus router: flagged link/cyrus-router-unseen; really the callout passes, then the later routers verify the copy and refuse a real mailbox as "Unknown user", and each delivery\'s copy bounces (with no verification at RCPT too); a later router for the domains mends it', { skip }, async () => {
  const unseen = (t: string) => port(cy.ports.lmtpTrusted)(t).replace('  domains = +cyrus_domains\n  transport = cyrus_ltcp\n', '  domains = +cyrus_domains\n  unseen\n  transport = cyrus_ltcp\n');
  const { dir, conf } = eximConf(unseen);
  assert.deepEqual(lint(conf), ['link/cyrus-router-unseen']);
  const s = rcpt(conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^550 Unknown user/);
  assert.match(s.rcpt[1], /^550[ -][^]*5\.1\.1 User unknown/, 'the callout to Cyrus comes first');
  assert.match(s.log, /routed by cyrus_vdom router \(unseen\)/);
  const before = await cy.messageCount(`user/${ALICE}`);
  const log = deliver(dir, conf, ALICE);
  assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1);
  assert.match(log, /\*\* alice@example\.com: Unknown user/, 'the copy bounces');
  // With verification stopping at the Cyrus router (or none at RCPT), nobody is refused, but
  // every delivery still makes the copy that bounces.
  const stop = eximConf((t) => unseen(t).replace('!verify       = recipient/callout=random,5s', '!verify       = recipient/success_on_redirect/callout=random,5s'));
  assert.deepEqual(lint(stop.conf), ['link/cyrus-router-unseen']);
  assert.match(rcpt(stop.conf, [ALICE]).rcpt[0], /^250 /);
  const unverified = eximConf((t) => unseen(t).replace('  deny    domains       = +cyrus_domains\n          !verify       = recipient/callout=random,5s\n', ''));
  assert.deepEqual(lint(unverified.conf), ['link/cyrus-router-unseen']);
  assert.match(rcpt(unverified.conf, [ALICE]).rcpt[0], /^250 /);
  const count = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(unverified.dir, unverified.conf, ALICE), /\*\* alice@example\.com: Unknown user/, 'the copy bounces without any verification too');
  assert.equal(await cy.messageCount(`user/${ALICE}`), count + 1);
  const later = eximConf((t) => unseen(t).replace('  unseen\n  transport = cyrus_ltcp\n  no_more\n',
    '  unseen\n  transport = cyrus_ltcp\n  no_more\n\ncopies:\n  driver = accept\n  domains = +cyrus_domains\n  transport = local_delivery\n'));
  assert.deepEqual(lint(later.conf), []);
  assert.match(rcpt(later.conf, [ALICE]).rcpt[0], /^250 /);
  const skipped = eximConf((t) => unseen(t).replace('  unseen\n', '  unseen\n  no_verify\n'));
  assert.deepEqual(lint(skipped.conf), ['link/cyrus-router-unseen', 'link/cyrus-router-no-verify'], 'verification skips the router (no_verify), and each delivery still makes the copy (unseen)');
  assert.match(rcpt(skipped.conf, [ALICE]).rcpt[0], /^550 Unknown user/);
});

test('a manualroute list with 127.0.0.1 after a host that is not this machine: flagged link/lmtp-no-listener (an error, no fallback); really the router drops 127.0.0.1 and nothing is delivered', { skip }, async () => {
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t)
    .replace('cyrus_vdom:\n  driver = accept\n', 'cyrus_vdom:\n  driver = manualroute\n  route_list = * "127.0.0.2 : 127.0.0.1"\n  self = send\n'));
  const found = paired(conf)
    .filter((f) => f.code.startsWith('link/'));
  assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['link/lmtp-no-listener error']);
  assert.match(rcpt(conf, [ALICE]).rcpt[0], /^451 Could not complete recipient verify callout/);
  const before = await cy.messageCount(`user/${ALICE}`);
  const log = deliver(dir, conf, ALICE);
  assert.match(log, /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(111\): Connection refused/);
  assert.doesNotMatch(log, /H=127\.0\.0\.1 /, 'never tried');
  assert.equal(await cy.messageCount(`user/${ALICE}`), before);
});

test('the callout verifies the Cyrus domains but nothing accepts them afterwards: flagged link/domain-mismatch; really an existing mailbox is refused as relaying', { skip }, () => {
  const { conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  accept  domains       = +cyrus_domains\n', '  accept  domains       = +local_domains\n'));
  assert.deepEqual(lint(conf), ['link/domain-mismatch']);
  const s = rcpt(conf, [ALICE, NOBODY]);
  assert.match(s.rcpt[0], /^550 relay not permitted/, 'the callout passed, then the relay check refused it');
  assert.match(s.rcpt[1], /^550[ -][^]*5\.1\.1 User unknown/);
});

test('local_part_suffix = +* on the Cyrus router: flagged link/plus-address-dropped; really alice+box reaches lmtpd as alice and lands in the INBOX; with the quick fix (rcpt_include_affixes) it lands in the folder', { skip }, async () => {
  const box = `user/alice/box@example.com`;
  await cy.createMailbox(box);
  // Cyrus posts a +detail to the folder only for those with the `p` right there.
  await cy.setAcl(box, 'anyone', 'p');
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  transport = cyrus_ltcp\n', '  local_part_suffix = +*\n  local_part_suffix_optional\n  transport = cyrus_ltcp\n'));
  const found = paired(conf)
    .filter((f) => f.code.startsWith('link/'));
  assert.deepEqual(found.map((f) => f.code), ['link/plus-address-dropped']);
  const inbox = await cy.messageCount(`user/${ALICE}`), folder = await cy.messageCount(box);
  assert.match(deliver(dir, conf, 'alice+box@example.com'), /=> alice@example\.com <alice\+box@example\.com> R=cyrus_vdom T=cyrus_ltcp/, 'lmtpd is sent alice, without +box');
  assert.equal(await cy.messageCount(`user/${ALICE}`), inbox + 1, 'in the INBOX');
  assert.equal(await cy.messageCount(box), folder, 'not in the folder');
  const fix = found[0].fixes?.find((x) => x.preferred);
  assert.ok(fix && !fix.manual, '--fix may apply it');
  applyEditsOnDisk(fix.edits);
  assert.match(fs.readFileSync(conf, 'utf8'), /\n {2}rcpt_include_affixes\n/);
  assert.deepEqual(lint(conf), []);
  assert.match(deliver(dir, conf, 'alice+box@example.com'), /=> alice\+box@example\.com R=cyrus_vdom T=cyrus_ltcp/);
  assert.equal(await cy.messageCount(box), folder + 1, 'in the folder the +detail names');
  assert.equal(await cy.messageCount(`user/${ALICE}`), inbox + 1);
  // The callout asks for the address with its suffix too, and lmtpd still knows alice.
  assert.match(rcpt(conf, ['alice+box@example.com', 'nobody+box@example.com']).rcpt.join('\n'), /^250 [^]*\n550[ -]/);
});

test('local_part_suffix without local_part_suffix_optional on the only Cyrus router: flagged link/cyrus-router-affix-required; really mail for alice@ bounces as an unknown user; the quick fix delivers it', { skip }, async () => {
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace('  transport = cyrus_ltcp\n', '  local_part_suffix = +*\n  transport = cyrus_ltcp\n'));
  const found = paired(conf)
    .filter((f) => f.code.startsWith('link/'));
  assert.deepEqual(found.map((f) => f.code).sort(), ['link/cyrus-router-affix-required', 'link/plus-address-dropped']);
  const inbox = await cy.messageCount(`user/${ALICE}`);
  assert.match(deliver(dir, conf, ALICE), /\*\* alice@example\.com: Unknown user/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), inbox, 'nothing reached Cyrus');
  applyEditsOnDisk(found.find((f) => f.code === 'link/cyrus-router-affix-required')!.fixes![0].edits);
  assert.deepEqual(lint(conf), ['link/plus-address-dropped'], 'the suffix is still dropped for plus addresses');
  assert.match(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp/);
  assert.equal(await cy.messageCount(`user/${ALICE}`), inbox + 1);
});

test('no retry section: flagged link/no-retry-rule; really lmtpd\'s 452 for a mailbox over quota bounces the message at once; with the quick fix\'s rule it stays queued for another try', { skip }, async () => {
  const carol = 'carol@example.com';
  await cy.createMailbox(`user/${carol}`);
  await cy.setQuota(`user/${carol}`, 1);
  const { dir, conf } = eximConf((t) => port(cy.ports.lmtpTrusted)(t).replace(/begin retry\n\n[^\n]*\n\n/, ''));
  const found = paired(conf)
    .filter((f) => f.code.startsWith('link/'));
  assert.deepEqual(found.map((f) => f.code), ['link/no-retry-rule']);
  // The first message fits (lmtpd checks the quota before it takes one); 2 KiB puts carol over.
  let log = deliver(dir, conf, carol, 'hello\n'.repeat(350));
  assert.match(log, /=> carol@example\.com R=cyrus_vdom T=cyrus_ltcp/);
  /** The log lines a delivery added. */
  const since = (prev: string, now: string) => now.split('\n').slice(prev.split('\n').length - 1).join('\n');
  let prev = log;
  log = deliver(dir, conf, carol);
  const over = since(prev, log);
  assert.match(over, /== carol@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-44\)[^\n]*: 452 4\.2\.2 Over quota/);
  assert.match(over, /\*\* carol@example\.com: retry timeout exceeded/, 'bounced at the first temporary error');
  const fix = found[0].fixes?.find((x) => x.preferred);
  assert.ok(fix && !fix.manual, '--fix may apply it');
  applyEditsOnDisk(fix.edits);
  assert.deepEqual(lint(conf), []);
  prev = log;
  const after = since(prev, deliver(dir, conf, carol));
  assert.match(after, /== carol@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-44\)[^\n]*: 452 4\.2\.2 Over quota/);
  assert.doesNotMatch(after, /\*\* carol@example\.com/, 'kept for the next queue run');
  assert.equal(await cy.messageCount(`user/${carol}`), 1);
});

/** Tests that run a process as another user and group need util-linux's setpriv. */
const setprivSkip = skip || (spawnSync('setpriv', ['--version']).status !== 0 && 'skipped: setpriv (util-linux) is not installed');

/**
 * A Cyrus with one more lmtpd, on `perm`/lmtp where `perm` is cyrus:mail 0750 as Debian's
 * /run/cyrus/socket is; with `lmtpsocket`, deliver's lmtpsocket points there too. Only that
 * directory stands in the way (the harness keeps its own closed, so it is opened here).
 */
async function startClosedSocket(lmtpsocket = false): Promise<{ c: CyrusInstance; perm: string; socket: string }> {
  let perm = '';
  const c = await startCyrus({ mailboxes: [`user/${ALICE}`], editCyrusConf: (text, d) => {
    perm = path.join(d, 'perm');
    fs.mkdirSync(perm);
    assert.equal(spawnSync('chown', ['cyrus:mail', perm]).status, 0);
    fs.chmodSync(perm, 0o750);
    if (lmtpsocket) {
      const imapd = path.join(d, 'imapd.conf');
      fs.writeFileSync(imapd, fs.readFileSync(imapd, 'utf8').replace(/^lmtpsocket: .*$/m, `lmtpsocket: ${perm}/lmtp`));
    }
    return text.replace('SERVICES {\n', `SERVICES {\n  lmtpperm cmd="lmtpd -C ${d}/imapd.conf" listen="${perm}/lmtp" prefork=0\n`);
  } });
  const socket = `${perm}/lmtp`;
  try {
    fs.chmodSync(c.dir, 0o755);
    for (let i = 0; i < 100 && !fs.existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  } catch (e) {
    await c.stop();
    throw e;
  }
  return { c, perm, socket };
}

test('an lmtp transport without user or group to a socket in a cyrus:mail 0750 directory: flagged link/socket-permission; really every delivery defers with "Permission denied"; a process with the fix\'s group connects, and with the directory given to the Exim group Exim delivers, unflagged', { skip: setprivSkip }, async () => {
  const { c, perm, socket } = await startClosedSocket();
  try {
    const lintWith = (conf: string) => checkProject([{ path: conf, kind: 'exim' }, { path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions)
      .filter((f) => f.code === 'link/socket-permission');
    const { dir, conf } = eximConf((t) => t.replace(/cyrus_ltcp:\n(?: {2}.*\n)+/, `cyrus_ltcp:\n  driver = lmtp\n  socket = ${socket}\n  batch_max = 20\n`));
    const found = lintWith(conf);
    assert.equal(found.length, 1);
    assert.match(found[0].message, new RegExp(`as user Debian-exim and group Debian-exim .* ${perm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(owner cyrus, group mail, mode 0750\\) does not let them search it`));
    assert.match(deliver(dir, conf, ALICE), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-1\): Failed to connect to socket [^\n]*: Permission denied/);
    // Exim run with -C keeps no privilege to take another group; the fix's identity, tried directly.
    const fix = found[0].fixes?.find((x) => x.preferred);
    assert.ok(fix && !fix.manual);
    applyEditsOnDisk(fix.edits);
    assert.match(fs.readFileSync(conf, 'utf8'), /\n {2}socket = [^\n]*\n {2}group = mail\n/);
    assert.deepEqual(lintWith(conf), []);
    const probe = `const s=require('net').connect(${JSON.stringify(socket)});s.on('data',(d)=>{console.log(String(d).split('\\r')[0]);process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(0)})`;
    const as = (group: string) => spawnSync('setpriv', ['--reuid=Debian-exim', `--regid=${group}`, '--clear-groups', process.execPath, '-e', probe], { encoding: 'utf8', timeout: 20_000 }).stdout.trim();
    assert.match(as('mail'), /^220 /, 'uid Debian-exim with gid mail gets lmtpd\'s greeting');
    assert.equal(as('Debian-exim'), 'EACCES');
    // The other way out: the directory lets the Exim group in, and the unchanged transport delivers.
    const plain = eximConf((t) => t.replace(/cyrus_ltcp:\n(?: {2}.*\n)+/, `cyrus_ltcp:\n  driver = lmtp\n  socket = ${socket}\n  batch_max = 20\n`));
    assert.equal(spawnSync('chgrp', ['Debian-exim', perm]).status, 0);
    assert.deepEqual(lintWith(plain.conf), []);
    const before = await c.messageCount(`user/${ALICE}`);
    assert.match(deliver(plain.dir, plain.conf, ALICE), /=> alice <alice@example\.com> R=cyrus_vdom T=cyrus_ltcp/);
    assert.equal(await c.messageCount(`user/${ALICE}`), before + 1);
  } finally {
    await c.stop();
  }
});

test('a deliver pipe without user or group to lmtpd\'s socket in a cyrus:mail 0750 directory: flagged link/socket-permission; really deliver exits 78 and the message bounces; deliver with the fix\'s group reaches lmtpd', { skip: setprivSkip }, async () => {
  const { c } = await startClosedSocket(true);
  try {
    const deliverCmd = `${CYRUS_BIN}/deliver -C ${c.imapdConf} -a $local_part_data@$domain_data -- $local_part_data@$domain_data`;
    const { dir, conf } = eximConf((t) => t.replace('  transport = cyrus_ltcp\n', '  local_parts = alice\n  transport = cyrus_ltcp\n')
      .replace(/cyrus_ltcp:\n(?: {2}.*\n)+/, `cyrus_ltcp:\n  driver = pipe\n  command = ${deliverCmd}\n`));
    const found = checkProject([{ path: conf, kind: 'exim' }, { path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions)
      .filter((f) => f.code === 'link/socket-permission');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /deliver exits 78/);
    const before = await c.messageCount(`user/${ALICE}`);
    assert.match(deliver(dir, conf, ALICE), /\*\* alice@example\.com R=cyrus_vdom T=cyrus_ltcp: Child process of cyrus_ltcp transport returned 78/);
    assert.equal(await c.messageCount(`user/${ALICE}`), before, 'bounced, not delivered');
    // Exim run with -C cannot take another group: deliver itself, as the fix would run it.
    const run = (group: string) => spawnSync('setpriv', ['--reuid=Debian-exim', `--regid=${group}`, '--clear-groups', path.join(CYRUS_BIN, 'deliver'), '-C', c.imapdConf, '-a', ALICE, '--', ALICE], { input: 'Subject: t\n\nhi\n', encoding: 'utf8', timeout: 20_000 });
    const denied = run('Debian-exim');
    assert.equal(denied.status, 78);
    assert.match(denied.stderr + denied.stdout, /couldn't connect to lmtpd: Permission denied/);
    assert.equal(run('mail').status, 0);
    assert.equal(await c.messageCount(`user/${ALICE}`), before + 1);
  } finally {
    await c.stop();
  }
});

test('the port option as Exim reads it: octal and 16-bit-cut ports deliver to the port they stand for (exim/invalid-value says which), digits with junk defer every delivery', { skip }, async () => {
  const p = cy.ports.lmtpTrusted;
  const exim = (conf: string) => paired(conf)
    .filter((f) => f.severity !== 'hint');
  for (const written of [`0${p.toString(8)}`, String(p + 65536)]) {
    const { dir, conf } = eximConf((t) => t.replace('  port = 2003\n', `  port = ${written}\n`));
    const found = exim(conf);
    assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['exim/invalid-value warning'], written);
    assert.match(found[0].message, new RegExp(`\\bport ${p}\\b`));
    const before = await cy.messageCount(`user/${ALICE}`);
    assert.match(deliver(dir, conf, ALICE), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\]/, written);
    assert.equal(await cy.messageCount(`user/${ALICE}`), before + 1, `${written} reached lmtpd on ${p}`);
  }
  const { dir, conf } = eximConf((t) => t.replace('  port = 2003\n', `  port = ${p}x\n`));
  assert.deepEqual(exim(conf).map((f) => `${f.code} ${f.severity}`), ['exim/invalid-value warning']);
  assert.match(deliver(dir, conf, ALICE), new RegExp(`== alice@example\\.com R=cyrus_vdom T=cyrus_ltcp defer .*invalid port number for cyrus_ltcp transport: ${p}x`));
});
