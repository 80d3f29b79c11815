// What scripts/walk-features.mjs found the editor features doing wrong on real configs,
// each reduced to the smallest config that shows it, through the core features (no server).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigWorkspace, completion, definition, documentLinks, foldingRanges, hover, prepareRename, references, rename } from '../../server/src/core/features';
import type { FileKind } from '../../server/src/core/project';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-walk-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** `text` opened in a workspace of its own; `‸` marks the cursor. */
function at(text: string, kind: FileKind = 'exim', name = `w${n++}.conf`): { ws: ConfigWorkspace; file: string; pos: { line: number; character: number } } {
  const i = text.indexOf('‸');
  const clean = i < 0 ? text : text.slice(0, i) + text.slice(i + 1);
  const before = clean.slice(0, Math.max(0, i)).split('\n');
  const file = path.join(dir, name);
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  ws.open(file, clean, kind);
  return { ws, file, pos: { line: before.length - 1, character: before[before.length - 1].length } };
}

test('completion right before a `$`: the range it replaces holds the cursor, never ends before it starts', () => {
  const o = at('acl_smtp_rcpt = acl_${sg{‸${tr{$sender_host_address}{.}{_}}}{^(.*)_.*\\$}{\\$1}}\nbegin acl\nacl_1:\n  accept\n');
  const items = completion(o.ws, o.file, o.pos);
  assert.ok(items.length, 'the ACL names are offered');
  for (const it of items) {
    assert.ok(it.replace, it.label);
    assert.ok(it.replace.start.character <= o.pos.character && o.pos.character <= it.replace.end.character, `${it.label}: ${JSON.stringify(it.replace)}`);
  }
});

test('option names above the `driver =` line are the generic ones: Exim refuses a driver\'s own options there', () => {
  const text = 'begin routers\nr:\n  debug_print = x\n  driver = redirect\n  data = a@b\n  \n';
  const above = at(text.replace('  debug_print', '  ‸debug_print'));
  const aboveLabels = completion(above.ws, above.file, above.pos).map((c) => c.label);
  assert.ok(aboveLabels.includes('domains') && aboveLabels.includes('transport'), 'generic router options');
  assert.ok(!aboveLabels.includes('forbid_sieve_filter') && !aboveLabels.includes('no_forbid_sieve_filter'), 'a redirect option above driver =');
  const below = at(text.replace('  \n', '  ‸\n'));
  assert.ok(completion(below.ws, below.file, below.pos).some((c) => c.label === 'forbid_sieve_filter'), 'the redirect options below driver =');
});

test('no document link from a skipped branch to a file that is not there: its path is a macro name left unexpanded', () => {
  fs.writeFileSync(path.join(dir, 'acl.inc'), 'accept\n');
  const o = at('begin acl\nrcpt:\n.ifdef CHECK_RCPT_LOCAL_ACL_FILE\n.include CHECK_RCPT_LOCAL_ACL_FILE\n.include acl.inc\n.endif\n.include acl.inc\n');
  assert.deepEqual(documentLinks(o.ws, o.file).map((l) => [l.range.start.line, l.target]), [[4, path.join(dir, 'acl.inc')], [6, path.join(dir, 'acl.inc')]]);
  assert.deepEqual(definition(o.ws, o.file, { line: 3, character: 12 }), []);
});

test('a `+` in a value that is not a list names no list: references and rename leave a GnuTLS priority string alone', () => {
  const o = at('domainlist secure = example.com\ntls_require_ciphers = NORMAL:+secure\nbegin routers\nr:\n  driver = accept\n  domains = +secure\n  transport = t\nbegin transports\nt:\n  driver = appendfile\n  file = /tmp/x\n');
  const lines = (ls: { range: { start: { line: number } } }[]) => ls.map((l) => l.range.start.line);
  assert.deepEqual(lines(references(o.ws, o.file, { line: 0, character: 12 }, true)), [0, 5]);
  assert.deepEqual(references(o.ws, o.file, { line: 1, character: 31 }, true), []);
  const r = rename(o.ws, o.file, { line: 0, character: 12 }, 'safe');
  assert.ok('edits' in r);
  assert.deepEqual(lines(r.edits).sort(), [0, 5]);
  const acl = at('domainlist secure = example.com\nacl_smtp_rcpt = a\nbegin acl\na:\n  deny domains = +secure\n    message = +secure\n');
  assert.deepEqual(lines(references(acl.ws, acl.file, { line: 0, character: 12 }, true)), [0, 4]);
});

test('a domain list named in a manualroute router\'s route_list is a reference there: a rename changes it too', () => {
  const o = at('domainlist cyrus_domains = example.com\nbegin routers\nr:\n  driver = manualroute\n  route_list = +cyrus_domains 127.0.0.1\n  transport = t\nbegin transports\nt:\n  driver = smtp\n');
  const r = rename(o.ws, o.file, { line: 0, character: 12 }, 'imap_domains');
  assert.ok('edits' in r);
  assert.deepEqual(r.edits.map((e) => [e.range.start.line, e.range.start.character, e.newText]).sort(), [[0, 11, 'imap_domains'], [4, 16, 'imap_domains']]);
});

test('an instance\'s fold nests with the .ifdef folds around and after it (an editor drops folds that cross)', () => {
  const o = at('begin routers\na:\n  driver = accept\n  transport = t\n.ifdef X\nb:\n  driver = accept\n  transport = t\n.endif\n.ifdef Y\nc:\n  driver = accept\n.else\nc:\n  driver = redirect\n  data = x@y\n.endif\n');
  const folds = foldingRanges(o.ws, o.file).map((f) => [f.startLine, f.endLine]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  assert.deepEqual(folds, [[0, 16], [1, 3], [4, 8], [5, 7], [9, 16], [10, 11], [13, 15]]);
});

test('rename refuses a name that a macro from outside the file gives, and Debian\'s placeholder macro', () => {
  const text = 'UPEX4CmacrosUPEX4C = 1\nDELIVERY = t\nbegin routers\nr:\n  driver = accept\n  transport = DELIVERY\nbegin transports\nt:\n  driver = appendfile\n  file = /tmp/x\n';
  const o = at(text);
  const t = { line: 7, character: 0 };
  // Named by the file's own macro: the rename edits its value.
  const r = rename(o.ws, o.file, t, 'local');
  assert.ok('edits' in r && r.edits.some((e) => e.range.start.line === 1), JSON.stringify(r));
  // The same macro given with -D (eximCyrus.defines) wins over the file's: a rename cannot reach it.
  o.ws.setSettings(dir, { options: { eximVersion: 'latest', cyrusVersion: 'latest', defines: { DELIVERY: 't' } } });
  const refused = rename(o.ws, o.file, t, 'local');
  assert.ok('error' in refused && /DELIVERY/.test(refused.error), JSON.stringify(refused));
  assert.ok('error' in (prepareRename(o.ws, o.file, t) ?? {}));
  const placeholder = prepareRename(o.ws, o.file, { line: 0, character: 3 });
  assert.ok(placeholder && 'error' in placeholder && /update-exim4\.conf/.test(placeholder.error), JSON.stringify(placeholder));
  assert.ok('error' in rename(o.ws, o.file, { line: 0, character: 3 }, 'OTHER'));
});

test('a transport or ACL name that is a result of ${if …} is a reference: renamed with the definition', () => {
  const o = at('acl_smtp_rcpt = ${if eq{$interface_port}{587}{sub}{mx}}\nbegin acl\nsub:\n  accept\nmx:\n  accept\nbegin routers\nr:\n  driver = accept\n  transport = ${if eq{$local_part}{t1}{t1}{${if eq{$local_part}{x}{t2}{t1}}}}\nbegin transports\nt1:\n  driver = appendfile\n  file = /tmp/x\nt2:\n  driver = appendfile\n  file = /tmp/y\n');
  const at9 = (ls: { range: { start: { line: number; character: number } } }[]) => ls.map((l) => `${l.range.start.line}:${l.range.start.character}`);
  // `{t1}` compared with $local_part is a string, not the transport.
  assert.deepEqual(at9(references(o.ws, o.file, { line: 11, character: 0 }, true)).sort(), ['11:0', '9:39', '9:71']);
  const r = rename(o.ws, o.file, { line: 4, character: 0 }, 'submission');
  assert.ok('edits' in r);
  assert.deepEqual(at9(r.edits).sort(), ['0:51', '4:0']);
});

test('names written in a branch Exim skips are references: a rename keeps them right for when the branch is taken', () => {
  const o = at('domainlist local_domains = example.com\nbegin routers\n.ifdef SMARTHOST\nsmart:\n  driver = manualroute\n  domains = ! +local_domains\n  transport = remote_smarthost\n  route_list = * mail.example\n.endif\nlocal:\n  driver = accept\n  domains = +local_domains\n  transport = t\nbegin transports\nremote_smarthost:\n  driver = smtp\nt:\n  driver = appendfile\n  file = /tmp/x\n');
  const lines = (ls: { range: { start: { line: number } } }[]) => ls.map((l) => l.range.start.line).sort((a, b) => a - b);
  assert.deepEqual(lines(references(o.ws, o.file, { line: 14, character: 0 }, true)), [6, 14]);
  assert.deepEqual(lines(references(o.ws, o.file, { line: 0, character: 12 }, true)), [0, 5, 11]);
  const r = rename(o.ws, o.file, { line: 14, character: 0 }, 'smarthost_smtp');
  assert.ok('edits' in r);
  assert.deepEqual(r.edits.map((e) => [e.range.start.line, e.range.start.character]).sort(), [[14, 0], [6, 14]].sort());
});

test('hover on an option name written after a macro that stands for nothing', () => {
  const o = at('FAKE=\nbegin routers\nr:\n  driver = manualroute\n  route_list = * x.example\nFAKE host_find_failed = ignore\n  transport = t\nbegin transports\nt:\n  driver = smtp\n');
  const h = hover(o.ws, o.file, { line: 5, character: 6 });
  assert.ok(h && /host_find_failed/.test(h.markdown), JSON.stringify(h));
});

test('ACL conditions are offered after `! ` as after `!`: Exim takes blanks between them', () => {
  for (const line of ['  deny ! ver‸', '  deny domains = x\n    ! ver‸']) {
    const o = at(`acl_smtp_rcpt = a\nbegin acl\na:\n${line}\n  accept\n`);
    assert.ok(completion(o.ws, o.file, o.pos).some((c) => c.label === 'verify'), line);
  }
});

const labelsAt = (text: string) => { const o = at(text); return completion(o.ws, o.file, o.pos).map((c) => c.label); };

test('a router named for an ACL verb (`accept:`) is an instance header outside the ACL section', () => {
  const accept = labelsAt('begin routers\naccept:\n  driver = accept\n  transport = t\n  ‸\nbegin transports\nt:\n  driver = appendfile\n  file = /tmp/x\n');
  assert.ok(accept.includes('local_parts') && accept.includes('transport'), 'router options in a router named accept');
});

test('a continued value\'s line is never an instance header, however it looks (`127.0.0.1 : …`, `X-B: $x`)', () => {
  const continued = labelsAt('begin transports\nsmtp:\n  driver = smtp\n  hosts = 127.0.0.1 : \\\n          127.0.0.1 : 127.0.0.1\n  headers_add = X-A: 1\\n\\\n    X-B: $local_part\n  ‸\n');
  assert.ok(continued.includes('hosts_try_fastopen') && continued.includes('port'), 'smtp options after a continued value');
});

test('`begin ACL` in capitals and `begin acls` start the ACL section, `begin transport` the transports, as Exim reads them', () => {
  for (const begin of ['begin ACL', 'begin acls']) {
    const acl = labelsAt(`acl_smtp_rcpt = a1\n${begin}\na1:\n  accept domains = x\n  ‸\n`);
    assert.ok(acl.includes('deny') && acl.includes('accept'), `ACL verbs under ${begin}`);
  }
  assert.ok(labelsAt('begin transport\nt:\n  driver = smtp\n  ‸\n').includes('hosts_try_fastopen'), 'smtp options under begin transport');
  const o = at('acl_smtp_rcpt = a1\nbegin AcL\na1:\n  accept ‸hosts = 1.2.3.4\n');
  const h = hover(o.ws, o.file, o.pos);
  assert.ok(h && /ACL condition/.test(h.markdown), JSON.stringify(h));
});

test('`local@+name` in an address list and `*@+name` in a rewrite pattern refer to a domain list: references and rename include them', () => {
  const o = at('domainlist mine = example.com\naddresslist staff = boss@+mine : x@y.org\nbegin routers\nr:\n  driver = accept\n  domains = +mine\n  transport = t\nbegin transports\nt:\n  driver = appendfile\n  file = /tmp/x\nbegin rewrite\n*@+mine  $local_part@example.net  Ffr\n');
  const where = (ls: { range: { start: { line: number; character: number } } }[]) => ls.map((l) => `${l.range.start.line}:${l.range.start.character}`).sort();
  assert.deepEqual(where(references(o.ws, o.file, { line: 0, character: 12 }, true)), ['0:11', '12:3', '1:26', '5:13']);
  const r = rename(o.ws, o.file, { line: 0, character: 12 }, 'ours');
  assert.ok('edits' in r);
  assert.deepEqual(where(r.edits), ['0:11', '12:3', '1:26', '5:13']);
});
