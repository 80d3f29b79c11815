// Properties of the link rules over generated Exim + Cyrus pairings: total (no rule throws,
// which checkLinks would turn into an "Internal error" finding) and well formed, whatever
// the transport, router, ACL, authenticators, cyrus.conf and imapd.conf say, half-typed
// values included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { linkFindings } from '../helpers/link-findings';
import { check, runs, TIMEOUT } from './support';

const DIR = '/virtual/fuzz-link';

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const some = (xs: fc.Arbitrary<string>, max = 4) => fc.array(xs, { maxLength: max }).map((a) => a.join(''));

const hostList = pick('*', 'localhost', '127.0.0.1', '127.0.0.2', '10.0.0.0/8', '', '${if true{*}}', '+relay', '! 127.0.0.1 : *', 'localhost::2003', '<; ::1 ; 127.0.0.1');
const transportOption = fc.oneof(
  fc.tuple(pick('hosts_require_tls', 'hosts_require_auth', 'hosts_try_auth', 'hosts_avoid_tls', 'hosts_avoid_esmtp', 'hosts'), hostList).map(([n, v]) => `  ${n} = ${v}\n`),
  pick('  port = 2003\n', '  port = lmtp\n', '  port = \n', '  size_addition = -1\n', '  size_addition = 10K\n', '  size_addition = x\n',
    '  protocol = smtp\n', '  no_allow_localhost\n', '  no_hosts_require_tls\n', '  interface = 127.0.0.1\n', '  hosts_override\n'),
);
const domains = pick('+cy', 'a.example', 'a.example : b.example', '! +cy', '*.example', '@', '${lookup{$domain}lsearch{/d}}', '', '+nope');
const routerOption = pick('  local_parts = alice\n', '  local_parts = lsearch;/etc/users\n', '  check_local_user\n', '  unseen\n', '  no_verify\n',
  '  verify_only\n', '  local_part_suffix = +*\n  local_part_suffix_optional\n', '  condition = ${if eq{$local_part}{x}}\n', '  no_more\n', '');
const aclCondition = fc.oneof(
  fc.tuple(pick('domains', '!domains'), domains).map(([n, v]) => `${n} = ${v}`),
  fc.tuple(pick('hosts', '!hosts'), hostList).map(([n, v]) => `${n} = ${v}`),
  pick('verify = recipient', '!verify = recipient/callout=random,5s', 'verify = recipient/callout', '!verify = sender/callout=defer_ok,5s',
    'verify = sender', 'local_parts = ^[.] : ^.*[@%!/|`#&?]', '!local_parts = lsearch;/etc/u', 'local_parts = postmaster', 'authenticated = *',
    'acl = sub', '!acl = sub', 'acl = ${if true{sub}}', 'recipients = /etc/r', 'condition = ${if eq{$local_part}{x}}', 'dnslists = zen.example',
    'endpass', 'message = no', 'control = submission', 'senders = :', 'local_parts = ^(?i)x'),
);
const aclStatement = fc.tuple(pick('accept', 'deny', 'require', 'warn', 'drop', 'defer', 'discard', 'bogus'), fc.array(aclCondition, { maxLength: 4 }))
  .map(([verb, cs]) => `  ${verb} ${cs.join('\n       ')}\n`);
const authenticator = fc.tuple(pick('p', 'plain', 'EXTERNAL', 'x'), pick('PLAIN', 'LOGIN', 'EXTERNAL', 'CRAM-MD5', '${if true{PLAIN}}', ''), pick('  client_send = ^a^b\n', '  server_condition = yes\n', '  client_name = a\n  client_secret = b\n', ''))
  .map(([name, pub, side]) => `${name}:\n  driver = plaintext\n${pub ? `  public_name = ${pub}\n` : ''}${side}`);
const main = pick('message_size_limit = 10M\n', 'message_size_limit = 0\n', 'message_size_limit = ${if true{1M}}\n', 'message_size_limit = x\n', 'no_message_size_limit\n', 'primary_hostname = mx.example\n', '');

const exim = fc.tuple(main, some(aclStatement, 6), some(aclStatement, 2), domains, some(routerOption, 3), pick('smtp', 'lmtp', 'pipe'), some(transportOption, 5), some(authenticator, 2))
  .map(([m, rcpt, sub, d, ropts, driver, topts, auths]) => `domainlist cy = a.example : b.example
hostlist relay = 127.0.0.1
${m}acl_smtp_rcpt = rcpt
begin acl
rcpt:
${rcpt}sub:
${sub}begin routers
cyrus:
  driver = accept
  domains = ${d}
${ropts}  transport = t
other:
  driver = accept
  transport = t
begin transports
t:
  driver = ${driver}
${driver === 'smtp' ? '  protocol = lmtp\n  allow_localhost\n  hosts = localhost\n  gethostbyname\n  port = 2003\n' : driver === 'lmtp' ? '  socket = /run/cyrus/socket/lmtp\n' : '  command = /usr/lib/cyrus/bin/deliver -C /etc/imapd.conf\n'}${topts}begin authenticators
${auths}`);

const listen = pick('127.0.0.1:2003', '2003', '*:2003', '[::1]:2003', '0.0.0.0:2003', '198.51.100.7:2003', 'localhost:lmtp', '/run/cyrus/socket/lmtp', 'nosuchservice', '127.0.0.1:');
const cyrusEntry = fc.tuple(pick('lmtp', 'lmtp2', 'lmtpunix', 'imap'), pick('lmtpd -a', 'lmtpd', 'lmtpd -a -C /etc/other.conf', 'lmtpd -C', 'imapd'), listen)
  .map(([n, cmd, l]) => `  ${n} cmd="${cmd}" listen="${l}" prefork=0\n`);
const cyrus = some(cyrusEntry, 3).map((e) => `SERVICES {\n${e}}\n`);
const imapdSetting = fc.tuple(pick('', 'lmtp_', 'lmtp2_', 'imap_'), pick('tls_server_cert', 'tls_server_key', 'tls_cert_file', 'allowplaintext', 'sasl_mech_list', 'maxmessagesize', 'virtdomains', 'lmtpsocket'),
  pick('/etc/ssl/c.pem', 'disabled', 'yes', 'no', 'PLAIN LOGIN', 'login', '', '10485760', '10M', '0', 'x', 'userid'))
  .map(([p, k, v]) => `${p}${k}: ${v}\n`);
// Most pairings set some of what the TLS, AUTH and size checks read.
const imapd = fc.tuple(some(imapdSetting, 6), pick('maxmessagesize: 1M\n', 'allowplaintext: no\n', 'sasl_mech_list: CRAM-MD5\n', '')).map(([a, b]) => a + b);

const N = runs(150);

test('link rules: total over generated pairings (no rule throws) and well formed', { timeout: TIMEOUT }, () => {
  check('link-pairing', fc.tuple(exim, fc.option(cyrus), fc.option(imapd)), ([e, c, i]) => {
    const found = linkFindings(DIR, e, c ?? undefined, i ?? undefined);
    const broken = found.filter((f) => f.message.startsWith('Internal error'));
    assert.deepEqual(broken.map((f) => f.message), [], 'a link rule threw');
  }, N);
});
