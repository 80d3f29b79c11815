// The editor-agnostic analysis behind the server: pairing, caching, and features that
// cross `.include` files and Debian conf.d pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigWorkspace, definition, documentLinks, references, rename, completion, hover } from '../../server/src/core/features';
import { analyseSetup } from '../../server/src/core/project';
import { ROOT, positionOf, scratch } from './client';

const { tree } = scratch('exim-cyrus-ws-');

const MAIN = `primary_hostname = x.example
domainlist cyrus_domains = example.com
begin routers
cyrus:
  driver = accept
  domains = +cyrus_domains
  transport = cyrus_lmtp
begin transports
.include transports.inc
`;
const INC = `cyrus_lmtp:
  driver = lmtp
  socket = /run/cyrus/socket/lmtp
`;

test('an unchanged include file is not re-read when the main file changes', () => {
  const dir = tree({ 'exim.conf': MAIN, 'transports.inc': INC });
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  const main = path.join(dir, 'exim.conf');
  ws.open(main, MAIN, 'exim');
  ws.analyseFile(main);
  const reads = ws.host.diskReads;
  assert.ok(reads >= 1, 'the include was read from disk once');
  ws.update(main, MAIN + '# edited\n');
  const a = ws.analyseFile(main);
  assert.equal(ws.host.diskReads, reads);
  assert.ok(a.byFile.has(path.join(dir, 'transports.inc')), 'the include is covered by the analysis');
  // A change on disk is noticed (mtime/size differ) and read again.
  fs.writeFileSync(path.join(dir, 'transports.inc'), INC + '  batch_max = 2\n');
  ws.changedOnDisk(path.join(dir, 'transports.inc'));
  ws.analyseFile(main);
  assert.equal(ws.host.diskReads, reads + 1);
});

test('an edit of the Exim config reuses its Cyrus partners, and the findings are those of a fresh check', () => {
  for (const example of ['reference', 'broken']) {
    const src = path.join(ROOT, 'examples', example);
    const dir = tree(Object.fromEntries(fs.readdirSync(src).map((f) => [f, fs.readFileSync(path.join(src, f), 'utf8')])));
    const ws = new ConfigWorkspace();
    ws.setFolders([dir]);
    const main = path.join(dir, 'exim.conf'), cyrus = path.join(dir, 'cyrus.conf');
    const fresh = () => analyseSetup([{ path: main, kind: 'exim' }, { path: cyrus, kind: 'cyrus-conf' }, { path: path.join(dir, 'imapd.conf'), kind: 'imapd-conf' }], ws.settingsFor(main).options, ws.host).findings;
    const text = fs.readFileSync(main, 'utf8');
    ws.open(main, text, 'exim');
    const a1 = ws.analyseFile(main);
    assert.deepEqual(a1.findings, fresh());
    ws.update(main, text.replace('  port = 2003', '  port = 2004'));
    const a2 = ws.analyseFile(main);
    assert.notEqual(a2, a1);
    assert.equal(a2.cyrus, a1.cyrus, 'cyrus.conf was not parsed again');
    assert.equal(a2.imapd, a1.imapd, 'imapd.conf was not parsed again');
    assert.deepEqual(a2.findings, fresh());
    // An unsaved edit of cyrus.conf is a new cyrus.conf.
    ws.open(cyrus, fs.readFileSync(cyrus, 'utf8') + '\n', 'cyrus-conf');
    const a3 = ws.analyseFile(main);
    assert.notEqual(a3.cyrus, a2.cyrus);
    assert.deepEqual(a3.findings, fresh());
  }
});

test('an include file opened on its own is checked as part of the config that includes it', () => {
  const dir = tree({ 'exim.conf': MAIN, 'transports.inc': INC, 'cyrus.conf': 'SERVICES {\n  lmtp cmd="lmtpd" listen="/run/cyrus/socket/lmtp"\n}\n' });
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  const inc = path.join(dir, 'transports.inc');
  ws.open(inc, INC, 'exim');
  const p = ws.pairingFor(inc);
  assert.equal(p.exim, path.join(dir, 'exim.conf'));
  assert.equal(p.cyrus, path.join(dir, 'cyrus.conf'));
  // Navigation crosses the include: definition of the transport named in the main file.
  const main = path.join(dir, 'exim.conf');
  ws.open(main, MAIN, 'exim');
  const defs = definition(ws, main, positionOf(MAIN, 'transport = cyrus_lmtp', 'transport = '.length + 1));
  assert.deepEqual(defs.map((d) => [d.file, d.range.start.line]), [[inc, 0]]);
  const r = rename(ws, inc, { line: 0, character: 2 }, 'cyrus_socket');
  assert.ok('edits' in r);
  assert.deepEqual(r.edits.map((e) => [path.basename(e.file), e.range.start.line]).sort(), [['exim.conf', 6], ['transports.inc', 0]]);
  const links = documentLinks(ws, main);
  assert.deepEqual(links.map((l) => l.target), [inc]);
});

test('a conf.d piece is checked as part of its conf.d, and references cross the pieces', () => {
  const dir = tree({
    'exim4/conf.d/main/01_main': 'primary_hostname = x.example\ndomainlist cyrus_domains = example.com\n',
    'exim4/conf.d/router/100_cyrus': 'cyrus:\n  driver = accept\n  domains = +cyrus_domains\n  transport = cyrus_lmtp\n',
    'exim4/conf.d/transport/30_cyrus': 'cyrus_lmtp:\n  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n',
  });
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  const router = path.join(dir, 'exim4/conf.d/router/100_cyrus');
  ws.open(router, fs.readFileSync(router, 'utf8'), 'exim');
  assert.equal(ws.pairingFor(router).exim, path.join(dir, 'exim4/conf.d'));
  const refs = references(ws, router, { line: 2, character: 14 }, true);
  assert.deepEqual(refs.map((r) => path.basename(r.file)).sort(), ['01_main', '100_cyrus']);
  // The section comes from the directory: transport options are not offered in a router piece.
  const labels = completion(ws, router, { line: 1, character: 2 }).map((c) => c.label);
  assert.ok(labels.includes('check_local_user') && !labels.includes('allow_localhost'));
});

test('explicit settings override the pairing found by name', () => {
  const dir = tree({ 'a/exim.conf': MAIN, 'a/transports.inc': INC, 'b/cyrus.conf': 'SERVICES {\n}\n', 'a/cyrus.conf': 'SERVICES {\n}\n' });
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  const main = path.join(dir, 'a/exim.conf');
  assert.equal(ws.pairingFor(main).cyrus, path.join(dir, 'a/cyrus.conf'));
  ws.setSettings(dir, { cyrusConfig: 'b/cyrus.conf' });
  assert.equal(ws.pairingFor(main).cyrus, path.join(dir, 'b/cyrus.conf'));
});

test('hover and completion survive text the parser cannot make sense of', () => {
  const dir = tree({});
  const ws = new ConfigWorkspace();
  const f = path.join(dir, 'junk.exim');
  const junk = 'begin transports\nt:\n  driver = smtp\n  ${{{{ \\\n\u0000\uFFFF :::: = = =\n';
  ws.open(f, junk, 'exim');
  for (let line = 0; line < 7; line++) for (let ch = 0; ch < 20; ch += 3) {
    completion(ws, f, { line, character: ch });
    hover(ws, f, { line, character: ch });
    definition(ws, f, { line, character: ch });
  }
  assert.ok(completion(ws, f, { line: 3, character: 2 }).some((c) => c.label === 'hosts_require_auth'));
});

test('completion right after a continued line\'s break replaces nothing on the line above', () => {
  const dir = tree({});
  const ws = new ConfigWorkspace();
  const f = path.join(dir, 'exim.conf');
  // Exim joins the lines: the cursor at the start of the last one follows "$message_exim_id".
  ws.open(f, 'received_header_text = Received: \\\n  id $message_exim_id\\\n${if def:received_for {for $received_for}}\n', 'exim');
  for (let ch = 0; ch <= 2; ch++) {
    for (const c of completion(ws, f, { line: 2, character: ch })) {
      const r = c.replace;
      assert.ok(r && r.start.line === 2 && r.start.character >= 0 && r.start.character <= ch, `${c.label} at 2:${ch}: ${JSON.stringify(r)}`);
    }
  }
  assert.ok(completion(ws, f, { line: 2, character: 2 }).some((c) => c.label === 'if'), 'an item name typed on the line itself is still completed');
});

test('completion after .endif belongs to the instance Exim reads there, not a header the .ifdef left out', () => {
  const dir = tree({});
  const ws = new ConfigWorkspace();
  const f = path.join(dir, 'exim.conf');
  ws.open(f, 'begin routers\ndnslookup:\n  driver = dnslookup\n  transport = t\n.ifdef SMARTHOST\nsmarthost:\n  driver = manualroute\n  route_list = * SMARTHOST\n.endif\n  no_more\n', 'exim');
  const labels = (line: number) => completion(ws, f, { line, character: 2 }).map((c) => c.label);
  assert.ok(!labels(9).includes('route_list'), 'after .endif: dnslookup\'s options, not manualroute\'s');
  assert.ok(labels(9).includes('widen_domains'));
  assert.ok(labels(7).includes('route_list'), 'inside the left-out block: the instance written there');
});

test('in an ACL, a name with "=" after it is completed as a condition or modifier, at column 0 too, without a second "="', () => {
  const dir = tree({});
  const ws = new ConfigWorkspace();
  const f = path.join(dir, 'exim.conf');
  ws.open(f, 'acl_smtp_rcpt = r\nbegin acl\nr:\ndeny message = x\ndomains = !+local_domains\n  hosts = :\n  accept\nsub:\n', 'exim');
  for (const [line, character] of [[4, 7], [4, 3], [5, 4]]) {
    const items = completion(ws, f, { line, character });
    const domains = items.find((c) => c.label === 'domains');
    assert.ok(domains, `${line}:${character}`);
    assert.equal(domains.insertText ?? domains.label, 'domains', 'the "=" is already there');
    assert.ok(!items.some((c) => c.label === 'deny'), 'no verb before "="');
  }
  assert.deepEqual(completion(ws, f, { line: 8, character: 0 }), [], 'column 0 of an empty line: a new ACL\'s name');
  assert.deepEqual(completion(ws, f, { line: 3, character: 2 }).map((c) => c.label), ['defer', 'deny'], 'a verb being typed at column 0 ("de")');
});
