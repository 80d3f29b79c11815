// The regular-expression reader behind `${if match}` and `${sg}`: what it calls malformed,
// PCRE2 refuses too. Each verdict here was taken from Exim 4.96 (`exim4 -be` with the
// pattern between \N and \N); scripts/diff-regex.mjs compares thousands of random patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regexProblem } from '../../server/src/core/exim/pcre-syntax';
import { checkExim, loadExim } from '../../server/src/core/exim';
import { defaultOptions } from '../../server/src/core/options';
import { LineIndex } from '../../server/src/core/text';
import { memoryHost } from '../helpers/memory-host';

test('patterns PCRE2 refuses are reported with its own words and offset', () => {
  const cases: [string, string, number][] = [
    ['^[a-z', 'missing terminating ] for character class', 5],
    ['(a|b', 'missing closing parenthesis', 4],
    ['example)', 'unmatched closing parenthesis', 7],
    ['*@example.com', 'quantifier does not follow a repeatable item', 0],
    ['a|+b', 'quantifier does not follow a repeatable item', 2],
    ['^*.example.com', 'quantifier does not follow a repeatable item', 1],
    ['a$+', 'quantifier does not follow a repeatable item', 2],
    ['^(?#x)*a', 'quantifier does not follow a repeatable item', 6],
    ['(+a)', 'quantifier does not follow a repeatable item', 1],
    ['abc\\', '\\ at end of pattern', 4],
    ['a(?#note', 'missing ) after (?# comment', 8],
    ['[]', 'missing terminating ] for character class', 2],
    ['[^]', 'missing terminating ] for character class', 3],
    ['[a\\]', 'missing terminating ] for character class', 4],
    ['[[:alpha:]', 'missing terminating ] for character class', 10],
    ['(*atomic:a', 'missing closing parenthesis', 10],
    ['(*UTF)[', 'missing terminating ] for character class', 7],
    ['^[a-Z]+$', 'range out of order in character class', 4],
    ['[a--]', 'range out of order in character class', 3],
    ['[b-a-c]', 'range out of order in character class', 3],
  ];
  for (const [p, message, offset] of cases) assert.deepEqual(regexProblem(p), { message, offset }, p);
});

test('patterns PCRE2 takes are not reported', () => {
  for (const p of [
    '', '^[a-z]+$', '[]a]', '[^]a]', '[\\]]', '[\\E]]', '[^\\Q\\E]]', '[[:alpha:][:digit:]]', '[[:a]', '[[:a]b:]]',
    '\\Q(*[\\E', '(?:a|b)*', '(?i)abc', '(?<n>a)\\k<n>', '(*:x]y)a', '(*ACCEPT)', '(*atomic:a)', 'a(?#[)b',
    '[\\c]]', '\\c)', '(^)*', '^\\Qa\\E*', '[$^]*', '[0-9A-z]', '[--a]', '[%--]', '[]-a]', '[a-]', '[a-c-b]', '[\u00fa-\u00e9]', 'a{2,3}', '{', '}', 'x]', '\\d+\\.\\d+', '^(?!foo)bar$',
  ]) assert.equal(regexProblem(p), undefined, p);
});

test('extended mode and an unterminated \\Q or verb give no answer rather than a guess', () => {
  // (?x) makes white space and #-comments insignificant: "[" in a comment opens nothing.
  for (const p of ['(?x) a # [', '(?ix)[', '\\Q(', '(*MARK:x']) assert.equal(regexProblem(p), undefined, p);
});

test('a pattern the expansion\'s escapes broke gets a fix that writes it between \\N and \\N, and the fix removes the finding', () => {
  const file = '/virtual/exim.conf';
  const text = [
    'primary_hostname = mail.example.com',
    'localpartlist locals = ^a\\(b : postmaster',
    'bounce_message_file = ${if match{$local_part}{^foo\\(}{yes}{no}}',
    // Quoted, the file holds the pattern's escapes doubled: no fix is guessed there.
    'warn_message_file = "${if match{$local_part}{^foo\\\\(}{yes}{no}}"',
    '',
  ].join('\n');
  const check = (t: string) => checkExim(loadExim(file, defaultOptions, memoryHost(new Map([[file, t]]))), defaultOptions)
    .filter((f) => f.message.startsWith('The regular expression')).sort((a, b) => a.range.start.line - b.range.start.line);
  const found = check(text);
  assert.deepEqual(found.map((f) => [f.range.start.line, f.fixes?.map((x) => x.edits[0].newText)]), [
    [1, ['\\N^a\\(b\\N']], [2, ['\\N^foo\\(\\N']], [3, undefined],
  ]);
  const lines = new LineIndex(text);
  let fixed = text;
  for (const e of found.flatMap((f) => f.fixes ?? []).map((x) => x.edits[0]).reverse()) {
    fixed = fixed.slice(0, lines.offsetAt(e.range.start)) + e.newText + fixed.slice(lines.offsetAt(e.range.end));
  }
  assert.deepEqual(check(fixed).map((f) => f.range.start.line), [3]);
});

test('^*.example.com in a domain list is a wildcard written as a pattern: the fix writes the wildcard', () => {
  const file = '/virtual/exim.conf';
  const text = 'primary_hostname = mail.example.com\ndomainlist relay_to = ^*.example.com : ^*.(a|b\nhold_domains = ^*.example.net\n';
  const found = checkExim(loadExim(file, defaultOptions, memoryHost(new Map([[file, text]]))), defaultOptions)
    .filter((f) => f.message.startsWith('The regular expression'));
  assert.deepEqual(found.map((f) => [f.range.start.line, f.range.start.character, f.fixes?.map((x) => x.edits[0].newText)]), [
    [1, 22, ['*.example.com']], [1, 39, undefined], [2, 15, ['*.example.net']],
  ]);
});
