// Hover contents and completion documentation come in the format the client lists first
// of those it reads (LSP textDocument.hover.contentFormat,
// completion.completionItem.documentationFormat): Markdown only to a client that lists it
// before plain text; a plain-text reading to every other, so no client is shown marks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CompletionItem, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { positionOf, scratch, uriOf, VSCODE_PUBLISH_DIAGNOSTICS } from './client';

const { tree, client } = scratch('exim-cyrus-markup-');

const EXIM = [
  'MY_SOCK = /run/cyrus/socket/lmtp',
  'domainlist local_domains = example.com',
  'begin routers',
  'local:',
  '  driver = accept',
  '  domains = +local_domains',
  '  transport = cyrus_lmtp',
  'begin transports',
  'cyrus_lmtp:',
  '  driver = lmtp',
  '  socket = MY_SOCK',
  '  batch_max = 10',
  '  ',
  '',
].join('\n');

const IMAPD = 'configdirectory: /var/lib/cyrus\n\n';

/** Marks a Markdown renderer would eat: code, bold, a link. Single stars are text (`multipart/*`). */
const MARKS = /`|\*\*|\]\(/;

async function session(completionFormat: string[] | undefined, hoverFormat: string[] | undefined) {
  const dir = tree({ 'exim.conf': EXIM, 'imapd.conf': IMAPD });
  const c = await client(dir, undefined, VSCODE_PUBLISH_DIAGNOSTICS,
    { completionItem: completionFormat ? { documentationFormat: completionFormat } : {} },
    hoverFormat ? { contentFormat: hoverFormat } : {});
  const file = path.join(dir, 'exim.conf');
  c.open(file, EXIM, 'exim');
  c.open(path.join(dir, 'imapd.conf'), IMAPD, 'imapd-conf');
  const at = (position: { line: number; character: number }, f = file) => ({ textDocument: { uri: uriOf(f) }, position });
  return {
    hover: async (anchor: string, offset: number): Promise<Hover> => {
      const h: Hover | null = await c.request('textDocument/hover', at(positionOf(EXIM, anchor, offset)));
      assert.ok(h, `no hover at ${anchor}`);
      return h;
    },
    /** The transport options offered on the blank line at the end of the transport. */
    completion: async (): Promise<CompletionItem[]> => {
      const items: CompletionItem[] = await c.request('textDocument/completion', at(positionOf(EXIM, '  batch_max = 10\n  ', '  batch_max = 10\n  '.length)));
      assert.ok(items.some((i) => i.label === 'body_only'), `transport options offered (got ${JSON.stringify(items.map((i) => i.label).slice(0, 10))})`);
      return items;
    },
    /** The imapd.conf and SASL options offered on imapd.conf's blank line. */
    imapdCompletion: async (): Promise<CompletionItem[]> =>
      c.request('textDocument/completion', at({ line: 1, character: 0 }, path.join(dir, 'imapd.conf'))),
  };
}

const docOf = (i: CompletionItem) => (typeof i.documentation === 'string' ? i.documentation : i.documentation?.value ?? '');

test('a client reading only plain text gets hovers in plain text, with no Markdown marks', async () => {
  const s = await session(['plaintext'], ['plaintext']);
  const h = (await s.hover('  batch_max', 4)).contents as MarkupContent;
  assert.equal(h.kind, 'plaintext');
  assert.doesNotMatch(h.value, MARKS);
  assert.match(h.value, /^batch_max — integer$/m);
  assert.match(h.value, /^Default: 1$/m);
  assert.match(h.value, /^Valid in: the lmtp driver$/m);
  assert.match(h.value, /^Exim specification \(https?:\/\/\S+\)$/m);
  // The macro's definition: a fenced block in Markdown, its line as written here.
  const m = (await s.hover('socket = MY_SOCK', 'socket = '.length + 2)).contents as MarkupContent;
  assert.equal(m.kind, 'plaintext');
  assert.doesNotMatch(m.value, MARKS);
  assert.match(m.value, /^MY_SOCK = \/run\/cyrus\/socket\/lmtp$/m);
});

test('a client reading only plain text gets completion documentation as plain text', async () => {
  const s = await session(['plaintext'], ['plaintext']);
  const items = await s.completion();
  const documented = items.filter((i) => i.documentation !== undefined);
  assert.ok(documented.length > 20, `options are documented (${documented.length})`);
  for (const i of documented) {
    assert.equal(typeof i.documentation, 'string', `${i.label}: a bare string is plain text`);
    assert.doesNotMatch(docOf(i), MARKS, `${i.label}: ${docOf(i)}`);
  }
  assert.match(docOf(items.find((i) => i.label === 'body_only')!), /^Boolean: write body_only to set it, no_body_only to clear it\.$/m);
  const imapd = await s.imapdCompletion();
  for (const label of ['virtdomains', 'sasl_pwcheck_method']) {
    const i = imapd.find((x) => x.label === label);
    assert.ok(i, `${label} offered`);
    assert.equal(typeof i.documentation, 'string');
    assert.doesNotMatch(docOf(i), MARKS, `${label}: ${docOf(i)}`);
    assert.match(docOf(i), new RegExp(`^${label} — `));
  }
});

test('a client listing Markdown first gets Markdown in hovers and completion', async () => {
  const s = await session(['markdown', 'plaintext'], ['markdown', 'plaintext']);
  const h = (await s.hover('  batch_max', 4)).contents as MarkupContent;
  assert.equal(h.kind, 'markdown');
  assert.match(h.value, /\*\*batch_max\*\*/);
  assert.match(h.value, /Default: `1`/);
  const m = (await s.hover('socket = MY_SOCK', 'socket = '.length + 2)).contents as MarkupContent;
  assert.match(m.value, /```exim\nMY_SOCK = \/run\/cyrus\/socket\/lmtp\n```/);
  const doc = (await s.completion()).find((i) => i.label === 'body_only')!.documentation as MarkupContent;
  assert.equal(doc.kind, 'markdown');
  assert.match(doc.value, /Default: `false`/);
});

test('the client\'s order of preference decides, and one that lists nothing gets plain text', async () => {
  const prefersPlain = await session(['plaintext', 'markdown'], ['plaintext', 'markdown']);
  assert.equal(((await prefersPlain.hover('  batch_max', 4)).contents as MarkupContent).kind, 'plaintext');
  assert.equal(typeof (await prefersPlain.completion()).find((i) => i.label === 'body_only')!.documentation, 'string');
  // Each request by its own capability: Markdown hovers, plain completion.
  const mixed = await session(undefined, ['markdown']);
  assert.equal(((await mixed.hover('  batch_max', 4)).contents as MarkupContent).kind, 'markdown');
  assert.doesNotMatch(docOf((await mixed.completion()).find((i) => i.label === 'body_only')!), MARKS);
  const silent = await session(undefined, undefined);
  const h = (await silent.hover('  batch_max', 4)).contents as MarkupContent;
  assert.equal(h.kind, 'plaintext');
  assert.doesNotMatch(h.value, MARKS);
});
