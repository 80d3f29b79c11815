// The link rules' reasoning beyond the fixtures: list matching with unknowns, port names
// Exim cannot resolve, authentication, local hosts, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { linkFindings } from '../helpers/link-findings';
import { defaultOptions } from '../../server/src/core/options';
import { memoryHost } from '../helpers/memory-host';
import { loadExim } from '../../server/src/core/exim';
import { makeContext } from '../../server/src/core/rules/link/context';
import { literalDomains, matchDomain, matchHost } from '../../server/src/core/rules/link/match';
import { rewriteWithSemicolons } from '../../server/src/core/rules/link/ipv6-list';
import type { Finding } from '../../server/src/core/diagnostic';

const DIR = '/virtual/link';

function ctxOf(exim: string) {
  const host = memoryHost(new Map([[`${DIR}/exim.conf`, exim]]));
  return makeContext(loadExim(`${DIR}/exim.conf`, defaultOptions, host), undefined, undefined, host);
}

function run(exim: string, cyrus?: string, imapd?: string, extra: [string, string][] = []): Finding[] {
  return linkFindings(DIR, exim, cyrus, imapd, Object.fromEntries(extra));
}

const codes = (fs: Finding[]) => fs.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.code}`);

test('domain lists: first match decides, a trailing negative matches the rest, unknowns stay unknown', () => {
  const c = ctxOf('primary_hostname = mx.example.net\ndomainlist local = @ : localhost\ndomainlist cy = a.org : *.b.org\n');
  assert.equal(matchDomain(c, '+cy', 'a.org'), 'yes');
  assert.equal(matchDomain(c, '+cy', 'x.b.org'), 'yes');
  assert.equal(matchDomain(c, '+cy', 'c.org'), 'no');
  assert.equal(matchDomain(c, '! +local', 'a.org'), 'yes', 'a list ending in a negative item matches what it does not exclude');
  assert.equal(matchDomain(c, '! +local', 'mx.example.net'), 'no', '@ is the primary host name');
  assert.equal(matchDomain(c, '! +local : ! +cy', 'a.org'), 'no');
  assert.equal(matchDomain(c, '! lsearch;/etc/d : a.org', 'a.org'), 'unknown', 'a negated lookup before may match first');
  assert.equal(matchDomain(c, 'lsearch;/etc/d : a.org', 'a.org'), 'yes', 'both branches agree');
  assert.equal(matchDomain(c, '! lsearch;/etc/d : a.org', 'b.org'), 'no', 'both branches agree');
  assert.equal(matchDomain(c, '^a\\.org$', 'a.org'), 'unknown');
  assert.equal(matchDomain(c, '${lookup{x}lsearch{/f}}', 'a.org'), 'unknown');
  assert.equal(matchDomain(c, '+undefined_list', 'a.org'), 'unknown');
  assert.equal(matchDomain(c, '', 'a.org'), 'no');
  assert.equal(matchDomain(c, '*', 'a.org'), 'yes');
});

test('domain lists: a macro name left undefined (Debian\'s MAIN_RELAY_TO_DOMAINS) is unknown, never a domain', () => {
  const c = ctxOf('domainlist relay_to_domains = MAIN_RELAY_TO_DOMAINS\ndomainlist cy = a.org\n');
  assert.equal(matchDomain(c, '+relay_to_domains', 'main_relay_to_domains'), 'unknown');
  assert.equal(matchDomain(c, '+relay_to_domains', 'a.org'), 'unknown');
  assert.equal(matchDomain(c, '+cy : +relay_to_domains', 'a.org'), 'yes');
  assert.deepEqual(literalDomains(c, '+cy : +relay_to_domains : Example.ORG'), ['a.org', 'example.org'], 'a written domain with a dot is a domain');
  assert.deepEqual(literalDomains(c, '+relay_to_domains'), []);
});

test('domain lists: @ without primary_hostname and recursive named lists are unknown', () => {
  const c = ctxOf('domainlist a = +b\ndomainlist b = +a\n');
  assert.equal(matchDomain(c, '@', 'x.org'), 'unknown');
  assert.equal(matchDomain(c, '+a', 'x.org'), 'unknown');
});

test('host lists: *, addresses, networks; names needing DNS are unknown', () => {
  const c = ctxOf('hostlist lo = <; 127.0.0.1 ; ::1\n');
  assert.equal(matchHost(c, '*', 'localhost', ['127.0.0.1']), 'yes');
  assert.equal(matchHost(c, '+lo', '127.0.0.1', ['127.0.0.1']), 'yes');
  assert.equal(matchHost(c, '10.0.0.0/8', '127.0.0.1', ['127.0.0.1']), 'no');
  assert.equal(matchHost(c, '127.0.0.0/8', 'localhost', ['127.0.0.1', '::1']), 'yes');
  assert.equal(matchHost(c, 'mail.example.com', '127.0.0.1', ['127.0.0.1']), 'unknown');
  assert.equal(matchHost(c, ':', 'localhost', ['127.0.0.1']), 'no');
});

test('rewriting a colon list with <;', () => {
  assert.equal(rewriteWithSemicolons('127.0.0.1 : ::1'), '<; 127.0.0.1 ; ::1');
  assert.equal(rewriteWithSemicolons('127.0.0.1:10.0.0.0/8 : fe80::1 : !2001:db8::/32'), '<; 127.0.0.1 ; 10.0.0.0/8 ; fe80::1 ; !2001:db8::/32');
  assert.equal(rewriteWithSemicolons('${if true{::1}}'), undefined);
});

const CYRUS = 'SERVICES {\n  lmtp cmd="lmtpd" listen="127.0.0.1:2003"\n}\n';
/** lmtpd on 127.0.0.1:2003 trusting its clients (-a): what the reference setup runs. */
const CYRUS_TRUSTED = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
/** The Cyrus router for a.org and its LMTP transport to CYRUS_TRUSTED, last in a config. */
const CYRUS_ROUTER_TO_LMTP = `cyrus:
  driver = accept
  domains = a.org
  transport = l
begin transports
l:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  port = 2003
  allow_localhost
`;
const LMTP = (opts: string, auth = '') => `primary_hostname = mx.example.net
begin routers
cyrus:
  driver = accept
  transport = t
begin transports
t:
  driver = smtp
  protocol = lmtp
  allow_localhost
  gethostbyname
${opts}
begin authenticators
${auth}`;

test('lmtp-avoid-esmtp: hosts_avoid_esmtp matching the LMTP host; a warning when another host is not matched', () => {
  const sev = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.severity}`);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_avoid_esmtp = *\n'), CYRUS_TRUSTED)), ['link/lmtp-avoid-esmtp error']);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1 : 127.0.0.2\n  port = 2003\n  hosts_avoid_esmtp = 127.0.0.2\n'), CYRUS_TRUSTED)).filter((c) => c.includes('avoid')), ['link/lmtp-avoid-esmtp warning']);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_avoid_esmtp = 10.0.0.0/8\n'), CYRUS_TRUSTED)), [], 'not this host');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  no_hosts_avoid_esmtp\n'), CYRUS_TRUSTED)), []);
});

test('lmtp-auth-required: hosts_try_auth without a client authenticator still sends no AUTH', () => {
  assert.deepEqual(codes(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_try_auth = *\n'), CYRUS)), ['cyrus.conf:2 link/lmtp-auth-required']);
  assert.deepEqual(codes(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_try_auth = *\n', 'p:\n  driver = plaintext\n  public_name = PLAIN\n  client_send = ^a^b\n'), CYRUS)), []);
  assert.deepEqual(codes(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_try_auth = 10.0.0.0/8\n', 'p:\n  driver = plaintext\n  public_name = PLAIN\n  client_send = ^a^b\n'), CYRUS)), ['cyrus.conf:2 link/lmtp-auth-required'], 'the auth host list must match');
  assert.deepEqual(codes(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n'), 'SERVICES {\n  lmtp cmd="lmtpd" listen="/run/lmtp"\n  t cmd="lmtpd -a" listen="2003"\n}\n')), [], 'a UNIX lmtpd is pre-authenticated; the TCP one has -a');
});

test('lmtp-no-listener, lmtp-auth-required: a host that fails is only a warning when another host of the list takes the mail', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n  lmtpauth cmd="lmtpd" listen="127.0.0.1:2004"\n}\n';
  const sev = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.severity}`);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.2 : 127.0.0.1\n  port = 2003\n'), cy)), ['link/lmtp-no-listener warning'], 'refused, then the next host delivers');
  assert.deepEqual(sev(run(LMTP('  hosts = <; ::1 ; 127.0.0.1\n  port = 2003\n'), cy)), ['link/lmtp-no-listener warning']);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1::2004 : 127.0.0.1\n  port = 2003\n'), cy)), ['link/lmtp-auth-required warning'], '430, then the next host delivers');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.2 : 127.0.0.3\n  port = 2003\n'), cy)), ['link/lmtp-no-listener error', 'link/lmtp-no-listener error'], 'no host takes it');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.2 : 127.0.0.1\n  port = 2004\n'), cy)), ['link/lmtp-auth-required error', 'link/lmtp-no-listener error'], 'the only host reached demands AUTH');
});

test('lmtp-no-listener: the port option read as Exim reads it (a leading 0 is octal), a host\'s own port decimal', () => {
  const sev = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.severity}`);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 03723\n'), CYRUS_TRUSTED)), [], '03723 is 2003');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 0x7d3\n'), CYRUS_TRUSTED)), [], '0x7d3 is 2003');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 02003\n'), CYRUS_TRUSTED)).filter((c) => c.startsWith('link/')), ['link/lmtp-no-listener error'], '02003 is 1027');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1::02003\n  port = 25\n'), CYRUS_TRUSTED)).filter((c) => c.startsWith('link/')), [], 'a host\'s port is decimal');
  // One Exim cannot read at all is exim/invalid-value's, not said again as a missing listener.
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003x\n'), CYRUS_TRUSTED)).filter((c) => c.startsWith('link/')), []);
});

test('callout-host-port: a callout through a transport whose every host names its port; a plain host left or no callout is fine', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const acl = (verify: string) => `acl_smtp_rcpt = r\nbegin acl\nr:\n  deny domains = a.org\n       !verify = ${verify}\n  accept\n`;
  const conf = (verify: string, hosts: string) => acl(verify) + LMTP(`  hosts = ${hosts}\n  port = 2003\n`).replace('  transport = t\n', '  domains = a.org\n  transport = t\n');
  assert.deepEqual(codes(run(conf('recipient/callout', '127.0.0.1::2003'), cy)), ['exim.conf:5 link/callout-host-port']);
  assert.deepEqual(codes(run(conf('recipient/callout=5s', '127.0.0.1::2003 : localhost::2003'), cy)), ['exim.conf:5 link/callout-host-port']);
  assert.deepEqual(codes(run(conf('recipient/callout', '127.0.0.1::2003 : 127.0.0.1'), cy)), [], 'the callout uses the plain host');
  assert.deepEqual(codes(run(conf('recipient', '127.0.0.1::2003'), cy)), ['exim.conf:6 link/no-recipient-callout'], 'no callout: unknown users are accepted');
});

test('callout-host-port: a manualroute router\'s host::port is looked up by the router, so the callout uses its port; hosts_override brings the transport\'s back', () => {
  // Exim 4.96 on loopback: route_list = * 127.0.0.1::PORT (or route_data) verifies and
  // delivers; with hosts_override the transport's hosts = 127.0.0.1::PORT deliver but the
  // callout logs "no IP address found for host 127.0.0.1:PORT" and answers 451.
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const acl = 'acl_smtp_rcpt = r\nbegin acl\nr:\n  deny domains = a.org\n       !verify = recipient/callout\n  accept\n';
  const routed = (route: string, transport: string) => acl + LMTP(`${transport}  port = 25\n`)
    .replace('  driver = accept\n  transport = t\n', `  driver = manualroute\n  domains = a.org\n  ${route}\n  self = send\n  transport = t\n`);
  assert.deepEqual(codes(run(routed('route_list = * 127.0.0.1::2003', ''), cy)), []);
  assert.deepEqual(codes(run(routed('route_data = 127.0.0.1::2003', '  hosts = 127.0.0.1::2003\n'), cy)), [], 'the transport\'s own ported hosts are not used');
  assert.deepEqual(codes(run(routed('route_list = * 127.0.0.2', '  hosts = 127.0.0.1::2003\n  hosts_override\n'), cy)), ['exim.conf:5 link/callout-host-port']);
});

test('smtp-to-lmtpd: an smtp transport without protocol = lmtp to an lmtpd on this machine; elsewhere, or another port, is fine', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const smtp = (opts: string) => LMTP(opts).replace('  protocol = lmtp\n', '');
  assert.deepEqual(codes(run(smtp('  hosts = localhost\n  port = 2003\n'), cy)), ['exim.conf:11 link/smtp-to-lmtpd'], 'on the hosts line');
  assert.deepEqual(codes(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n').replace('protocol = lmtp', 'protocol = smtp'), cy)), ['exim.conf:9 link/smtp-to-lmtpd'], 'on the protocol line');
  assert.deepEqual(codes(run(smtp('  hosts = 127.0.0.1::2003\n'), cy)), ['exim.conf:11 link/smtp-to-lmtpd']);
  assert.deepEqual(codes(run(smtp('  hosts = 127.0.0.1\n  port = 25\n'), cy)), []);
  assert.deepEqual(codes(run(smtp('  hosts = smarthost.example.net\n  port = 2003\n'), cy)), [], 'not this machine');
});

test('require-auth-no-client: hosts_require_auth matching the host with no client authenticator', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const client = 'p:\n  driver = plaintext\n  public_name = PLAIN\n  client_send = ^a^b\n';
  const server = 'p:\n  driver = plaintext\n  public_name = PLAIN\n  server_condition = yes\n';
  const sev = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.severity}`);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_require_auth = *\n'), cy)), ['link/require-auth-no-client error']);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_require_auth = 127.0.0.1\n', server), cy)), ['link/require-auth-no-client error'], 'a server-only authenticator does not count');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_require_auth = *\n', client), cy)), ['link/auth-no-common-mechanism error'], 'a client, but lmtpd -a offers only EXTERNAL');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_require_auth = *\n', client.replace('PLAIN', 'EXTERNAL')), cy)), [], 'an EXTERNAL client');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_require_auth = 10.0.0.0/8\n'), cy)), [], 'not this host');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_try_auth = *\n'), cy)), [], 'try is not require');
});

test('lmtp-tls-unavailable: hosts_require_tls matching a host whose lmtpd offers no STARTTLS', () => {
  // hosts_require_auth keeps lmtpd without -a from answering 430; whether its mechanism is
  // offered is auth-no-common-mechanism's question, tested below.
  const sev = (fs: Finding[]) => fs.filter((f) => f.code !== 'link/auth-no-common-mechanism').map((f) => `${f.code} ${f.severity}`);
  const trusted = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const plain = 'SERVICES {\n  lmtp cmd="lmtpd" listen="127.0.0.1:2003"\n}\n';
  const client = 'p:\n  driver = plaintext\n  public_name = PLAIN\n  client_send = ^a^b\n';
  const tls = (v: string, more = '') => LMTP(`  hosts = 127.0.0.1\n  port = 2003\n  hosts_require_auth = *\n  hosts_require_tls = ${v}\n${more}`, client);
  const certs = 'tls_server_cert: /etc/ssl/c.pem\ntls_server_key: /etc/ssl/k.pem\n';
  const f = run(tls('*'), trusted);
  assert.deepEqual(sev(f), ['link/lmtp-tls-unavailable error'], 'lmtpd -a never offers STARTTLS');
  assert.deepEqual(sev(run(tls('*'), trusted, certs)), ['link/lmtp-tls-unavailable error'], 'not even with a certificate');
  assert.ok(f[0].fixes?.every((x) => x.manual), 'dropping a TLS requirement is the user\'s call');
  assert.equal(f[0].fixes![0].edits[0].newText, '');
  assert.deepEqual(sev(run(tls('*'), plain, certs)), [], 'without -a, a certificate and key: STARTTLS offered');
  assert.deepEqual(sev(run(tls('*'), plain, 'tls_cert_file: /c.pem\ntls_key_file: /k.pem\n')), [], 'the 2.x names still count');
  assert.deepEqual(sev(run(tls('*'), plain, 'tls_server_cert: /c.pem\n')), ['link/lmtp-tls-unavailable error'], 'a certificate without a key');
  assert.deepEqual(sev(run(tls('*'), plain, certs + 'tls_server_key: DISABLED\n')), [], 'the first setting of a name wins');
  assert.deepEqual(sev(run(tls('*'), plain, 'tls_server_cert: DISABLED\ntls_server_key: /k.pem\n')), ['link/lmtp-tls-unavailable error'], '"disabled" in any case');
  assert.deepEqual(sev(run(tls('*'), plain, certs + 'lmtp_tls_server_cert: disabled\n')), ['link/lmtp-tls-unavailable error'], 'the service\'s own setting wins');
  assert.deepEqual(sev(run(tls('*'), plain, certs + 'imap_tls_server_cert: disabled\n')), [], 'another service\'s setting does not apply');
  assert.deepEqual(sev(run(tls('*'), plain)), [], 'no imapd.conf paired: unknown');
  assert.deepEqual(sev(run(tls('10.0.0.0/8'), trusted)), [], 'not this host');
  assert.deepEqual(sev(run(tls('${if eq{1}{1}{*}}'), trusted)), [], 'expanded: known at delivery only');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_try_tls = *\n'), trusted)), [], 'try is not require');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  no_hosts_require_tls\n'), trusted)), []);
  const two = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n  lmtp2 cmd="lmtpd" listen="127.0.0.2:2003"\n}\n';
  const list = (v: string) => LMTP(`  hosts = 127.0.0.1 : 127.0.0.2\n  port = 2003\n  hosts_require_auth = *\n  hosts_require_tls = ${v}\n`, client);
  assert.deepEqual(sev(run(list('127.0.0.1'), two, certs)), ['link/lmtp-tls-unavailable warning'], 'another host of the list takes the mail');
  assert.deepEqual(sev(run(list('*'), two, certs)), ['link/lmtp-tls-unavailable warning']);
  assert.deepEqual(sev(run(list('*'), two, 'servername: mx\n')), ['link/lmtp-tls-unavailable error'], 'neither host offers STARTTLS');
  assert.deepEqual(sev(run(list('*'), two)), ['link/lmtp-tls-unavailable warning'], 'whether lmtp2 offers it is unknown without imapd.conf');
});

test('auth-no-common-mechanism: hosts_require_auth where lmtpd offers none of the client authenticators\' mechanisms', () => {
  const sev = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.severity}`);
  const plain = 'SERVICES {\n  lmtp cmd="lmtpd" listen="127.0.0.1:2003"\n}\n';
  const trusted = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const client = (name = 'PLAIN') => `p:\n  driver = plaintext\n  public_name = ${name}\n  client_send = ^a^b\n`;
  const req = (more = '') => `  hosts = 127.0.0.1\n  port = 2003\n  hosts_require_auth = *\n${more}`;
  const certs = 'tls_server_cert: /etc/ssl/c.pem\ntls_server_key: /etc/ssl/k.pem\n';
  const f = run(LMTP(req(), client()), plain, 'servername: mx\n');
  assert.deepEqual(sev(f), ['link/auth-no-common-mechanism error']);
  assert.match(f[0].message, /keeps PLAIN and LOGIN back from a connection without TLS while allowplaintext is off \(Cyrus's default\), and it offers no STARTTLS/);
  assert.match(f[0].message, /"authentication required but no common mechanisms were found", or "authentication required but server did not advertise AUTH support" when/, 'which depends on the mechanisms installed');
  assert.equal(f[0].fixes, undefined, 'no one edit mends it');
  assert.match(run(LMTP(req(), client()), plain, 'sasl_mech_list: PLAIN\n')[0].message, /server did not advertise AUTH support/, 'nothing left to offer');
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, certs)), [], 'over TLS PLAIN is offered');
  assert.match(run(LMTP(req('  hosts_avoid_tls = 127.0.0.1\n'), client()), plain, certs)[0]?.message ?? '', /hosts_avoid_tls keeps Exim from starting TLS/);
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, 'allowplaintext: yes\n')), []);
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, 'lmtp_allowplaintext: on\n')), [], 'the service\'s own setting');
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, 'imap_allowplaintext: yes\n')), ['link/auth-no-common-mechanism error'], 'another service\'s');
  assert.deepEqual(sev(run(LMTP(req(), client('LOGIN')), plain, 'allowplaintext: yes\nsasl_mech_list: login\n')), [], 'mechanism names in any case');
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, 'allowplaintext: yes\nsasl_mech_list: CRAM-MD5\n')), ['link/auth-no-common-mechanism error']);
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, 'allowplaintext: yes\nsasl_mech_list: CRAM-MD5\nlmtp_sasl_mech_list: PLAIN\n')), [], 'lmtp_sasl_mech_list wins for lmtpd');
  assert.deepEqual(sev(run(LMTP(req(), client('CRAM-MD5')), plain, 'servername: mx\n')), [], 'CRAM-MD5 is not kept back without TLS');
  // sasl_minimum_layer: without TLS only mechanisms with a security layer are offered (checked live: LHLO then lists only DIGEST-MD5).
  const layered = run(LMTP(req(), client('CRAM-MD5')), plain, 'allowplaintext: yes\nsasl_minimum_layer: 1\n');
  assert.deepEqual(sev(layered), ['link/auth-no-common-mechanism error']);
  assert.match(layered[0].message, /sasl_minimum_layer: 1 asks for a SASL security layer, so on a connection without TLS lmtpd offers only mechanisms that negotiate one/);
  assert.ok(layered[0].related?.some((r) => r.message === 'sasl_minimum_layer asks for a security layer'));
  assert.match(run(LMTP(req(), client()), plain, 'allowplaintext: yes\nsasl_mech_list: PLAIN\nlmtp_sasl_minimum_layer: 56\n')[0]?.message ?? '', /server did not advertise AUTH support/, 'the service\'s own setting; nothing left to offer');
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, 'allowplaintext: yes\nimap_sasl_minimum_layer: 1\n')), [], 'another service\'s');
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, `${certs}sasl_minimum_layer: 1\n`)), [], 'TLS counts as the layer');
  assert.deepEqual(sev(run(LMTP(req(), client()), plain, 'allowplaintext: yes\nsasl_minimum_layer: 0\n')), []);
  assert.deepEqual(sev(run(LMTP(req(), client('DIGEST-MD5')), plain, 'sasl_minimum_layer: 1\n')), [], 'a mechanism that may negotiate a layer is not judged');
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_try_auth = *\n', client()), plain, 'allowplaintext: yes\nsasl_minimum_layer: 1\n')), ['link/lmtp-auth-required error'], 'tried, then 430');
  assert.deepEqual(sev(run(LMTP(req(), client('${if true{PLAIN}}')), plain, 'servername: mx\n')), [], 'an expanded public_name: unknown');
  assert.deepEqual(sev(run(LMTP(req(), 'plain:\n  driver = plaintext\n  client_send = ^a^b\n'), plain, 'sasl_mech_list: LOGIN\nallowplaintext: yes\n')), ['link/auth-no-common-mechanism error'], 'without public_name, the name is the mechanism');
  assert.deepEqual(sev(run(LMTP(req(), client()), plain)), [], 'no imapd.conf: unknown');
  // hosts_try_auth: Exim goes on without AUTH, and lmtpd without -a answers 430.
  const tried = run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_try_auth = *\n', client()), plain, 'servername: mx\n');
  assert.deepEqual(sev(tried), ['link/lmtp-auth-required error']);
  assert.match(tried[0].message, /tries AUTH \(hosts_try_auth\), but lmtpd offers none of the mechanisms/);
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n  hosts_try_auth = *\n', client()), trusted)), [], 'lmtpd -a needs no AUTH');
  const a = run(LMTP(req(), client()), trusted);
  assert.deepEqual(sev(a), ['link/auth-no-common-mechanism error']);
  assert.match(a[0].message, /offers only EXTERNAL/);
  assert.ok(a[0].fixes?.length === 1 && a[0].fixes[0].manual, 'removing hosts_require_auth is offered, never applied by --fix');
  const two = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n  lmtp2 cmd="lmtpd -a" listen="127.0.0.2:2003"\n}\n';
  assert.deepEqual(sev(run(LMTP('  hosts = 127.0.0.1 : 127.0.0.2\n  port = 2003\n  hosts_require_auth = 127.0.0.1\n', client()), two)), ['link/auth-no-common-mechanism warning'], '127.0.0.2 takes the mail');
});

test('message-size-limit: Exim accepts what lmtpd\'s maxmessagesize refuses', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const conf = (main = '', more = '') => main + LMTP(`  hosts = 127.0.0.1\n  port = 2003\n${more}`);
  const codes2 = (fs: Finding[]) => fs.map((f) => `${path.basename(f.file)}:${f.range.start.line + 1} ${f.code} ${f.severity}`);
  assert.deepEqual(codes2(run(conf(), cy, 'servername: mx\n')), [], 'no maxmessagesize: no limit');
  const f = run(conf(), cy, 'maxmessagesize: 10485760\n');
  assert.deepEqual(codes2(f), ['exim.conf:7 link/message-size-limit warning'], 'Exim\'s default 50M, on the transport');
  assert.match(f[0].message, /up to 50M \(message_size_limit, Exim's default\), but Cyrus's lmtpd \(service lmtp\) refuses those over 10M \(maxmessagesize\), counting the SIZE Exim declares, the message's size plus 1024 bytes/);
  assert.match(f[0].message, /Set message_size_limit = 10238K/);
  assert.equal(f[0].related?.[1]?.message, 'lmtpd (service lmtp) refuses messages over 10M (maxmessagesize)');
  assert.deepEqual(codes2(run(conf('message_size_limit = 10M\n'), cy, 'maxmessagesize: 10485760\n')), ['exim.conf:1 link/message-size-limit warning'], 'equal limits: SIZE adds size_addition');
  assert.deepEqual(codes2(run(conf('message_size_limit = 10M\n', '  size_addition = -1\n'), cy, 'maxmessagesize: 10485760\n')), []);
  assert.deepEqual(codes2(run(conf('message_size_limit = 9M\n'), cy, 'maxmessagesize: 10485760\n')), []);
  assert.deepEqual(codes2(run(conf('message_size_limit = 9M\n'), cy, 'maxmessagesize: 10M\n')), [], 'Cyrus 3.8 writes units');
  assert.match(run(conf('message_size_limit = 0\n'), cy, 'maxmessagesize: 10485760\n')[0]?.message ?? '', /accepts messages of any size/);
  assert.deepEqual(codes2(run(conf('message_size_limit = ${if eq{1}{1}{9M}{20M}}\n'), cy, 'maxmessagesize: 10485760\n')), [], 'expanded: unknown');
  assert.deepEqual(codes2(run(conf('acl_smtp_data = d\nbegin acl\nd:\n  deny condition = ${if >{$message_size}{9M}}\n  accept\n'), cy, 'maxmessagesize: 10485760\n')), [], 'an ACL that reads $message_size');
  assert.deepEqual(codes2(run(conf('message_size_limit = 20M\n'), cy, 'maxmessagesize: 30M\nlmtp_maxmessagesize: 10M\n')), ['exim.conf:1 link/message-size-limit warning'], 'the service\'s own setting');
  assert.deepEqual(codes2(run(conf('message_size_limit = 20M\n'), cy, 'maxmessagesize: 10M\nimap_maxmessagesize: 30M\n')), ['exim.conf:1 link/message-size-limit warning']);
  assert.deepEqual(codes2(run(conf(), cy, 'maxmessagesize: 0\n')), [], '0: no limit');
});

test('no-recipient-callout: the RCPT ACL accepts unknown users of a Cyrus domain that only a callout would refuse', () => {
  const tcp = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const conf = (acl: string, router = '', transport = '  hosts = 127.0.0.1\n  port = 2003\n') => `domainlist cy = a.org\nhostlist relay = 127.0.0.1\nacl_smtp_rcpt = r\nbegin acl\nr:\n${acl}`
    + LMTP(transport).replace('  transport = t\n', `  domains = +cy\n${router}  transport = t\n  no_more\n`);
  const callout = '  deny domains = +cy\n       !verify = recipient/callout=random,5s\n';
  const f = run(conf('  require verify = sender\n  accept domains = +cy\n'), tcp);
  assert.deepEqual(codes(f), ['exim.conf:7 link/no-recipient-callout']);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /users Cyrus does not have in a\.org: router cyrus takes every local part of it/);
  assert.equal(f[0].fixes?.[0].edits[0].newText, '  deny    domains       = +cy\n          !verify       = recipient/callout=random,5s\n\n');
  assert.deepEqual(codes(run(conf(callout + '  accept domains = +cy\n'), tcp)), [], 'the callout first');
  assert.deepEqual(codes(run(conf('  accept domains = +cy\n         verify = recipient/callout\n'), tcp)), [], 'the callout in the accepting statement');
  assert.deepEqual(codes(run(conf('  accept domains = +cy\n  ' + callout.trimStart()), tcp)), ['exim.conf:6 link/no-recipient-callout'], 'the callout too late');
  assert.deepEqual(codes(run(conf('  accept domains = +cy\n         endpass\n         verify = recipient\n'), tcp)), ['exim.conf:6 link/no-recipient-callout'], 'Debian\'s old accept ... endpass verify = recipient');
  assert.deepEqual(codes(run(conf('  accept domains = +cy\n         endpass\n         verify = recipient/callout\n'), tcp)), [], 'endpass then a callout: refused, not passed on');
  assert.deepEqual(codes(run(conf('  deny local_parts = ^[.] : ^.*[@%!/|]\n  deny dnslists = zen.example\n  accept hosts = +relay\n  accept domains = +cy\n'), tcp)), ['exim.conf:9 link/no-recipient-callout'], 'checks of the client and odd characters do not refuse a plain unknown user');
  assert.deepEqual(codes(run(conf('  deny domains = +cy\n       !local_parts = lsearch;/etc/cyrus-users\n  accept domains = +cy\n'), tcp)), [], 'a list of users: unknown here');
  assert.deepEqual(codes(run(conf('  deny local_parts = ^nos\n  accept domains = +cy\n'), tcp)), [], 'a regex that refuses this one');
  assert.deepEqual(codes(run(conf('  deny condition = ${if eq{$local_part}{x}}\n  accept domains = +cy\n'), tcp)), [], 'a condition on the recipient: unknown');
  // Debian's sender callout, without the callout (a forged sender passes it): only the sub-ACL decides.
  const sub = (acl: string) => `  deny !acl = exceptions\n       senders = \${if exists{/etc/exim4/s}{/etc/exim4/s}{}}\n  accept domains = +cy\nexceptions:\n${acl}`;
  assert.deepEqual(codes(run(conf(sub('  accept hosts = ${if exists{/etc/h}{/etc/h}{}}\n  accept senders = /etc/s\n')), tcp)), ['exim.conf:8 link/no-recipient-callout'], 'Debian\'s exceptions ACL looks at hosts and senders only');
  assert.deepEqual(codes(run(conf(sub('  accept recipients = /etc/r\n')), tcp)), [], 'one that looks at the recipient: unknown');
  assert.deepEqual(codes(run(conf('  deny local_parts = ^[.] : ^.*[@%!/|`#&?]\n  accept domains = +cy\n'), tcp)), ['exim.conf:7 link/no-recipient-callout'], 'Debian\'s restricted characters');
  assert.deepEqual(codes(run(conf('  accept domains = +cy\n', '  local_parts = lsearch;/etc/cyrus-users\n'), tcp)), [], 'the router knows the users');
  assert.deepEqual(codes(run(conf('  accept domains = +cy\n', '  check_local_user\n'), tcp)), []);
  assert.deepEqual(codes(run(conf('  accept domains = +other\n'), tcp)), [], 'not accepted at all');
  const sock = 'SERVICES {\n  lmtp cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';
  const u = run(conf('  accept domains = +cy\n', '', '  socket = /run/cyrus/socket/lmtp\n').replace('  driver = smtp\n  protocol = lmtp\n  allow_localhost\n  gethostbyname\n', '  driver = lmtp\n'), sock);
  assert.deepEqual(codes(u), ['exim.conf:6 link/no-recipient-callout']);
  assert.match(u[0].message, /calls out only through smtp transports/);
  assert.equal(u[0].fixes, undefined);
});

test('lmtp-no-listener: port unset means the service "lmtp", which must be in /etc/services', () => {
  const services: [string, string] = ['/etc/services', 'smtp 25/tcp mail\n'];
  const f = run(LMTP('  hosts = 127.0.0.1\n'), 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:24"\n}\n', undefined, [services]);
  assert.deepEqual(codes(f), ['exim.conf:12 link/lmtp-no-listener']);
  assert.match(f[0].message, /port "lmtp" \(Exim's default for protocol = lmtp\), a name \/etc\/services does not define/);
  assert.match(f[0].fixes![0].edits[0].newText, /^ {2}port = 24\n$/);
  const withLmtp: [string, string] = ['/etc/services', 'lmtp 24/tcp\n'];
  assert.deepEqual(codes(run(LMTP('  hosts = 127.0.0.1\n'), 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:24"\n}\n', undefined, [withLmtp])), []);
  // No /etc/services at all (the host cannot tell): the conventional 24 is assumed.
  assert.deepEqual(codes(run(LMTP('  hosts = 127.0.0.1\n'), 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:24"\n}\n')), []);
});

test('lmtp-no-listener: a manualroute router\'s hosts replace the transport\'s (unless hosts_override), and the finding sits on route_list', () => {
  // Exim 4.96 on loopback: route_list = * 127.0.0.2 with the transport's hosts = 127.0.0.1
  // defers at 127.0.0.2; with hosts_override it delivers through the transport's hosts.
  const conf = (route: string, extra = '') => `begin routers\nr:\n  driver = manualroute\n  route_list = ${route}\n  self = send\n  transport = t\nbegin transports\nt:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  port = 2003\n  allow_localhost\n${extra}`;
  assert.deepEqual(codes(run(conf('* 127.0.0.2'), CYRUS_TRUSTED)), ['exim.conf:4 link/lmtp-no-listener']);
  assert.deepEqual(codes(run(conf('* 127.0.0.1::2004'), CYRUS_TRUSTED)), ['exim.conf:4 link/lmtp-no-listener']);
  assert.deepEqual(codes(run(conf('* 127.0.0.1'), CYRUS_TRUSTED)), []);
  assert.deepEqual(codes(run(conf('* 127.0.0.2', '  hosts_override\n'), CYRUS_TRUSTED)), []);
  assert.deepEqual(codes(run(conf('* ${lookup{$domain}lsearch{/etc/x}}'), CYRUS_TRUSTED)), [], 'expanded: not known');
  // Live too: route_list = * 127.0.0.1 with self = send delivers with no allow_localhost in
  // the transport, whose own hosts = 127.0.0.1 is unused; with hosts_override it is used.
  assert.deepEqual(codes(run(conf('* 127.0.0.1').replace('  allow_localhost\n', ''), CYRUS_TRUSTED)), []);
  assert.deepEqual(codes(run(conf('* 127.0.0.2', '  hosts_override\n').replace('  allow_localhost\n', ''), CYRUS_TRUSTED)), ['exim.conf:11 link/localhost-not-allowed']);
});

test('lmtp-no-listener: a manualroute router drops this machine from its list after a host that is not, so there is no fallback to it', () => {
  // Exim 4.96 on loopback: route_list = * "127.0.0.2 : 127.0.0.1" logs "Removed from host
  // list: 127.0.0.1", defers at 127.0.0.2, and the callout answers 451.
  const conf = (route: string) => `begin routers\nr:\n  driver = manualroute\n  route_list = ${route}\n  self = send\n  transport = t\nbegin transports\nt:\n  driver = smtp\n  protocol = lmtp\n  port = 2003\n  allow_localhost\n`;
  const sev = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.severity}`);
  const f = run(conf('* "127.0.0.2 : 127.0.0.1"'), CYRUS_TRUSTED);
  assert.deepEqual(sev(f), ['link/lmtp-no-listener error']);
  assert.match(f[0].message, /names 127\.0\.0\.1, but Exim drops that host/);
  assert.deepEqual(sev(run(conf('* "127.0.0.1 : 127.0.0.2"'), CYRUS_TRUSTED)), ['link/lmtp-no-listener warning'], 'first is this machine: both stay, 127.0.0.2 is a fallback');
  assert.deepEqual(sev(run(conf('* "127.0.0.2 : 127.0.0.1"').replace('protocol = lmtp', 'protocol = smtp'), CYRUS_TRUSTED)), [], 'the SMTP transport never reaches lmtpd either');
});

test('lmtp-no-listener: the transport\'s port must resolve even when the router\'s host names its own', () => {
  const routed = (port: string) => `begin routers\nr:\n  driver = manualroute\n  route_list = * 127.0.0.1::2003\n  self = send\n  transport = t\nbegin transports\nt:\n  driver = smtp\n  protocol = lmtp\n${port}`;
  const noLmtp: [string, string][] = [['/etc/services', 'smtp 25/tcp\n']];
  const f = run(routed(''), CYRUS_TRUSTED, undefined, noLmtp);
  assert.deepEqual(codes(f), ['exim.conf:8 link/lmtp-no-listener'], 'on the transport: no port line');
  assert.match(f[0].message, /port "lmtp" \(Exim's default for protocol = lmtp\).*before it looks at the port a host names \(127\.0\.0\.1::2003\)/);
  assert.deepEqual(f[0].fixes?.map((x) => x.title), ['Set port = 2003']);
  assert.deepEqual(codes(run(routed('  port = 2003\n'), CYRUS_TRUSTED, undefined, noLmtp)), []);
  assert.deepEqual(codes(run(routed(''), CYRUS_TRUSTED, undefined, [['/etc/services', 'lmtp 24/tcp\n']])), []);
});

test('lmtp-no-listener: names we cannot resolve are compared by port only; IPv6 listeners', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="[::1]:2003"\n}\n';
  assert.deepEqual(codes(run(LMTP('  hosts = localhost\n  port = 2003\n'), cy)), [], 'localhost is ::1 too');
  assert.deepEqual(codes(run(LMTP('  hosts = 127.0.0.1\n  port = 2003\n'), cy)), ['exim.conf:12 link/lmtp-no-listener']);
  assert.deepEqual(codes(run(LMTP('  hosts = cyrus.internal\n  port = 2003\n'), cy)), []);
  assert.deepEqual(codes(run(LMTP('  hosts = cyrus.internal\n  port = 2004\n'), cy)), ['exim.conf:13 link/lmtp-no-listener'], 'on the port line');
  assert.deepEqual(codes(run(LMTP('  hosts = ${lookup{x}lsearch{/f}}\n  port = 2004\n'), cy)), [], 'expanded hosts are not guessed at');
});

test('localhost-not-allowed: the primary host name and 127.0.0.1 are local, 127.0.0.2 is not an interface', () => {
  const t = (hosts: string) => `primary_hostname = mx.example.net\nbegin routers\nr:\n  driver = accept\n  transport = t\nbegin transports\nt:\n  driver = smtp\n  hosts = ${hosts}\n`;
  assert.deepEqual(codes(run(t('mx.example.net'), '')), ['exim.conf:9 link/localhost-not-allowed']);
  assert.deepEqual(codes(run(t('127.0.0.1'), '')), ['exim.conf:9 link/localhost-not-allowed']);
  assert.deepEqual(codes(run(t('127.0.0.2'), '')), []);
  assert.deepEqual(codes(run(t('localhost'), '')), ['exim.conf:9 link/localhost-dns', 'exim.conf:9 link/localhost-not-allowed']);
});

test('localhost-not-allowed on a manualroute router: only when the first host of a static list is local and self is unset', () => {
  const r = (route: string) => `primary_hostname = mx.example.net\nbegin routers\nr:\n  driver = manualroute\n  ${route}\n  transport = t\nbegin transports\nt:\n  driver = smtp\n  port = 2003\n`;
  for (const route of ['route_list = * 127.0.0.1', 'route_list = * localhost byname', 'route_list = * 127.0.0.1::2003', 'route_data = 0.0.0.0',
    'route_list = other.example 192.0.2.1 ; * mx.example.net', 'route_list = * 127.0.0.1 : 192.0.2.1']) {
    assert.deepEqual(codes(run(r(route), '')), ['exim.conf:5 link/localhost-not-allowed'], route);
  }
  // Exim drops a local host that is not first; 127.0.0.2 is no interface; self says what to do.
  for (const route of ['route_list = * 192.0.2.1 : 127.0.0.1', 'route_list = * 127.0.0.2', 'route_list = * ${lookup{x}lsearch{/f}}',
    'route_list = * 127.0.0.1\n  self = send', 'route_list = * 127.0.0.1\n  self = pass']) {
    assert.deepEqual(codes(run(r(route), '')), [], route);
  }
});

test('only transports some router uses are checked', () => {
  const exim = `begin routers\nr:\n  driver = accept\n  transport = used\nbegin transports\nused:\n  driver = appendfile\n  file = /dev/null\nunused:\n  driver = smtp\n  hosts = 127.0.0.1\n`;
  assert.deepEqual(codes(run(exim, CYRUS)), []);
});

test('router-shadowed: an earlier redirect with a lookup may decline, so it is not flagged', () => {
  const exim = `domainlist cy = a.org
begin routers
aliases:
  driver = redirect
  data = \${lookup{$local_part}lsearch{/etc/aliases}}
dns:
  driver = dnslookup
  domains = ! +cy
  transport = t
cyrus:
  driver = accept
  domains = +cy
  transport = l
begin transports
t:
  driver = smtp
l:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  port = 2003
  allow_localhost
`;
  assert.deepEqual(codes(run(exim, CYRUS_TRUSTED)), []);
  const shadowing = exim.replace('  domains = ! +cy\n', '  domains = ! localhost\n');
  const f = run(shadowing, CYRUS_TRUSTED);
  assert.deepEqual(codes(f), ['exim.conf:10 link/router-shadowed']);
  assert.equal(f[0].related![0].range.start.line, 7, 'related points at the shadowing domains option');
});

test('router-shadowed: with no_more, a router whose preconditions hold stops the address whatever its driver does', () => {
  const exim = (opts: string) => `primary_hostname = mx.example.net
begin routers
aliases:
  driver = redirect
  data = \${lookup{$local_part}lsearch{/etc/aliases}}
${opts}${CYRUS_ROUTER_TO_LMTP}`;
  const f = run(exim('  no_more\n'), CYRUS_TRUSTED);
  assert.deepEqual(codes(f), ['exim.conf:7 link/router-shadowed']);
  assert.match(f[0].message, /what it does not take fails there, as it has no_more/);
  // A precondition that may fail skips the router, and no_more with it; so does unseen.
  assert.deepEqual(codes(run(exim('  no_more\n  local_parts = postmaster\n'), CYRUS_TRUSTED)), []);
  assert.deepEqual(codes(run(exim('  no_more\n  unseen\n'), CYRUS_TRUSTED)), []);
  assert.deepEqual(codes(run(exim(''), CYRUS_TRUSTED)), []);
});

test('router-shadowed: without primary_hostname, @ may be the Cyrus domain: a warning that says so; an error when the name is known', () => {
  const exim = (main: string) => `${main}domainlist local_domains = @ : localhost
begin routers
nonlocal:
  driver = redirect
  domains = ! +local_domains
  allow_fail
  data = :fail: Mailing to remote domains not supported
  no_more
${CYRUS_ROUTER_TO_LMTP}`;
  const unknown = run(exim(''), CYRUS_TRUSTED);
  assert.deepEqual(unknown.map((f) => [f.code, f.severity]), [['link/router-shadowed', 'warning']]);
  assert.match(unknown[0].message, /takes mail for a\.org \(its domains list matches it\), unless a\.org is this machine's own name \(primary_hostname is not set/);
  const known = run(exim('primary_hostname = mx.example.net\n'), CYRUS_TRUSTED);
  assert.deepEqual(known.map((f) => [f.code, f.severity]), [['link/router-shadowed', 'error']]);
  assert.doesNotMatch(known[0].message, /unless/);
  assert.deepEqual(codes(run(exim('primary_hostname = a.org\n'), CYRUS_TRUSTED)), [], 'the Cyrus domain is the host name: local, so nonlocal lets it pass');
});

test('ipv6-colon-list runs with Exim alone; correct forms are not flagged', () => {
  const f = run('hostlist a = 127.0.0.1 : ::1\nhostlist b = <; ::1\nhostlist c = ::::1\n');
  assert.deepEqual(codes(f), ['exim.conf:1 link/ipv6-colon-list']);
});

test('bad input never throws', () => {
  const junk = ['', '\u0000\u0001', 'begin routers\n:\n  transport\n', 'begin transports\nt:\n  driver = smtp\n  protocol = lmtp\n  hosts = [::1\n  port = 99999999\n',
    'begin transports\nt:\n  driver = lmtp\n  socket\n', 'acl_smtp_rcpt = a\nbegin acl\na:\n  deny !verify = recipient/callout\n       domains = +x : ! : !\n',
    'begin routers\nr:\n  driver = accept\n  domains = <\n  transport = t\nbegin transports\nt:\n  driver = pipe\n  command = deliver $local_part\n'];
  for (const j of junk) {
    assert.doesNotThrow(() => run(j, 'SERVICES {\n  x cmd="lmtpd" listen=""\n  y cmd="lmtpd" listen="[::1"\n}\n', 'virtdomains: maybe\nlmtpsocket:\n'));
    assert.ok(run(j, '{{{', ':::').every((f) => !/Internal error/.test(f.message)), `no internal error on ${JSON.stringify(j)}`);
  }
});

test('callout-needs-tcp looks at the router the callout\'s verification reaches, not the one delivery reaches', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';
  // exim -bv routes alice@a.org with the verify_only router, exim -bt with the no_verify one.
  const conf = (verifyVia: string, deliverVia: string) => `acl_smtp_rcpt = r\nbegin acl\nr:\n  deny domains = a.org\n       !verify = recipient/callout\n  accept\nbegin routers\ncheck:\n  driver = accept\n  domains = a.org\n  verify_only\n  transport = ${verifyVia}\ndeliver:\n  driver = accept\n  domains = a.org\n  no_verify\n  transport = ${deliverVia}\nbegin transports\ntcp:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  port = 2003\n  allow_localhost\nsock:\n  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n`;
  assert.deepEqual(codes(run(conf('tcp', 'sock'), cy)), []);
  assert.deepEqual(codes(run(conf('sock', 'tcp'), cy)), ['exim.conf:5 link/callout-needs-tcp']);
});

test('cyrus-router-no-verify: only when a refusing recipient verification reaches the domain and no later router verifies it to Cyrus', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const conf = (acl: string, router: string, later = '') => `acl_smtp_rcpt = r\nbegin acl\nr:\n${acl}  accept\nbegin routers\ncyrus:\n  driver = accept\n  domains = a.org\n${router}  transport = t\n${later}begin transports\nt:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  port = 2003\n  allow_localhost\n`;
  const sev = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.severity}`);
  const callout = '  deny domains = a.org\n       !verify = recipient/callout\n';
  assert.deepEqual(sev(run(conf(callout, '  no_verify\n'), cy)), ['link/cyrus-router-no-verify warning']);
  assert.deepEqual(sev(run(conf('  require verify = recipient\n', '  verify_recipient = false\n'), cy)), ['link/cyrus-router-no-verify warning'], 'verification without a callout refuses them too');
  assert.deepEqual(sev(run(conf('  deny local_parts = alice\n       !verify = recipient\n', '  no_verify\n'), cy)), ['link/cyrus-router-no-verify information'], 'for some recipients only');
  assert.deepEqual(sev(run(conf('  warn verify = recipient\n', '  no_verify\n'), cy)), [], 'a failed verification refuses nobody');
  assert.deepEqual(sev(run(conf('  accept domains = a.org\n  require verify = recipient\n', '  no_verify\n'), cy)), [], 'accepted before it is verified');
  assert.deepEqual(sev(run(conf(callout, '  no_verify\n  verify_recipient = true\n'), cy)), [], 'the later setting wins');
  // The answer the message names is the statement's: defer answers 451 (exim4 -bh: "451 Unrouteable address").
  assert.match(run(conf(callout, '  no_verify\n'), cy)[0].message, /is refused \("550 Unknown user"\)/);
  assert.match(run(conf('  defer domains = a.org\n        !verify = recipient\n', '  no_verify\n'), cy)[0].message, /is deferred with a 451 /);
  assert.match(run(conf(callout + '  defer domains = a.org\n        !verify = recipient\n', '  no_verify\n'), cy)[0].message, /is refused with a 550 or deferred with a 451,/);
  assert.deepEqual(sev(run(conf(callout, '  verify_recipient = ${if eq{1}{1}{no}{yes}}\n'), cy)), [], 'expanded: decided at run time');
  const smarthost = 'smart:\n  driver = manualroute\n  route_list = * mx.example.net\n  transport = remote\n';
  const f = run(conf(callout, '  no_verify\n', smarthost).replace('begin transports\n', 'begin transports\nremote:\n  driver = smtp\n'), cy);
  assert.deepEqual(sev(f), ['link/cyrus-router-no-verify warning']);
  assert.match(f[0].message, /router smart verifies it instead, not Cyrus/);
  assert.deepEqual(sev(run(conf(callout, '  no_verify\n', 'check:\n  driver = accept\n  domains = a.org\n  verify_only\n  transport = t\n'), cy)), [], 'a verify_only router to the Cyrus transport');
});

test('cyrus-router-unseen: only when a refusing recipient verification reaches the unseen Cyrus router and no later router verifies the copy', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const local = 'localuser:\n  driver = accept\n  check_local_user\n  transport = mbox\n';
  const conf = (acl: string, router: string, later = local) => `acl_smtp_rcpt = r\nbegin acl\nr:\n${acl}  accept\nbegin routers\ncyrus:\n  driver = accept\n  domains = a.org\n${router}  transport = t\n${later}begin transports\nmbox:\n  driver = appendfile\n  file = /var/mail/$local_part\nt:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  port = 2003\n  allow_localhost\n`;
  const sev = (fs: Finding[]) => fs.map((f) => `${f.code} ${f.severity}`);
  const callout = '  deny domains = a.org\n       !verify = recipient/callout\n';
  const f = run(conf(callout, '  unseen\n'), cy);
  assert.deepEqual(sev(f), ['link/cyrus-router-unseen warning']);
  assert.match(f[0].message, /with unseen, .*refused \("550 Unknown user"\).*its copy bounces/);
  assert.deepEqual(sev(run(conf('  require verify = recipient\n', '  unseen = yes\n'), cy)), ['link/cyrus-router-unseen warning'], 'verification without a callout goes on too');
  assert.deepEqual(sev(run(conf(callout, '  unseen\n', 'later:\n  driver = accept\n  domains = a.org\n  no_verify\n  transport = t\n'), cy)), ['link/cyrus-router-unseen warning'], 'a later router that verification skips');
  assert.deepEqual(sev(run(conf(callout, '  unseen = ${if eq{$local_part}{alice}}\n'), cy)), ['link/cyrus-router-unseen information'], 'expanded: for some recipients');
  assert.deepEqual(sev(run(conf('  deny local_parts = alice\n       !verify = recipient\n', '  unseen\n'), cy)), ['link/cyrus-router-unseen information'], 'for some recipients only');
  assert.deepEqual(sev(run(conf(callout, '  unseen\n', ''), cy)), [], 'the last router makes no copy');
  assert.deepEqual(sev(run(conf(callout, '  unseen = false\n'), cy)), []);
  // Where no RCPT refusal follows from it, each delivery still makes a copy no later router takes.
  const copyOnly = (acl: string, router = '  unseen\n', later?: string) => {
    const fs = run(conf(acl, router, later), cy);
    assert.deepEqual(sev(fs).filter((x) => x.startsWith('link/cyrus-router-unseen')), ['link/cyrus-router-unseen warning'], acl);
    const m = fs.find((x) => x.code === 'link/cyrus-router-unseen')!.message;
    assert.match(m, /its copy bounces to the sender/);
    assert.doesNotMatch(m, /refused/);
  };
  copyOnly(callout.replace('recipient/callout', 'recipient/success_on_redirect/callout'));
  copyOnly('  warn verify = recipient\n');
  copyOnly('  accept domains = a.org\n  require verify = recipient\n');
  copyOnly('', '  unseen\n', local);
  copyOnly(callout, '  unseen\n', 'check:\n  driver = accept\n  domains = a.org\n  verify_only\n  transport = t\n');
  // A later router that may take some addresses (a local user's) takes their copies: the message says so.
  const copyMessage = (later: string) => run(conf('', '  unseen\n', later), cy).find((x) => x.code === 'link/cyrus-router-unseen')!.message;
  assert.match(copyMessage(local), /bounces to the sender as "Unknown user" \(unless a later router takes that address/);
  assert.doesNotMatch(copyMessage('other:\n  driver = accept\n  domains = b.org\n  transport = mbox\n'), /unless/);
  assert.deepEqual(sev(run(conf(callout, '  unseen\n  no_verify\n'), cy)), ['link/cyrus-router-unseen warning', 'link/cyrus-router-no-verify warning'], 'verification skips the router (no_verify), and each delivery\'s copy bounces (unseen)');
  assert.deepEqual(sev(run(conf('', '  unseen\n', 'copies:\n  driver = accept\n  domains = a.org\n  transport = mbox\n'), cy)), [], 'a later router takes the copy');
  assert.deepEqual(sev(run(conf(callout, '  unseen\n', 'again:\n  driver = accept\n  domains = a.org\n  transport = t\n'), cy)), [], 'a later Cyrus router verifies and delivers the copy');
  const early = 'acl_smtp_rcpt = r\nbegin acl\nr:\n' + callout + '  accept\nbegin routers\nfirst:\n  driver = accept\n  condition = ${if eq{$local_part}{x}}\n  transport = t\n' + conf('', '  unseen\n').split('begin routers\n')[1];
  assert.deepEqual(sev(run(early, cy)), [], 'an earlier router may take the recipient: not certain to reach it');
});

test('domain-mismatch: verified but accepted from no outside host; only when no statement may accept the domain before the refusal', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const conf = (acl: string, head = '') => `${head}acl_smtp_rcpt = r\nbegin acl\nr:\n  deny domains = a.org\n       !verify = recipient/callout\n${acl}begin routers\ncyrus:\n  driver = accept\n  domains = a.org\n  transport = t\nbegin transports\nt:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  port = 2003\n  allow_localhost\n`;
  const only = (fs: Finding[]) => fs.map((f) => f.code);
  const relay = '  require message = relay not permitted\n          domains = b.org\n  accept\n';
  assert.deepEqual(only(run(conf('  accept hosts = 127.0.0.1\n  accept authenticated = *\n' + relay), cy)), ['link/domain-mismatch']);
  assert.deepEqual(only(run(conf('  accept hosts = :\n'), cy)), ['link/domain-mismatch'], 'the end of the ACL denies');
  assert.deepEqual(only(run(conf('  accept domains = a.org\n' + relay), cy)), []);
  assert.deepEqual(only(run(conf('  accept hosts = +relay\n' + relay, 'hostlist relay = 0.0.0.0/0\n'), cy)), [], 'every host may relay');
  assert.deepEqual(only(run(conf('  accept local_parts = alice\n' + relay), cy)), [], 'may accept: depends on the local part');
  assert.deepEqual(only(run(conf('  accept acl = sub\n' + relay).replace('begin routers', 'sub:\n  accept\nbegin routers'), cy)), [], 'a sub-ACL may accept');
  assert.deepEqual(only(run(conf('  deny local_parts = ^[.]\n  require verify = sender\n' + relay), cy)), ['link/domain-mismatch'], 'an uncertain deny refuses either way');
});

test('domain-mismatch: the Cyrus domains accepted from no outside host, with no recipient check before the refusal', () => {
  const cy = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003"\n}\n';
  const conf = (head: string, acl: string) => `${head}domainlist local_domains = @ : localhost\nacl_smtp_rcpt = r\nbegin acl\nr:\n${acl}  require message = relay not permitted\n          domains = +local_domains\n  require verify = recipient\n  accept\nbegin routers\ncyrus:\n  driver = accept\n  domains = a.org\n  transport = t\nbegin transports\nt:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  port = 2003\n  allow_localhost\n`;
  const named = run(conf('primary_hostname = mx.example.net\n', ''), cy);
  assert.deepEqual(named.map((f) => f.code), ['link/domain-mismatch']);
  assert.match(named[0].message, /^Router cyrus sends a\.org to Cyrus, but the RCPT ACL accepts it from no other host: the require statement here refuses it \("relay not permitted"\)\. Mail from outside for it never reaches Cyrus\./);
  const unnamed = run(conf('', ''), cy);
  assert.match(unnamed.find((f) => f.code === 'link/domain-mismatch')?.message ?? '', /accepts it from no other host \(unless a\.org is this machine's own name: primary_hostname is not set/, 'the machine\'s name (@) is not known here');
  const mismatch = (fs: Finding[]) => fs.filter((f) => f.code === 'link/domain-mismatch');
  assert.deepEqual(mismatch(run(conf('primary_hostname = a.org\n', ''), cy)), [], 'a.org is the machine\'s name: local');
  assert.deepEqual(mismatch(run(conf('primary_hostname = mx.example.net\n', '  accept hosts = 0.0.0.0/0\n'), cy)), [], 'every host may send');
  assert.deepEqual(mismatch(run(conf('primary_hostname = mx.example.net\n', '  accept condition = ${if eq{$domain}{a.org}}\n'), cy)), [], 'may accept: decided at run time');
});

/**
 * A Cyrus router (its own lines `router`, then routers `more` after it) and its LMTP
 * transport to CYRUS_TRUSTED (its own lines `transport`); `head`: main options before them.
 */
const affixConf = (router: string, transport = '', more = '', head = '') => `primary_hostname = mx.example.net
${head}begin routers
cyrus:
  driver = accept
${router}  transport = t
${more}begin transports
t:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  port = 2003
  allow_localhost
${transport}`;

test('plus-address-dropped: a +detail suffix stripped by the Cyrus router and not put back in the RCPT', () => {
  const sock = 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';
  const plus = '  local_part_suffix = +*\n  local_part_suffix_optional\n';
  const f = run(affixConf(plus), CYRUS_TRUSTED);
  assert.deepEqual(codes(f), ['exim.conf:5 link/plus-address-dropped']);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /mail for user\+folder@domain reaches Cyrus as user@domain, so it lands in the INBOX/);
  assert.equal(f[0].fixes?.[0].edits[0].newText, '  rcpt_include_affixes\n');
  assert.deepEqual(codes(run(affixConf(plus, '  rcpt_include_affixes\n'), CYRUS_TRUSTED)), [], 'the transport passes the suffix on');
  assert.deepEqual(codes(run(affixConf(plus, '  rcpt_include_affixes = false\n'), CYRUS_TRUSTED)), ['exim.conf:5 link/plus-address-dropped'], 'set false');
  assert.deepEqual(codes(run(affixConf('  local_part_suffix = -*\n'), CYRUS_TRUSTED)), [], 'only + is a Cyrus detail: a -suffix must be stripped');
  assert.deepEqual(codes(run(affixConf('  local_part_suffix = <; +* ; .x\n'), CYRUS_TRUSTED)), ['exim.conf:5 link/plus-address-dropped'], 'a list with its own separator');
  assert.deepEqual(codes(run(affixConf('  local_part_suffix = ${if eq{$domain}{a.org}{+*}{-*}}\n'), CYRUS_TRUSTED)), [], 'known only at run time');
  const prefixed = run(affixConf('  local_part_prefix = owner-\n' + plus), CYRUS_TRUSTED);
  assert.deepEqual(codes(prefixed), ['exim.conf:6 link/plus-address-dropped']);
  assert.equal(prefixed[0].fixes, undefined, 'rcpt_include_affixes would pass the prefix on too');
  assert.match(prefixed[0].message, /would pass its prefix owner- on too, which lmtpd reads as part of the user name/);
  const shared = run(affixConf(plus, '', 'other:\n  driver = accept\n  local_part_suffix = -*\n  transport = t\n'), CYRUS_TRUSTED);
  assert.deepEqual(codes(shared), ['exim.conf:5 link/plus-address-dropped']);
  assert.equal(shared[0].fixes, undefined, 'the transport also serves a router whose -suffix must stay stripped');
  assert.match(shared[0].message, /also serves router other, whose suffix -\* lmtpd would read as part of the user name/);
  const unix = `primary_hostname = mx.example.net\nbegin routers\ncyrus:\n  driver = accept\n${plus}  transport = t\nbegin transports\nt:\n  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n`;
  assert.deepEqual(codes(run(unix, sock)), ['exim.conf:5 link/plus-address-dropped'], 'the lmtp transport over the socket too');
  const pipe = `primary_hostname = mx.example.net\nbegin routers\ncyrus:\n  driver = accept\n${plus}  transport = t\nbegin transports\nt:\n  driver = pipe\n  command = /usr/lib/cyrus/bin/deliver -a $local_part -- $local_part\n`;
  assert.deepEqual(codes(run(pipe, sock).filter((x) => x.code === 'link/plus-address-dropped')), [], 'a deliver pipe sends no RCPT');
});

test('cyrus-router-affix-required: every router to Cyrus requires a prefix or suffix, and no later router takes the plain addresses', () => {
  const conf = (cyrus: string, more = '') => affixConf(`  domains = +cy\n${cyrus}`, '  rcpt_include_affixes\n', more, 'domainlist cy = a.org\n');
  const f = run(conf('  local_part_suffix = +*\n'), CYRUS_TRUSTED);
  assert.deepEqual(codes(f), ['exim.conf:7 link/cyrus-router-affix-required']);
  assert.equal(f[0].severity, 'warning');
  assert.doesNotMatch(f[0].message, /unless a later router/, 'no later router at all');
  assert.equal(f[0].fixes?.[0].edits[0].newText, '  local_part_suffix_optional\n');
  assert.deepEqual(codes(run(conf('  local_part_suffix = +*\n  local_part_suffix_optional\n'), CYRUS_TRUSTED)), [], 'optional');
  assert.deepEqual(codes(run(conf('  local_part_suffix = +*\n  local_part_suffix_optional = false\n'), CYRUS_TRUSTED)), ['exim.conf:7 link/cyrus-router-affix-required'], 'set false');
  const prefixed = run(conf('  local_part_prefix = owner-\n'), CYRUS_TRUSTED);
  assert.deepEqual(codes(prefixed), ['exim.conf:7 link/cyrus-router-affix-required']);
  assert.match(prefixed[0].message, /local part prefix \(local_part_prefix = owner-/);
  assert.deepEqual(codes(run(conf('  local_part_suffix = +*\n', 'plain:\n  driver = accept\n  domains = +cy\n  transport = t\n'), CYRUS_TRUSTED)), [], 'another router takes plain addresses to Cyrus');
  assert.deepEqual(codes(run(conf('  local_part_suffix = +*\n', 'rest:\n  driver = redirect\n  domains = +cy\n  data = :fail: gone\n  allow_fail\n'), CYRUS_TRUSTED)), [], 'a later router takes the domain: meant');
  assert.match(run(conf('  local_part_suffix = +*\n', 'aliases:\n  driver = redirect\n  data = ${lookup{$local_part}lsearch{/etc/aliases}}\n'), CYRUS_TRUSTED)[0]?.message ?? '', /unless a later router takes that address, as it may for an alias/);
  assert.deepEqual(codes(run(conf('  local_part_suffix = ${if eq{1}{1}{+*}}\n'), CYRUS_TRUSTED)), [], 'known only at run time');
});

test('no-retry-rule: which written retry rules cover lmtpd\'s 452 (by the address) and a refused connection (by the host, then the domain)', () => {
  const conf = (retry: string | undefined, transport = '  hosts = 127.0.0.1\n  port = 2003\n  allow_localhost\n', router = '  domains = a.org\n') =>
    `primary_hostname = mx.example.net\nbegin routers\ncyrus:\n  driver = accept\n${router}  transport = t\nbegin transports\nt:\n${transport.startsWith('  driver') ? '' : '  driver = smtp\n  protocol = lmtp\n'}${transport}${retry === undefined ? '' : `begin retry\n${retry}`}`;
  const find = (retry: string | undefined, transport?: string, router?: string, cyrus = CYRUS_TRUSTED) =>
    linkFindings(DIR, conf(retry, transport, router), cyrus, undefined, {}, { asWritten: true }).filter((f) => f.code === 'link/no-retry-rule');
  const gap = (retry: string | undefined, transport?: string, router?: string, cyrus?: string) => {
    const f = find(retry, transport, router, cyrus);
    assert.ok(f.length <= 1);
    if (!f.length) return 'retried';
    return [/452 \(a mailbox over quota\)/.test(f[0].message) && 'quota', /not there to connect to/.test(f[0].message) && 'down', /deliver exits/.test(f[0].message) && 'deliver'].filter(Boolean).join('+');
  };
  const none = find(undefined);
  assert.equal(none[0].severity, 'warning');
  assert.match(none[0].message, /^There is no retry section, so Exim retries nothing there: when lmtpd answers RCPT with 452 \(a mailbox over quota\), or when lmtpd is not there to connect to \(master restarting\), it takes the temporary error as permanent and bounces the message at once/);
  assert.deepEqual([none[0].range.start.line, none[0].related?.[0].message], [2, 'router cyrus delivers to Cyrus through transport t'], 'on the Cyrus router when there is no section');
  const empty = find('\n');
  assert.match(empty[0].message, /^The retry section has no rules,/);
  assert.equal(empty[0].range.start.line, 13, 'on begin retry');
  assert.deepEqual([empty[0].fixes?.[0].preferred, empty[0].fixes?.[0].edits[0].newText], [true, '\n*   *   F,2h,15m; G,16h,1h,1.5; F,4d,6h\n']);

  assert.equal(gap('* * F,2h,15m\n'), 'retried');
  assert.equal(gap('a.org * F,2h,15m\n'), 'retried');
  assert.equal(gap('*.org * F,2h,15m\n'), 'retried');
  assert.equal(gap('*@a.org * F,2h,15m\n'), 'retried');
  assert.equal(gap('b.org * F,2h,15m\n'), 'quota+down');
  assert.equal(gap('alice@a.org * F,2h,15m\n'), 'quota+down', 'one user\'s rule leaves the others');
  // The 452 is matched by the address; the refused connection by the host first.
  assert.equal(gap('127.0.0.1 * F,2h,15m\n'), 'quota');
  assert.equal(gap('* quota F,2h,15m\n'), 'quota+down', 'quota is appendfile\'s');
  assert.equal(gap('* rcpt_4xx F,2h,15m\n'), 'down');
  assert.equal(gap('* rcpt_45x F,2h,15m\n* refused F,2h,15m\n'), 'retried');
  assert.equal(gap('* rcpt_451 F,2h,15m\n* refused_A F,2h,15m\n'), 'quota');
  assert.equal(gap('* rcpt_4xx F,2h,15m\n* refused_MX F,2h,15m\n'), 'down');
  assert.equal(gap('* timeout F,2h,15m\n* lost_connection F,2h,15m\n'), 'quota+down');
  assert.match(find('* * senders=: F,2h,15m\n')[0].message, /^Only retry rules limited to some senders \(senders =\) apply to mail for Cyrus \(a\.org\),/);
  assert.equal(gap('* * senders=* F,2h,15m\n'), 'retried');
  // What we cannot tell, and a deliberate "no retries", are left alone.
  assert.equal(gap('^.*@a\\.org$ * F,2h,15m\n'), 'retried', 'a regex');
  assert.equal(gap('"${if eq{1}{1}{*}{x}}" * F,2h,15m\n'), 'retried', 'an expansion');
  assert.equal(gap('lsearch;/etc/exim4/retry * F,2h,15m\n'), 'retried', 'a lookup');
  assert.equal(gap('a.org *\n* * F,2h,15m\n'), 'retried', 'a rule without times: no retries, as written');
  assert.equal(gap('b.org * F,2h,15m\n', undefined, ''), 'retried', 'a router without domains: b.org may be its');
  assert.match(find(undefined, undefined, '')[0].message, /no retry section/);
  assert.equal(gap('* * F,2h,15m\n', undefined, ''), 'retried');
  // Over a socket or through deliver the failure to reach lmtpd has no error type of its own.
  const sock = 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n';
  const unix = '  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n';
  assert.equal(gap('* rcpt_4xx F,2h,15m\n* refused F,2h,15m\n', unix, undefined, sock), 'down');
  assert.equal(gap('a.org * F,2h,15m\n', unix, undefined, sock), 'retried');
  const pipe = '  driver = pipe\n  command = /usr/lib/cyrus/bin/deliver -a $local_part -- $local_part\n';
  assert.equal(gap('* rcpt_4xx F,2h,15m\n', pipe, undefined, sock), 'deliver');
  assert.equal(gap('* * F,2h,15m\n', pipe, undefined, sock), 'retried');
});

test('hosts = 127.0.0.1:2003 (one colon): the finding says "2003" is a second host, not the port, and says it once', () => {
  const exim = (port: string) => `primary_hostname = a.example\ndomainlist cyrus_domains = example.com\nbegin routers\ncyrus_vdom:\n  driver = accept\n  domains = +cyrus_domains\n  transport = t\n  no_more\nbegin transports\nt:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1:2003\n${port}  allow_localhost\n`;
  const cyrus = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003" prefork=0\n}\n';
  // Exim's default port "lmtp", which this /etc/services lacks: said once for the transport, not per host.
  const named = run(exim(''), cyrus, undefined, [['/etc/services', 'smtp\t\t25/tcp\tmail\n']]).filter((f) => f.code === 'link/lmtp-no-listener');
  assert.equal(named.length, 1);
  assert.match(named[0].message, /"2003" in hosts is a second host, not a port: ":" separates hosts, so a host's own port is written 127\.0\.0\.1::2003; or set port = 2003\./);
  const numbered = run(exim('  port = 24\n'), cyrus).filter((f) => f.code === 'link/lmtp-no-listener');
  assert.deepEqual(numbered.map((f) => /"2003" in hosts is a second host/.test(f.message)), [false, true]);
});
