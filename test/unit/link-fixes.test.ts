// The link rules' quick fixes, applied to the fixture copies of the reference setup: each
// preferred fix must produce the expected text and leave no link finding behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject, classifyPath, type Input } from '../../server/src/core/project';
import { defaultOptions, type CheckOptions } from '../../server/src/core/options';
import type { SourceHost } from '../../server/src/core/host';
import type { Finding, TextEdit } from '../../server/src/core/diagnostic';
import { applyEdits } from '../helpers/apply-edits';
import { configOverlayHost } from '../helpers/config-host';

const FIXTURES = path.join(__dirname, '../../server/src/core/rules/link/fixtures');

function load(name: string): { files: Map<string, string>; inputs: Input[] } {
  const dir = path.join(FIXTURES, name);
  const files = new Map<string, string>();
  const inputs: Input[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    files.set(p, fs.readFileSync(p, 'utf8'));
    inputs.push({ path: p, kind: classifyPath(p)! });
  }
  return { files, inputs };
}

function check(files: Map<string, string>, inputs: Input[], opts: CheckOptions = defaultOptions): Finding[] {
  return checkProject(inputs, opts, configOverlayHost(files));
}

function apply(files: Map<string, string>, edits: TextEdit[]): Map<string, string> {
  const out = new Map(files);
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(path.resolve(e.file), [...(byFile.get(path.resolve(e.file)) ?? []), e]);
  for (const [file, list] of byFile) {
    const text = out.get(file);
    assert.ok(text !== undefined, `edit in unknown file ${file}`);
    out.set(file, applyEdits(text, list));
  }
  return out;
}

const link = (fs: Finding[]) => fs.filter((f) => f.code.startsWith('link/'));

/** Applies the preferred fix of the fixture's one link finding and returns the new texts. */
function fixOnce(name: string, code: string, opts: CheckOptions = defaultOptions) {
  const { files, inputs } = load(name);
  const found = link(check(files, inputs, opts));
  const f = found.find((x) => x.code === code);
  assert.ok(f, `${name}: expected ${code}, got ${found.map((x) => x.code).join(', ')}`);
  const fix = f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0];
  assert.ok(fix, `${name}: ${code} has a fix`);
  const after = apply(files, fix.edits);
  return { files, after, inputs, fix, finding: f, at: (n: string) => after.get(path.join(FIXTURES, name, n))! };
}

/** `besides`: codes the fixture has for another reason, which the fix leaves as they are. */
function assertClean(after: Map<string, string>, inputs: Input[], name: string, opts: CheckOptions = defaultOptions, besides: string[] = []) {
  assert.deepEqual(link(check(after, inputs, opts)).filter((f) => !besides.includes(f.code)).map((f) => `${f.code} ${f.message}`), [], `${name}: no link finding after the fix`);
}

/** Over a UNIX socket no callout asks Cyrus, so these fixtures' unknown users stay accepted. */
const NO_CALLOUT = ['link/no-recipient-callout'];

const REF = (n: string) => fs.readFileSync(path.join(FIXTURES, 'reference', n), 'utf8');

test('lmtp-auth-required: adds -a to the lmtpd cmd, giving the reference cyrus.conf line', () => {
  const r = fixOnce('broken', 'link/lmtp-auth-required');
  assert.equal(r.finding.related?.[0].message, 'transport cyrus_ltcp delivers here without authenticating');
  assert.match(r.at('cyrus.conf').split('\n')[9], /^ {2}lmtp {10}cmd="lmtpd -a" listen="127\.0\.0\.1:2003" prefork=0$/);
  assertClean(r.after, r.inputs, 'broken');
});

test('lmtp-no-listener: the port is changed to the listener\'s', () => {
  const r = fixOnce('no-listener-port', 'link/lmtp-no-listener');
  assert.equal(r.at('exim.conf'), REF('exim.conf'));
  assert.ok(r.finding.message.includes('127.0.0.1:2003 (service lmtp)'), 'the message lists the listeners');
  assert.equal(r.finding.related?.length, 2);
});

test('lmtp-no-listener: the address is changed to the listener\'s', () => {
  const r = fixOnce('no-listener-address', 'link/lmtp-no-listener');
  assert.match(r.at('exim.conf'), /\n {2}hosts = 127\.0\.0\.1\n/);
  assertClean(r.after, r.inputs, 'no-listener-address');
});

test('unix-socket-mismatch: the socket is changed to lmtpd\'s', () => {
  const r = fixOnce('unix-socket-mismatch', 'link/unix-socket-mismatch');
  assert.match(r.at('exim.conf'), /\n {2}socket = \/run\/cyrus\/socket\/lmtp\n/);
  assertClean(r.after, r.inputs, 'unix-socket-mismatch', defaultOptions, NO_CALLOUT);
});

test('localhost-not-allowed: inserts allow_localhost after hosts, indented like the transport', () => {
  const r = fixOnce('localhost-not-allowed', 'link/localhost-not-allowed');
  assert.equal(r.at('exim.conf'), REF('exim.conf'));
});

test('localhost-not-allowed on a manualroute router: inserts self = send after route_list; the transport needs nothing', () => {
  const r = fixOnce('localhost-router-self', 'link/localhost-not-allowed');
  assert.equal(r.fix.preferred, true);
  assert.match(r.at('exim.conf'), /\n {2}route_list = \* 127\.0\.0\.1\n {2}self = send\n {2}transport = cyrus_ltcp\n/);
  assertClean(r.after, r.inputs, 'localhost-router-self');
});

test('localhost-dns: inserts gethostbyname; the other fix writes 127.0.0.1', () => {
  const r = fixOnce('localhost-dns', 'link/localhost-dns');
  assert.match(r.at('exim.conf'), /\n {2}hosts = localhost\n {2}gethostbyname\n {2}allow_localhost\n/);
  assertClean(r.after, r.inputs, 'localhost-dns');
  const other = r.finding.fixes!.find((f) => !f.preferred)!;
  const alt = apply(r.files, other.edits);
  assert.match(alt.get(path.join(FIXTURES, 'localhost-dns', 'exim.conf'))!, /\n {2}hosts = 127\.0\.0\.1\n/);
  assertClean(alt, r.inputs, 'localhost-dns (127.0.0.1)');
});

test('router-shadowed: moves the Cyrus router (with its comment) before the shadowing one', () => {
  const r = fixOnce('router-shadowed', 'link/router-shadowed');
  const text = r.at('exim.conf');
  const routers = text.slice(text.indexOf('begin routers'), text.indexOf('begin transports'));
  assert.ok(routers.startsWith('begin routers\n\n# First: the Cyrus domains go to Cyrus and nowhere else.\ncyrus_vdom:\n  driver = accept\n'), routers);
  assert.ok(routers.indexOf('cyrus_vdom:') < routers.indexOf('dnslookup:'));
  assert.ok(!/\n\n\n/.test(routers), 'no double blank lines left behind');
  assert.equal(text.split('\n').length, r.files.get(path.join(FIXTURES, 'router-shadowed', 'exim.conf'))!.split('\n').length, 'no line lost or added');
  assert.equal((text.match(/cyrus_vdom:/g) ?? []).length, 1);
  assertClean(r.after, r.inputs, 'router-shadowed');
});

test('router-shadowed under .ifdef: the Cyrus router goes above the .ifdef, so it exists with or without it, its own .ifdef going along', () => {
  const INTERNET = { ...defaultOptions, defines: { INTERNET: '1' } };
  const r = fixOnce('router-shadowed-ifdef', 'link/router-shadowed', INTERNET);
  assert.equal(r.fix.title, 'Move router cyrus_vdom before dnslookup (above .ifdef INTERNET)');
  const text = r.at('exim.conf');
  const routers = text.slice(text.indexOf('begin routers'), text.indexOf('begin transports'));
  assert.equal(routers, [
    'begin routers', '',
    '# Cyrus router: keep before dnslookup!', 'cyrus_vdom:', '  driver = accept', '  domains = +cyrus_domains', '  transport = cyrus_lmtp',
    '.ifdef EXTRA', '  headers_add = X-Extra: 1', '.endif', '',
    '.ifdef INTERNET', '# Everything not local goes out by DNS.', 'dnslookup:', '  driver = dnslookup', '  domains = ! +local_domains',
    '  transport = remote_smtp', '  no_more', '.endif', '', '',
  ].join('\n'));
  assertClean(r.after, r.inputs, 'router-shadowed-ifdef', INTERNET);
  assert.deepEqual(link(check(r.after, r.inputs)), [], 'without INTERNET too');
});

/** The router-shadowed finding for an exim.conf (and conf.d files) with the fixture's cyrus.conf, and its fix applied. */
function shadowCase(exim: Record<string, string>, opts: CheckOptions = defaultOptions) {
  const dir = '/virtual/shadow';
  const files = new Map(Object.entries(exim).map(([k, v]) => [path.join(dir, k), v]));
  files.set(path.join(dir, 'cyrus.conf'), fs.readFileSync(path.join(FIXTURES, 'router-shadowed-ifdef', 'cyrus.conf'), 'utf8'));
  const root = exim['exim.conf'] !== undefined ? path.join(dir, 'exim.conf') : path.join(dir, 'conf.d');
  const inputs: Input[] = [{ path: root, kind: 'exim' }, { path: path.join(dir, 'cyrus.conf'), kind: 'cyrus-conf' }];
  // Directories are the files' parents, as conf.d needs.
  const isDirectory = (d: string) => [...files.keys()].some((f) => f.startsWith(path.resolve(d) + '/'));
  const host: SourceHost = {
    readFile: (f) => files.get(path.resolve(f)),
    isDirectory,
    readDir: (d) => isDirectory(d)
      ? [...new Set([...files.keys()].filter((f) => f.startsWith(path.resolve(d) + '/')).map((f) => f.slice(path.resolve(d).length + 1).split('/')[0]))].sort()
      : undefined,
  };
  const found = checkProject(inputs, opts, host).filter((f) => f.code === 'link/router-shadowed');
  assert.equal(found.length, 1, found.map((f) => f.message).join('\n'));
  const f = found[0];
  const fixed = f.fixes?.[0] ? apply(files, f.fixes[0].edits).get(path.join(dir, 'exim.conf')) : undefined;
  return { f, fixed };
}

const SHADOW_TAIL = 'begin transports\nremote_smtp:\n  driver = smtp\ncyrus_lmtp:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  allow_localhost\n  port = 2003\n';
const DNS = 'dnslookup:\n  driver = dnslookup\n  domains = ! +local_domains\n  transport = remote_smtp\n  no_more\n';
const CYRUS_ROUTER = 'cyrus_vdom:\n  driver = accept\n  domains = example.com\n  transport = cyrus_lmtp\n';
const HEAD = 'primary_hostname = mail.example.com\ndomainlist local_domains = @ : localhost\nbegin routers\n';

test('router-shadowed move: never out of a block of its own, into the right depth of nested blocks, never before a macro it uses', () => {
  // The Cyrus router is under .ifdef CYRUS, dnslookup is not: no place before dnslookup keeps it there.
  const own = shadowCase({ 'exim.conf': `${HEAD}${DNS}.ifdef CYRUS\n${CYRUS_ROUTER}.endif\n${SHADOW_TAIL}` }, { ...defaultOptions, defines: { CYRUS: '1' } });
  assert.equal(own.f.fixes, undefined);
  assert.match(own.f.message, /Move cyrus_vdom before dnslookup/);
  // Both under .ifdef A, dnslookup also under .ifdef B: above .ifdef B, still inside A.
  const nested = shadowCase({ 'exim.conf': `${HEAD}.ifdef A\n.ifdef B\n${DNS}.endif\n${CYRUS_ROUTER}.endif\n${SHADOW_TAIL}` }, { ...defaultOptions, defines: { A: '1', B: '1' } });
  assert.equal(nested.fixed, `${HEAD}.ifdef A\n${CYRUS_ROUTER}\n.ifdef B\n${DNS}.endif\n.endif\n${SHADOW_TAIL}`);
  // In the same block: just before dnslookup.
  const same = shadowCase({ 'exim.conf': `${HEAD}.ifdef A\n${DNS}\n${CYRUS_ROUTER}.endif\n${SHADOW_TAIL}` }, { ...defaultOptions, defines: { A: '1' } });
  assert.equal(same.fixed, `${HEAD}.ifdef A\n${CYRUS_ROUTER}\n${DNS}\n.endif\n${SHADOW_TAIL}`);
  // A file with CRLF line ends keeps them.
  const crlf = shadowCase({ 'exim.conf': `${HEAD}.ifdef A\n${DNS}\n${CYRUS_ROUTER}.endif\n${SHADOW_TAIL}`.replaceAll('\n', '\r\n') }, { ...defaultOptions, defines: { A: '1' } });
  assert.equal(crlf.fixed, same.fixed!.replaceAll('\n', '\r\n'));
  // A macro the Cyrus router uses is defined after dnslookup: moved above, it would be undefined.
  const macro = shadowCase({ 'exim.conf': `${HEAD}${DNS}CYRUS_DOMAINS = example.com\n${CYRUS_ROUTER.replace('example.com', 'CYRUS_DOMAINS')}${SHADOW_TAIL}` });
  assert.equal(macro.f.fixes, undefined);
  // So may one in a file included between them.
  const included = shadowCase({ 'exim.conf': `${HEAD}${DNS}.include /virtual/shadow/macros\n${CYRUS_ROUTER}${SHADOW_TAIL}`, macros: '# macros\n' });
  assert.equal(included.f.fixes, undefined);
});

test('router-shadowed in conf.d: no fix moving text between files; the message says which file to rename', () => {
  const c = shadowCase({
    'conf.d/main/00_main': 'primary_hostname = mail.example.com\ndomainlist local_domains = @ : localhost\n',
    'conf.d/router/00_header': 'begin routers\n',
    'conf.d/router/200_primary': DNS,
    'conf.d/router/900_cyrus': CYRUS_ROUTER,
    'conf.d/transport/00_header': SHADOW_TAIL,
  });
  assert.equal(c.f.fixes, undefined);
  assert.match(c.f.message, /cyrus_vdom is in router\/900_cyrus and dnslookup in router\/200_primary, and update-exim4\.conf joins conf\.d's router files in name order: rename 900_cyrus to a name that sorts before 200_primary \(such as 199_cyrus\)/);
});

test('domain-mismatch: adds the missing domain to the list that lacks it', () => {
  const r = fixOnce('domain-mismatch-acl', 'link/domain-mismatch');
  assert.match(r.at('exim.conf'), /deny {4}domains {7}= example\.com : example\.org\n/);
  assert.match(r.at('exim.conf'), /accept {2}domains {7}= example\.com : example\.org\n/);
  assertClean(r.after, r.inputs, 'domain-mismatch-acl');
  // The local routers after the Cyrus router may take mail for example.org (aliases, local
  // users): widening the Cyrus router would move it, so the fix is one to weigh, not --fix's.
  const r2 = fixOnce('domain-mismatch-router', 'link/domain-mismatch');
  assert.match(r2.at('exim.conf'), /\n {2}domains = example\.com : example\.org\n/);
  assert.deepEqual(r2.finding.fixes?.map((f) => [f.manual, f.preferred]), [[true, undefined]]);
  assert.match(r2.fix.title, /other routers may now take mail for example\.org/);
});

test('virtdomains: sets virtdomains: userid; a deliver pipe gets $local_part@$domain', () => {
  const r = fixOnce('virtdomains-off', 'link/virtdomains');
  assert.equal(r.at('imapd.conf'), REF('imapd.conf'));
  const d = fixOnce('virtdomains-deliver', 'link/virtdomains');
  assert.match(d.at('exim.conf'), /command = \/usr\/lib\/cyrus\/bin\/deliver -- \$local_part@\$domain\n/);
  assertClean(d.after, d.inputs, 'virtdomains-deliver', defaultOptions, NO_CALLOUT);
});

test('ipv6-colon-list: the list is rewritten with <; as separator', () => {
  const r = fixOnce('ipv6-colon-list', 'link/ipv6-colon-list');
  assert.equal(r.at('exim.conf'), REF('exim.conf'));
});

test('plus-address-dropped: adds rcpt_include_affixes to the Cyrus transport, and --fix may; none where it would pass a -suffix on as part of the user name', () => {
  const r = fixOnce('plus-address-dropped', 'link/plus-address-dropped');
  assert.equal(r.fix.manual, undefined);
  assert.match(r.at('exim.conf'), /\n {2}port = 2003\n {2}rcpt_include_affixes\n\n/);
  assert.equal(r.finding.related?.[0].message, 'transport cyrus_ltcp sends lmtpd the address without its affixes');
  assertClean(r.after, r.inputs, 'plus-address-dropped');
  const { files, inputs } = load('plus-address-dropped-minus-suffix');
  const m = link(check(files, inputs)).find((x) => x.code === 'link/plus-address-dropped');
  assert.ok(m && m.fixes === undefined, 'no fix: -* would reach lmtpd as part of the user name');
});

test('cyrus-router-affix-required: adds local_part_suffix_optional after the suffix, and --fix may', () => {
  const r = fixOnce('cyrus-router-affix-required', 'link/cyrus-router-affix-required');
  assert.equal(r.fix.manual, undefined);
  assert.match(r.at('exim.conf'), /\n {2}local_part_suffix = \+\*\n {2}local_part_suffix_optional\n {2}transport = cyrus_ltcp\n/);
  assertClean(r.after, r.inputs, 'cyrus-router-affix-required');
});

test('lmtp-no-listener with no lmtpd at all: a fix to weigh adds the reference\'s loopback service (or a socket service) to cyrus.conf, after which nothing is left', () => {
  const r = fixOnce('no-lmtpd-service', 'link/lmtp-no-listener');
  assert.equal(r.fix.manual, true, 'it changes Cyrus: never applied by --fix');
  assert.match(r.fix.title, /on 127\.0\.0\.1:2003/);
  assert.match(r.at('cyrus.conf'), /\n {2}imap {10}cmd="imapd" listen="imap" prefork=0\n {2}lmtp cmd="lmtpd -a" listen="127\.0\.0\.1:2003" prefork=0\n}\n/);
  assertClean(r.after, r.inputs, 'no-lmtpd-service');
  // The same over a socket: an lmtpd on the transport's socket.
  const exim = path.join(FIXTURES, 'no-lmtpd-service', 'exim.conf');
  const { files, inputs } = load('no-lmtpd-service');
  files.set(exim, files.get(exim)!.replace('  transport = cyrus_ltcp\n', '  transport = cyrus_lunix\n').replace('begin transports\n', 'begin transports\n\ncyrus_lunix:\n  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n  batch_max = 20\n'));
  const f = link(check(files, inputs)).find((x) => x.code === 'link/lmtp-no-listener');
  const add = f?.fixes?.find((x) => /on the socket/.test(x.title));
  assert.ok(add?.manual, f?.fixes?.map((x) => x.title).join(', '));
  const after = apply(files, add.edits);
  assert.match(after.get(path.join(FIXTURES, 'no-lmtpd-service', 'cyrus.conf'))!, /\n {2}lmtp cmd="lmtpd" listen="\/run\/cyrus\/socket\/lmtp" prefork=0\n}/);
  // Over a socket the reference's recipient callout cannot run: that is callout-needs-tcp's, apart from this fix.
  assertClean(after, inputs, 'no-lmtpd-service over a socket', defaultOptions, [...NO_CALLOUT, 'link/callout-needs-tcp']);
});

test('virtdomains unset: the fix adds the line to imapd.conf, the finding sits on the router', () => {
  const { files, inputs } = load('virtdomains-off');
  const imapd = path.join(FIXTURES, 'virtdomains-off', 'imapd.conf');
  files.set(imapd, files.get(imapd)!.replace('virtdomains: off\n', ''));
  const f = link(check(files, inputs)).find((x) => x.code === 'link/virtdomains')!;
  assert.ok(f.file.endsWith('exim.conf'));
  assert.equal(f.range.start.line, 65);
  const after = apply(files, f.fixes![0].edits);
  assert.ok(after.get(imapd)!.endsWith('allowplaintext: no\nvirtdomains: userid\n'));
  assertClean(after, inputs, 'virtdomains unset');
});

test('exim/undefined-list: a fix defines the missing list before the first begin line, of the kind its use needs', () => {
  const exim = path.join(FIXTURES, 'reference', 'exim.conf');
  const text = REF('exim.conf').replace('  accept  hosts         = +relay_from_hosts\n', '  accept  hosts         = +trusted_relays\n');
  const files = new Map([[exim, text]]);
  const inputs: Input[] = [{ path: exim, kind: 'exim' }];
  const f = check(files, inputs).find((x) => x.code === 'exim/undefined-list')!;
  assert.ok(f, 'the undefined list is reported');
  const define = f.fixes!.find((x) => x.title === 'Define hostlist trusted_relays')!;
  assert.ok(define, f.fixes!.map((x) => x.title).join(', '));
  const after = apply(files, define.edits).get(exim)!;
  assert.ok(after.includes('timeout_frozen_after = 7d\n\nhostlist trusted_relays =\n\nbegin acl\n'), after.slice(0, 800));
  assert.equal(check(new Map([[exim, after]]), inputs).filter((x) => x.code === 'exim/undefined-list').length, 0);
});

test('no-retry-rule: with no retry section, the preferred fix appends one with Exim\'s default rule; with rules of other kinds, a fix to weigh (never --fix) adds it after them', () => {
  const none = fixOnce('no-retry-rule', 'link/no-retry-rule');
  assert.ok(none.fix.preferred, '--fix may add a retry section where there is none');
  assert.ok(none.at('exim.conf').endsWith('\n\nbegin retry\n\n*   *   F,2h,15m; G,16h,1h,1.5; F,4d,6h\n'), none.at('exim.conf').slice(-200));
  assertClean(none.after, none.inputs, 'no-retry-rule');
  const other = fixOnce('no-retry-rule-other-domains', 'link/no-retry-rule');
  assert.equal(other.fix.manual, true, 'the rule would also retry mail the written rules leave out: --fix leaves it');
  assert.match(other.at('exim.conf'), /\nexample\.org {12}\* {11}F,1h,10m\n\* {3}\* {3}F,2h,15m; G,16h,1h,1\.5; F,4d,6h\n\nbegin rewrite\n/);
  assertClean(other.after, other.inputs, 'no-retry-rule-other-domains');
});
