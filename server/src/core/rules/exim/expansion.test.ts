// The expansion rule remembers, for one run, the names it found known: every occurrence of
// a name it reports is still reported, and a run for another Exim version starts afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadExim } from '../../exim';
import { overlayHost } from '../../host';
import { defaultOptions, type EximVersion } from '../../options';
import { checkExpansions } from './expansion';

const FILE = '/virtual/exim.conf';
const NOTHING = { readFile: () => undefined, readDir: () => undefined, isDirectory: () => false };
const TEXT = [
  'primary_hostname = ${lc:mail.example.com}',
  'smtp_banner = ${headerwrap_72:$domain} $local_prt ${lookp{$domain}lsearch{/x}} ${length_x:$domain} ${lookup{$domain}lsearchh{/x}}',
  'warn_message_file = ${headerwrap_72:$domain} $local_prt ${lookp{$domain}lsearch{/x}} ${length_x:$domain} ${lookup{$domain}lsearchh{/x}}',
  'system_filter = ${lookup{$domain}lsearch{/x}} ${if eq{$domain}{x}{$local_part}}',
].join('\n') + '\n';

const found = (version: EximVersion) => {
  const cfg = loadExim(FILE, { ...defaultOptions, eximVersion: version }, overlayHost(new Map([[FILE, TEXT]]), NOTHING));
  return checkExpansions(cfg, { ...defaultOptions, eximVersion: version }).map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message.slice(0, 28)}`);
};

test('every occurrence of a name is reported, whatever the rule remembered from earlier values and runs', () => {
  const each = (line: number, at: number) => [
    `${line}:${at} Exim has no variable "$local`, `${line}:${at + 12} Unknown expansion item "look`,
    `${line}:${at + 41} "\${length_x:" is the length `, `${line}:${at + 76} Unknown lookup type "lsearch`,
  ];
  const latest = [...each(1, 40), ...each(2, 46)];
  const old = [`1:16 The expansion operator "head`, ...each(1, 40), `2:22 The expansion operator "head`, ...each(2, 46)];
  assert.deepEqual(found('latest'), latest);
  assert.deepEqual(found('4.96'), old);
  assert.deepEqual(found('latest'), latest);
});
