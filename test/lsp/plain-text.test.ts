// The plain-text reading of the core's Markdown, for clients that do not declare Markdown:
// the marks go, the words and what is inside code stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markdownToPlainText as plain } from '../../server/src/lsp/plain-text';

test('bold, inline code and a link as the option hover writes them', () => {
  const md = '**allow_localhost** — boolean\n\nDefault: `false`\nValues: `a`, `b`\n\n[Exim specification](https://example.invalid/spec.html#allow_localhost)';
  assert.equal(plain(md), 'allow_localhost — boolean\n\nDefault: false\nValues: a, b\n\nExim specification (https://example.invalid/spec.html#allow_localhost)');
});

test('a fenced block keeps its lines as written and loses its fences', () => {
  const md = '**macro** `X`\n\n```exim\nX = **not bold** `not code` [not](a link)\n```\nDefined at exim.conf:3';
  assert.equal(plain(md), 'macro X\n\nX = **not bold** `not code` [not](a link)\nDefined at exim.conf:3');
});

test('a tilde fence, a longer fence that a shorter run does not close, a fence never closed', () => {
  assert.equal(plain('~~~\na\n~~~'), 'a');
  assert.equal(plain('text\n```exim\nX = 1'), 'text\nX = 1');
  assert.equal(plain('````\n```\nb\n````\nafter'), '```\nb\nafter');
});

test('code keeps what would otherwise be marks, and a double-backtick span holds a backtick', () => {
  assert.equal(plain('Default: `**x** [y](z)`'), 'Default: **x** [y](z)');
  assert.equal(plain('quote with `` ` `` here'), 'quote with ` here');
  assert.equal(plain('`${if eq{$x}{y}}`'), '${if eq{$x}{y}}');
});

test('bold around a code span, and a code span holding the bold marker', () => {
  assert.equal(plain('**`X`** and `a ** b`'), 'X and a ** b');
  assert.equal(plain('**kind** `na**me`'), 'kind na**me');
});

test('lone stars, brackets and backticks are text', () => {
  assert.equal(plain('Evaluates (+ - * / %) on $prvscheck_* and multipart/*.'), 'Evaluates (+ - * / %) on $prvscheck_* and multipart/*.');
  assert.equal(plain('a ** b and [x] and `unclosed'), 'a ** b and [x] and `unclosed');
  assert.equal(plain('$acl_c_x and \\ooo'), '$acl_c_x and \\ooo');
});

test('links: one whose text is its address, an autolink, a titled one, an image', () => {
  assert.equal(plain('[https://a.invalid/](https://a.invalid/)'), 'https://a.invalid/');
  assert.equal(plain('see <https://a.invalid/x>'), 'see https://a.invalid/x');
  assert.equal(plain('[spec](<https://a.invalid/x y> "The spec")'), 'spec (https://a.invalid/x y)');
  assert.equal(plain('![logo](https://a.invalid/l.png)'), 'logo (https://a.invalid/l.png)');
  assert.equal(plain('[**bold** `code`](https://a.invalid/)'), 'bold code (https://a.invalid/)');
});

test('escapes and headings', () => {
  assert.equal(plain('\\*not bold\\* \\[x\\]'), '*not bold* [x]');
  assert.equal(plain('# Title #\n## Sub\ntext'), 'Title\nSub\ntext');
});

test('a hard break (two trailing spaces) leaves only the line break', () => {
  assert.equal(plain('Default: `false`  \nValid in: every transport'), 'Default: false\nValid in: every transport');
  assert.equal(plain('```\nkept as is  \n```'), 'kept as is  ');
});
