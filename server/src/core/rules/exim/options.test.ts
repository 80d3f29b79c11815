import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { diskHost, overlayHost } from '../../host';

test('a second setting points at the first, among few settings and among many', () => {
  const file = path.join(__dirname, 'fixtures', 'options-duplicate-many.exim');
  const dups = checkProject([{ path: file, kind: 'exim' }], defaultOptions).filter((f) => f.code === 'exim/duplicate-name');
  // 1-based lines: the setting, then where it was first set.
  assert.deepEqual(dups.map((f) => [f.range.start.line + 1, f.related?.map((r) => r.range.start.line + 1)]), [[12, [3]], [43, [2]], [44, [41]]]);
});

test('smtp_receive_timeout is a time unless it starts with "$" (read by a function of its own)', () => {
  const file = '/virtual/receive-timeout/exim.conf';
  const errors = (value: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions,
    overlayHost(new Map([[file, `smtp_receive_timeout = ${value}\n`]]), diskHost))
    .filter((f) => f.severity === 'error').map((f) => f.code);
  // As exim4 -bV: "invalid time value for smtp_receive_timeout" for each of these.
  for (const v of ['1d2', '5', '"5m"', '"$x"', '1${if true{s}}']) assert.deepEqual(errors(v), ['exim/invalid-value'], v);
  for (const v of ['5m', '1w1w', '${if true{5m}{1m}}', '$acl_c0']) assert.deepEqual(errors(v), [], v);
});

test('quotes come off a value only where the target Exim reads it as a string', () => {
  const file = '/virtual/quoted/exim.conf';
  const errors = (version: 'latest' | '4.96') => checkProject([{ path: file, kind: 'exim' }], { ...defaultOptions, eximVersion: version },
    overlayHost(new Map([[file, 'recipients_max = "5"\n']]), diskHost))
    .filter((f) => f.severity === 'error').map((f) => f.code);
  // Exim 4.96 reads recipients_max as an integer: "integer expected for recipients_max".
  assert.deepEqual(errors('4.96'), ['exim/invalid-value']);
  // Later Exims expand it, and a quoted string is a string.
  assert.deepEqual(errors('latest'), []);
});

test('an option, ACL name or variable 4.96 had only for EXPERIMENTAL_* builds is not in the 4.96 target (Debian\'s 4.96 refuses them), and still in latest', () => {
  const file = '/virtual/experimental/exim.conf';
  const unknown = (text: string, eximVersion: 'latest' | '4.96') => checkProject([{ path: file, kind: 'exim' }], { ...defaultOptions, eximVersion },
    overlayHost(new Map([[file, text]]), diskHost)).filter((f) => f.code === 'exim/unknown-option');
  const limits = 'primary_hostname = x\nlimits_advertise_hosts = !*\n';
  assert.match(unknown(limits, '4.96')[0]?.message ?? '', /"limits_advertise_hosts" is not an option of Debian 12's Exim 4\.96 \(experimental in Exim 4\.96: only in builds that turn the feature on/);
  assert.deepEqual(unknown(limits, 'latest'), []);
  const arc = 'primary_hostname = x\nbegin transports\nt:\n  driver = smtp\n  arc_sign = a.example:sel:/k\n';
  assert.match(unknown(arc, '4.96')[0]?.message ?? '', /"arc_sign" is not an option of Debian 12's Exim 4\.96 \(experimental in Exim 4\.96/);
  // One that came after 4.96, experimental or not, is simply newer.
  assert.match(unknown('primary_hostname = x\nhosts_xclient = *\n', '4.96')[0]?.message ?? '', /"hosts_xclient" is not an option in Exim 4\.96 \(added after Exim 4\.96\)/);
  assert.deepEqual(unknown(arc, 'latest'), [], 'latest: a build may have it');
  // The same for ACL and expansion names: Debian's 4.96 refuses `dcc =` at load ("unknown ACL condition/modifier").
  const findings = (text: string, eximVersion: 'latest' | '4.96') => checkProject([{ path: file, kind: 'exim' }], { ...defaultOptions, eximVersion },
    overlayHost(new Map([[file, text]]), diskHost)).map((f) => `${f.code} ${f.severity}`);
  const dcc = 'acl_smtp_data = d\nbegin acl\nd:\n  deny dcc = *\n       log_message = $dcc_result\n  accept\n';
  assert.deepEqual(findings(dcc, '4.96'), ['exim/acl-syntax error', 'exim/unknown-variable warning']);
  assert.deepEqual(findings(dcc, 'latest'), []);
});

test('the 4.96 target is Debian 12\'s build: what it is built without (read from its predefined _OPT_ and _DRIVER_ macros) is refused, and openssl_options with its GnuTLS; latest stays open', () => {
  const file = '/virtual/debian-build/exim.conf';
  const findings = (text: string, eximVersion: 'latest' | '4.96') => checkProject([{ path: file, kind: 'exim' }], { ...defaultOptions, eximVersion },
    overlayHost(new Map([[file, text]]), diskHost)).filter((f) => f.severity === 'error').map((f) => `${f.range.start.line + 1} ${f.code}`);
  // Each as Debian's exim4 4.96 -bV says: main option "dmarc_tld_file" unknown; cannot find
  // authenticator driver "gsasl"; openssl_options is set but we're using GnuTLS.
  const text = 'dmarc_tld_file = /etc/exim4/tld\nopenssl_options = +no_sslv2\nldap_version = 3\nbegin authenticators\nsasl:\n  driver = gsasl\n  public_name = SCRAM-SHA-1\n  server_condition = yes\n';
  assert.deepEqual(findings(text, '4.96'), ['1 exim/unknown-option', '2 exim/invalid-value', '6 exim/unknown-driver']);
  assert.deepEqual(findings(text, 'latest'), [], 'a build with DMARC, OpenSSL and gsasl may take all of it');
  // ACL and expansion names by their feature macro: no _HAVE_DMARC there ("unknown ACL
  // condition/modifier"; exim -be: unknown variable name "dmarc_status"), but _HAVE_SPF.
  const acl = 'acl_smtp_data = d\nbegin acl\nd:\n  deny dmarc_status = reject\n  warn log_message = $dmarc_status $spf_result\n  accept\n';
  const all = (eximVersion: 'latest' | '4.96') => checkProject([{ path: file, kind: 'exim' }], { ...defaultOptions, eximVersion },
    overlayHost(new Map([[file, acl]]), diskHost)).map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code} ${f.severity}`);
  assert.deepEqual(all('4.96'), ['4:8 exim/acl-syntax error', '5:23 exim/unknown-variable warning']);
  assert.deepEqual(all('latest'), []);
  // Lookups by their family's _HAVE_LOOKUP_ macro (exim -be: unknown lookup type "redis").
  const lookups = 'system_filter = ${lookup redis{GET x}} ${lookup{x}wildlsearch{/x}}\ndomainlist d = redis;GET x : nwildlsearch;/x\nbegin routers\nr:\n  driver = accept\n  domains = +d\n  transport = t\nbegin transports\nt:\n  driver = pipe\n  command = /bin/true\n';
  const lk = (eximVersion: 'latest' | '4.96') => checkProject([{ path: file, kind: 'exim' }], { ...defaultOptions, eximVersion },
    overlayHost(new Map([[file, lookups]]), diskHost)).filter((f) => /lookup type/.test(f.message)).map((f) => `${f.range.start.line + 1} ${f.code} ${f.severity}`);
  assert.deepEqual(lk('4.96'), ['1 exim/expansion-syntax warning', '2 exim/invalid-value warning']);
  assert.deepEqual(lk('latest'), []);
});

test('a quoted number, time or boolean gets "Remove the quotes" when the value without them is right', () => {
  const file = '/virtual/unquote/exim.conf';
  const fixesOf = (line: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions,
    overlayHost(new Map([[file, `${line}\n`]]), diskHost))
    .filter((f) => f.code === 'exim/invalid-value')
    .map((f) => [f.message.includes('Exim reads quotes only around a string'), f.fixes?.map((x) => [x.title, x.edits.map((e) => `${e.range.start.character}-${e.range.end.character} ${e.newText}`)])]);
  // As exim4 -bV: "integer expected for smtp_accept_max", "invalid time value", '"" is not a valid value'.
  assert.deepEqual(fixesOf('smtp_accept_max = "5"'), [[true, [['Remove the quotes', ['18-21 5']]]]]);
  assert.deepEqual(fixesOf('auto_thaw = "1h"'), [[true, [['Remove the quotes', ['12-16 1h']]]]]);
  assert.deepEqual(fixesOf('split_spool_directory = "true"'), [[true, [['Remove the quotes', ['24-30 true']]]]]);
  // Still wrong without the quotes, or with an escape in them: no fix.
  assert.deepEqual(fixesOf('smtp_accept_max = "5x"'), [[true, undefined]]);
  assert.deepEqual(fixesOf('auto_thaw = "1\\h"'), [[true, undefined]]);
  // A word option reads quotes, and keeps the white space in them.
  assert.deepEqual(fixesOf('syslog_facility = " mail"'), [[false, undefined]]);
});

test('a misspelt option is renamed by its fix, unless the right name is set already: then Exim would refuse it as set twice (exim4 -bV: "option set for the second time")', () => {
  const file = '/virtual/options/exim.conf';
  const unknown = (text: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions, overlayHost(new Map([[file, text]]), diskHost))
    .filter((f) => f.code === 'exim/unknown-option');
  const [main] = unknown('qualify_domian = b.example\n');
  assert.equal(main.fixes?.[0].edits[0].newText, 'qualify_domain');
  const [mainTwice] = unknown('qualify_domain = a.example\nqualify_domian = b.example\n');
  assert.equal(mainTwice.fixes, undefined);
  assert.match(mainTwice.message, /Did you mean "qualify_domain"\? "qualify_domain" is set already \(line 1\), and Exim refuses an option set twice/);
  const router = (lines: string) => `begin routers\nr:\n  driver = accept\n${lines}begin transports\nt:\n  driver = appendfile\n  file = /tmp/x\n`;
  const [alone] = unknown(router('  transprot = t\n'));
  assert.equal(alone.fixes?.[0].edits[0].newText, 'transport');
  const [twice] = unknown(router('  transport = t\n  transprot = t\n'));
  assert.equal(twice.fixes, undefined);
  assert.match(twice.message, /"transport" is set already \(line 4\)/);
});
