import fc from 'fast-check';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { memoryHost } from '../helpers/memory-host';
import { LineIndex } from '../../server/src/core/text';
import { eximConfig, mutatedConfig } from './exim-gen';
const file = '/virtual/fixprop/exim.conf';
let tried = 0, bad = 0;
const seen = new Set<string>();
fc.assert(fc.property(fc.oneof(eximConfig, mutatedConfig), (text) => {
  const before = checkProject([{ path: file, kind: 'exim' }], defaultOptions, memoryHost(new Map([[file, text]])));
  for (const f of before) for (const fix of f.fixes ?? []) {
    tried++;
    let t = text;
    const li = new LineIndex(text);
    const spans = fix.edits.filter((e) => e.file === file).map((e) => ({ a: li.offsetAt(e.range.start), b: li.offsetAt(e.range.end), n: e.newText })).sort((x, y) => y.a - x.a);
    for (const s of spans) t = t.slice(0, s.a) + s.n + t.slice(s.b);
    const after = checkProject([{ path: file, kind: 'exim' }], defaultOptions, memoryHost(new Map([[file, t]])));
    if (after.some((a) => a.code === f.code && a.range.start.line === f.range.start.line && a.range.start.character === f.range.start.character && a.message === f.message)) {
      const key = f.code + ' ' + fix.title.replace(/"[^"]*"/g, '"…"');
      if (!seen.has(key)) { seen.add(key); bad++; console.log('STILL', key, '\n---\n' + text.slice(0, 600) + '\n---'); }
    }
  }
}), { numRuns: Number(process.env.N ?? 3000), seed: 7 });
console.log('fixes tried', tried, 'kinds still there', bad);
