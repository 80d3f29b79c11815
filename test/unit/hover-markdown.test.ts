// Hover text as Markdown renders it: facts one per line, and no empty code spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupOption } from '../../server/src/core/catalog/exim';
import { optionDoc } from '../../server/src/core/features/exim-docs';
import { imapdHover } from '../../server/src/core/features/cyrus-features';
import { defaultOptions } from '../../server/src/core/options';
import { LineIndex } from '../../server/src/core/text';

test('an option hover keeps Default, Valid in and Exim on lines of their own (hard breaks)', () => {
  const md = optionDoc(lookupOption('smtp', 'allow_localhost')!);
  assert.match(md, /Default: `false` {2}\nValid in: /);
  assert.match(md, /Valid in: [^\n]* {2}\nExim: /);
  // The title and the link stay paragraphs of their own, without a stray break.
  assert.match(md, /^\*\*allow_localhost\*\* — [^\n]*\n\n/);
  assert.doesNotMatch(md, / {2}\n\n/);
});

test('an imapd.conf option whose default is empty says so instead of showing two backticks', () => {
  const text = 'admins: cyrus\n';
  const h = imapdHover(new LineIndex(text), { line: 0, character: 2 }, defaultOptions);
  assert.ok(h);
  assert.match(h.markdown, /Default: empty/);
  assert.doesNotMatch(h.markdown, /``/);
});
