// Nesting past the expansion parser's recursion bound: the rest of the value is still read
// (no false "not closed"), only the part too deep to parse goes unchecked, and depths that
// crash Exim (live/exim-verdicts checks them against the real one) get a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../diagnostic';
import { checkExim, loadExim } from '../../exim';
import { memoryHost } from '../../../../../test/helpers/memory-host';
import { defaultOptions } from '../../options';

const FILE = '/virtual/exim.conf';
const findings = (text: string) => {
  const cfg = loadExim(FILE, defaultOptions, memoryHost(new Map([[FILE, text]])));
  return checkExim(cfg, defaultOptions);
};
const nest = (n: number, inner = 'x', open = '${lc:', close = '}') => open.repeat(n) + inner + close.repeat(n);
const notClosed = (fs: Finding[]) => fs.filter((f) => /not closed/.test(f.message));

test('past the bound and short of what crashes Exim: one hint, the rest of the value still checked', () => {
  const fs = findings(`smtp_banner = ${nest(1500)} $primary_hostnme\n`);
  assert.deepEqual(notClosed(fs), []);
  const deep = fs.filter((f) => f.code === 'exim/expansion-syntax');
  assert.equal(deep.length, 1);
  assert.equal(deep[0].severity, 'hint');
  assert.match(deep[0].message, /not checked/);
  assert.ok(fs.some((f) => f.code === 'exim/unknown-variable' && /primary_hostnme/.test(f.message)), 'the variable after the deep part is read');
});

test('deep enough that Exim may crash: a warning saying so, with the depth', () => {
  const [f, ...rest] = findings(`smtp_banner = ${nest(2500)}\n`);
  assert.deepEqual(rest, []);
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /nested 2500 levels deep.*may crash/);
});

test('escapes and \\N...\\N in the unparsed part do not close it early', () => {
  const fs = findings(`smtp_banner = ${nest(1200, 'a\\} \\N}}}\\N b')}\n`);
  assert.deepEqual(fs.map((f) => f.severity), ['hint']);
});

test('a deep expansion that really is not closed is still reported', () => {
  const fs = findings(`smtp_banner = ${nest(1500).slice(0, -1)}\n`);
  assert.equal(notClosed(fs).length, 1);
  assert.equal(notClosed(fs)[0].severity, 'warning');
});

test('conditions nested past the bound: one hint, the ${if} around them still closed', () => {
  const cond = 'and{{'.repeat(1200) + 'eq{$domain}{a}' + '}}'.repeat(1200);
  const fs = findings(`acl_smtp_rcpt = \${if ${cond}{a}{b}}\nbegin acl\na:\n  accept\nb:\n  deny\n`);
  assert.deepEqual(fs.map((f) => f.severity), ['hint']);
});
