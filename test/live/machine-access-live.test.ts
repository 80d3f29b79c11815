// Live proof of the rules about this machine's permissions, with Debian's Exim 4.96 daemon and
// Cyrus 3.6: exim/tls-file-access and imapd/tls-file-access (a certificate and key the
// server's own user cannot read: the server offers STARTTLS and then refuses it),
// exim/lookup-file-access (a list's lookup file an ACL reads: the connection's process dies)
// and imapd/directory-access (a configdirectory or partition Cyrus cannot write). Once the paths
// are opened to that user as the finding advises, nothing is flagged and it works.
// Files and directories are made fresh under /tmp, root's alone (as certbot's are), and opened
// with chgrp/chmod/chown: nothing outside the temp directories is changed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { checkProject, type Input } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { cyrusMissingReason, freePort, startCyrus } from './harness/cyrus';
import { deliver, EXIM, eximMissingReason, eximScratchDir, mainLog, REFERENCE, spoolLines, withEximDaemon } from './harness/exim';

const eximMissing = eximMissingReason() ?? (spawnSync('openssl', ['version']).status !== 0 ? 'openssl is not installed' : undefined);
const cyrusMissing = eximMissing ?? cyrusMissingReason();

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function tempDir(prefix: string, mode: number): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  fs.chmodSync(d, mode);
  return d;
}


/** A self-signed certificate and its key in a new directory only root may enter. */
function rootOnlyCertificate(): { priv: string; cert: string; key: string } {
  const priv = tempDir('exim-cyrus-tls-', 0o700);
  const [cert, key] = [path.join(priv, 'cert.pem'), path.join(priv, 'key.pem')];
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'], { timeout: 60_000 });
  assert.equal(r.status, 0, `openssl: ${r.stderr}`);
  fs.chmodSync(key, 0o600);
  return { priv, cert, key };
}

/** Gives `p` to group `group` with `mode`: what the finding's advice says to do. */
function openTo(p: string, group: string, mode: number): void {
  assert.equal(spawnSync('chgrp', [group, p]).status, 0);
  fs.chmodSync(p, mode);
}

/** A file only root may read, in a new directory only root may enter. */
function rootOnlyFile(prefix: string, name: string, text: string): { dir: string; file: string } {
  const dir = tempDir(prefix, 0o700);
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return { dir, file };
}

/** A rootOnlyFile opened to `group` as the findings advise: the directory 0750, the file 0640. */
function openFileTo(f: { dir: string; file: string }, group: string): void {
  openTo(f.dir, group, 0o750);
  openTo(f.file, group, 0o640);
}

const findings = (inputs: Input[], code: string) => checkProject(inputs, defaultOptions).filter((f) => f.code === code);

/** Talks SMTP/IMAP/LMTP line by line: sends `line`, returns the reply up to its last line. */
class Session {
  private buf = '';
  private waiters: (() => void)[] = [];
  constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => { this.buf += d; for (const w of this.waiters.splice(0)) w(); });
  }
  static async open(port: number): Promise<Session> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    return new Session(socket);
  }
  /** Waits for a reply complete by `done` (given everything received since the last reply). */
  async reply(done: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.buf)) {
      if (Date.now() > deadline) throw new Error(`no complete reply; got ${JSON.stringify(this.buf)}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 100); });
    }
    const text = this.buf;
    this.buf = '';
    return text;
  }
  async send(line: string, done: (text: string) => boolean): Promise<string> {
    this.socket.write(line + '\r\n');
    return this.reply(done);
  }
  /** The TLS handshake on this connection; resolves with the protocol, rejects on failure. */
  startTls(): Promise<string> {
    this.socket.removeAllListeners('data');
    return new Promise((resolve, reject) => {
      const t = tls.connect({ socket: this.socket, rejectUnauthorized: false, servername: 'localhost' }, () => { resolve(t.getProtocol() ?? ''); t.end(); });
      t.once('error', reject);
    });
  }
  close(): void { this.socket.destroy(); }
}

/** An SMTP or LMTP reply is complete at a line with a space after its code. */
const smtpDone = (t: string) => /(^|\n)\d{3} [^\n]*\r?\n$/.test(t);
/** An IMAP reply is complete at its tagged line (or the untagged greeting). */
const imapDone = (tag: string) => (t: string) => new RegExp(`(^|\\n)(${tag}|\\*) (OK|NO|BAD)[^\\n]*\\r?\\n$`).test(t);

/** The reference exim.conf delivering to lmtpd without -a on `port`, authenticating with PLAIN and requiring TLS; spool and log in a fresh temp dir. */
function eximRequiringTls(port: number, password: string): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-tls-lmtp-');
  const conf = path.join(dir, 'exim.conf');
  const text = REFERENCE.replace('primary_hostname = mail.example.com\n', `primary_hostname = mail.example.com\n${spoolLines(dir)}`)
    .replace('  port = 2003\n', `  port = ${port}\n`)
    .replace('  gethostbyname\n', '  gethostbyname\n  hosts_require_auth = *\n  hosts_require_tls = *\n')
    + `\ncyrus_plain:\n  driver = plaintext\n  public_name = PLAIN\n  client_send = ^cyrus^${password}\n`;
  assert.notEqual(text, REFERENCE);
  fs.writeFileSync(conf, text);
  return { dir, conf };
}

test('Exim\'s certificate and key in a directory only root may enter: flagged exim/tls-file-access; really the daemon offers STARTTLS and answers it 454, and logs that it cannot read them; opened to Debian-exim\'s group as advised, nothing is flagged and TLS starts; the same for a tls_verify_certificates file', { skip: eximMissing ? `skipped: ${eximMissing}` : false }, async () => {
  const { priv, cert, key } = rootOnlyCertificate();
  const dir = eximScratchDir('exim-cyrus-tls-exim-');
  const port = await freePort();
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, REFERENCE.replace('primary_hostname = mail.example.com\n', `primary_hostname = mail.example.com\n${spoolLines(dir)}` + [
    `daemon_smtp_ports = ${port}`, 'local_interfaces = 127.0.0.1', `pid_file_path = ${dir}/exim.pid`,
    `tls_certificate = ${cert}`, `tls_privatekey = ${key}`, '',
  ].join('\n')));
  const input: Input[] = [{ path: conf, kind: 'exim' }];
  const closed = findings(input, 'exim/tls-file-access');
  const lines = fs.readFileSync(conf, 'utf8').split('\n');
  assert.deepEqual(closed.map((f) => f.range.start.line), [lines.indexOf(`tls_certificate = ${cert}`), lines.indexOf(`tls_privatekey = ${key}`)], 'the certificate and the key');
  assert.match(closed[0].message, new RegExp(`${priv.replaceAll('/', '\\/')} \\(owner root, group root, mode 0700\\) does not let it search it`));
  assert.match(closed[0].message, new RegExp(`give ${priv.replaceAll('/', '\\/')} the group Debian-exim with group read and search permission`));

  const starttls = async (): Promise<{ ehlo: string; reply: string; session: Session }> => {
    const s = await Session.open(port);
    await s.reply(smtpDone);
    const ehlo = await s.send('EHLO client.example.net', smtpDone);
    return { ehlo, reply: await s.send('STARTTLS', smtpDone), session: s };
  };
  await withEximDaemon(conf, port, dir, async () => {
    const { ehlo, reply, session } = await starttls();
    session.close();
    assert.match(ehlo, /250-STARTTLS/, 'offered all the same');
    assert.match(reply, /^454 TLS currently unavailable/);
  });
  assert.match(mainLog(dir), /TLS error on connection .*\(cert\/key setup: cert=.* key=.*\): Error while reading file/);

  // As the finding advises: the directory first; then the key itself (0600, root's) is what stops it.
  openTo(priv, 'Debian-exim', 0o750);
  const key600 = findings(input, 'exim/tls-file-access');
  assert.equal(key600.length, 1);
  assert.match(key600[0].message, /key\.pem \(owner root, group root, mode 0600\) does not let it read it/);
  openTo(key, 'Debian-exim', 0o640);
  assert.deepEqual(findings(input, 'exim/tls-file-access'), []);
  await withEximDaemon(conf, port, dir, async () => {
    const { reply, session } = await starttls();
    assert.match(reply, /^220 TLS go ahead/);
    assert.match(await session.startTls(), /^TLSv1\.[23]$/);
  });

  // A CA file for verifying clients, root's alone: TLS breaks again, though no client is asked for a certificate.
  const caFile = rootOnlyFile('exim-cyrus-tls-ca-', 'ca.pem', fs.readFileSync(cert, 'utf8'));
  const ca = caFile.file;
  fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace(`tls_privatekey = ${key}\n`, `tls_privatekey = ${key}\ntls_verify_certificates = ${ca}\n`));
  const caFound = findings(input, 'exim/tls-file-access');
  assert.equal(caFound.length, 1);
  assert.match(caFound[0].message, /so it cannot read tls_verify_certificates .*could not stat/);
  await withEximDaemon(conf, port, dir, async () => {
    const { reply, session } = await starttls();
    session.close();
    assert.match(reply, /^454 TLS currently unavailable/);
  });
  assert.match(mainLog(dir), /could not stat '.*ca\.pem' \(tls_verify_certificates\): Permission denied/);
  openFileTo(caFile, 'Debian-exim');
  assert.deepEqual(findings(input, 'exim/tls-file-access'), []);
  await withEximDaemon(conf, port, dir, async () => {
    const { reply, session } = await starttls();
    assert.match(reply, /^220 TLS go ahead/);
    assert.match(await session.startTls(), /^TLSv1\.[23]$/);
  });
});

test('Cyrus\'s certificate and key in a directory only root may enter: flagged imapd/tls-file-access; really imapd and lmtpd offer STARTTLS and refuse it, and Exim requiring TLS of lmtpd defers; opened to group mail as advised, nothing is flagged and TLS starts', { skip: cyrusMissing ? `skipped: ${cyrusMissing}` : false }, async () => {
  const { priv, cert, key } = rootOnlyCertificate();
  const c = await startCyrus({ mailboxes: ['user/alice@example.com'], editCyrusConf: (text, d) => {
    fs.appendFileSync(path.join(d, 'imapd.conf'), `tls_server_cert: ${cert}\ntls_server_key: ${key}\n`);
    return text;
  } });
  try {
    const input: Input[] = [{ path: c.imapdConf, kind: 'imapd-conf' }];
    const closed = findings(input, 'imapd/tls-file-access');
    assert.equal(closed.length, 2, 'the certificate and the key');
    assert.match(closed[0].message, /run as user cyrus and group mail/);
    assert.match(closed[0].message, new RegExp(`give ${priv.replaceAll('/', '\\/')} the group mail with group read and search permission`));

    const imapStarttls = async () => {
      const s = await Session.open(c.ports.imap);
      const greeting = await s.reply(imapDone('\\*'));
      return { greeting, reply: await s.send('a STARTTLS', imapDone('a')), session: s };
    };
    const lmtpStarttls = async () => {
      const s = await Session.open(c.ports.lmtpAuth);
      await s.reply(smtpDone);
      const lhlo = await s.send('LHLO client.example.net', smtpDone);
      return { lhlo, reply: await s.send('STARTTLS', smtpDone), session: s };
    };
    const imap = await imapStarttls();
    imap.session.close();
    assert.match(imap.greeting, /STARTTLS/);
    assert.match(imap.reply, /^a NO Error initializing TLS/);
    const lmtp = await lmtpStarttls();
    lmtp.session.close();
    assert.match(lmtp.lhlo, /250-STARTTLS/);
    assert.match(lmtp.reply, /^454 4\.3\.3 Error initializing TLS/);
    const exim = eximRequiringTls(c.ports.lmtpAuth, c.admin.password);
    assert.match(deliver(exim.dir, exim.conf, 'alice@example.com'), /== alice@example\.com R=cyrus_vdom T=cyrus_ltcp defer \(-38\) H=localhost \[127\.0\.0\.1\]: a TLS session is required, but an attempt to start TLS failed/);
    assert.equal(await c.messageCount('user/alice@example.com'), 0);

    openTo(priv, 'mail', 0o750);
    openTo(key, 'mail', 0o640);
    assert.deepEqual(findings(input, 'imapd/tls-file-access'), []);
    const fixed = await imapStarttls();
    assert.match(fixed.reply, /^a OK Begin TLS negotiation now/);
    assert.match(await fixed.session.startTls(), /^TLSv1\.[23]$/);
    const fixedLmtp = await lmtpStarttls();
    assert.match(fixedLmtp.reply, /^220 Begin TLS negotiation now/);
    assert.match(await fixedLmtp.session.startTls(), /^TLSv1\.[23]$/);
    // A fresh spool: the first one's retry record for the host would hold the message back.
    const again = eximRequiringTls(c.ports.lmtpAuth, c.admin.password);
    assert.match(deliver(again.dir, again.conf, 'alice@example.com'), /=> alice@example\.com R=cyrus_vdom T=cyrus_ltcp H=localhost \[127\.0\.0\.1\] X=TLS\S+ CV=no A=cyrus_plain C="250 2\.1\.5/);
    assert.equal(await c.messageCount('user/alice@example.com'), 1);
  } finally {
    await c.stop();
  }
});

test('Cyrus\'s certificate not there, in a directory that is: flagged imapd/tls-file-access (a warning); really imapd and lmtpd offer STARTTLS and refuse it; with the certificate in place, nothing is flagged and TLS starts', { skip: cyrusMissing ? `skipped: ${cyrusMissing}` : false }, async () => {
  const d = tempDir('exim-cyrus-tls-missing-', 0o755);
  const [cert, key] = [path.join(d, 'cert.pem'), path.join(d, 'key.pem')];
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'], { timeout: 60_000 });
  assert.equal(r.status, 0, `openssl: ${r.stderr}`);
  openTo(key, 'mail', 0o640);
  fs.renameSync(cert, `${cert}.away`);
  const c = await startCyrus({ editCyrusConf: (text, dir) => {
    fs.appendFileSync(path.join(dir, 'imapd.conf'), `tls_server_cert: ${cert}\ntls_server_key: ${key}\n`);
    return text;
  } });
  try {
    const input: Input[] = [{ path: c.imapdConf, kind: 'imapd-conf' }];
    const missing = findings(input, 'imapd/tls-file-access');
    assert.deepEqual(missing.map((f) => f.severity), ['warning']);
    assert.match(missing[0].message, new RegExp(`^There is no tls_server_cert ${cert.replaceAll('/', '\\/')} on this machine`));

    const imapStarttls = async () => {
      const s = await Session.open(c.ports.imap);
      const greeting = await s.reply(imapDone('\\*'));
      return { greeting, reply: await s.send('a STARTTLS', imapDone('a')), session: s };
    };
    const imap = await imapStarttls();
    imap.session.close();
    assert.match(imap.greeting, /STARTTLS/);
    assert.match(imap.reply, /^a NO Error initializing TLS/);
    const lmtp = await Session.open(c.ports.lmtpAuth);
    await lmtp.reply(smtpDone);
    assert.match(await lmtp.send('LHLO client.example.net', smtpDone), /250-STARTTLS/);
    assert.match(await lmtp.send('STARTTLS', smtpDone), /^454 4\.3\.3 Error initializing TLS/);
    lmtp.close();

    fs.renameSync(`${cert}.away`, cert);
    assert.deepEqual(findings(input, 'imapd/tls-file-access'), []);
    const fixed = await imapStarttls();
    assert.match(fixed.reply, /^a OK Begin TLS negotiation now/);
    assert.match(await fixed.session.startTls(), /^TLSv1\.[23]$/);
  } finally {
    await c.stop();
  }
});

/** Resolves with what the server sent before it closed the connection, or rejects after `ms` with what it sent so far. */
function firstWords(port: number, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const s = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`still open after ${ms} ms; got ${JSON.stringify(got)}`)); }, ms);
    s.setEncoding('latin1');
    s.on('data', (d: string) => { got += d; });
    s.on('close', () => { clearTimeout(timer); resolve(got); });
    s.on('error', () => undefined);
  });
}

test('a partition and a configdirectory only root may write: flagged imapd/directory-access; really CREATE answers "NO System I/O error", and lmtpd closes a connection without a word; given to cyrus:mail as advised (and Cyrus restarted), nothing is flagged, the mailbox is created and lmtpd greets; a configdirectory that is not there is flagged, lmtpd likewise closes, and Cyrus does not make it', { skip: cyrusMissing ? `skipped: ${cyrusMissing}` : false }, async () => {
  const part = tempDir('exim-cyrus-part-', 0o755);
  const conf = tempDir('exim-cyrus-confdir-', 0o755);
  const withDirs = (configdirectory?: string) => (text: string, d: string) => {
    const f = path.join(d, 'imapd.conf');
    let t = fs.readFileSync(f, 'utf8').replace(/partition-default: .*\n/, `partition-default: ${part}\n`);
    if (configdirectory) t = t.replace(/configdirectory: .*\n/, `configdirectory: ${configdirectory}\n`);
    fs.writeFileSync(f, t);
    return text;
  };
  const c = await startCyrus({ editCyrusConf: withDirs() });
  try {
    const input: Input[] = [{ path: c.imapdConf, kind: 'imapd-conf' }];
    const found = findings(input, 'imapd/directory-access');
    assert.equal(found.length, 1);
    assert.match(found[0].message, new RegExp(`cannot write in partition-default ${part.replaceAll('/', '\\/')}: creating a mailbox on partition default fails`));
    await assert.rejects(c.createMailbox('user/alice@example.com'), /NO System I\/O error/);
    assert.equal(spawnSync('chown', ['cyrus:mail', part]).status, 0);
    fs.chmodSync(part, 0o750);
    assert.deepEqual(findings(input, 'imapd/directory-access'), []);
    await c.createMailbox('user/alice@example.com');
    assert.equal(await c.messageCount('user/alice@example.com'), 0);
  } finally {
    await c.stop();
  }

  // The harness waits for imap and smmap only once cyrus.conf is edited: both still listen.
  const broken = await startCyrus({ editCyrusConf: withDirs(conf) });
  try {
    const input: Input[] = [{ path: broken.imapdConf, kind: 'imapd-conf' }];
    const found = findings(input, 'imapd/directory-access');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /cannot write in configdirectory .*: it holds Cyrus's databases/);
    assert.equal(await firstWords(broken.ports.lmtpTrusted, 5_000), '', 'closed without a greeting');
    assert.equal(spawnSync('chown', ['cyrus:mail', conf]).status, 0);
    fs.chmodSync(conf, 0o750);
    assert.deepEqual(findings(input, 'imapd/directory-access'), []);
  } finally {
    await broken.stop();
  }
  // Restarted, as the finding says.
  const mended = await startCyrus({ editCyrusConf: withDirs(conf) });
  try {
    const s = await Session.open(mended.ports.lmtpTrusted);
    assert.match(await s.reply(smtpDone), /^220 .*LMTP/);
    s.close();
    await mended.createMailbox('user/bob@example.com');
  } finally {
    await mended.stop();
  }

  // A configdirectory that is not there at all: Cyrus does not make it.
  const absent = path.join(tempDir('exim-cyrus-confparent-', 0o755), 'conf');
  const none = await startCyrus({ editCyrusConf: withDirs(absent) });
  try {
    const found = findings([{ path: none.imapdConf, kind: 'imapd-conf' }], 'imapd/directory-access');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^There is no configdirectory .*\/conf on this machine \(its parent .* is here, and so is Cyrus\)/);
    assert.equal(await firstWords(none.ports.lmtpTrusted, 5_000), '', 'closed without a greeting');
    assert.equal(fs.existsSync(absent), false, 'and Cyrus did not make it');
  } finally {
    await none.stop();
  }
});

/** One SMTP session through `conf`'s RCPT ACL as if from 192.0.2.1 (exim -bh), for u@example.com. */
function rcptSession(conf: string) {
  return spawnSync(EXIM, ['-C', conf, '-bh', '192.0.2.1'], {
    input: 'EHLO client.example.net\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<u@example.com>\r\nQUIT\r\n', encoding: 'utf8', timeout: 60_000,
  });
}

test('a domain list the RCPT ACL matches, looked up in a file only root may read: flagged exim/lookup-file-access; really the RCPT gets no answer and Exim exits ("Permission denied"); a file item likewise; a ${lookup} in a condition makes the RCPT get 451; opened to Debian-exim\'s group as advised, nothing is flagged and the RCPT is accepted; with the files missing from a directory that is here, flagged, and the same death and 451', { skip: eximMissing ? `skipped: ${eximMissing}` : false }, () => {
  const { dir: priv, file: domains } = rootOnlyFile('exim-cyrus-lookup-', 'domains', 'example.com\n');
  const dir = eximScratchDir('exim-cyrus-lookup-exim-');
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, spoolLines(dir) + [
    'primary_hostname = mail.example.com',
    `domainlist local_domains = lsearch;${domains}`, 'acl_smtp_rcpt = acl_rcpt',
    'begin acl', 'acl_rcpt:', '  accept  domains = +local_domains', '  deny    message = relay not permitted',
    'begin routers', 'local:', '  driver = accept', '  domains = +local_domains', '  transport = t',
    'begin transports', 't:', '  driver = appendfile', `  file = ${dir}/mbox`, '',
  ].join('\n'));
  const input: Input[] = [{ path: conf, kind: 'exim' }];
  const rcpt = () => rcptSession(conf);
  const closed = findings(input, 'exim/lookup-file-access');
  assert.equal(closed.length, 1);
  assert.equal(closed[0].range.start.line, 3);
  assert.match(closed[0].message, /which it reads when ACL "acl_rcpt" checks domains = \+local_domains, which uses domainlist local_domains: the process serving the connection dies there/);
  const dead = rcpt();
  assert.notEqual(dead.status, 0);
  assert.doesNotMatch(dead.stdout, /^250 Accepted/m);
  assert.doesNotMatch(dead.stdout, /^221 /m, 'no answer to RCPT, none to QUIT');
  assert.match(dead.stderr, new RegExp(`failed to open ${domains.replaceAll('/', '\\/')} for linear search: Permission denied`));

  openTo(priv, 'Debian-exim', 0o750);
  assert.match(findings(input, 'exim/lookup-file-access')[0]?.message ?? '', /domains \(owner root, group root, mode 0600\) does not let it read it/, 'then the file itself');
  openTo(domains, 'Debian-exim', 0o640);
  assert.deepEqual(findings(input, 'exim/lookup-file-access'), []);
  assert.match(rcpt().stdout, /^250 Accepted/m);

  // A file item (the list reads its items from the file): the same death.
  const hosts = rootOnlyFile('exim-cyrus-lookup-', 'relays', '192.0.2.9\n');
  fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace('acl_rcpt:\n', `acl_rcpt:\n  deny    hosts = ${hosts.file}\n          message = listed\n`));
  const fileItem = findings(input, 'exim/lookup-file-access');
  assert.equal(fileItem.length, 1);
  assert.match(fileItem[0].message, /cannot open the file .*relays \(the list reads its items from it\)/);
  const died = rcpt();
  assert.notEqual(died.status, 0);
  assert.doesNotMatch(died.stdout, /^(250 Accepted|550 listed)/m);
  assert.match(died.stderr, /failed to open .*relays when checking/);
  openFileTo(hosts, 'Debian-exim');
  assert.deepEqual(findings(input, 'exim/lookup-file-access'), []);
  assert.match(rcpt().stdout, /^250 Accepted/m);

  // A ${lookup} in an ACL condition: the test fails, and the ACL defers.
  const blocked = rootOnlyFile('exim-cyrus-lookup-', 'blocked', 'spammer@example.net\n');
  fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace('acl_rcpt:\n', `acl_rcpt:\n  deny    condition = \${lookup{$sender_address}lsearch{${blocked.file}}{yes}{no}}\n`));
  const tested = findings(input, 'exim/lookup-file-access');
  assert.equal(tested.length, 1);
  assert.match(tested[0].message, /which it reads when ACL "acl_rcpt" tests condition: the condition cannot be tested and Exim answers "451 Temporary local problem"/);
  assert.match(rcpt().stdout, /^451 Temporary local problem/m);
  openFileTo(blocked, 'Debian-exim');
  assert.deepEqual(findings(input, 'exim/lookup-file-access'), []);
  assert.match(rcpt().stdout, /^250 Accepted/m);

  // Missing files, in a directory that is here: the list's file kills the process as an
  // unreadable one does; the ${lookup}'s makes the ACL defer.
  const gone = path.join(dir, 'no-such-domains');
  const withList = fs.readFileSync(conf, 'utf8');
  fs.writeFileSync(conf, withList.replace(`lsearch;${domains}`, `lsearch;${gone}`));
  const noList = findings(input, 'exim/lookup-file-access');
  assert.equal(noList.length, 1);
  assert.match(noList[0].message, /^There is no .*no-such-domains on this machine \(its directory .* is here\), and Exim's daemon opens the lsearch file .* when ACL "acl_rcpt" checks domains = \+local_domains/);
  const vanished = rcpt();
  assert.notEqual(vanished.status, 0);
  assert.doesNotMatch(vanished.stdout, /^(250 Accepted|221 )/m);
  assert.match(vanished.stderr, /failed to open .*no-such-domains for linear search: No such file or directory/);
  fs.writeFileSync(conf, withList.replace(blocked.file, path.join(dir, 'no-such-blocked')));
  const noLookup = findings(input, 'exim/lookup-file-access');
  assert.equal(noLookup.length, 1);
  assert.match(noLookup[0].message, /no-such-blocked .*tests condition: the condition cannot be tested and Exim answers "451 Temporary local problem"/);
  assert.match(rcpt().stdout, /^451 Temporary local problem/m);
  // A ${lookup} in the named list itself: the list is expanded when used, and that fails.
  fs.writeFileSync(conf, withList.replace(`lsearch;${domains}`, `\${lookup{$domain}lsearch{${dir}/no-such-vdomains}{$domain}}`));
  const inList = findings(input, 'exim/lookup-file-access');
  assert.equal(inList.length, 1);
  assert.match(inList[0].message, /no-such-vdomains .*which uses domainlist local_domains: the condition cannot be tested/);
  assert.match(rcpt().stdout, /^451 Temporary local problem/m);
});

test('the router\'s local_parts looked up in a file only root may read, with the RCPT ACL verifying recipients: flagged exim/lookup-file-access; really the RCPT gets no answer and Exim exits; opened to Debian-exim\'s group, accepted; a condition\'s ${lookup} file missing: flagged, and the router is passed by ("Unknown user")', { skip: eximMissing ? `skipped: ${eximMissing}` : false }, () => {
  const users = rootOnlyFile('exim-cyrus-router-lookup-', 'users', 'u\n');
  const dir = eximScratchDir('exim-cyrus-router-lookup-exim-');
  const conf = path.join(dir, 'exim.conf');
  const write = (routerOption: string) => fs.writeFileSync(conf, spoolLines(dir) + [
    'primary_hostname = mail.example.com', 'acl_smtp_rcpt = acl_rcpt',
    'begin acl', 'acl_rcpt:', '  require verify = recipient', '  accept',
    'begin routers', 'local:', '  driver = accept', '  domains = example.com', routerOption, '  transport = t',
    'begin transports', 't:', '  driver = appendfile', `  file = ${dir}/mbox`, '',
  ].join('\n'));
  write(`  local_parts = lsearch;${users.file}`);
  const input: Input[] = [{ path: conf, kind: 'exim' }];
  const closed = findings(input, 'exim/lookup-file-access');
  assert.equal(closed.length, 1);
  assert.match(closed[0].message, /which it reads when router local checks local_parts = .* to verify a recipient \(ACL "acl_rcpt" asks for verify = recipient\): the process serving the connection dies there/);
  const dead = rcptSession(conf);
  assert.notEqual(dead.status, 0);
  assert.doesNotMatch(dead.stdout, /^(250 Accepted|221 )/m);
  assert.match(dead.stderr, /failed to open .*users for linear search: Permission denied/);
  openFileTo(users, 'Debian-exim');
  assert.deepEqual(findings(input, 'exim/lookup-file-access'), []);
  assert.match(rcptSession(conf).stdout, /^250 Accepted/m);

  write(`  condition = \${lookup{$local_part}lsearch{${dir}/no-such-users}{yes}{no}}`);
  const missing = findings(input, 'exim/lookup-file-access');
  assert.equal(missing.length, 1);
  assert.match(missing[0].message, /^There is no .*no-such-users on this machine .*router local expands condition to verify a recipient .*: the condition cannot be tested, so Exim passes the router by/);
  assert.match(rcptSession(conf).stdout, /^550 Unrouteable address/m, 'no router after it: the address cannot be routed');
});

test('an ACL file only root may read, selected by acl_smtp_rcpt: flagged exim/lookup-file-access; really each RCPT gets 451 ("failed to open ACL file ... Permission denied"); opened to Debian-exim\'s group as advised, nothing is flagged and the RCPT is accepted; a path with no file, in a directory that is here, is flagged and gets 451 too', { skip: eximMissing ? `skipped: ${eximMissing}` : false }, () => {
  const acl = rootOnlyFile('exim-cyrus-aclfile-', 'rcpt.acl', 'accept domains = example.com\ndeny message = relay not permitted\n');
  const dir = eximScratchDir('exim-cyrus-aclfile-exim-');
  const conf = path.join(dir, 'exim.conf');
  const write = (file: string) => fs.writeFileSync(conf, spoolLines(dir) + ['primary_hostname = mail.example.com', `acl_smtp_rcpt = ${file}`, ''].join('\n'));
  write(acl.file);
  const input: Input[] = [{ path: conf, kind: 'exim' }];
  const rcpt = () => rcptSession(conf);
  const closed = findings(input, 'exim/lookup-file-access');
  assert.equal(closed.length, 1);
  assert.equal(closed[0].range.start.line, 3);
  assert.match(closed[0].message, /cannot open the ACL file .*rcpt\.acl, which it reads when acl_smtp_rcpt selects it: Exim answers "451 Temporary local problem"/);
  const refused = rcpt();
  assert.match(refused.stdout, /^451 Temporary local problem/m);
  assert.match(refused.stdout + refused.stderr, /failed to open ACL file "[^"]*rcpt\.acl": Permission denied/);

  openFileTo(acl, 'Debian-exim');
  assert.deepEqual(findings(input, 'exim/lookup-file-access'), []);
  assert.match(rcpt().stdout, /^250 Accepted/m);

  const missing = path.join(dir, 'rcpt-acl');
  write(missing);
  const gone = findings(input, 'exim/lookup-file-access');
  assert.equal(gone.length, 1);
  assert.match(gone[0].message, /There is no .*rcpt-acl on this machine \(its directory .* is here\)/);
  const none = rcpt();
  assert.match(none.stdout, /^451 Temporary local problem/m);
  assert.match(none.stdout + none.stderr, /failed to open ACL file "[^"]*rcpt-acl": No such file or directory/);
});

test('an @include only root may read: flagged imapd/config-access; really master starts but lmtpd closes each connection without a word; opened to group mail as advised (and Cyrus restarted), nothing is flagged and lmtpd greets', { skip: cyrusMissing ? `skipped: ${cyrusMissing}` : false }, async () => {
  const include = rootOnlyFile('exim-cyrus-include-', 'extra.conf', 'timeout: 30\n');
  const extra = include.file;
  const withInclude = (text: string, d: string) => { fs.appendFileSync(path.join(d, 'imapd.conf'), `@include: ${extra}\n`); return text; };
  const closed = await startCyrus({ editCyrusConf: withInclude });
  try {
    const found = findings([{ path: closed.imapdConf, kind: 'imapd-conf' }], 'imapd/config-access');
    assert.equal(found.length, 1);
    assert.match(found[0].message, new RegExp(`cannot read ${extra.replaceAll('/', '\\/')}, which this file @includes`));
    assert.equal(await firstWords(closed.ports.lmtpTrusted, 5_000), '', 'closed without a greeting');
  } finally {
    await closed.stop();
  }
  openFileTo(include, 'mail');
  const open = await startCyrus({ editCyrusConf: withInclude });
  try {
    assert.deepEqual(findings([{ path: open.imapdConf, kind: 'imapd-conf' }], 'imapd/config-access'), []);
    const s = await Session.open(open.ports.lmtpTrusted);
    assert.match(await s.reply(smtpDone), /^220 .*LMTP/);
    s.close();
  } finally {
    await open.stop();
  }
});
