// The link rules read the settings of the lmtpd Exim really reaches: its service name
// (`<service>_<option>` wins), the imapd.conf its -C names, and for a `deliver` pipe the
// lmtpsocket deliver connects to. An lmtpd whose cmd makes it exit takes no mail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { linkFindings } from '../helpers/link-findings';
import type { Finding } from '../../server/src/core/diagnostic';

const DIR = '/virtual/svc';

function run(exim: string, cyrus: string | undefined, imapd: string | undefined, extra: Record<string, string> = {}): Finding[] {
  return linkFindings(DIR, exim, cyrus, imapd, extra);
}

const codes = (fs: Finding[]) => fs.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.severity} ${f.code}`);

/** Two Cyrus domains routed to an LMTP transport (TCP 127.0.0.1:2003, or a pipe running `command`). */
function exim(transport: string): string {
  return `primary_hostname = mx.example.net
domainlist cyrus_domains = a.example : b.example
begin routers
cyrus:
  driver = accept
  domains = +cyrus_domains
  transport = t
begin transports
t:
${transport}`;
}
const TCP = exim('  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  port = 2003\n  allow_localhost\n');
const DELIVER = (cmd = '/usr/lib/cyrus/bin/deliver -a cyrus -- $local_part@$domain') => exim(`  driver = pipe\n  command = ${cmd}\n  user = cyrus\n  message_prefix =\n`);
const LMTPTCP = (cmd = 'lmtpd -a') => `SERVICES {\n  lmtptcp cmd="${cmd}" listen="127.0.0.1:2003"\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n`;
const IMAPD = 'configdirectory: /var/lib/cyrus\n';

test('virtdomains: the setting for the service Exim reaches wins; another service\'s does not apply', () => {
  const own = run(TCP, LMTPTCP(), `${IMAPD}virtdomains: userid\nlmtptcp_virtdomains: off\n`);
  assert.deepEqual(codes(own), ['imapd.conf:3 warning link/virtdomains']);
  // The message and the fix name the setting lmtpd reads, not the plain one already userid.
  assert.match(own[0].message, /reads lmtptcp_virtdomains: off, .*set lmtptcp_virtdomains: userid with defaultdomain: a\.example;/);
  assert.deepEqual(own[0].fixes?.map((f) => [f.title, f.manual, f.edits.map((e) => [e.range.start.line, e.newText])]),
    [['Set lmtptcp_virtdomains: userid and defaultdomain: a.example (make the mailboxes of b.example first)', true, [[2, 'userid'], [3, 'defaultdomain: a.example\n']]]]);
  assert.deepEqual(codes(run(TCP, LMTPTCP(), `${IMAPD}virtdomains: off\nlmtptcp_virtdomains: userid\n`)), []);
  // `lmtp` is not the service Exim reaches here: it used to be assumed.
  assert.deepEqual(codes(run(TCP, LMTPTCP(), `${IMAPD}virtdomains: userid\nlmtp_virtdomains: off\n`)), []);
  const f = run(TCP, LMTPTCP(), `${IMAPD}virtdomains: off\nlmtpunix_virtdomains: userid\n`);
  assert.deepEqual(codes(f), ['imapd.conf:2 warning link/virtdomains']);
  assert.match(f[0].message, /lmtpd \(service lmtptcp\) reads virtdomains: off/);
});

test('virtdomains: the machine\'s own names (localhost, the primary host name) are not other domains', () => {
  const single = TCP.replace('domainlist cyrus_domains = a.example : b.example', 'domainlist cyrus_domains = @ : localhost : a.example');
  assert.deepEqual(codes(run(single, LMTPTCP(), `${IMAPD}virtdomains: off\n`)), []);
  const two = TCP.replace('domainlist cyrus_domains = a.example : b.example', 'domainlist cyrus_domains = @ : localhost : a.example : b.example');
  const f = run(two, LMTPTCP(), `${IMAPD}virtdomains: off\ndefaultdomain: b.example\n`);
  assert.deepEqual(codes(f), ['imapd.conf:2 warning link/virtdomains']);
  assert.match(f[0].message, /mail for a\.example, b\.example .*set virtdomains: userid; the mailboxes there now \(user\/alice\) then stay b\.example's, and mail for a\.example goes/);
  assert.deepEqual(f[0].fixes?.map((x) => x.edits.length), [1], 'defaultdomain is set already');
});

test('virtdomains: an lmtpd with -C reads that file, found through the host; an unreadable one is a note that the check was skipped', () => {
  const own = `${DIR}/imapd-lmtp.conf`;
  const f = run(TCP, LMTPTCP(`lmtpd -a -C ${own}`), `${IMAPD}virtdomains: userid\n`, { [own]: `${IMAPD}virtdomains: off\n` });
  assert.deepEqual(codes(f), ['imapd-lmtp.conf:2 warning link/virtdomains']);
  assert.equal(f[0].fixes?.[0].edits[0].file, own);
  assert.deepEqual(codes(run(TCP, LMTPTCP(`lmtpd -a -C ${own}`), `${IMAPD}virtdomains: off\n`, { [own]: `${IMAPD}virtdomains: userid\n` })), []);
  // -C naming Cyrus's default file is the paired imapd.conf.
  assert.deepEqual(codes(run(TCP, LMTPTCP('lmtpd -a -C /etc/imapd.conf'), `${IMAPD}virtdomains: off\n`)), ['imapd.conf:2 warning link/virtdomains']);
  const missing = run(TCP, LMTPTCP(`lmtpd -a -C ${DIR}/nope.conf`), `${IMAPD}virtdomains: off\n`);
  assert.deepEqual(codes(missing), ['cyrus.conf:2 information link/virtdomains']);
  assert.match(missing[0].message, /nope\.conf \(-C\), which cannot be read here, so .* was not checked/);
  // Without a paired imapd.conf, the -C file is all there is.
  assert.deepEqual(codes(run(TCP, LMTPTCP(`lmtpd -a -C ${own}`), undefined, { [own]: `${IMAPD}virtdomains: off\n` })), ['imapd-lmtp.conf:2 warning link/virtdomains']);
});

test('an lmtpd whose listen= master cannot resolve is no listener (a service name missing from /etc/services)', () => {
  const to24 = TCP.replace('port = 2003', 'port = 24');
  const byName = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="lmtp"\n}\n';
  const f = run(to24, byName, undefined, { '/etc/services': 'smtp 25/tcp\n' });
  assert.deepEqual(codes(f), ['exim.conf:13 error link/lmtp-no-listener']);
  assert.doesNotMatch(f[0].message, /lmtpd on \*:24/);
  assert.match(f[0].message, /cyrus\.conf runs no lmtpd service at all\. Master disables lmtpd \(service lmtp\): it cannot use its listen=\./);
  assert.match(f[0].related?.[0].message ?? '', /^master disables lmtpd \(service lmtp\): The service name 'lmtp' is not in \/etc\/services here/);
  assert.deepEqual(codes(run(to24, byName, undefined, { '/etc/services': 'lmtp 24/tcp\n' })), [], 'resolvable: master listens on 24');
});

test('an lmtpd whose cmd makes it exit at every connection is no listener', () => {
  const f = run(TCP, LMTPTCP('lmtpd -s -a'), undefined);
  assert.deepEqual(codes(f), ['exim.conf:12 error link/lmtp-no-listener']);
  assert.match(f[0].message, /never answers: its cmd has -s, which lmtpd does not take/);
  assert.deepEqual(codes(run(TCP, LMTPTCP('lmtpd -aU30'), undefined)), ['exim.conf:12 error link/lmtp-no-listener']);
  const both = 'SERVICES {\n  a cmd="lmtpd -s -a" listen="127.0.0.1:2003"\n  b cmd="lmtpd -a" listen="2003" proto=tcp6\n}\n';
  assert.deepEqual(codes(run(exim('  driver = smtp\n  protocol = lmtp\n  hosts = localhost\n  port = 2003\n  allow_localhost\n  gethostbyname\n'), both, undefined)), [], 'Exim tries ::1 next, where a working lmtpd listens');
  const sock = exim('  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n');
  assert.deepEqual(codes(run(sock, 'SERVICES {\n  lmtpunix cmd="lmtpd -x" listen="/run/cyrus/socket/lmtp"\n}\n', undefined)), ['exim.conf:11 error link/lmtp-no-listener']);
});

test('deliver: lmtpsocket (deliver_ wins, default under configdirectory) must be where lmtpd listens; /var/run is /run', () => {
  const unix = LMTPTCP();
  const IMAPD = 'configdirectory: /var/lib/cyrus\nvirtdomains: userid\n';
  assert.deepEqual(codes(run(DELIVER(), unix, `${IMAPD}lmtpsocket: /run/cyrus/socket/lmtp\n`)), []);
  assert.deepEqual(codes(run(DELIVER(), unix, `${IMAPD}lmtpsocket: /var/run/cyrus/socket/lmtp\n`)), []);
  const wrong = run(DELIVER(), unix, `${IMAPD}lmtpsocket: /var/lib/cyrus/lmtp\n`);
  assert.deepEqual(codes(wrong), ['imapd.conf:3 error link/unix-socket-mismatch']);
  assert.deepEqual(wrong[0].fixes?.[0].edits.map((e) => e.newText), ['/run/cyrus/socket/lmtp']);
  assert.deepEqual(codes(run(DELIVER(), unix, `${IMAPD}lmtpsocket: /var/lib/cyrus/lmtp\ndeliver_lmtpsocket: /run/cyrus/socket/lmtp\n`)), []);
  // Unset: {configdirectory}/socket/lmtp, i.e. /var/lib/cyrus/socket/lmtp here.
  const dflt = run(DELIVER(), unix, IMAPD);
  assert.deepEqual(codes(dflt), ['exim.conf:11 error link/unix-socket-mismatch']);
  assert.match(dflt[0].message, /\/var\/lib\/cyrus\/socket\/lmtp \(deliver's lmtpsocket, the default under configdirectory\)/);
  assert.deepEqual(dflt[0].fixes?.[0].edits.map((e) => [path.basename(e.file), e.newText]), [['imapd.conf', 'lmtpsocket: /run/cyrus/socket/lmtp\n']]);
  assert.deepEqual(codes(run(DELIVER(), 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="2003"\n}\n', IMAPD)), ['exim.conf:11 error link/lmtp-no-listener']);
  // deliver -C: its own file decides; unknown settings mean no finding.
  const other = `${DIR}/deliver.conf`;
  assert.deepEqual(codes(run(DELIVER(`/usr/lib/cyrus/bin/deliver -C ${other} -- $local_part@$domain`), unix, IMAPD, { [other]: 'virtdomains: userid\nlmtpsocket: /run/cyrus/socket/lmtp\n' })), []);
  assert.deepEqual(codes(run(DELIVER(`/usr/lib/cyrus/bin/deliver -C ${DIR}/nope.conf -- $local_part@$domain`), unix, IMAPD)), []);
  assert.deepEqual(codes(run(DELIVER(), unix, undefined)), [], 'without imapd.conf deliver\'s socket is unknown');
});

test('virtdomains: a deliver pipe reaches the lmtpd on its lmtpsocket and reads that service\'s settings', () => {
  const cyrus = 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';
  const only = DELIVER('/usr/lib/cyrus/bin/deliver -- $local_part');
  const imapd = `${IMAPD}lmtpsocket: /run/cyrus/socket/lmtp\nvirtdomains: off\nlmtpunix_virtdomains: userid\n`;
  assert.deepEqual(codes(run(only, cyrus, imapd)), ['exim.conf:11 warning link/virtdomains']);
  assert.deepEqual(codes(run(only, cyrus, `${IMAPD}lmtpsocket: /run/cyrus/socket/lmtp\nvirtdomains: userid\nlmtpunix_virtdomains: off\n`)), []);
});

test('virtdomains: the deliver fix is offered next to $local_part_suffix and replaces $local_part itself', () => {
  const cyrus = 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';
  const imapd = `${IMAPD}lmtpsocket: /run/cyrus/socket/lmtp\nvirtdomains: userid\n`;
  const f = run(DELIVER('/usr/lib/cyrus/bin/deliver -m $local_part_suffix -- $local_part'), cyrus, imapd);
  assert.deepEqual(codes(f), ['exim.conf:11 warning link/virtdomains']);
  assert.equal(f[0].fixes?.[0].edits[0].newText, '/usr/lib/cyrus/bin/deliver -m $local_part_suffix -- $local_part@$domain');
  const braced = run(DELIVER('/usr/lib/cyrus/bin/deliver -- ${local_part}x'), cyrus, imapd);
  assert.equal(braced[0].fixes?.[0].edits[0].newText, '/usr/lib/cyrus/bin/deliver -- ${local_part}@${domain}x');
  assert.deepEqual(codes(run(DELIVER('/usr/lib/cyrus/bin/deliver -m $domain_data -- $local_part'), cyrus, imapd)), ['exim.conf:11 warning link/virtdomains'], 'a domain elsewhere is not in the user name');
  // The clean copies Exim 4.94 and later want in a command: the fix keeps them clean.
  const clean = run(DELIVER('/usr/lib/cyrus/bin/deliver -- $local_part_data'), cyrus, imapd);
  assert.deepEqual(codes(clean), ['exim.conf:11 warning link/virtdomains']);
  assert.equal(clean[0].fixes?.[0].edits[0].newText, '/usr/lib/cyrus/bin/deliver -- $local_part_data@$domain_data');
  assert.deepEqual(codes(run(DELIVER('/usr/lib/cyrus/bin/deliver -- $local_part_data@$domain_data'), cyrus, imapd)), []);
});
