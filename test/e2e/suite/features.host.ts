// Completion, hover, signature help, highlights, definition and rename through VS Code's own command API, as the
// editor asks for them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, open, positionOf, restore, setText, waitFor } from './util';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('language features', () => {
  let doc: vscode.TextDocument;
  before(async () => {
    await activeExtension();
    doc = (await open('exim.conf')).document;
  });

  it('completion after `transport = ` offers the defined transports', async () => {
    const pos = positionOf(doc, 'transport = cyrus_ltcp', 'transport = '.length);
    const list = await waitFor('completion items', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
      return l?.items.length ? l : undefined;
    });
    const labels = new Set(list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)));
    for (const t of ['cyrus_ltcp', 'remote_smtp', 'local_delivery', 'address_pipe', 'address_file']) assert.ok(labels.has(t), `missing ${t} in ${[...labels].slice(0, 30).join(', ')}`);
  });

  it('completion inside a transport offers transport options', async () => {
    const at = positionOf(doc, '  port = 2003');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(at.line, 2));
    const labels = new Set(list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)));
    assert.ok(labels.has('allow_localhost') && labels.has('hosts_require_auth'), 'transport options offered');
    assert.ok(!labels.has('check_local_user'), 'a router option offered in a transport');
  });

  it('the contributed snippets are offered where the editor completes', async () => {
    const at = positionOf(doc, 'begin routers');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(at.line + 1, 0));
    const snippet = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'cyrus-router');
    assert.ok(snippet, 'cyrus-router snippet offered');
    assert.equal(snippet.kind, vscode.CompletionItemKind.Snippet);
  });

  it('hover on allow_localhost describes the option', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, '  allow_localhost', 4));
    const text = hoverText(hovers ?? []);
    assert.match(text, /allow_localhost/);
    assert.match(text, /boolean/);
  });

  it('signature help inside ${lookup} names the argument the cursor is in', async () => {
    const pos = positionOf(doc, '{/etc/aliases}', 1);
    const help = await waitFor('signature help', async () => await vscode.commands.executeCommand<vscode.SignatureHelp | undefined>('vscode.executeSignatureHelpProvider', doc.uri, pos, '{'));
    const sig = help.signatures[help.activeSignature];
    assert.equal(sig.label, '${lookup{key} type {file}{string1}{string2}}');
    const p = sig.parameters[help.activeParameter].label;
    assert.equal(typeof p === 'string' ? p : sig.label.slice(p[0], p[1]), 'file');
  });

  it('highlights of a transport name: its definition (write) and the router naming it (read)', async () => {
    const hs = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', doc.uri, positionOf(doc, 'transport = cyrus_ltcp', 'transport = '.length + 3));
    const kinds = new Map((hs ?? []).map((h) => [h.range.start.line, h.kind]));
    assert.equal(kinds.get(positionOf(doc, '\ncyrus_ltcp:', 1).line), vscode.DocumentHighlightKind.Write);
    assert.equal(kinds.get(positionOf(doc, 'transport = cyrus_ltcp').line), vscode.DocumentHighlightKind.Read);
    assert.equal(hs.length, 2);
  });

  it('definition of `transport = cyrus_ltcp` is the transport', async () => {
    const locs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'transport = cyrus_ltcp', 'transport = '.length + 3));
    assert.equal(locs.length, 1);
    const l = locs[0];
    const uri = 'targetUri' in l ? l.targetUri : l.uri;
    const range = 'targetUri' in l ? (l.targetSelectionRange ?? l.targetRange) : l.range;
    assert.equal(uri.toString(), doc.uri.toString());
    assert.equal(range.start.line, positionOf(doc, '\ncyrus_ltcp:', 1).line);
  });

  it('rename of a transport edits its definition and every use', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, 'transport = cyrus_ltcp', 'transport = '.length), 'cyrus_lmtp');
    assert.ok(edit, 'no rename edit');
    const edits = edit.get(doc.uri);
    const lines = edits.map((e) => e.range.start.line).sort((a, b) => a - b);
    const expected = [positionOf(doc, 'transport = cyrus_ltcp').line, positionOf(doc, '\ncyrus_ltcp:', 1).line].sort((a, b) => a - b);
    assert.deepEqual(lines, expected);
    assert.ok(edits.every((e) => e.newText === 'cyrus_lmtp' && doc.getText(e.range) === 'cyrus_ltcp'));
    assert.equal(edit.size, 1, 'only exim.conf is edited');
  });

  it('inlay hints say where the Cyrus transport delivers: lmtpd of the paired cyrus.conf', async () => {
    const hints = await waitFor('inlay hints', async () => {
      const h = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0));
      return h?.length ? h : undefined;
    });
    const label = (h: vscode.InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
    const at = new Map(hints.map((h) => [h.position.line, label(h)]));
    assert.equal(at.get(positionOf(doc, '\ncyrus_ltcp:', 1).line), '→ Cyrus lmtpd at 127.0.0.1:2003 (service lmtp)');
    assert.equal(at.get(positionOf(doc, 'transport = cyrus_ltcp').line), '→ Cyrus lmtpd at 127.0.0.1:2003 (service lmtp)');
  });

  it('a skipped .ifdef branch comes back as comment tokens, which themes draw faded', async () => {
    const original = doc.getText();
    try {
      await setText(doc, original.replace('\nbegin acl\n', '\n.ifdef NOT_SET_ANYWHERE\nhostlist spare = 192.0.2.1\n.endif\n\nbegin acl\n'));
      const line = positionOf(doc, 'hostlist spare').line;
      const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
      assert.deepEqual(legend?.tokenTypes, ['comment']);
      const tokens = await waitFor('semantic tokens', async () => {
        const t = await vscode.commands.executeCommand<vscode.SemanticTokens | undefined>('vscode.provideDocumentSemanticTokens', doc.uri);
        return t && t.data.length ? t : undefined;
      });
      assert.deepEqual([...tokens.data], [line, 0, 'hostlist spare = 192.0.2.1'.length, 0, 0]);
    } finally {
      await restore('exim.conf');
    }
  });
});
