// The imapd.conf model: libconfig's line rules, key kinds, @include and the facts the
// link checks read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceHost } from '../../server/src/core/host';
import { defaultOptions } from '../../server/src/core/options';
import { checkImapdConf as checkAll, imapdFacts, loadCyrusConf, loadImapdConf, type ImapdConf } from '../../server/src/core/cyrus';
import { imapdOption, imapdOptionAnyVersion } from '../../server/src/core/catalog/cyrus';

function memHost(files: Record<string, string>): SourceHost {
  return { readFile: (f) => files[f], readDir: () => undefined, isDirectory: () => false };
}
/**
 * The texts here are fragments about one rule each: that they lack what every imapd.conf
 * has (configdirectory, a partition) is imapd/missing-option's, tested on its own.
 */
const check = (...a: Parameters<typeof checkAll>) => checkAll(...a).filter((f) => f.code !== 'imapd/missing-option');
const load = (text: string, more: Record<string, string> = {}): ImapdConf =>
  loadImapdConf('/t/imapd.conf', defaultOptions, memHost({ '/t/imapd.conf': text, ...more }));
const codes = (c: ImapdConf) => check(c, defaultOptions).map((f) => `${f.range.start.line + 1} ${f.severity} ${f.code}`);

test('catalog: options by version, asked any number of times; doc-only and unknown names are none', () => {
  for (let i = 0; i < 2; i++) {
    assert.equal(imapdOption('lmtp_downcase_rcpt', 'latest')?.type, 'SWITCH');
    assert.equal(imapdOption('lmtp_downcase_rcpt', '3.6')?.default, '1');
    assert.equal(imapdOption('allowstarttls', 'latest')?.name, 'allowstarttls');
    assert.equal(imapdOption('allowstarttls', '3.6'), undefined, 'newer than 3.6');
    assert.equal(imapdOption('partition-name', 'latest'), undefined, 'documentation only');
    assert.equal(imapdOption('no_such_option', 'latest'), undefined);
    assert.equal(imapdOptionAnyVersion('allowstarttls')?.inLatest, true);
    assert.equal(imapdOptionAnyVersion('no_such_option'), undefined);
  }
  assert.equal(imapdOption('admins', 'latest'), imapdOption('admins', 'latest'), 'one object per option and version');
});

test('past 500 findings of a code in a file, one summary each, in the order the file and code were first met', () => {
  const many = (p: string, n: number, v = '1') => Array.from({ length: n }, (_, i) => `${p}${i}: ${v}`).join('\n');
  const c = load(`${many('aopt', 501)}\n@include: /t/inc.conf\n${many('lmtp_downcase_rcpt_', 0)}${Array.from({ length: 502 }, () => 'unixhierarchysep: maybe').join('\n')}\n`,
    { '/t/inc.conf': `${many('copt', 503)}\n` });
  const summaries = check(c, defaultOptions).filter((f) => f.message.endsWith('not shown.')).map((f) => `${f.file} ${f.message}`);
  assert.deepEqual(summaries, [
    '/t/imapd.conf 1 more imapd/unknown-option findings in this file are not shown.',
    '/t/inc.conf 3 more imapd/unknown-option findings in this file are not shown.',
    '/t/imapd.conf 2 more imapd/invalid-value findings in this file are not shown.',
    '/t/imapd.conf 1 more imapd/duplicate-option findings in this file are not shown.',
  ]);
});

test('backslash continues a line exactly as libconfig does', () => {
  const c = load('admins: cyrus \\\n  root\nservername: a\\\nb\nlast: x\\');
  assert.deepEqual(c.settings.map((s) => [s.key, s.value]), [['admins', 'cyrus   root'], ['servername', 'ab'], ['last', 'x\\']]);
  const a = c.settings[0];
  assert.deepEqual(a.valueLoc.range, { start: { line: 0, character: 8 }, end: { line: 1, character: 6 } });
  // CRLF: the backslash is not last before "\n", so there is no continuation
  const crlf = load('admins: a\\\r\nservername: b\r\n');
  assert.deepEqual(crlf.settings.map((s) => [s.key, s.value]), [['admins', 'a\\'], ['servername', 'b']]);
});

test('a comment ending in a backslash swallows the next line (warned)', () => {
  const c = load('# note \\\nadmins: cyrus\nservername: x\n');
  assert.deepEqual(c.settings.map((s) => s.key), ['servername']);
  assert.deepEqual(codes(c), ['1 warning imapd/syntax']);
});

test('names: lower-cased; prefixes, partitions, sasl and patterns are recognised', () => {
  const c = load([
    'Admins: cyrus', 'lmtp_admins: proxy', 'partition-default: /p', 'metapartition-default: /m', 'sasl_mech_list: PLAIN',
    'xlist-drafts: Drafts', 'frontend1_password: s', 'nonsense_option: 1', 'lmtp_downcase_rcpt: no',
  ].join('\n'));
  assert.deepEqual(c.settings.map((s) => [s.key, s.kind, s.option, s.prefix ?? '']), [
    ['admins', 'option', 'admins', ''],
    ['lmtp_admins', 'option', 'admins', 'lmtp'],
    ['partition-default', 'partition', 'partition-default', ''],
    ['metapartition-default', 'partition', 'metapartition-default', ''],
    ['sasl_mech_list', 'sasl', 'sasl_mech_list', ''],
    ['xlist-drafts', 'pattern', 'xlist-drafts', ''],
    ['frontend1_password', 'pattern', 'frontend1_password', ''],
    ['nonsense_option', 'unknown', 'nonsense_option', ''],
    ['lmtp_downcase_rcpt', 'option', 'lmtp_downcase_rcpt', ''],
  ]);
});

test('facts: defaults, configdirectory substitution, service-specific settings win', () => {
  const empty = imapdFacts(load('configdirectory: /var/lib/cyrus\n'));
  assert.equal(empty.virtdomains.value, 'off');
  assert.equal(empty.virtdomains.setting, undefined);
  assert.equal(empty.lmtpsocket.value, '/var/lib/cyrus/socket/lmtp');
  assert.equal(empty.unixhierarchysep.value, true);
  assert.equal(empty.lmtpDowncaseRcpt.value, true);
  assert.equal(empty.defaultdomain.value, undefined);
  assert.deepEqual(empty.admins.value, []);

  const c = load([
    'configdirectory: /var/lib/cyrus', 'virtdomains: yes', 'lmtpunix_virtdomains: userid', 'defaultdomain: example.com',
    'unixhierarchysep: off', 'lmtp_downcase_rcpt: false', 'lmtpsocket: {configdirectory}/sock/lmtp', 'admins: cyrus  root',
    'servername: mail.example.com',
  ].join('\n'));
  const f = imapdFacts(c);
  assert.equal(f.virtdomains.value, 'on');
  assert.equal(f.virtdomains.setting?.nameLoc.range.start.line, 1);
  assert.equal(imapdFacts(c, 'lmtpunix').virtdomains.value, 'userid');
  assert.equal(imapdFacts(c, 'lmtp').virtdomains.value, 'on');
  assert.equal(f.defaultdomain.value, 'example.com');
  assert.equal(f.unixhierarchysep.value, false);
  assert.equal(f.lmtpDowncaseRcpt.value, false);
  assert.equal(f.lmtpsocket.value, '/var/lib/cyrus/sock/lmtp');
  assert.deepEqual(f.admins.value, ['cyrus', 'root']);
  assert.equal(f.servername.value, 'mail.example.com');
});

test('@include reads the file in place; a second include of one file is an error', () => {
  const c = load('configdirectory: /c\n@include: /t/extra.conf\n@include: /t/extra.conf\n', { '/t/extra.conf': 'admins: cyrus\n' });
  assert.deepEqual(c.settings.filter((s) => s.kind !== 'include').map((s) => [s.key, s.file]), [['configdirectory', '/t/imapd.conf'], ['admins', '/t/extra.conf']]);
  assert.deepEqual(c.files.map((f) => f.path), ['/t/imapd.conf', '/t/extra.conf']);
  assert.deepEqual(codes(c), ['3 error imapd/syntax']);
  const missing = load('@include: /nope.conf\n');
  assert.deepEqual(codes(missing), ['1 error imapd/syntax']);
  // including itself is caught, not followed for ever
  assert.deepEqual(codes(load('@include: /t/imapd.conf\n')), ['1 error imapd/syntax']);
});

test('a relative @include is reported, not read: Cyrus opens it from its working directory, not the including file\'s', () => {
  const c = load('configdirectory: /c\n@include: extra.conf\n', { '/t/extra.conf': 'configdirectory: /d\n' });
  assert.deepEqual(c.files.map((f) => f.path), ['/t/imapd.conf']);
  const f = check(c, defaultOptions);
  assert.deepEqual(f.map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.severity} ${x.code}`), ['2:11 error imapd/invalid-value']);
  assert.match(f[0].message, /working directory/);
});

test('duplicates across an include are found; a service-specific form is not a duplicate', () => {
  const c = load('admins: a\nlmtp_admins: b\n@include: /t/x.conf\n', { '/t/x.conf': 'ADMINS: c\n' });
  const f = check(c, defaultOptions);
  assert.deepEqual(f.map((x) => [x.file, x.range.start.line, x.code, x.severity]), [['/t/x.conf', 0, 'imapd/duplicate-option', 'error']]);
});

test('with its cyrus.conf, a prefix that names no service is reported', () => {
  const host = memHost({
    '/t/imapd.conf': 'configdirectory: /c\nlmtp_admins: a\nlmtpx_admins: b\n',
    '/t/cyrus.conf': 'SERVICES {\n  lmtp cmd="lmtpd" listen="2003"\n}\n',
  });
  const i = loadImapdConf('/t/imapd.conf', defaultOptions, host);
  const cy = loadCyrusConf('/t/cyrus.conf', defaultOptions, host);
  assert.deepEqual(check(i, defaultOptions).map((f) => f.code), []);
  assert.deepEqual(check(i, defaultOptions, cy).map((f) => `${f.range.start.line} ${f.severity} ${f.code}`), ['2 warning imapd/unknown-option']);
});

test('a prefix names a SERVICES entry or a program: START, EVENTS and DAEMON programs read their program name\'s settings, not their entry\'s', () => {
  const host = memHost({
    '/t/imapd.conf': 'configdirectory: /c\nrecover_popminpoll: 1\ncalalarm_syslog_prefix: x\nctl_cyrusdb_popminpoll: 1\ncalalarmd_syslog_prefix: y\nlmtp_admins: a\n',
    '/t/cyrus.conf': 'START {\n  recover cmd="ctl_cyrusdb -r"\n}\nSERVICES {\n  lmtp cmd="lmtpd" listen="2003"\n}\nDAEMON {\n  calalarm cmd="calalarmd"\n}\n',
  });
  const i = loadImapdConf('/t/imapd.conf', defaultOptions, host);
  const cy = loadCyrusConf('/t/cyrus.conf', defaultOptions, host);
  assert.deepEqual(check(i, defaultOptions, cy).map((f) => `${f.range.start.line + 1} ${f.severity} ${f.code}`),
    ['2 warning imapd/unknown-option', '3 warning imapd/unknown-option']);
});

test('unknown option: did-you-mean fix renames the name only', () => {
  const c = load('configdirectory: /c\nvirtdomain: userid\n');
  const [f] = check(c, defaultOptions);
  assert.equal(f.code, 'imapd/unknown-option');
  assert.deepEqual(f.fixes?.[0].edits, [{ file: '/t/imapd.conf', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } }, newText: 'virtdomains' }]);
});

test('unknown option: a name is suggested under a service prefix only where something reads that prefix', () => {
  const text = 'configdirectory: /c\njmapauth_allowsasl: yes\nlmtp_allowsasl: yes\nimaps_allowsasl: yes\n';
  const host = memHost({ '/t/imapd.conf': text, '/t/cyrus.conf': 'SERVICES {\n  lmtp cmd="lmtpd" listen="2003"\n}\n' });
  const i = loadImapdConf('/t/imapd.conf', defaultOptions, host);
  const meant = (fs: ReturnType<typeof check>) => fs.filter((f) => f.code === 'imapd/unknown-option').map((f) => `${f.range.start.line + 1} ${/Did you mean '([^']*)'/.exec(f.message)?.[1] ?? '-'} ${f.fixes?.[0]?.edits[0].newText ?? '-'}`);
  // Seen in the wild beside a cyrus.conf without a jmapauth service: no 'jmapauth_allowsetacl'.
  assert.deepEqual(meant(check(i, defaultOptions, loadCyrusConf('/t/cyrus.conf', defaultOptions, host))),
    ['2 - -', '3 lmtp_allowsetacl lmtp_allowsetacl', '4 - -']);
  // Without a cyrus.conf, the service names Cyrus's and Debian's sample files use.
  assert.deepEqual(meant(check(i, defaultOptions)), ['2 - -', '3 lmtp_allowsetacl lmtp_allowsetacl', '4 imaps_allowsetacl imaps_allowsetacl']);
});

test('unknown option: a SASL library option without its sasl_ prefix says so and offers the prefixed name', () => {
  const c = load('configdirectory: /c\nsaslauthd_path: /run/saslauthd\nsql_select: SELECT 1\nlmtp_mech_list: PLAIN\nmech_list: PLAIN\nsasl_mech_list: LOGIN\n');
  const found = check(c, defaultOptions).filter((f) => f.code === 'imapd/unknown-option');
  assert.deepEqual(found.map((f) => `${f.range.start.line + 1} ${f.fixes?.[0]?.edits[0].newText ?? '-'}`),
    ['2 sasl_saslauthd_path', '3 sasl_sql_select', '4 lmtp_sasl_mech_list', '5 -']);
  assert.equal(found[0].message, "Unknown option 'saslauthd_path': Cyrus ignores it. SASL library options take the sasl_ prefix in imapd.conf: Cyrus hands libsasl only the settings named so. Did you mean 'sasl_saslauthd_path'?");
  // sasl_mech_list is set already: renamed, the line would set it twice.
  assert.match(found[3].message, /Did you mean 'sasl_mech_list'\? 'sasl_mech_list' is already set \(line 6\)/);
});

test('durations: the newest Cyrus refuses an overflow and a bare "-", Cyrus 3.6 takes both', () => {
  const at = (v: string, cyrusVersion: 'latest' | '3.6') =>
    check(load(`configdirectory: /c\ntimeout: ${v}\n`), { ...defaultOptions, cyrusVersion }).map((f) => `${f.severity} ${f.code}`);
  for (const v of ['9999999999', '99999999999999999999', '-', '1h99999999999m']) {
    assert.deepEqual(at(v, 'latest'), ['error imapd/invalid-value'], v);
    assert.deepEqual(at(v, '3.6'), [], v);
  }
  assert.deepEqual(at('-s', '3.6'), ['error imapd/invalid-value']);
});

test('missing-option: not said when a file that may hold the option is not read (a relative or unreadable @include, an unreadable line)', () => {
  const missing = (text: string, more: Record<string, string> = {}) => checkAll(load(text, more), defaultOptions).filter((f) => f.code === 'imapd/missing-option').map((f) => `${f.range.start.line + 1} ${f.severity}`);
  assert.deepEqual(missing('admins: cyrus\n'), ['1 error', '1 warning']);
  assert.deepEqual(missing('@include: /t/base.conf\n', { '/t/base.conf': 'configdirectory: /var/lib/cyrus\npartition-default: /srv\n' }), [], 'read from the include');
  assert.deepEqual(missing('@include: base.conf\n'), [], 'a relative include is not read');
  assert.deepEqual(missing('@include: /t/gone.conf\n'), [], 'an unreadable include');
  assert.deepEqual(missing('configdirectory : /var/lib/cyrus\npartition-default: /srv\n'), [], 'a line Cyrus cannot read');
});
