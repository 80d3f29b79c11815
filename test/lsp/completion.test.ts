// Completion, hover and quick fixes by context, through the core features (no server).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigWorkspace, codeActions, completion, definition, hover, references, rename } from '../../server/src/core/features';
import { ROOT, positionOf } from './client';

const TEXT = fs.readFileSync(path.join(ROOT, 'examples/reference/exim.conf'), 'utf8');

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function open(text: string, name = 'exim.conf'): { ws: ConfigWorkspace; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-cmp-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  ws.open(file, text, 'exim');
  return { ws, file };
}

const labels = (ws: ConfigWorkspace, file: string, p: { line: number; character: number }) => completion(ws, file, p).map((c) => c.label);

test('ACL names after acl_smtp_* = and after acl =', () => {
  const { ws, file } = open(TEXT);
  const p = positionOf(TEXT, 'acl_smtp_rcpt = acl_check_rcpt', 'acl_smtp_rcpt = '.length);
  assert.deepEqual(labels(ws, file, p).sort(), ['acl_check_data', 'acl_check_rcpt']);
  const t2 = TEXT.replace('acl_check_data:\n  accept', 'acl_check_data:\n  accept acl = ');
  const o2 = open(t2);
  assert.deepEqual(labels(o2.ws, o2.file, positionOf(t2, 'accept acl = ', 'accept acl = '.length)).sort(), ['acl_check_data', 'acl_check_rcpt']);
});

test('ACL verbs on a new statement, conditions and modifiers after a verb', () => {
  const t = TEXT.replace('acl_check_data:\n  accept', 'acl_check_data:\n  deny \n  accept');
  const { ws, file } = open(t);
  const after = labels(ws, file, positionOf(t, '  deny \n', '  deny '.length));
  for (const want of ['domains', 'hosts', 'verify', 'message', 'control', 'acl']) assert.ok(after.includes(want), want);
  assert.ok(!after.includes('deny'), 'a verb right after a verb');
  const fresh = labels(ws, file, { line: positionOf(t, '  deny \n').line, character: 2 });
  assert.ok(fresh.includes('accept') && fresh.includes('warn'));
  // At column 0 a new ACL's name is as likely as a verb (Exim takes both there): a verb
  // being typed is offered, an empty start offers none.
  const t0 = TEXT.replace('acl_check_data:\n  accept', 'acl_check_data:\nacc\n\n  accept');
  const o0 = open(t0);
  assert.deepEqual(labels(o0.ws, o0.file, positionOf(t0, '\nacc\n', 4)), ['accept']);
  assert.deepEqual(labels(o0.ws, o0.file, positionOf(t0, '\nacc\n\n', 5)), []);
});

test('expansion items and operators after ${, variables after $, conditions after ${if', () => {
  const t = TEXT.replace('  file = /var/mail/$local_part_data', '  file = /var/mail/${lookup $loc ${if ');
  const { ws, file } = open(t);
  const line = positionOf(t, '  file = /var/mail/').line;
  const lineText = t.split('\n')[line];
  const items = labels(ws, file, { line, character: lineText.indexOf('${lookup') + 2 });
  assert.ok(items.includes('lookup') && items.includes('lc') && items.includes('if'), 'items and operators');
  const vars = labels(ws, file, { line, character: lineText.indexOf('$loc') + 4 });
  assert.ok(vars.includes('local_part') && vars.includes('domain'));
  assert.ok(!vars.includes('lookup'), 'items are not variables');
  const conds = labels(ws, file, { line, character: lineText.length });
  assert.ok(conds.includes('eq') && conds.includes('exists') && conds.includes('match'));
  // A condition's name half written, after `!`, inside and/or and forall: the conditions again,
  // replacing what is written.
  for (const tail of ['${if mat', '${if ! mat', '${if and{{eq{a}{b}}{mat', '${if forall{a:b}{mat', '${if eq{$x}{y}{${if mat']) {
    const u = TEXT.replace('  file = /var/mail/$local_part_data', `  file = /var/mail/${tail}`);
    const o = open(u);
    const at = positionOf(u, tail, tail.length);
    const got = completion(o.ws, o.file, at);
    const match = got.find((c) => c.label === 'match');
    assert.ok(match, tail);
    assert.deepEqual(match.replace?.start, { line: at.line, character: at.character - 3 }, tail);
    assert.match(match.detail ?? '', /match \{string\}\{regex\}/);
    assert.ok(!got.some((c) => c.label === 'lookup'), `${tail}: no items where a condition goes`);
  }
});

test('driver names for the section, values for enumerated options, no_ forms for booleans', () => {
  const t = TEXT.replace('remote_smtp:\n  driver = smtp', 'remote_smtp:\n  driver = smtp\n  protocol = \n  no_');
  const { ws, file } = open(t);
  const drv = labels(ws, file, positionOf(t, 'remote_smtp:\n  driver = ', 'remote_smtp:\n  driver = '.length));
  assert.deepEqual(drv.filter((d) => ['smtp', 'lmtp', 'appendfile', 'pipe', 'accept', 'plaintext'].includes(d)).sort(), ['appendfile', 'lmtp', 'pipe', 'smtp']);
  const protocols = labels(ws, file, positionOf(t, '  protocol = \n', '  protocol = '.length));
  for (const v of ['lmtp', 'smtp', 'smtps']) assert.ok(protocols.includes(v), v);
  assert.ok(!protocols.includes('true'), 'an enumerated option is not offered booleans');
  const no = labels(ws, file, positionOf(t, '  no_\n', 4));
  assert.ok(no.includes('no_allow_localhost'));
  assert.ok(!no.includes('no_port'), 'no_ only for booleans');
});

test('hover on a +list, a macro-free transport reference and an expansion variable', () => {
  const { ws, file } = open(TEXT);
  const h = hover(ws, file, positionOf(TEXT, 'domains = +cyrus_domains\n  transport', 'domains = +'.length + 2));
  assert.match(h!.markdown, /domainlist cyrus_domains = example\.com : example\.org/);
  const t = hover(ws, file, positionOf(TEXT, 'transport = cyrus_ltcp', 'transport = '.length + 2));
  assert.match(t!.markdown, /driver `smtp`/);
  assert.match(t!.markdown, /protocol = lmtp/);
  const v = hover(ws, file, positionOf(TEXT, '$local_part', 3));
  assert.match(v!.markdown, /expansion variable/);
});

test('quick fixes of findings are offered as code actions where the finding is', () => {
  const t = TEXT.replace('  allow_localhost\n', '  allow_localhots\n');
  const { ws, file } = open(t);
  const at = positionOf(t, 'allow_localhots', 3);
  const actions = codeActions(ws, file, { start: at, end: at });
  assert.ok(actions.length >= 1, 'a fix for the misspelt option');
  assert.equal(actions[0].finding.code, 'exim/unknown-option');
  assert.ok(actions.some((a) => a.fix.edits.some((e) => e.newText.includes('allow_localhost'))));
  assert.deepEqual(codeActions(ws, file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), []);
});

test('macros: definition, references, hover and rename from a use', () => {
  const t = 'MY_SOCK = /run/cyrus/socket/lmtp\nbegin transports\nt:\n  driver = lmtp\n  socket = MY_SOCK\n';
  const { ws, file } = open(t);
  const use = positionOf(t, 'socket = MY_SOCK', 'socket = '.length + 1);
  assert.deepEqual(definition(ws, file, use).map((d) => d.range.start.line), [0]);
  assert.deepEqual(references(ws, file, { line: 0, character: 2 }, true).map((r) => r.range.start.line), [0, 4]);
  assert.match(hover(ws, file, use)!.markdown, /MY_SOCK = \/run\/cyrus\/socket\/lmtp/);
  const r = rename(ws, file, use, 'CYRUS_SOCK');
  assert.ok('edits' in r && r.edits.length === 2 && r.edits.every((e) => e.newText === 'CYRUS_SOCK'));
  const bad = rename(ws, file, use, 'lower_case');
  assert.ok('error' in bad && /macro name/.test(bad.error));
});

test('a macro is not renamed to a name that contains, or is contained in, another macro\'s', () => {
  // Exim: '"MY_OTHER" cannot be defined as a macro because previously defined macro "OTHER" is a substring'.
  const t = 'OTHER = 1\nMY_SOCK = /run/cyrus/socket/lmtp\nbegin transports\nt:\n  driver = lmtp\n  socket = MY_SOCK\n';
  const { ws, file } = open(t);
  const use = positionOf(t, 'socket = MY_SOCK', 'socket = '.length + 1);
  for (const [name, why] of [['MY_OTHER', /contains the name of the macro "OTHER"/], ['OTH', /"OTHER" contains "OTH"/], ['M'.repeat(64), /at most 63/]] as const) {
    const r = rename(ws, file, use, name);
    assert.ok('error' in r && why.test(r.error), `${name}: ${JSON.stringify(r)}`);
  }
  assert.ok('edits' in rename(ws, file, use, 'CYRUS_SOCK'));
});

test('router names after pass_router = (later routers only) and redirect_router =', () => {
  const t = TEXT.replace('system_aliases:\n  driver = redirect', 'system_aliases:\n  driver = redirect\n  pass_router = \n  redirect_router = ');
  const { ws, file } = open(t);
  const pass = labels(ws, file, positionOf(t, '  pass_router = \n', '  pass_router = '.length));
  assert.deepEqual(pass, ['localuser']);
  const redirect = labels(ws, file, positionOf(t, '  redirect_router = ', '  redirect_router = '.length));
  assert.deepEqual(redirect.sort(), ['cyrus_vdom', 'dnslookup', 'localuser']);
});

test('+names: host lists where a host list is matched, none where + is not a list reference', () => {
  const t = TEXT
    .replace('  port = 2003', '  port = 2003\n  hosts_avoid_tls = +\n  hosts = +')
    .replace('  file = /var/mail/$local_part_data', '  file = /var/mail/$local_part_data\n  local_parts = ${if match_domain{$domain}{+');
  const { ws, file } = open(t);
  const kinds = new Map(TEXT.split('\n').flatMap((l) => { const m = /^(domainlist|hostlist|addresslist|localpartlist)\s+(\w+)/.exec(l); return m ? [[m[2], m[1]] as const] : []; }));
  const hostlists = [...kinds].filter(([, k]) => k === 'hostlist').map(([n]) => n).sort();
  const domainlists = [...kinds].filter(([, k]) => k === 'domainlist').map(([n]) => n).sort();
  assert.ok(hostlists.length && domainlists.length, 'the example defines host and domain lists');
  assert.deepEqual(labels(ws, file, positionOf(t, '  hosts_avoid_tls = +', '  hosts_avoid_tls = +'.length)).sort(), hostlists);
  // smtp's `hosts` is a list of hosts to connect to, not a host list: `+name` is not looked up there.
  assert.deepEqual(labels(ws, file, positionOf(t, '  hosts = +', '  hosts = +'.length)), []);
  const line = positionOf(t, 'match_domain{$domain}{+');
  assert.deepEqual(labels(ws, file, { line: line.line, character: t.split('\n')[line.line].length }).sort(), domainlists);
});

test('a list that starts <+ takes + as its separator: its first item is no reference to a named list', () => {
  const t = TEXT.replace('begin routers\n', 'begin routers\n\nviaplus:\n  driver = manualroute\n  route_list = * <+192.0.2.1+192.0.2.2 byname\n  transport = remote_smtp\n');
  const { ws, file } = open(t);
  assert.deepEqual(references(ws, file, positionOf(t, '<+192.0.2.1', 3)), []);
  // A real reference right after a separator still is one.
  assert.ok(references(ws, file, positionOf(t, 'domains = +cyrus_domains', 'domains = +'.length)).length >= 2);
});

test('a line that starts with macros expanding to nothing: completion reads what follows, as Exim does', () => {
  const t = TEXT.replace('primary_hostname = mail.example.com\n', 'primary_hostname = mail.example.com\nFAKE =\nSOME = x\n')
    .replace('  transport = cyrus_ltcp\n', '  transport = cyrus_ltcp\nFAKE FAKE no_mor\nFAKE transport = \nSOME no_mor\n');
  const { ws, file } = open(t);
  const at = (s: string) => positionOf(t, s, s.length);
  assert.ok(labels(ws, file, at('FAKE FAKE no_mor')).includes('no_more'), 'an option name after two empty macros');
  assert.ok(labels(ws, file, at('FAKE transport = ')).includes('cyrus_ltcp'), 'transport names in its value');
  assert.deepEqual(labels(ws, file, at('SOME no_mor')), [], 'SOME expands to x: no option name is being typed');
  // A whole instance written behind such a macro (Exim's test 9901: `COM r1:`).
  const t2 = t.replace('begin transports\n', 'begin transports\n\nFAKE spare:\nFAKE   driver = pipe\nFAKE   comman\n');
  const o2 = open(t2);
  assert.ok(labels(o2.ws, o2.file, positionOf(t2, 'FAKE   comman', 'FAKE   comman'.length)).includes('command'), 'a pipe transport option, its header and driver behind the macro');
});

test('hover says how an option is really read: sqlite_lock_timeout takes seconds, not a time; no_more clears an expandable boolean', () => {
  const t = 'sqlite_lock_timeout = 5\nbegin routers\nr:\n  driver = accept\n  no_more\n';
  const { ws, file } = open(t);
  const text = (p: { line: number; character: number }) => hover(ws, file, p)?.markdown ?? '';
  assert.match(text({ line: 0, character: 3 }), /whole number of seconds: write `5`, not `5s`/);
  assert.match(text({ line: 4, character: 5 }), /`no_more` to clear it, or `more = \$\{…\}`/);
});

test('a Cyrus transport\'s port, hosts and socket offer where the paired cyrus.conf\'s lmtpd listens', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-cmp-'));
  dirs.push(dir);
  const cyrus = 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:2003" prefork=0\n  lmtpall cmd="lmtpd" listen="2004"\n  lmtp6 cmd="lmtpd -a" listen="[::1]:2005"\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n  imap cmd="imapd" listen="imap"\n}\n';
  const t = TEXT.replace('  port = 2003\n', '  port = \n  hosts_require_auth = \n')
    .replace('begin transports\n', 'begin transports\n\ncyrus_lunix:\n  driver = lmtp\n  socket = \n');
  fs.writeFileSync(path.join(dir, 'cyrus.conf'), cyrus);
  const file = path.join(dir, 'exim.conf');
  fs.writeFileSync(file, t);
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  ws.open(file, t, 'exim');
  const items = (needle: string) => completion(ws, file, positionOf(t, needle, needle.length));
  const ports = items('  port = ');
  assert.deepEqual(ports.map((c) => c.label), ['2003', '2004', '2005']);
  assert.match(ports[1].detail ?? '', /service lmtpall \(without -a: it demands AUTH\)/);
  const hostsAt = positionOf(t, '  hosts = localhost', '  hosts = '.length);
  assert.deepEqual(completion(ws, file, hostsAt).map((c) => c.label), ['127.0.0.1'], 'a wildcard listen is reached on 127.0.0.1; IPv6 left out of a colon list');
  assert.deepEqual(items('  socket = ').map((c) => c.label), ['/run/cyrus/socket/lmtp']);
  assert.ok(!items('  hosts_require_auth = ').some((c) => c.label === '127.0.0.1'), 'only where the transport says where it delivers');
});

test('link hints follow an lmtp transport to lmtpd\'s UNIX socket, and stay away from a transport nothing listens for', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-hints-'));
  dirs.push(dir);
  const { inlayHints } = await import('../../server/src/core/features');
  fs.writeFileSync(path.join(dir, 'cyrus.conf'), 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp" prefork=0\n}\n');
  const text = 'primary_hostname = mx.example.net\nbegin routers\ncyrus:\n  driver = accept\n  domains = a.org\n  transport = sock\nother:\n  driver = accept\n  transport = elsewhere\nbegin transports\nsock:\n  driver = lmtp\n  socket = /var/run/cyrus/socket/lmtp\nelsewhere:\n  driver = lmtp\n  socket = /tmp/nothing\n';
  const file = path.join(dir, 'exim.conf');
  fs.writeFileSync(file, text);
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  ws.open(file, text, 'exim');
  const lines = text.split('\n');
  // /var/run is /run: the link rules' own reading, so the socket matches.
  assert.deepEqual(inlayHints(ws, file).map((h) => `${lines[h.position.line].trim()} ${h.label}`), [
    'transport = sock → Cyrus lmtpd at /run/cyrus/socket/lmtp (service lmtpunix)',
    'sock: → Cyrus lmtpd at /run/cyrus/socket/lmtp (service lmtpunix)',
  ]);
  const cy = path.join(dir, 'cyrus.conf');
  ws.open(cy, fs.readFileSync(cy, 'utf8'), 'cyrus-conf');
  assert.deepEqual(inlayHints(ws, cy).map((h) => h.label), ['← Exim transport sock (router cyrus)']);
});
