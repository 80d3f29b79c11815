// Runs every rule fixture: a config (file or directory) in, the expected findings out.
// A case is `fixtures/NAME.<ext>` (one file) or `fixtures/NAME/` (several files, checked
// together so the link rules pair them), with `fixtures/NAME.expected` beside it:
//   [relfile:]LINE:COL-ENDLINE:ENDCOL severity code     (1-based, like the CLI)
// Lines starting with `#` are comments; `# options: {json}` sets CheckOptions.
// An empty .expected file asserts the case is clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject, classifyPath, type Input } from '../../server/src/core/project';
import { defaultOptions, type CheckOptions } from '../../server/src/core/options';
import { assertWellFormed } from '../helpers/well-formed';
import { configDiskHost } from '../helpers/config-host';

const RULES_DIR = path.join(__dirname, '../../server/src/core/rules');

function cases(): { family: string; name: string; input: string; expected: string }[] {
  const out = [];
  for (const family of fs.readdirSync(RULES_DIR)) {
    const dir = path.join(RULES_DIR, family, 'fixtures');
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir)) {
      if (!entry.endsWith('.expected')) continue;
      const name = entry.slice(0, -'.expected'.length);
      const input = fs.readdirSync(dir).map((e) => path.join(dir, e))
        .find((p) => path.basename(p) !== entry && (path.basename(p) === name || path.basename(p).startsWith(name + '.')) && !p.endsWith('.expected'));
      if (!input) throw new Error(`fixture ${family}/${name}: no input file or directory beside ${entry}`);
      out.push({ family, name, input, expected: path.join(dir, entry) });
    }
  }
  return out;
}

function inputsOf(p: string): Input[] {
  if (fs.statSync(p).isDirectory()) {
    const kind = classifyPath(p);
    if (kind) return [{ path: p, kind }];
    return fs.readdirSync(p).sort().map((e) => path.join(p, e))
      .map((f) => ({ path: f, kind: classifyPath(f) }))
      .filter((i): i is Input => i.kind !== undefined);
  }
  const kind = classifyPath(p);
  if (!kind) throw new Error(`fixture ${p}: cannot tell which kind of config it is from its name`);
  return [{ path: p, kind }];
}

for (const c of cases()) {
  test(`fixture ${c.family}/${c.name}`, () => {
    const lines = fs.readFileSync(c.expected, 'utf8').split('\n');
    let opts: CheckOptions = defaultOptions;
    const want: string[] = [];
    for (const l of lines) {
      const t = l.trim();
      const m = /^#\s*options:\s*(\{.*\})\s*$/.exec(t);
      if (m) opts = { ...defaultOptions, ...JSON.parse(m[1]) };
      else if (t && !t.startsWith('#')) want.push(t.replace(/\s+/g, ' '));
    }
    const isDir = fs.statSync(c.input).isDirectory();
    const findings = checkProject(inputsOf(c.input), opts, configDiskHost);
    assertWellFormed(findings);
    const got = findings.map((f) => {
      const rel = isDir ? path.relative(c.input, f.file) + ':' : '';
      return `${rel}${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.severity} ${f.code}`;
    });
    assert.deepEqual(got.sort(), want.sort());
  });
}
