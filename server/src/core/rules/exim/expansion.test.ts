// The expansion rule remembers, for one run, the names it found known and the values that
// gave no finding: every occurrence of what it reports is still reported, and a run for
// another Exim version starts afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExim } from '../../exim';
import { memoryHost } from '../../../../../test/helpers/memory-host';
import { defaultOptions, type EximVersion } from '../../options';
import { checkExpansions } from './expansion';
import { applyEdits } from '../../../../../test/helpers/apply-edits';

const FILE = '/virtual/exim.conf';
const TEXT = [
  'primary_hostname = ${lc:mail.example.com}',
  'smtp_banner = ${headerwrap_72:$domain} $local_prt ${lookp{$domain}lsearch{/x}} ${length_x:$domain} ${lookup{$domain}lsearchh{/x}}',
  'warn_message_file = ${headerwrap_72:$domain} $local_prt ${lookp{$domain}lsearch{/x}} ${length_x:$domain} ${lookup{$domain}lsearchh{/x}}',
  'system_filter = ${lookup{$domain}lsearch{/x}} ${if eq{$domain}{x}{$local_part}}',
  // Clean for current Exim, not for 4.96.
  'received_header_text = ${headerwrap_72:$domain}',
].join('\n') + '\n';

const found = (version: EximVersion) => {
  const cfg = loadExim(FILE, { ...defaultOptions, eximVersion: version }, memoryHost(new Map([[FILE, TEXT]])));
  return checkExpansions(cfg, { ...defaultOptions, eximVersion: version }).map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message.slice(0, 28)}`);
};

test('every occurrence of a name is reported, whatever the rule remembered from earlier values and runs', () => {
  const each = (line: number, at: number) => [
    `${line}:${at} Exim has no variable "$local`, `${line}:${at + 12} Unknown expansion item "look`,
    `${line}:${at + 41} "\${length_x:" is the length `, `${line}:${at + 76} Unknown lookup type "lsearch`,
  ];
  const latest = [...each(1, 40), ...each(2, 46)];
  const old = [`1:16 The expansion operator "head`, ...each(1, 40), `2:22 The expansion operator "head`, ...each(2, 46), `4:25 The expansion operator "head`];
  assert.deepEqual(found('latest'), latest);
  assert.deepEqual(found('4.96'), old);
  assert.deepEqual(found('latest'), latest);
});

test('a value seen clean is not parsed again only where it is expanded the same way', () => {
  const text = [
    'primary_hostname = x.example',
    'begin routers',
    'r1:',
    '  driver = accept',
    '  debug_print = ${if eq{a:b}{c}{d}}',
    '  headers_remove = ${if eq{a:b}{c}{d}}',
    '  address_data = ${if eq {a}{b} {y}{n}}',
    '  transport = t1',
    'begin transports',
    't1:',
    '  driver = pipe',
    '  command = ${if eq {a}{b} {y}{n}}',
    '  return_output',
    'begin acl',
    'a1:',
    '  warn condition = ${if eq{a:b}{c}{d}}',
    '  warn condition = ${if eq{a:b}{c}{d}}',
    '  warn set acl_m_x = ${lookup{$local_part}lsearch{/x}{$values}}',
    '  warn set acl_m_x = ${lookup{$local_part}lsearch{/x}{$values}}',
  ].join('\n') + '\n';
  const cfg = loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text]])));
  const lines = checkExpansions(cfg, defaultOptions).map((f) => `${f.range.start.line} ${f.code}`);
  // headers_remove is split at ":" first; a command is split into arguments first.
  assert.deepEqual(lines, ['5 exim/expansion-syntax', '11 exim/expansion-syntax', '17 exim/unknown-variable', '18 exim/unknown-variable']);
});

test('a file lookup\'s file must be an absolute path: a relative one, or one a doubled brace starts with "{", is opened in Exim\'s working directory and not found', () => {
  const text = [
    'system_filter = ${lookup{$local_part}lsearch{{/etc/aliases}}',
    'smtp_banner = ${lookup{$domain}cdb{aliases.cdb}{$value}fail} ${lookup{$domain}partial-dbm{db/x}}',
    // Not judged: absolute, built at run time, a query lookup, an escape.
    'message_size_limit = ${lookup{$domain}lsearch{/etc/limits}} ${lookup{$domain}lsearch{$home/l}} ${lookup mysql{select 1}} ${lookup{a}lsearch{\\N/x\\N}}',
  ].join('\n') + '\n';
  const cfg = loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text]])));
  const found = checkExpansions(cfg, defaultOptions).filter((f) => /is not an absolute path/.test(f.message))
    .map((f) => `${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.message.slice(0, 40)}`);
  assert.deepEqual(found, [
    '0:45 warning The lsearch lookup\'s file "{/etc/aliases',
    '1:35 warning The cdb lookup\'s file "aliases.cdb" is n',
    '1:90 warning The dbm lookup\'s file "db/x" is not an a',
  ]);
});

test('a "}" right after an unbraced variable: its fix writes ${name} where it is written (plain, quoted or continued), and the finding goes', () => {
  const strays = (text: string) => checkExpansions(loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text]]))), defaultOptions)
    .filter((f) => /closes no expansion/.test(f.message));
  for (const [text, at, want] of [
    ['smtp_banner = at $primary_hostname} now\n', 34, 'smtp_banner = at ${primary_hostname} now\n'],
    ['smtp_banner = "at $primary_hostname} now"\n', 35, 'smtp_banner = "at ${primary_hostname} now"\n'],
    ['smtp_banner = at \\\n  $primary_hostname} now\n', 19, 'smtp_banner = at \\\n  ${primary_hostname} now\n'],
  ] as const) {
    const [f] = strays(text);
    assert.deepEqual([f.range.start.character, f.range.end.character], [at, at + 1], text);
    const fixed = applyEdits(text, f.fixes![0].edits);
    assert.equal(fixed, want);
    assert.deepEqual(strays(fixed), []);
  }
  // A "}" after text, or closing a "{" written as text, is not this mistake.
  assert.deepEqual(strays('smtp_banner = {a} x} {$primary_hostname} {{a}$primary_hostname} {${lc:A}}\n'), []);
  assert.equal(strays('smtp_banner = {a} $primary_hostname}\n').length, 1);
});

test('a "}" right after an expansion: its fix removes it and the finding goes', () => {
  const strays = (text: string) => checkExpansions(loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text]]))), defaultOptions)
    .filter((f) => /closes no expansion/.test(f.message));
  const text = 'smtp_banner = ${primary_hostname}} ${lc:A}} ${if eq{a}{b}{x}{y}}}\n';
  const found = strays(text);
  assert.deepEqual(found.map((f) => f.range.start.character), [33, 42, 64]);
  let fixed = text;
  for (const f of [...found].reverse()) fixed = applyEdits(fixed, f.fixes![0].edits);
  assert.equal(fixed, 'smtp_banner = ${primary_hostname} ${lc:A} ${if eq{a}{b}{x}{y}}\n');
  assert.deepEqual(strays(fixed), []);
});

test('a stray "}" in an option Exim expands at load stays a warning: the expansion succeeds with the "}" in it', () => {
  const text = 'log_file_path = ${spool_directory}}/%slog\nprimary_hostname = $primary_hostname}\n';
  const found = checkExpansions(loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text]]))), defaultOptions)
    .filter((f) => /closes no expansion/.test(f.message));
  assert.deepEqual(found.map((f) => [f.range.start.line, f.severity]), [[0, 'warning']]);
});
