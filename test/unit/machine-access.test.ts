// exim/tls-file-access, imapd/tls-file-access and imapd/directory-access over a made-up
// machine: its /etc/passwd and /etc/group, and the owner, group and mode of each path on the
// way to the TLS files and Cyrus's directories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject, type Input } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import type { PathStat, SourceHost } from '../../server/src/core/host';
import type { Finding } from '../../server/src/core/diagnostic';
import { memoryHost } from '../helpers/memory-host';

const DIR = '/virtual/tls';
const PASSWD = 'root:x:0:0::/root:/bin/sh\nmail:x:8:8::/var/mail:/usr/sbin/nologin\nDebian-exim:x:102:109::/var/spool/exim4:/usr/sbin/nologin\ncyrus:x:104:8::/var/spool/cyrus:/bin/sh\n';
const GROUP = 'root:x:0:\nmail:x:8:\nssl-cert:x:103:postgres\nDebian-exim:x:109:\n';

const dir = (uid: number, gid: number, mode: number): PathStat => ({ kind: 'directory', uid, gid, mode });
const file = (uid: number, gid: number, mode: number): PathStat => ({ kind: 'file', uid, gid, mode });
/** Debian's ssl-cert layout beside certbot's: /etc/ssl/private is root:ssl-cert 0710, /etc/letsencrypt/live root's alone. */
const MACHINE: Record<string, PathStat> = {
  '/etc': dir(0, 0, 0o755),
  '/etc/ssl': dir(0, 0, 0o755),
  '/etc/ssl/certs': dir(0, 0, 0o755),
  '/etc/ssl/certs/mail.pem': file(0, 0, 0o644),
  '/etc/ssl/private': dir(0, 103, 0o710),
  '/etc/ssl/private/mail.key': file(0, 103, 0o640),
  '/etc/letsencrypt': dir(0, 0, 0o755),
  '/etc/letsencrypt/live': dir(0, 0, 0o700),
  '/etc/letsencrypt/live/mail.example.com': dir(0, 0, 0o755),
  '/etc/letsencrypt/live/mail.example.com/fullchain.pem': file(0, 0, 0o644),
  '/etc/letsencrypt/live/mail.example.com/privkey.pem': file(0, 0, 0o600),
  // Debian's Cyrus directories, cyrus:mail 0750.
  '/var': dir(0, 0, 0o755),
  '/var/lib': dir(0, 0, 0o755),
  '/var/lib/cyrus': dir(104, 8, 0o750),
  '/var/spool': dir(0, 0, 0o755),
  '/var/spool/cyrus': dir(104, 8, 0o755),
  '/var/spool/cyrus/mail': dir(104, 8, 0o750),
  '/srv': dir(0, 0, 0o755),
  '/srv/mail': dir(0, 0, 0o755),
  '/srv/locked': dir(0, 0, 0o700),
  '/srv/locked/mail': dir(104, 8, 0o750),
};

function check(inputs: Record<string, string>, { stats = MACHINE, group = GROUP, code }: { stats?: Record<string, PathStat>; group?: string; code: string }): Finding[] {
  const files = new Map([...Object.entries(inputs).map(([n, t]) => [`${DIR}/${n}`, t] as [string, string]), ['/etc/passwd', PASSWD], ['/etc/group', group]]);
  const host: SourceHost = { ...memoryHost(files), stat: (p) => stats[p] };
  const kinds: Record<string, Input['kind']> = { 'exim.conf': 'exim', 'imapd.conf': 'imapd-conf', 'cyrus.conf': 'cyrus-conf' };
  return checkProject(Object.keys(inputs).map((n) => ({ path: `${DIR}/${n}`, kind: kinds[n] })), defaultOptions, host).filter((f) => f.code === code);
}

const exim = (main: string) => check({ 'exim.conf': `primary_hostname = mx.example.net\n${main}` }, { code: 'exim/tls-file-access' });
const eximWith = (main: string, opts: { stats?: Record<string, PathStat>; group?: string }) =>
  check({ 'exim.conf': `primary_hostname = mx.example.net\n${main}` }, { ...opts, code: 'exim/tls-file-access' });

test('exim/tls-file-access: certbot\'s live directory is root\'s alone; the daemon cannot read the key', () => {
  const found = exim('tls_certificate = /etc/letsencrypt/live/mail.example.com/fullchain.pem\ntls_privatekey = /etc/letsencrypt/live/mail.example.com/privkey.pem\n');
  assert.equal(found.length, 2, 'the certificate and the key');
  const f = found[0];
  assert.equal(f.severity, 'error');
  assert.equal(f.range.start.line, 1);
  assert.equal(f.range.start.character, 'tls_certificate = '.length, 'on the value');
  assert.match(f.message, /^On this machine Exim's daemon runs as user Debian-exim and group Debian-exim when it serves a connection, and \/etc\/letsencrypt\/live \(owner root, group root, mode 0700\) does not let it search it, so it cannot read tls_certificate \/etc\/letsencrypt\/live\/mail\.example\.com\/fullchain\.pem: every STARTTLS is answered "454 TLS currently unavailable"/);
  assert.match(f.message, /Let Debian-exim read it/, 'no group opens a 0700 directory');
  assert.match(f.message, /Certbot keeps \/etc\/letsencrypt\/live and archive for root/);
});

test('exim/tls-file-access: Debian\'s /etc/ssl/private opens to group ssl-cert, and the daemon takes the groups /etc/group gives it', () => {
  const conf = 'tls_certificate = /etc/ssl/certs/mail.pem\ntls_privatekey = /etc/ssl/private/mail.key\n';
  const found = exim(conf);
  assert.equal(found.length, 1, 'the certificate is world-readable');
  assert.equal(found[0].range.start.line, 2);
  assert.match(found[0].message, /\/etc\/ssl\/private \(owner root, group ssl-cert, mode 0710\) does not let it search it/);
  assert.match(found[0].message, /Add Debian-exim to group ssl-cert \(adduser Debian-exim ssl-cert\) and restart Exim/);
  const member = GROUP.replace('ssl-cert:x:103:postgres', 'ssl-cert:x:103:postgres,Debian-exim');
  assert.deepEqual(eximWith(conf, { group: member }), [], 'a member of ssl-cert: initgroups gives it the group');
  assert.match(eximWith(conf, { group: member, stats: { ...MACHINE, '/etc/ssl/private/mail.key': file(0, 0, 0o600) } })[0]?.message ?? '',
    /\/etc\/ssl\/private\/mail\.key \(owner root, group root, mode 0600\) does not let it read it/, 'the key itself');
});

test('exim/tls-file-access: who the daemon is, and when the files are read at all', () => {
  const key = 'tls_privatekey = /etc/ssl/private/mail.key\n';
  assert.deepEqual(exim(`exim_user = mail\nexim_group = ssl-cert\n${key}`), [], 'exim_group opens it');
  assert.match(exim(`exim_user = mail\n${key}`)[0]?.message ?? '', /runs as user mail and group mail when/);
  assert.deepEqual(exim(`exim_user = \${lookup{x}lsearch{/etc/u}}\n${key}`), [], 'an expanded user is known at run time');
  assert.deepEqual(exim(`exim_user = nosuchuser\n${key}`), [], 'a user this machine does not have');
  assert.deepEqual(exim(`tls_advertise_hosts =\n${key}`), [], 'STARTTLS offered to no one');
  assert.equal(exim(`tls_advertise_hosts =\ntls_on_connect_ports = 465\n${key}`).length, 1, 'TLS on connect still reads it');
  assert.deepEqual(exim('tls_privatekey = ${if exists{/etc/ssl/private/mail.key}{/etc/ssl/private/mail.key}}\n'), [], 'expanded');
  assert.deepEqual(exim('tls_privatekey = /srv/elsewhere/mail.key\n'), [], 'not on this machine');
  assert.equal(exim('tls_certificate = /etc/ssl/certs/mail.pem : /etc/letsencrypt/live/mail.example.com/fullchain.pem\n').length, 1, 'a list: each file');
  assert.equal(exim('tls_certificate = /etc/ssl/private/mail.key\ntls_privatekey = /etc/ssl/private/mail.key\n').length, 1, 'one file named twice is said once');
  const ca = exim('tls_verify_certificates = /etc/letsencrypt/live/mail.example.com/fullchain.pem\n');
  assert.equal(ca.length, 1, 'the CA file: unreadable, it breaks TLS too');
  assert.match(ca[0].message, /the log says "could not stat '\/etc\/letsencrypt\/live\/mail\.example\.com\/fullchain\.pem' \(tls_verify_certificates\): Permission denied"/);
  assert.deepEqual(exim('tls_verify_certificates = system\n'), [], 'the system store');
  const noStat = { ...memoryHost(new Map([[`${DIR}/exim.conf`, `${key}`], ['/etc/passwd', PASSWD], ['/etc/group', GROUP]])) };
  assert.deepEqual(checkProject([{ path: `${DIR}/exim.conf`, kind: 'exim' }], defaultOptions, noStat).filter((f) => f.code === 'exim/tls-file-access'), [], 'a host that knows nothing of this machine');
});

const imapd = (text: string, opts: { stats?: Record<string, PathStat>; group?: string } = {}) =>
  check({ 'imapd.conf': `configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n${text}` }, { ...opts, code: 'imapd/tls-file-access' });

test('imapd/tls-file-access: Cyrus runs as cyrus with group mail and its /etc/group groups', () => {
  const conf = 'tls_server_cert: /etc/ssl/certs/mail.pem\ntls_server_key: /etc/ssl/private/mail.key\n';
  const found = imapd(conf);
  assert.equal(found.length, 1);
  const f = found[0];
  assert.equal(f.severity, 'error');
  assert.equal(f.range.start.line, 3);
  assert.equal(f.range.start.character, 'tls_server_key: '.length);
  assert.match(f.message, /^On this machine Cyrus's services run as user cyrus and group mail, and \/etc\/ssl\/private \(owner root, group ssl-cert, mode 0710\) does not let them search it, so they cannot read tls_server_key \/etc\/ssl\/private\/mail\.key: imapd, pop3d and lmtpd still offer STARTTLS and then refuse it/);
  assert.match(f.message, /Add cyrus to group ssl-cert \(adduser cyrus ssl-cert\) and restart Cyrus/);
  assert.deepEqual(imapd(conf, { group: GROUP.replace('postgres', 'postgres,cyrus') }), [], 'a member of ssl-cert');
  assert.deepEqual(imapd(`cyrus_group: ssl-cert\n${conf}`), [], 'cyrus_group');
  assert.match(imapd(`cyrus_user: mail\n${conf}`)[0]?.message ?? '', /run as user mail and group mail/);
  assert.deepEqual(imapd(`cyrus_user: nosuchuser\n${conf}`), []);
});

test('imapd/tls-file-access: only the files of a service with TLS on', () => {
  const key = '/etc/letsencrypt/live/mail.example.com/privkey.pem';
  assert.deepEqual(imapd(`tls_server_key: ${key}\n`), [], 'no certificate: TLS is off, the key never read');
  assert.deepEqual(imapd(`tls_server_cert: /etc/ssl/certs/mail.pem\ntls_server_key: disabled\n`), []);
  assert.equal(imapd(`tls_cert_file: /etc/ssl/certs/mail.pem\ntls_key_file: ${key}\n`).length, 1, 'the 2.x names');
  const perService = imapd(`tls_server_cert: /etc/ssl/certs/mail.pem\nimap_tls_server_key: ${key}\n`);
  assert.equal(perService.length, 1, 'imap has both, with its own key');
  assert.match(perService[0].message, /cannot read imap_tls_server_key/);
  assert.match(perService[0].message, /Certbot keeps/);
  assert.deepEqual(imapd('tls_server_cert: /srv/x/cert.pem\ntls_server_key: /srv/x/key.pem\n'), [], 'not on this machine');
});

test('imapd/tls-file-access: a certificate or key that is not there, in a directory that is, where Cyrus is installed: a warning', () => {
  const installed = { ...MACHINE, '/usr/lib/cyrus/bin/master': file(0, 0, 0o755) };
  // Seen in the wild with the 2.x names: a certificate under /etc/ssl/certs that this machine lacks.
  const conf = 'tls_cert_file: /etc/ssl/certs/mailcert.pem\ntls_key_file: /etc/ssl/private/mail.key\n';
  const found = imapd(conf, { stats: installed, group: GROUP.replace('postgres', 'postgres,cyrus') });
  assert.deepEqual(found.map((f) => `${f.range.start.line} ${f.severity}`), ['2 warning']);
  assert.equal(found[0].range.start.character, 'tls_cert_file: '.length);
  assert.equal(found[0].message, 'There is no tls_cert_file /etc/ssl/certs/mailcert.pem on this machine (its directory /etc/ssl/certs is here, and so is Cyrus): imapd, pop3d and lmtpd still offer STARTTLS and then refuse it ("NO Error initializing TLS", "454 4.3.3 Error initializing TLS"), and a service run with -s (imaps, pop3s) hangs up on every client, so clients that insist on TLS cannot log in, and an Exim transport that requires TLS of lmtpd (hosts_require_tls) defers every delivery. Put the certificate there, or correct the path.');
  // A key Cyrus could not reach anyway is said once, as the directory that keeps it out.
  const both = imapd('tls_server_cert: /etc/ssl/certs/mailcert.pem\ntls_server_key: /etc/ssl/private/gone.key\n', { stats: installed });
  assert.deepEqual(both.map((f) => `${f.range.start.line} ${f.severity} ${/^There is no|does not let them/.exec(f.message)?.[0]}`), ['2 warning There is no', '3 error does not let them']);
  assert.deepEqual(imapd(conf, { group: GROUP.replace('postgres', 'postgres,cyrus') }), [], 'Cyrus not installed here: another machine\'s config');
  assert.deepEqual(imapd('tls_server_cert: /srv/x/cert.pem\ntls_server_key: /srv/x/key.pem\n', { stats: installed }), [], 'its directory not here either');
  assert.deepEqual(imapd('tls_server_cert: /etc/ssl/certs/mailcert.pem\ntls_server_key: disabled\n', { stats: installed }), [], 'TLS off: the file is never read');
});

const dirs = (text: string, opts: { stats?: Record<string, PathStat>; group?: string } = {}) =>
  check({ 'imapd.conf': text }, { ...opts, code: 'imapd/directory-access' });

test('imapd/directory-access: Debian\'s cyrus:mail 0750 directories are Cyrus\'s to write', () => {
  assert.deepEqual(dirs('configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n'), []);
  assert.deepEqual(dirs('configdirectory: /var/lib/cyrus/\npartition-default: /var/spool/cyrus/mail\n'), [], 'a trailing slash');
});

test('imapd/directory-access: a root-owned configdirectory or partition, and one Cyrus cannot get to', () => {
  const found = dirs('configdirectory: /srv/mail\npartition-default: /srv/mail\npartition-news: /srv/locked/mail\n');
  assert.equal(found.length, 2, 'a directory named twice is said once');
  const [conf, locked] = found;
  assert.equal(conf.severity, 'error');
  assert.equal(conf.range.start.line, 0);
  assert.equal(conf.range.start.character, 'configdirectory: '.length);
  assert.match(conf.message, /^On this machine Cyrus's services run as user cyrus and group mail, and \/srv\/mail \(owner root, group root, mode 0755\) does not let them make files in it, so they cannot write in configdirectory \/srv\/mail: it holds Cyrus's databases/);
  assert.match(conf.message, /Give it to the Cyrus user \(chown -R cyrus:mail \/srv\/mail; Debian's packages leave theirs cyrus:mail 0750\), then restart Cyrus\./);
  assert.equal(locked.range.start.line, 2);
  assert.match(locked.message, /\/srv\/locked \(owner root, group root, mode 0700\) does not let them search it, so they cannot write in partition-news \/srv\/locked\/mail: creating a mailbox on partition news fails \("NO System I\/O error"\)\. Let cyrus search \/srv\/locked/);
  assert.match(dirs('partition-default: /srv/mail\n')[0]?.message ?? '', /partition default fails/);
  assert.deepEqual(dirs('partition-default: /srv/mail/new\n'), [], 'not there: Cyrus makes it, or it is another machine\'s');
  assert.deepEqual(dirs('cyrus_user: root\npartition-default: /srv/mail\n'), [], 'run as root (cyrus_user)');
});

test('imapd/directory-access: a configdirectory that is not there, where Cyrus is installed and its parent is', () => {
  const installed = { ...MACHINE, '/usr/lib/cyrus/bin/master': file(0, 0, 0o755) };
  const found = dirs('configdirectory: /var/lib/cyrus-new\npartition-default: /var/spool/cyrus/mail\n', { stats: installed });
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'error');
  assert.equal(found[0].range.start.character, 'configdirectory: '.length);
  assert.match(found[0].message, /^There is no configdirectory \/var\/lib\/cyrus-new on this machine \(its parent \/var\/lib is here, and so is Cyrus\), and Cyrus does not make it: .*lmtpd drops every connection without a word .*\(mkdir \/var\/lib\/cyrus-new; chown cyrus:mail \/var\/lib\/cyrus-new; chmod 750 \/var\/lib\/cyrus-new\) and restart Cyrus, or correct the path\.$/);
  assert.deepEqual(dirs('configdirectory: /var/lib/cyrus-new\n'), [], 'Cyrus not installed here: another machine\'s config');
  assert.deepEqual(dirs('configdirectory: /opt/cyrus/conf\n', { stats: installed }), [], 'its parent not here either');
  assert.deepEqual(dirs('configdirectory: /srv/locked/new\n', { stats: installed }), [], 'in a directory we may not search: it may be there');
  assert.deepEqual(dirs('partition-default: /var/spool/cyrus/other\n', { stats: installed }), [], 'a partition: CREATE makes it');
});

test('cyrus/unknown-program: a START, SERVICES or DAEMON program given by a path that is not here, where Cyrus is installed', () => {
  const installed = { ...MACHINE, '/usr': dir(0, 0, 0o755), '/usr/lib/cyrus/bin/master': file(0, 0, 0o755), '/usr/lib/cyrus/bin/ctl_cyrusdb': file(0, 0, 0o755) };
  // Seen in the wild (the Cyrus test server's cyrus.conf, built for /usr/cyrus/bin).
  const conf = [
    'START {',
    '  recover cmd="/usr/cyrus/bin/ctl_cyrusdb -r"',
    '  fakesaslauthd cmd="/usr/cyrus/bin/fakesaslauthd -p /run/cyrus/saslauthd.sock"',
    '}',
    'SERVICES {',
    '  imap cmd="imapd" listen="143"',
    '}',
    'DAEMON {',
    '  fake cmd="/usr/cyrus/bin/fakesaslauthd -p /run/cyrus/saslauthd.sock"',
    '}',
    '',
  ].join('\n');
  const found = check({ 'cyrus.conf': conf }, { stats: installed, code: 'cyrus/unknown-program' });
  // One finding per entry, from this machine only: a path is not judged by its name.
  assert.deepEqual(found.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity}`), ['2:16 error', '3:22 error', '9:13 error']);
  const [recover, helper, daemon] = found.map((f) => f.message);
  assert.equal(recover, 'On this machine /usr/cyrus/bin/ctl_cyrusdb is not there, so master cannot run START entry \'recover\' and stops ("can\'t run startup", exit 1) and nothing is served. Cyrus\'s ctl_cyrusdb is /usr/lib/cyrus/bin/ctl_cyrusdb: write ctl_cyrusdb (master looks there) or the full path.');
  assert.deepEqual(found[0].fixes?.[0].edits.map((e) => e.newText), ['ctl_cyrusdb']);
  assert.match(helper, /^On this machine \/usr\/cyrus\/bin\/fakesaslauthd is not there, so master cannot run START entry 'fakesaslauthd' and stops .* Give the program's real path\.$/);
  assert.match(daemon, /cannot find executable for daemon 'fake'", exit 78\)/);
  // A program that is there but not executable stops master as well.
  const notExec = { ...installed, '/usr/cyrus': dir(0, 0, 0o755), '/usr/cyrus/bin': dir(0, 0, 0o755), '/usr/cyrus/bin/ctl_cyrusdb': file(0, 0, 0o644) };
  assert.match(check({ 'cyrus.conf': 'START {\n  recover cmd="/usr/cyrus/bin/ctl_cyrusdb -r"\n}\n' }, { stats: notExec, code: 'cyrus/unknown-program' })[0]?.message ?? '', /is not executable .* master cannot run START entry 'recover'/);
  assert.deepEqual(check({ 'cyrus.conf': conf }, { code: 'cyrus/unknown-program' }), [], 'Cyrus not installed here: another machine\'s config');
});

const LOOKUP_STATS: Record<string, PathStat> = {
  ...MACHINE,
  '/etc/exim4': dir(0, 0, 0o755),
  '/etc/exim4/domains': file(0, 0, 0o644),
  '/etc/exim4/secret': dir(0, 0, 0o700),
  '/etc/exim4/secret/relays': file(0, 0, 0o600),
  '/etc/exim4/secret/rcpt.acl': file(0, 0, 0o600),
  '/etc/exim4/passwd.client': file(0, 109, 0o640),
  '/etc/exim4/blocked': file(0, 103, 0o640),
};
const lookups = (text: string, opts: { group?: string } = {}) =>
  check({ 'exim.conf': `primary_hostname = mx.example.net\n${text}` }, { ...opts, stats: LOOKUP_STATS, code: 'exim/lookup-file-access' });

test('exim/lookup-file-access: a list an ACL matches, with a lookup file the daemon cannot read', () => {
  const conf = `domainlist local_domains = lsearch;/etc/exim4/domains
hostlist relay_hosts = 127.0.0.1 : net24-lsearch;/etc/exim4/secret/relays
hostlist trusted = +relay_hosts
acl_smtp_rcpt = acl_rcpt
begin acl
acl_rcpt:
  accept  hosts = +trusted
  deny    senders = lsearch;/etc/exim4/blocked
  accept  domains = +local_domains
`;
  const found = lookups(conf);
  assert.equal(found.length, 2);
  const [relays, blocked] = found;
  assert.equal(relays.severity, 'error');
  assert.equal(relays.range.start.line, 2, 'on the item, in the named list');
  assert.match(relays.message, /^On this machine Exim's daemon runs as user Debian-exim and group Debian-exim when it serves a connection, and \/etc\/exim4\/secret \(owner root, group root, mode 0700\) does not let it search it, so it cannot open the lsearch file \/etc\/exim4\/secret\/relays, which it reads when ACL "acl_rcpt" checks hosts = \+trusted, which uses hostlist relay_hosts: the process serving the connection dies there/);
  assert.equal(blocked.range.start.line, 8, 'on the ACL condition\'s item');
  assert.match(blocked.message, /\/etc\/exim4\/blocked \(owner root, group ssl-cert, mode 0640\) does not let it read it, .*Add Debian-exim to group ssl-cert/);
  assert.deepEqual(lookups(conf, { group: GROUP.replace('postgres', 'postgres,Debian-exim') }).map((f) => f.range.start.line), [2], 'a member of ssl-cert reads the second');
});

test('exim/lookup-file-access: what is left alone', () => {
  const acl = (cond: string) => `acl_smtp_rcpt = acl_rcpt\nbegin acl\nacl_rcpt:\n  accept  ${cond}\n`;
  assert.deepEqual(lookups(`domainlist d = lsearch;/etc/exim4/secret/relays\nbegin routers\nr:\n  driver = accept\n  domains = +d\n  transport = t\n`), [], 'a list only routers match: read as root when delivering');
  assert.deepEqual(lookups(acl('domains = lsearch;/etc/exim4/domains')), [], 'readable');
  assert.deepEqual(lookups(acl('domains = lsearch;/srv/none/domains')), [], 'not on this machine');
  assert.deepEqual(lookups(acl('domains = lsearch;${if true{/etc/exim4/secret/relays}}')), [], 'built at run time');
  assert.deepEqual(lookups(acl('domains = mysql;select 1')), [], 'no file');
  const expanded = lookups(acl('condition = ${lookup{$sender_address}lsearch{/etc/exim4/secret/relays}{yes}{no}}'));
  assert.equal(expanded.length, 1, 'a ${lookup} in a condition');
  assert.equal(expanded[0].range.start.character, '  accept  condition = ${lookup{$sender_address}lsearch{'.length, 'on the file');
  assert.match(expanded[0].message, /which it reads when ACL "acl_rcpt" tests condition: the condition cannot be tested and Exim answers "451 Temporary local problem"/);
  assert.deepEqual(lookups(acl('message = ${lookup{$sender_address}lsearch{/etc/exim4/secret/relays}}')), [], 'a modifier\'s expansion fails otherwise');
  assert.equal(lookups(acl('senders = *@lsearch;/etc/exim4/secret/relays')).length, 1, 'an address item\'s domain part');
  assert.equal(lookups(acl('domains = ! lsearch;/etc/exim4/secret/relays')).length, 1, 'negated');
  const fileItem = lookups(`hostlist relays = 127.0.0.1 : /etc/exim4/secret/relays\n${acl('hosts = +relays')}`);
  assert.equal(fileItem.length, 1, 'a file item, whose lines are items');
  assert.match(fileItem[0].message, /cannot open the file \/etc\/exim4\/secret\/relays \(the list reads its items from it\), which it reads when ACL "acl_rcpt" checks hosts = \+relays, which uses hostlist relays: the process serving the connection dies there/);
  assert.deepEqual(lookups(acl('hosts = /etc/exim4/domains')), [], 'a readable file item');
  assert.deepEqual(lookups(acl('hosts = /etc/exim4/${domain}')), [], 'a file item built at run time');
  assert.equal(lookups(acl('hosts = <; 127.0.0.1 ; net24-lsearch;;/etc/exim4/secret/relays')).length, 1, 'a doubled separator in a list of its own');
  assert.deepEqual(lookups(`exim_user = root\n${acl('domains = lsearch;/etc/exim4/secret/relays')}`), [], 'an Exim user that may read anything');
});

test('exim/lookup-file-access: a list file or ${lookup} file missing from a directory that is here', () => {
  const acl = (cond: string) => `acl_smtp_rcpt = acl_rcpt\nbegin acl\nacl_rcpt:\n  accept  ${cond}\n`;
  const listed = lookups(`domainlist cyrus_domains = lsearch;/etc/exim4/cyrus_domains\n${acl('domains = +cyrus_domains')}`);
  assert.equal(listed.length, 1);
  assert.equal(listed[0].severity, 'error');
  assert.equal(listed[0].range.start.line, 1, 'on the item, in the named list');
  assert.match(listed[0].message, /^There is no \/etc\/exim4\/cyrus_domains on this machine \(its directory \/etc\/exim4 is here\), and Exim's daemon opens the lsearch file \/etc\/exim4\/cyrus_domains when ACL "acl_rcpt" checks domains = \+cyrus_domains, which uses domainlist cyrus_domains: the process serving the connection dies there \("failed to open \/etc\/exim4\/cyrus_domains \.\.\.: No such file or directory"\), the client gets no answer, and its mail is held up\. Put the file there, or correct the path\.$/);
  assert.match(lookups(acl('hosts = /etc/exim4/relay_hosts'))[0]?.message ?? '', /^There is no \/etc\/exim4\/relay_hosts .*opens the file \/etc\/exim4\/relay_hosts \(the list reads its items from it\) when/, 'a file item');
  assert.match(lookups(acl('condition = ${lookup{$sender_address}lsearch{/etc/exim4/allowed}{yes}{no}}'))[0]?.message ?? '', /tests condition: the condition cannot be tested and Exim answers "451 Temporary local problem" each time the ACL gets there \("failed to open \/etc\/exim4\/allowed \.\.\.: No such file or directory"\)\. Put the file there/, 'a ${lookup}: 451');
  const expanded = lookups(`domainlist d = \${lookup{$domain}lsearch{/etc/exim4/vdomains}{$domain}}\n${acl('domains = +d')}`);
  assert.equal(expanded.length, 1, 'a ${lookup} in a named list, which is expanded when used');
  assert.match(expanded[0].message, /^There is no \/etc\/exim4\/vdomains .*, which uses domainlist d: the condition cannot be tested and Exim answers "451 Temporary local problem"/);
  assert.deepEqual(lookups(acl('domains = lsearch;/etc/exim4/secret/other')), [], 'in a directory only its owner may search: it may be there');
  assert.deepEqual(lookups(acl('domains = lsearch;/srv/none/domains')), [], 'a directory not on this machine: another machine\'s config');
  assert.deepEqual(lookups(`domainlist d = lsearch;/etc/exim4/none\nbegin routers\nr:\n  driver = accept\n  domains = +d\n  transport = t\n`), [], 'a list only routers match');
});

test('exim/lookup-file-access: files the routers read while an ACL verifies a recipient', () => {
  const verifying = 'acl_smtp_rcpt = acl_rcpt\nbegin acl\nacl_rcpt:\n  deny    !verify = recipient\n  accept\n';
  const routers = (opts: string) => `${verifying}begin routers\nr:\n  driver = accept\n${opts}  transport = t\nbegin transports\nt:\n  driver = smtp\n`;
  const lists = lookups(routers('  local_parts = lsearch;/etc/exim4/secret/relays\n  domains = +d\n').replace('begin acl', 'domainlist d = /etc/exim4/domains-list\nbegin acl'));
  assert.equal(lists.length, 2);
  const [missing, closed] = lists;
  assert.match(missing.message, /^There is no \/etc\/exim4\/domains-list on this machine .*opens the file \/etc\/exim4\/domains-list \(the list reads its items from it\) when router r checks domains = \+d to verify a recipient \(ACL "acl_rcpt" asks for verify = recipient\), which uses domainlist d: the process serving the connection dies there/);
  assert.match(closed.message, /cannot open the lsearch file \/etc\/exim4\/secret\/relays, which it reads when router r checks local_parts = lsearch;\/etc\/exim4\/secret\/relays to verify a recipient \(ACL "acl_rcpt" asks for verify = recipient\): the process serving the connection dies there/);
  assert.match(lookups(routers('  condition = ${lookup{$local_part}lsearch{/etc/exim4/secret/relays}{yes}{no}}\n'))[0]?.message ?? '', /when router r expands condition to verify a recipient .*: the condition cannot be tested, so Exim passes the router by/);
  assert.match(lookups(routers('  address_data = ${lookup{$local_part}lsearch{/etc/exim4/users}}\n'))[0]?.message ?? '', /^There is no \/etc\/exim4\/users .*expands address_data to verify a recipient .*: routing the address defers, and Exim answers "451 Temporary local problem"/);
  assert.deepEqual(lookups(routers('  no_verify\n  local_parts = lsearch;/etc/exim4/secret/relays\n')), [], 'a router that does not verify');
  assert.deepEqual(lookups(routers('  verify_recipient = false\n  local_parts = lsearch;/etc/exim4/secret/relays\n')), [], 'nor with verify_recipient = false');
  assert.deepEqual(lookups(routers('  local_parts = lsearch;/etc/exim4/secret/relays\n').replace('  deny    !verify = recipient\n', '')), [], 'no ACL verifies a recipient: routing runs as root');
  assert.deepEqual(lookups(routers('  data = ${lookup{$local_part}lsearch{/etc/exim4/secret/relays}}\n')), [], 'other options are not judged');
});

test('exim/lookup-file-access: a file Exim finds there (exists, require_files) before it opens it', () => {
  const acl = (conds: string) => `acl_smtp_rcpt = acl_rcpt\nbegin acl\nacl_rcpt:\n  accept  ${conds}\n`;
  // Missing (/etc/exim4/none) or in a directory the daemon may not search (secret/): exists is false.
  for (const f of ['/etc/exim4/none', '/etc/exim4/secret/relays']) {
    assert.deepEqual(lookups(acl(`condition = \${if exists{${f}}{\${lookup{$sender_host_address}iplsearch{${f}}{1}{0}}}{0}}`)), [], `the lookup in the branch exists{${f}} takes`);
    assert.deepEqual(lookups(acl(`condition = \${if !exists{${f}}{0}{\${lookup{$domain}lsearch{${f}}{1}{0}}}}`)), [], 'the other branch of !exists');
    assert.deepEqual(lookups(acl(`condition = \${if and{{exists{${f}}}{eq{\${lookup{$domain}lsearch{${f}}}}{x}}}}`)), [], 'after exists in an and');
    assert.deepEqual(lookups(acl(`condition = \${if exists {${f}}{1}{0}}\n          hosts = \${lookup{$domain}cdb{${f}}}`)), [], 'a later condition of the statement');
    assert.deepEqual(lookups(acl(`condition = \${if exists {${f}}}\n          domains = lsearch;${f}`)), [], 'a later list condition of the statement');
  }
  assert.equal(lookups(acl('condition = ${if exists{/etc/exim4/none}{0}{${lookup{$domain}lsearch{/etc/exim4/none}{1}{0}}}}')).length, 1, 'the branch taken when it is missing');
  assert.equal(lookups(acl('condition = ${if exists{/etc/exim4/other}{${lookup{$domain}lsearch{/etc/exim4/none}{1}{0}}}{0}}')).length, 1, 'another file tested');
  assert.equal(lookups(acl('hosts = ${lookup{$domain}cdb{/etc/exim4/none}}\n          condition = ${if exists {/etc/exim4/none}{1}{0}}')).length, 1, 'tested after');
  assert.equal(lookups(acl('condition = ${if exists {/etc/exim4/none}{1}{yes}}\n          hosts = ${lookup{$domain}cdb{/etc/exim4/none}}')).length, 1, 'a test that is true either way');
  assert.equal(lookups(`${acl('condition = ${if exists {/etc/exim4/none}{1}{0}}\n          hosts = ${lookup{$domain}cdb{/etc/exim4/none}}')}  accept  hosts = \${lookup{$domain}cdb{/etc/exim4/none}}\n`).length, 1, 'named untested elsewhere');
  const closed = lookups(acl('condition = ${if exists{/etc/exim4/blocked}{${lookup{$domain}lsearch{/etc/exim4/blocked}{1}{0}}}{0}}'));
  assert.equal(closed.length, 1, 'there, and the daemon may not read it: exists is true and the lookup fails');
  assert.match(closed[0].message, /does not let it read it/);
  const routers = (opts: string) => `acl_smtp_rcpt = acl_rcpt\nbegin acl\nacl_rcpt:\n  deny    !verify = recipient\n  accept\nbegin routers\nr:\n  driver = accept\n${opts}  transport = t\nbegin transports\nt:\n  driver = smtp\n`;
  assert.deepEqual(lookups(routers('  condition = ${lookup{$local_part}lsearch{/etc/exim4/users}{yes}{no}}\n  require_files = /etc/exim4/users\n')), [], 'require_files, tested before condition wherever it is written');
  const required = lookups(routers('  require_files = /etc/exim4/${lookup{$domain}dsearch{/etc/exim4/vdirs}}/x\n  condition = ${lookup{$domain}dsearch{/etc/exim4/vdirs}{yes}{no}}\n'));
  assert.equal(required.length, 1, 'a lookup in require_files itself');
  assert.equal(required[0].range.start.line, 9, 'where require_files reads it first');
  assert.match(required[0].message, /when router r expands require_files to verify a recipient .*: routing the address defers, and Exim answers "451 Temporary local problem"/);
});

test('exim/lookup-file-access: an smtp transport\'s hosts looked up in a file the Exim user cannot read, or that is missing', () => {
  const conf = (opts: string, driver = 'smtp', routed = true) => `begin routers\nr:\n  driver = accept\n  transport = ${routed ? 't' : 'other'}\nbegin transports\nt:\n  driver = ${driver}\n${opts}`;
  const closed = lookups(conf('  hosts = ${lookup{$domain}lsearch{/etc/exim4/secret/relays}}\n'));
  assert.equal(closed.length, 1);
  assert.match(closed[0].message, /^On this machine Exim's daemon runs as user Debian-exim and group Debian-exim when it delivers over SMTP or makes a callout, and \/etc\/exim4\/secret .* which it reads when transport t expands hosts to deliver or make a callout: Exim cannot work out the hosts: every delivery through the transport defers, and a recipient callout through it is not made/);
  assert.match(lookups(conf('  fallback_hosts = ${lookup{$domain}lsearch{/etc/exim4/fallbacks}}\n'))[0]?.message ?? '', /^There is no \/etc\/exim4\/fallbacks on this machine/);
  assert.deepEqual(lookups(conf('  hosts = ${lookup{$domain}lsearch{/etc/exim4/domains}}\n')), [], 'readable');
  assert.deepEqual(lookups(conf('  user = root\n  hosts = ${lookup{$domain}lsearch{/etc/exim4/secret/relays}}\n')), [], 'a user of its own');
  assert.deepEqual(lookups(conf('  hosts = ${lookup{$domain}lsearch{/etc/exim4/secret/relays}}\n', 'smtp', false)), [], 'no router uses it');
});

test('exim/lookup-file-access: an ACL read from a file the daemon cannot read, or that is missing from a directory here', () => {
  const conf = `acl_smtp_rcpt = /etc/exim4/secret/rcpt.acl
acl_smtp_mail = /etc/exim4/mail.acl
acl_smtp_data = /srv/none/data.acl
acl_smtp_helo = acl_helo
begin acl
acl_helo:
  accept  acl = /etc/exim4/domains
  accept  acl = /etc/exim4/\${sender_helo_name}.acl
`;
  const found = lookups(conf);
  assert.deepEqual(found.map((f) => f.range.start.line).sort(), [1, 2]);
  const closed = found.find((f) => f.range.start.line === 1)!;
  const missing = found.find((f) => f.range.start.line === 2)!;
  assert.match(missing.message, /^There is no \/etc\/exim4\/mail\.acl on this machine \(its directory \/etc\/exim4 is here\), and acl_smtp_mail selects it: Exim answers "451 Temporary local problem" each time it would run that ACL/);
  assert.equal(closed.severity, 'error');
  assert.match(closed.message, /\/etc\/exim4\/secret \(owner root, group root, mode 0700\) does not let it search it, so it cannot open the ACL file \/etc\/exim4\/secret\/rcpt\.acl, which it reads when acl_smtp_rcpt selects it: .*'failed to open ACL file "\/etc\/exim4\/secret\/rcpt\.acl": Permission denied'/);
  // Readable (acl = a file that is there), built at run time, in a directory not on this machine: nothing.
  assert.deepEqual(lookups('acl_smtp_rcpt = /srv/none/rcpt.acl\n'), []);
  assert.deepEqual(lookups('acl_smtp_rcpt = /etc/exim4/secret/other.acl\n'), [], 'not seen in a directory only its owner may search: it may be there');
  assert.equal(lookups('acl_smtp_rcpt = acl_rcpt\nbegin acl\nacl_rcpt:\n  require acl = /etc/exim4/secret/relays\n').length, 1, 'called with acl =');
});

function configAccess(files: Record<string, string>, stats: Record<string, PathStat>, root: string): Finding[] {
  const all = new Map([...Object.entries(files), ['/etc/passwd', PASSWD], ['/etc/group', GROUP]] as [string, string][]);
  const host: SourceHost = { ...memoryHost(all), stat: (p) => stats[p] };
  return checkProject([{ path: root, kind: 'imapd-conf' }], defaultOptions, host).filter((f) => f.code === 'imapd/config-access');
}

test('imapd/config-access: an @include, or /etc/imapd.conf itself, that the Cyrus user cannot read', () => {
  const stats: Record<string, PathStat> = {
    ...MACHINE,
    '/etc/imapd.conf': file(0, 0, 0o600),
    '/etc/cyrus-secret': dir(0, 0, 0o700),
    '/etc/cyrus-secret/ldap.conf': file(0, 0, 0o600),
    '/etc/cyrus-open.conf': file(0, 8, 0o640),
    [`${DIR}/imapd.conf`]: file(0, 0, 0o600),
  };
  const base = 'configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n';
  const files = { '/etc/imapd.conf': `${base}@include: /etc/cyrus-secret/ldap.conf\n@include: /etc/cyrus-open.conf\n`, '/etc/cyrus-secret/ldap.conf': 'ldap_password: x\n', '/etc/cyrus-open.conf': 'timeout: 30\n' };
  const found = configAccess(files, stats, '/etc/imapd.conf');
  assert.deepEqual(found.map((f) => f.range.start.line), [0, 2], 'the file itself, then the root-only include; the group-mail one is readable');
  assert.match(found[0].message, /^On this machine Cyrus's services run as user cyrus and group mail, and \/etc\/imapd\.conf \(owner root, group root, mode 0600\) does not let them read it, so they cannot read this file, which they read when they start: master starts \(it reads the configuration as root\), but every service exits as it starts/);
  assert.match(found[1].message, /\/etc\/cyrus-secret \(owner root, group root, mode 0700\) does not let them search it, so they cannot read \/etc\/cyrus-secret\/ldap\.conf, which this file @includes/);
  assert.equal(found[1].range.start.character, '@include: '.length);
  const copy = configAccess({ [`${DIR}/imapd.conf`]: base }, stats, `${DIR}/imapd.conf`);
  assert.deepEqual(copy, [], 'a copy elsewhere is not what the services read');
});

test('exim/invalid-value: a user or group Exim looks up when it reads the config, missing from this machine where Exim is installed', () => {
  const installed: Record<string, PathStat> = { ...MACHINE, '/usr/sbin/exim4': file(0, 0, 0o4755) };
  const accounts = (text: string, stats = installed) =>
    check({ 'exim.conf': `primary_hostname = mx.example.net\n${text}` }, { stats, code: 'exim/invalid-value' });
  const [user, group] = accounts('exim_user = exim\nexim_group = exim\n');
  assert.equal(user.severity, 'error');
  assert.equal(user.range.start.line, 1);
  assert.match(user.message, /^There is no user "exim" on this machine, where Exim is installed: Exim looks up each user name of exim_user when it reads the config, and refuses the config \("user exim was not found"\), so the daemon does not start and nothing is delivered\. Create the user, or name one this machine has \(Debian's Exim user is Debian-exim\)\.$/);
  assert.match(group.message, /^There is no group "exim" .*\("group exim was not found"\)/);
  const listed = accounts('trusted_users = root : majordomo : 8\nnever_users = root\nadmin_groups = ssl-cert : wheel\n');
  assert.deepEqual(listed.map((f) => [f.range.start.line, f.range.start.character, f.message.slice(0, 30)]),
    [[1, 23, 'There is no user "majordomo" o'], [3, 26, 'There is no group "wheel" on t']], 'each name of a list, on the name; numbers need no account');
  const drivers = accounts('begin routers\nr:\n  driver = redirect\n  data = x\n  user = vmail\n  owners = root : listmaster\nbegin transports\nt:\n  driver = pipe\n  user = Debian-exim\n  group = ${lookup{$local_part}lsearch{/etc/groups}}\nu:\n  driver = appendfile\n  user = $local_part\n');
  assert.deepEqual(drivers.map((f) => f.message.slice(0, 33)), ['There is no user "vmail" on this ', 'There is no user "listmaster" on '], 'a router\'s user and a redirect\'s owners; expanded ones wait for run time');
  assert.match(accounts('exim_user = debian-exim\n')[0]?.message ?? '', /\(did you mean "Debian-exim"\?\)\.$/, 'names are case-sensitive');
  assert.deepEqual(accounts('exim_user = exim\n', MACHINE), [], 'Exim not installed here: the config is another machine\'s');
  assert.deepEqual(accounts('exim_user = Debian-exim\ntrusted_groups = mail\n'), [], 'accounts this machine has');
});
