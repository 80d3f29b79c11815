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
import { overlayHost } from '../../server/src/core/host';
import { LineIndex } from '../../server/src/core/text';
import type { Finding, Fix } from '../../server/src/core/diagnostic';

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

/** The options line and the expected findings of a `.expected` file. */
function expectation(file: string): { opts: CheckOptions; want: string[] } {
  let opts: CheckOptions = defaultOptions;
  const want: string[] = [];
  for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
    const t = l.trim();
    const m = /^#\s*options:\s*(\{.*\})\s*$/.exec(t);
    if (m) opts = { ...defaultOptions, ...JSON.parse(m[1]) };
    else if (t && !t.startsWith('#')) want.push(t.replace(/\s+/g, ' '));
  }
  return { opts, want };
}

/** The files a fix's edits leave, by path (edits of one file applied from its end). */
function applied(fix: Fix): Map<string, string> {
  const out = new Map<string, string>();
  const files = [...new Set(fix.edits.map((e) => path.resolve(e.file)))];
  for (const f of files) {
    let text = fs.readFileSync(f, 'utf8');
    const lines = new LineIndex(text);
    const spans = fix.edits.filter((e) => path.resolve(e.file) === f)
      .map((e) => ({ a: lines.offsetAt(e.range.start), b: lines.offsetAt(e.range.end), t: e.newText })).sort((x, y) => y.a - x.a);
    for (const sp of spans) text = text.slice(0, sp.a) + sp.t + text.slice(sp.b);
    out.set(f, text);
  }
  return out;
}

const sameFinding = (a: Finding, b: Finding) => a.code === b.code && path.resolve(a.file) === path.resolve(b.file)
  && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.message === b.message;

for (const c of cases()) {
  test(`fixture ${c.family}/${c.name}`, () => {
    const { opts, want } = expectation(c.expected);
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

// A quick fix that leaves its own finding in place is no fix: each one, applied alone to its
// fixture, must clear the finding it came with. (What the change reveals, such as a router
// that lacked a transport once its driver is spelt right, may remain.)
for (const c of cases()) {
  const { opts } = expectation(c.expected);
  const inputs = inputsOf(c.input);
  const findings = checkProject(inputs, opts, configDiskHost).filter((f) => f.fixes?.length);
  if (!findings.length) continue;
  test(`fixture ${c.family}/${c.name}: each quick fix clears its finding`, () => {
    for (const f of findings) for (const fix of f.fixes!) {
      const after = checkProject(inputs, opts, overlayHost(applied(fix), configDiskHost));
      assert.ok(!after.some((a) => sameFinding(a, f)), `"${fix.title}" leaves ${f.code} at ${path.basename(f.file)}:${f.range.start.line + 1}`);
    }
  });
}
