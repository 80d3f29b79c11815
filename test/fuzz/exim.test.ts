// Properties of the Exim parser and checks over generated and mutated configurations:
// lossless (the pieces rebuild the text byte for byte), ranges nest, nothing throws or
// hangs, and re-checking after an edit and its undo gives the same diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkExim, loadExim, reconstructFiles, type ParsedExim } from '../../server/src/core/exim';
import type { ExpansionNode } from '../../server/src/core/exim/expansion';
import type { Loc } from '../../server/src/core/exim/model';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';
import { comparePos, LineIndex, type Range } from '../../server/src/core/text';
import { eximSignatureHelp } from '../../server/src/core/features/exim-signature';
import { ConfigWorkspace } from '../../server/src/core/features/workspace';
import { anyText, eximConfig, mutatedConfig } from './exim-gen';
import { check, longRun, runs, TIMEOUT } from './support';
import { assertWellFormed } from '../helpers/well-formed';
import fc from 'fast-check';

const FILE = path.resolve('/virtual/fuzz/exim.conf');

function load(text: string, file = FILE): ParsedExim {
  return loadExim(file, defaultOptions, memoryHost(new Map([[file, text]])));
}

const inside = (outer: Range, inner: Range) => comparePos(outer.start, inner.start) <= 0 && comparePos(inner.end, outer.end) <= 0;
const show = (r: Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

function assertLossless(text: string, cfg = load(text)): void {
  const rebuilt = reconstructFiles(cfg).get(FILE);
  assert.equal(rebuilt, text, 'the reader\'s pieces rebuild the file byte for byte');
}

/** Every expansion node inside its parent (and the top level inside the value), names inside nodes. */
function assertNested(nodes: ExpansionNode[] | undefined, parent: Range | undefined, where: string): void {
  for (const n of nodes ?? []) {
    if (comparePos(n.range.start, n.range.end) > 0) assert.fail(`${where}: ${n.kind} range ${show(n.range)} ends before it starts`);
    if (parent) assert.ok(inside(parent, n.range), `${where}: ${n.kind} ${show(n.range)} lies outside its parent ${show(parent)}`);
    if ('nameRange' in n) assert.ok(inside(n.range, n.nameRange), `${where}: name of ${n.kind} ${show(n.nameRange)} outside ${show(n.range)}`);
    const kids = n.kind === 'item' || n.kind === 'condition' ? n.args : n.kind === 'operator' ? [n.arg] : [];
    for (const k of kids) assertNested(k, n.range, `${where} > ${n.kind}`);
  }
}

function assertRanges(cfg: ParsedExim, text: string): void {
  const lines = cfg.files.get(FILE)?.lines;
  const inFile = (l: Loc | undefined, what: string) => {
    if (!l || l.file !== FILE || !lines) return;
    const r = l.range;
    assert.ok(comparePos(r.start, r.end) <= 0, `${what}: ${show(r)} ends before it starts`);
    assert.ok(r.end.line < Math.max(1, lines.lineCount), `${what}: ${show(r)} beyond the last line`);
    assert.ok(r.start.character <= lines.lineText(r.start.line).length + 1, `${what}: start column beyond its line`);
  };
  const options = [...cfg.main, ...cfg.local_scan, ...[...cfg.routers, ...cfg.transports, ...cfg.authenticators].flatMap((d) => d.options)];
  for (const o of options) {
    inFile(o.loc, `option ${o.name}`); inFile(o.nameLoc, `name of ${o.name}`); inFile(o.valueLoc, `value of ${o.name}`);
    if (o.valueLoc && o.loc.file === o.valueLoc.file) assert.ok(inside(o.loc.range, o.valueLoc.range), `value of ${o.name} inside its line`);
    assertNested(o.expansion, o.valueLoc?.file === FILE ? o.valueLoc.range : undefined, `option ${o.name}`);
  }
  for (const l of cfg.lists) {
    inFile(l.loc, `list ${l.name}`);
    for (const it of l.items) { inFile(it.loc, `item of ${l.name}`); assertNested(it.expansion, it.loc.range, `list ${l.name}`); }
  }
  for (const a of cfg.acls) for (const s of a.statements) for (const it of s.items) {
    inFile(it.valueLoc, `acl ${a.name} ${it.name}`);
    assertNested(it.expansion, it.valueLoc?.range, `acl ${a.name} ${it.name}`);
  }
  for (const f of cfg.parseFindings) inFile({ file: f.file, range: f.range }, `finding ${f.code}`);
  void text;
}

const N = runs(150);

test('lossless and nested: generated configs', { timeout: TIMEOUT }, () => {
  check('exim-lossless', eximConfig, (text) => { const c = load(text); assertLossless(text, c); assertRanges(c, text); }, N);
});

test('lossless and nested: mutated configs', { timeout: TIMEOUT }, () => {
  check('exim-lossless-mutated', mutatedConfig, (text) => { const c = load(text); assertLossless(text, c); assertRanges(c, text); }, N);
});

test('total: parsing and checking any string never throws', { timeout: TIMEOUT }, () => {
  check('exim-total', fc.oneof(anyText, mutatedConfig), (text) => {
    const c = load(text);
    assertLossless(text, c);
    assertWellFormed(checkExim(c, defaultOptions));
    assertWellFormed(checkExim(c, { ...defaultOptions, eximVersion: '4.96', defines: { FOO: '${', BAR: '' } }));
  }, N);
});

test('total: signature help at any place of any text is none or well-formed, and never throws', { timeout: TIMEOUT }, () => {
  const withExpansions = fc.string({ unit: fc.constantFrom('${', '$', '{', '}', '\\', '\\N', 'if ', 'eq', 'and', 'lookup', 'substr', 'acl', 'forall', 'def:', 'constructor', 'toString', ':', '!', ' ', '\n', '#', 'a'), maxLength: 120 })
    .map((s) => 'x = ' + s);
  check('exim-signature-total', fc.tuple(fc.oneof(anyText, mutatedConfig, withExpansions), fc.nat()), ([text, seed]) => {
    const lines = new LineIndex(text);
    for (let k = 0; k < 8; k++) {
      const line = (seed + k * 7) % lines.lineCount;
      const p = { line, character: (seed * (k + 1)) % (lines.lineText(line).length + 2) };
      const h = eximSignatureHelp(lines, p, FILE);
      if (!h) continue;
      const sig = h.signatures[h.activeSignature];
      assert.ok(sig, 'the active signature exists');
      assert.ok(h.activeParameter >= 0 && h.activeParameter < sig.parameters.length, 'the active parameter exists');
      for (const g of h.signatures) for (const { label: [a, b] } of g.parameters) assert.ok(0 <= a && a < b && b <= g.label.length, 'a parameter lies in its label');
    }
  }, N);
});

test('stable: an edit and its undo give the diagnostics of before', { timeout: TIMEOUT }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-fuzz-'));
  const file = path.join(dir, 'exim.conf');
  try {
    check('exim-stable', fc.tuple(eximConfig, mutatedConfig), ([text, edited]) => {
      const ws = new ConfigWorkspace();
      ws.setFolders([dir]);
      ws.open(file, text, 'exim');
      const before = ws.analyseFile(file).findings;
      ws.update(file, edited);
      ws.analyseFile(file);
      ws.update(file, text);
      assert.deepEqual(ws.analyseFile(file).findings, before);
    }, Math.max(20, Math.floor(N / 3)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Linear on pathological input: each 1 MB input is parsed and checked, and must finish
// within a bound so generous that only super-linear behaviour (or a hang) can miss it.
// Real figures are in `npm run bench`.
const MB = 1 << 20;
const fill = (unit: string, prefix = '') => (prefix + unit.repeat(Math.ceil(MB / unit.length))).slice(0, MB);
const PATHOLOGICAL: [string, string][] = [
  ['nested ${', fill('${', 'x = ')],
  ['10 000 continuation lines', 'received_header_text = X \\\n' + '  ${if eq{$domain}{x}{y}{z}} \\\n'.repeat(10000) + '  end\n'],
  ['one 1 MB line', fill('${lookup{$local_part}lsearch{/etc/x}} : ', 'domainlist big = ')],
  ['backslashes and quotes', fill('"\\\\${:}\\', 'primary_hostname = ')],
  ['.ifdef nesting', fill('.ifdef X\n.ifndef Y\nfoo = bar\n.endif\n.endif\n')],
  ['unclosed braces in an ACL', 'begin acl\na:\n  deny condition = ' + fill('${if eq{', '')],
  // Closed, so the parser's recursion bound is reached and the rest only scanned.
  ['nested ${lc: closed', 'x = ' + '${lc:'.repeat(Math.floor(MB / 6)) + 'x' + '}'.repeat(Math.floor(MB / 6)) + '\n'],
  ['nested conditions closed', 'x = ${if ' + 'and{{'.repeat(Math.floor(MB / 7)) + 'def:h_x' + '}}'.repeat(Math.floor(MB / 7)) + '}\n'],
];
for (const [name, text] of PATHOLOGICAL) {
  test(`linear: ${name} (1 MB) finishes within 30 s`, { timeout: 30_000 }, () => {
    const c = load(text);
    checkExim(c, defaultOptions);
    assertLossless(text, c);
  });
}

test('lossless over the Exim test-suite corpus (long runs only)', { skip: !longRun() && 'only under npm run fuzz' }, () => {
  const root = [process.env.EXIM_CYRUS_CORPUS, path.resolve(__dirname, '../../../shared/corpus'), '/work/shared/corpus']
    .filter((x): x is string => !!x).find((d) => fs.existsSync(path.join(d, 'exim-testsuite/confs')));
  if (!root) return;
  const dir = path.join(root, 'exim-testsuite/confs');
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (!fs.statSync(p).isFile()) continue;
    const text = fs.readFileSync(p).toString('latin1');
    const c = load(text);
    assertLossless(text, c);
    assertRanges(c, text);
    checkExim(c, defaultOptions);
  }
});
