import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadExim } from '../../exim';
import { diskHost } from '../../host';
import { defaultOptions } from '../../options';
import { checkNames } from './names';
import { checkUnused } from './unused';

const FIXTURES = path.join(__dirname, 'fixtures');
const load = (name: string) => loadExim(path.join(FIXTURES, name), defaultOptions, diskHost);
const run = (cfg: ReturnType<typeof load>) => [...checkNames(cfg, defaultOptions), ...checkUnused(cfg, defaultOptions)];

// The two rules share the references they find: the names rule leaves them for the unused
// rule, which takes them. Each must give the same findings whatever ran before it.
for (const name of ['names.exim', 'names-repeated-refs.exim', 'unused.exim']) {
  test(`${name}: the names and unused rules agree however often and in whatever order they run`, () => {
    const cfg = load(name);
    const first = run(cfg);
    assert.ok(first.length > 0);
    assert.deepEqual(run(cfg), first, 'the same model checked again');
    const names = checkNames(cfg, defaultOptions);
    assert.deepEqual(checkNames(cfg, defaultOptions), names, 'names twice without unused between');
    const fresh = load(name);
    assert.deepEqual([...checkNames(cfg, defaultOptions), ...checkUnused(fresh, defaultOptions)], first, 'unused alone on a model names never saw');
  });
}

test('a +reference no list can be called (a "\\" joined the next line onto it): said so, and no definition offered, which Exim would not load', async () => {
  const { memoryHost } = await import('../../../../../test/helpers/memory-host');
  const file = '/virtual/names/exim.conf';
  const cfg = loadExim(file, defaultOptions, memoryHost(new Map([[file, 'domainlist local = +local_domains \\\n  condition = user\ndomainlist local_domains = a.example\n']])));
  const [f] = checkNames(cfg, defaultOptions).filter((x) => x.code === 'exim/undefined-list');
  assert.match(f.message, /^No domainlist can be called "local_domains condition = user" \(a list name is letters, digits and "_"\).*Does a "\\" at the end of a line join the next line onto it\?/);
  assert.ok(!f.fixes?.some((x) => /Define/.test(x.title)), JSON.stringify(f.fixes?.map((x) => x.title)));
});

test('the fix that defines a missing list, appended after a last line ending in "\\", leaves a blank line between, or Exim would read the definition as that line\'s continuation', async () => {
  const { memoryHost } = await import('../../../../../test/helpers/memory-host');
  const { applyEdits } = await import('../../../../../test/helpers/apply-edits');
  const file = '/virtual/names/continued.conf';
  for (const text of ['hostlist l2 = +local : example.com\\', 'hostlist l2 = +local : example.com\\\n', 'hostlist l2 = +local : example.com\n']) {
    const find = (t: string) => checkNames(loadExim(file, defaultOptions, memoryHost(new Map([[file, t]]))), defaultOptions).filter((x) => x.code === 'exim/undefined-list');
    const [f] = find(text);
    const fixed = applyEdits(text, f.fixes!.find((x) => x.title === 'Define hostlist local')!.edits);
    assert.match(fixed, /\nhostlist local =\n$/, JSON.stringify(fixed));
    assert.deepEqual(find(fixed), [], JSON.stringify(fixed));
  }
});
