// The built server over stdio, driven like an editor: diagnostics, completion, hover,
// navigation, rename and outline on a copy of examples/reference.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, copyExample, positionOf, uriOf } from './client';

let c: TestClient;
let dir: string;
let exim: string;
let eximText: string;

before(async () => {
  dir = copyExample('reference');
  exim = path.join(dir, 'exim.conf');
  eximText = fs.readFileSync(exim, 'utf8');
  c = new TestClient();
  const init = await c.initialize(dir);
  assert.ok(init.capabilities.completionProvider);
  assert.deepEqual(init.capabilities.semanticTokensProvider?.legend, { tokenTypes: ['comment'], tokenModifiers: [] });
  c.open(exim, eximText, 'exim');
  await c.waitForDiagnostics(exim);
});

after(async () => { await c.shutdown(); fs.rmSync(dir, { recursive: true, force: true }); });

test('diagnostics carry the rule code, source and a link to the rule table, and go away when fixed', async () => {
  const broken = eximText.replace('never_users = root', 'never_users = root\nfoo_bar = 1');
  c.change(exim, broken);
  const diags = await c.waitForDiagnostics(exim, (d) => d.some((x) => x.code === 'exim/unknown-option'));
  const d = diags.find((x) => x.code === 'exim/unknown-option')!;
  assert.equal(d.source, 'exim-cyrus');
  assert.equal(d.range.start.line, positionOf(broken, 'foo_bar').line);
  assert.match(d.codeDescription?.href ?? '', /README\.md#rules$/);
  c.change(exim, eximText);
  await c.waitForDiagnostics(exim, (ds) => !ds.some((x) => x.code === 'exim/unknown-option'));
});

test('completion inside a transport offers transport options, not router options', async () => {
  const pos = positionOf(eximText, '  port = 2003');
  const items: { label: string }[] = await c.request('textDocument/completion', { textDocument: { uri: uriOf(exim) }, position: { line: pos.line, character: 2 } });
  const labels = new Set(items.map((i) => i.label));
  for (const want of ['allow_localhost', 'no_allow_localhost', 'hosts_require_auth', 'headers_add']) assert.ok(labels.has(want), `missing ${want}`);
  for (const not of ['check_local_user', 'no_more', 'cannot_route_message']) assert.ok(!labels.has(not), `router option ${not} offered in a transport`);
});

test('completion after transport = offers the defined transports', async () => {
  const pos = positionOf(eximText, 'transport = cyrus_ltcp', 'transport = '.length);
  const items: { label: string }[] = await c.request('textDocument/completion', { textDocument: { uri: uriOf(exim) }, position: pos });
  const labels = items.map((i) => i.label).sort();
  assert.deepEqual(labels, ['address_file', 'address_pipe', 'cyrus_ltcp', 'local_delivery', 'remote_smtp']);
});

test('completion of +names offers only lists of the kind the option expects', async () => {
  const pos = positionOf(eximText, 'domains = +cyrus_domains\n  transport', 'domains = +'.length);
  const items: { label: string }[] = await c.request('textDocument/completion', { textDocument: { uri: uriOf(exim) }, position: pos });
  const labels = items.map((i) => i.label).sort();
  assert.deepEqual(labels, ['cyrus_domains', 'local_domains', 'relay_to_domains']);
});

test('hover on allow_localhost shows a boolean with default false', async () => {
  const h = await c.request('textDocument/hover', { textDocument: { uri: uriOf(exim) }, position: positionOf(eximText, '  allow_localhost', 4) });
  assert.ok(h, 'no hover');
  assert.match(h.contents.value, /boolean/);
  assert.match(h.contents.value, /Default: `false`/);
});

test('definition from transport = x jumps to x:', async () => {
  const locs = await c.request('textDocument/definition', { textDocument: { uri: uriOf(exim) }, position: positionOf(eximText, 'transport = cyrus_ltcp', 'transport = '.length + 3) });
  assert.equal(locs.length, 1);
  assert.equal(locs[0].uri, uriOf(exim));
  assert.equal(locs[0].range.start.line, positionOf(eximText, '\ncyrus_ltcp:').line + 1);
});

test('references of a named list include its uses in routers and ACLs', async () => {
  const refs: { uri: string; range: { start: { line: number } } }[] = await c.request('textDocument/references', {
    textDocument: { uri: uriOf(exim) }, position: positionOf(eximText, 'domainlist cyrus_domains', 'domainlist '.length + 2), context: { includeDeclaration: true },
  });
  const lines = refs.map((r) => r.range.start.line).sort((a, b) => a - b);
  // The definition, plus every `+cyrus_domains` in the file (ACL statements and routers).
  const uses = eximText.split('\n').flatMap((l, i) => (l.match(/\+cyrus_domains\b/g) ?? []).map(() => i));
  assert.ok(uses.length >= 3, 'the example uses the list in ACLs and routers');
  const expected = [positionOf(eximText, 'domainlist cyrus_domains').line, ...uses].sort((a, b) => a - b);
  assert.deepEqual(lines, expected);
});

test('rename edits the definition and every use, and refuses an invalid name', async () => {
  const pos = positionOf(eximText, 'transport = cyrus_ltcp', 'transport = '.length);
  const edit = await c.request('textDocument/rename', { textDocument: { uri: uriOf(exim) }, position: pos, newName: 'cyrus_lmtp' });
  const edits: { range: { start: { line: number } }; newText: string }[] = edit.changes[uriOf(exim)];
  assert.deepEqual(edits.map((e) => e.range.start.line).sort((a, b) => a - b),
    [positionOf(eximText, 'transport = cyrus_ltcp').line, positionOf(eximText, '\ncyrus_ltcp:').line + 1].sort((a, b) => a - b));
  assert.ok(edits.every((e) => e.newText === 'cyrus_lmtp'));
  await assert.rejects(c.request('textDocument/rename', { textDocument: { uri: uriOf(exim) }, position: pos, newName: 'bad name' }), /not a transport name/);
  await assert.rejects(c.request('textDocument/rename', { textDocument: { uri: uriOf(exim) }, position: pos, newName: 'remote_smtp' }), /already exists/);
});

test('the outline lists sections with routers, transports and ACLs', async () => {
  const syms: { name: string; children?: { name: string }[] }[] = await c.request('textDocument/documentSymbol', { textDocument: { uri: uriOf(exim) } });
  const child = (section: string) => syms.find((s) => s.name === `begin ${section}`)?.children?.map((x) => x.name) ?? [];
  assert.deepEqual(child('routers'), ['cyrus_vdom', 'dnslookup', 'system_aliases', 'localuser']);
  assert.deepEqual(child('transports'), ['remote_smtp', 'cyrus_ltcp', 'local_delivery', 'address_pipe', 'address_file']);
  assert.deepEqual(child('acl'), ['acl_check_rcpt', 'acl_check_data']);
  assert.ok(syms.some((s) => s.name === 'cyrus_domains'), 'named lists at the top level');
});

test('workspace symbols and folding ranges', async () => {
  const syms: { name: string; location: { uri: string } }[] = await c.request('workspace/symbol', { query: 'cyrus' });
  const names = syms.map((s) => s.name);
  for (const n of ['cyrus_vdom', 'cyrus_ltcp', 'cyrus_domains']) assert.ok(names.includes(n), n);
  assert.ok(!names.includes('remote_smtp'));
  const folds: { startLine: number; endLine: number }[] = await c.request('textDocument/foldingRange', { textDocument: { uri: uriOf(exim) } });
  const transports = positionOf(eximText, 'begin transports').line;
  assert.ok(folds.some((f) => f.startLine === transports && f.endLine > transports + 10), 'the transports section folds');
  const ltcp = positionOf(eximText, '\ncyrus_ltcp:').line + 1;
  assert.ok(folds.some((f) => f.startLine === ltcp && f.endLine === positionOf(eximText, '  port = 2003').line), 'a transport folds to its last option');
});

test('code lens offers an LMTP callout above the LMTP transport', async () => {
  const lenses: { range: { start: { line: number } }; command: { command: string; arguments: { target: string }[] } }[] =
    await c.request('textDocument/codeLens', { textDocument: { uri: uriOf(exim) } });
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].range.start.line, positionOf(eximText, '\ncyrus_ltcp:').line + 1);
  // No command of the client's own was named: the server's, which any editor can run.
  assert.equal(lenses[0].command.command, 'eximCyrus.calloutReport');
  assert.equal(lenses[0].command.arguments[0].target, '127.0.0.1:2003'); // localhost as /etc/hosts resolves it
});

test('calloutTargets lists the Exim transport and the Cyrus lmtpd services', async () => {
  const targets: { label: string; target: string }[] = await c.request('workspace/executeCommand', { command: 'eximCyrus.calloutTargets', arguments: [uriOf(exim)] });
  const got = targets.map((t) => `${t.label} ${t.target}`).sort();
  assert.deepEqual(got, ['cyrus_ltcp 127.0.0.1:2003', 'lmtp 127.0.0.1:2003', 'lmtpunix /run/cyrus/socket/lmtp']);
});

test('a callout to a closed port reports refused, not a crash', async () => {
  const r = await c.request('workspace/executeCommand', { command: 'eximCyrus.callout', arguments: [{ target: '127.0.0.1:1', recipients: ['a@example.com'] }] });
  assert.equal(r.outcome.kind, 'refused');
  await assert.rejects(c.request('workspace/executeCommand', { command: 'eximCyrus.callout', arguments: [{ target: '127.0.0.1:1', recipients: [] }] }), /recipient/);
});

test('cross-file link findings follow edits on either side', async () => {
  const cyrus = path.join(dir, 'cyrus.conf');
  const cyrusText = fs.readFileSync(cyrus, 'utf8');
  c.open(cyrus, cyrusText, 'cyrus-conf');
  await c.waitForDiagnostics(cyrus);
  // Unsaved edit in cyrus.conf: lmtpd without -a demands AUTH from Exim's transport.
  const noA = cyrusText.replace('cmd="lmtpd -a"', 'cmd="lmtpd"');
  c.change(cyrus, noA);
  const d = await c.waitForDiagnostics(cyrus, (ds) => ds.some((x) => x.code === 'link/lmtp-auth-required'));
  const auth = d.find((x) => x.code === 'link/lmtp-auth-required')!;
  assert.equal(auth.range.start.line, positionOf(noA, 'cmd="lmtpd"').line);
  // Its counterpart in the other file travels as related information.
  if (auth.relatedInformation?.length) assert.ok(auth.relatedInformation.some((r) => r.location.uri === uriOf(exim)));
  // An edit on the Exim side that points the transport elsewhere re-checks cyrus.conf too.
  const moved = eximText.replace('  port = 2003', '  port = 2004');
  c.change(exim, moved);
  await c.waitForDiagnostics(cyrus, (ds) => !ds.some((x) => x.code === 'link/lmtp-auth-required'));
  await c.waitForDiagnostics(exim, (ds) => ds.some((x) => x.code === 'link/lmtp-no-listener'));
  c.change(exim, eximText);
  await c.waitForDiagnostics(cyrus, (ds) => ds.some((x) => x.code === 'link/lmtp-auth-required'));
  c.change(cyrus, cyrusText);
  await c.waitForDiagnostics(cyrus, (ds) => !ds.some((x) => x.code === 'link/lmtp-auth-required'));
  await c.waitForDiagnostics(exim, (ds) => !ds.some((x) => String(x.code).startsWith('link/')));
});

test('an unsaved imapd.conf edit reaches the Exim side: maxmessagesize below Exim\'s limit, related information back to it', async () => {
  const imapd = path.join(dir, 'imapd.conf');
  const imapdText = fs.readFileSync(imapd, 'utf8');
  c.open(imapd, imapdText, 'imapd-conf');
  await c.waitForDiagnostics(imapd);
  const small = imapdText + 'maxmessagesize: 10485760\n';
  c.change(imapd, small);
  const d = await c.waitForDiagnostics(exim, (ds) => ds.some((x) => x.code === 'link/message-size-limit'));
  const f = d.find((x) => x.code === 'link/message-size-limit')!;
  assert.equal(f.severity, 2, 'a warning');
  if (f.relatedInformation?.length) {
    assert.ok(f.relatedInformation.some((r) => r.location.uri === uriOf(imapd) && r.location.range.start.line === small.split('\n').length - 2));
  }
  c.change(imapd, imapdText);
  await c.waitForDiagnostics(exim, (ds) => !ds.some((x) => x.code === 'link/message-size-limit'));
  // The same check publishes imapd.conf's own; a request's answer comes after it, so it
  // does not land in the next test.
  await c.request('textDocument/hover', { textDocument: { uri: uriOf(imapd) }, position: { line: 0, character: 0 } });
});

test('an edit re-publishes the edited file, not the partners whose diagnostics did not change', async () => {
  const partners = [path.join(dir, 'cyrus.conf'), path.join(dir, 'imapd.conf')].map(uriOf);
  const published: string[] = [];
  let editedVersion = 0;
  let resolve = () => {};
  const seen = new Promise<void>((r) => { resolve = r; });
  const listen = (p: { uri: string; version?: number }) => {
    published.push(p.uri);
    if (p.uri === uriOf(exim) && (p.version ?? 0) > editedVersion) resolve();
  };
  c.publishListeners.add(listen);
  try {
    editedVersion = (c.diagnostics.get(uriOf(exim))?.version ?? 0);
    c.change(exim, eximText + '# a comment changes no finding\n');
    await seen;
    // A request's answer is written after every publication queued before it.
    await c.request('textDocument/hover', { textDocument: { uri: uriOf(exim) }, position: { line: 0, character: 0 } });
    assert.ok(published.includes(uriOf(exim)));
    assert.deepEqual(published.filter((u) => partners.includes(u)), [], 'partners published again');
  } finally {
    c.publishListeners.delete(listen);
    c.change(exim, eximText);
  }
});

test('cyrus.conf and imapd.conf get their own rule codes', async () => {
  const cyrus = path.join(dir, 'cyrus.conf');
  const imapd = path.join(dir, 'imapd.conf');
  const imapdText = fs.readFileSync(imapd, 'utf8');
  c.open(imapd, imapdText + 'frobnicate: yes\n', 'imapd-conf');
  const d = await c.waitForDiagnostics(imapd, (ds) => ds.some((x) => x.code === 'imapd/unknown-option'));
  assert.equal(d.find((x) => x.code === 'imapd/unknown-option')!.range.start.line, imapdText.split('\n').length - 1);
  const hover = await c.request('textDocument/hover', { textDocument: { uri: uriOf(imapd) }, position: positionOf(imapdText, 'virtdomains', 2) });
  assert.match(hover.contents.value, /userid/);
  const items: { label: string }[] = await c.request('textDocument/completion', { textDocument: { uri: uriOf(imapd) }, position: { line: positionOf(imapdText, 'virtdomains: userid').line, character: 'virtdomains: '.length } });
  assert.ok(items.some((i) => i.label === 'userid') && items.some((i) => i.label === 'off'));
  const cyrusText = fs.readFileSync(cyrus, 'utf8');
  const lenses: { range: { start: { line: number } } }[] = await c.request('textDocument/codeLens', { textDocument: { uri: uriOf(cyrus) } });
  const lmtpLines = cyrusText.split('\n').flatMap((l, i) => /^\s*lmtp\w*\s.*cmd="lmtpd/.test(l) ? [i] : []);
  assert.deepEqual(lenses.map((l) => l.range.start.line).sort((a, b) => a - b), lmtpLines);
  const outline: { name: string; children?: { name: string }[] }[] = await c.request('textDocument/documentSymbol', { textDocument: { uri: uriOf(cyrus) } });
  assert.deepEqual(outline.map((s) => s.name), ['START', 'SERVICES', 'EVENTS']);
  assert.ok(outline[1].children!.some((e) => e.name === 'lmtp'));
  const args: { label: string }[] = await c.request('textDocument/completion', { textDocument: { uri: uriOf(cyrus) }, position: positionOf(cyrusText, ' prefork=0', 1) });
  assert.ok(args.some((i) => i.label === 'maxchild') && args.some((i) => i.label === 'babysit'));
});

test('cyrus.conf completion: nothing in comments or quoted values, no argument twice, program and flags in cmd', async () => {
  const cyrus = path.join(dir, 'cyrus.conf');
  const cyrusText = fs.readFileSync(cyrus, 'utf8');
  c.open(cyrus, cyrusText, 'cyrus-conf');
  const at = (needle: string, offset: number) => c.request('textDocument/completion', { textDocument: { uri: uriOf(cyrus) }, position: positionOf(cyrusText, needle, offset) }) as Promise<{ label: string }[]>;
  assert.deepEqual(await at('# -a: Exim ', '# -a: Exim '.length), [], 'in a comment');
  assert.deepEqual(await at('listen="127.0.0.1', 'listen="127'.length), [], 'in a quoted address');
  // After the program: its flags, not cyrus.conf arguments, and not a flag already given.
  const flags = (await at('cmd="lmtpd -a"', 'cmd="lmtpd '.length)).map((i) => i.label);
  assert.ok(flags.includes('-U') && flags.includes('-C'), `flags: ${flags}`);
  assert.ok(!flags.includes('listen') && !flags.includes('prefork'), 'arguments offered inside cmd');
  const unix = (await at('cmd="lmtpd" listen="/run', 'cmd="lmtpd'.length)).map((i) => i.label);
  assert.ok(unix.includes('lmtpd'), 'the program name while it is typed');
  const programs = (await at('cmd="lmtpd" listen="/run', 'cmd="'.length)).map((i) => i.label);
  assert.ok(programs.includes('imapd') && programs.includes('lmtpd'));
  // At the end of a service line, only what it does not have yet.
  const spaced = cyrusText.replace('listen="127.0.0.1:2003" prefork=0', 'listen="127.0.0.1:2003" prefork=0 ');
  c.change(cyrus, spaced);
  const end = (await c.request('textDocument/completion', { textDocument: { uri: uriOf(cyrus) }, position: positionOf(spaced, 'prefork=0 ', 'prefork=0 '.length) }) as { label: string }[]).map((i) => i.label);
  assert.ok(end.includes('maxchild') && end.includes('babysit'), `end: ${end}`);
  for (const have of ['cmd', 'listen', 'prefork']) assert.ok(!end.includes(have), `${have} offered again`);
  c.change(cyrus, cyrusText);
});

test('semantic tokens: the lines of skipped .ifdef branches, as comments, from their first non-blank character', async () => {
  const file = path.join(dir, 'branches.exim');
  const text = [
    'primary_hostname = mx.example.com',
    'HAVE_EXTRAS = yes',
    '.ifdef HAVE_EXTRAS',
    'hostlist extras = 192.0.2.1',
    '.else',
    'hostlist extras =',
    '.endif',
    '.ifdef NOT_DEFINED',
    '  # a comment in a skipped branch is skipped too',
    '',
    '  hostlist more = 192.0.2.2 : \\',
    '      192.0.2.3',
    '.endif',
    '',
  ].join('\n');
  c.open(file, text, 'exim');
  await c.waitForDiagnostics(file);
  const t: { data: number[] } = await c.request('textDocument/semanticTokens/full', { textDocument: { uri: uriOf(file) } });
  const tokens: string[] = [];
  let line = 0, ch = 0;
  for (let i = 0; i < t.data.length; i += 5) {
    const [dl, dc, len, type] = t.data.slice(i, i + 5);
    line += dl;
    ch = dl ? dc : ch + dc;
    assert.equal(type, 0, 'comment');
    tokens.push(`${line}: ${text.split('\n')[line].slice(ch, ch + len)}`);
  }
  // The comment line in the branch is drawn as a comment already.
  assert.deepEqual(tokens, ['5: hostlist extras =', '10: hostlist more = 192.0.2.2 : \\', '11: 192.0.2.3']);
});

test('semantic tokens follow the -D macros of the settings: the server asks the client to refresh, and the branch taken changes', async () => {
  const folder = fs.mkdtempSync(path.join(path.dirname(dir), 'exim-cyrus-sem-'));
  const file = path.join(folder, 'exim.conf');
  const text = 'primary_hostname = mx.example.com\n.ifdef EXTRAS\nhostlist extras = 192.0.2.1\n.else\nhostlist extras =\n.endif\n';
  const d = new TestClient();
  try {
    let refreshes = 0;
    d.conn.onRequest('workspace/semanticTokens/refresh', () => { refreshes++; return null; });
    await d.initialize(folder, {}, { semanticTokens: { refreshSupport: true } });
    d.open(file, text, 'exim');
    await d.waitForDiagnostics(file);
    const lines = async () => {
      const t: { data: number[] } = await d.request('textDocument/semanticTokens/full', { textDocument: { uri: uriOf(file) } });
      let line = 0;
      const out: number[] = [];
      for (let i = 0; i < t.data.length; i += 5) out.push(line += t.data[i]);
      return out;
    };
    assert.deepEqual(await lines(), [2], 'EXTRAS undefined: its branch is skipped');
    d.settings = { defines: { EXTRAS: '1' } };
    const before = refreshes;
    await d.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    for (let i = 0; i < 100 && refreshes === before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(refreshes > before, 'the client is asked to refresh');
    assert.deepEqual(await lines(), [4], '-D EXTRAS: the .else branch is skipped');
  } finally {
    await d.shutdown();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('inlay hints: where the Cyrus transport delivers, in exim.conf, and who delivers to lmtpd, in cyrus.conf; they follow an edit of the other file, and the client is asked to redraw', async () => {
  const folder = copyExample('reference');
  const e = path.join(folder, 'exim.conf'), cy = path.join(folder, 'cyrus.conf');
  const eText = fs.readFileSync(e, 'utf8'), cText = fs.readFileSync(cy, 'utf8');
  const d = new TestClient();
  try {
    let refreshes = 0;
    d.conn.onRequest('workspace/inlayHint/refresh', () => { refreshes++; return null; });
    const init = await d.initialize(folder, {}, { inlayHint: { refreshSupport: true } });
    assert.equal(init.capabilities.inlayHintProvider, true);
    d.open(e, eText, 'exim');
    d.open(cy, cText, 'cyrus-conf');
    await d.waitForDiagnostics(cy);
    const hints = async (file: string, text: string) => {
      const all: { position: { line: number; character: number }; label: { value: string; location?: { uri: string; range: { start: { line: number } } } }[]; paddingLeft: boolean }[] =
        await d.request('textDocument/inlayHint', { textDocument: { uri: uriOf(file) }, range: { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } } });
      return all.map((h) => {
        assert.equal(h.position.character, text.split('\n')[h.position.line].length, 'at the end of its line');
        assert.ok(h.paddingLeft);
        // Linked parts in [brackets], with the file and line they lead to.
        return `${text.split('\n')[h.position.line].trim()} ${h.label.map((p) => (p.location ? `[${p.value} @${path.basename(new URL(p.location.uri).pathname)}:${p.location.range.start.line + 1}]` : p.value)).join('')}`;
      });
    };
    const listen = positionOf(cText, 'listen="127.0.0.1:2003"').line + 1;
    assert.deepEqual(await hints(e, eText), [
      `transport = cyrus_ltcp → Cyrus lmtpd at [127.0.0.1:2003 (service lmtp) @cyrus.conf:${listen}]`,
      `cyrus_ltcp: → Cyrus lmtpd at [127.0.0.1:2003 (service lmtp) @cyrus.conf:${listen}]`,
    ]);
    const tLine = positionOf(eText, '\ncyrus_ltcp:', 1).line + 1, rLine = positionOf(eText, '\ncyrus_vdom:', 1).line + 1;
    assert.deepEqual(await hints(cy, cText), [`lmtp          cmd="lmtpd -a" listen="127.0.0.1:2003" prefork=0 ← Exim transport [cyrus_ltcp @exim.conf:${tLine}] (router [cyrus_vdom @exim.conf:${rLine}])`]);
    const r = await d.request('textDocument/inlayHint', { textDocument: { uri: uriOf(e) }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } });
    assert.deepEqual(r, [], 'only hints inside the range asked for');
    // lmtpd moves to another port: the transport reaches nothing (the link finding says so), and the notes go.
    const before = refreshes;
    const moved = cText.replace('127.0.0.1:2003', '127.0.0.1:2004');
    d.change(cy, moved);
    await d.waitForDiagnostics(e, (ds) => ds.some((x) => x.code === 'link/lmtp-no-listener'));
    for (let i = 0; i < 100 && refreshes === before; i++) await new Promise((res) => setTimeout(res, 20));
    assert.ok(refreshes > before, 'the client is asked to redraw its hints');
    assert.deepEqual(await hints(e, eText), []);
    assert.deepEqual(await hints(cy, moved), []);
  } finally {
    await d.shutdown();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
