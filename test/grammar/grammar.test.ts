// Runs the TextMate grammar fixtures (test/grammar/<language>/*.test, one `# SYNTAX TEST`
// header each, `^`/`<-` scope assertions under the lines they check) through
// vscode-tmgrammar-test, which tokenizes them with the same engine VS Code uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '../..');
const runner = path.join(root, 'node_modules/.bin/vscode-tmgrammar-test');
const grammars = {
  'source.exim': 'syntaxes/exim.tmLanguage.json',
  'source.cyrus-conf': 'syntaxes/cyrus-conf.tmLanguage.json',
  'source.imapd-conf': 'syntaxes/imapd-conf.tmLanguage.json',
};

function runFixtures(pattern: string) {
  const args = Object.values(grammars).flatMap((g) => ['-g', g]);
  return spawnSync(runner, [...args, '--compact', pattern], { cwd: root, encoding: 'utf8', timeout: 120_000 });
}

test('each grammar file is JSON with the scope name the extension registers', () => {
  for (const [scope, file] of Object.entries(grammars)) {
    const g = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
    assert.equal(g.scopeName, scope, file);
    assert.ok(Array.isArray(g.patterns) && g.patterns.length > 0, `${file} has top-level patterns`);
  }
});

test('every grammar has fixtures', () => {
  for (const [scope, dir] of [['source.exim', 'exim'], ['source.cyrus-conf', 'cyrus'], ['source.imapd-conf', 'imapd']]) {
    const files = fs.readdirSync(path.join(__dirname, dir)).filter((f) => f.endsWith('.test'));
    assert.ok(files.length > 0, `no fixtures in test/grammar/${dir}`);
    for (const f of files) {
      const header = fs.readFileSync(path.join(__dirname, dir, f), 'utf8').split('\n', 1)[0];
      assert.match(header, new RegExp(`^# SYNTAX TEST "${scope.replace('.', '\\.')}"`), `${dir}/${f}`);
    }
  }
});

test('grammar fixtures pass (vscode-tmgrammar-test)', { skip: !fs.existsSync(runner) && 'vscode-tmgrammar-test is not installed' }, () => {
  const r = runFixtures('test/grammar/**/*.test');
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /exim\/expansions\.exim\.test/, 'the runner saw the fixtures');
});

test('a wrong assertion fails the run (the fixtures are not vacuous)', { skip: !fs.existsSync(runner) && 'vscode-tmgrammar-test is not installed' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grammar-neg-'));
  try {
    const f = path.join(dir, 'wrong.exim.test');
    // `begin` is keyword.control.section.exim, never a comment.
    fs.writeFileSync(f, '# SYNTAX TEST "source.exim"\nbegin acl\n# <----- comment.line.number-sign.exim\n');
    const r = runFixtures(f);
    assert.equal(r.error, undefined, String(r.error));
    assert.notEqual(r.status, 0, 'the runner accepted a false assertion');
    assert.match(r.stdout, /wrong\.exim\.test:2:1:6 Missing required scopes: \[ comment\.line\.number-sign\.exim \]/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('grammars contributed in package.json point at these files', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const contributed: Array<{ scopeName: string; path: string }> = pkg.contributes?.grammars ?? [];
  for (const g of contributed) {
    const file = path.join(root, g.path);
    assert.ok(fs.existsSync(file), `${g.path} exists`);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).scopeName, g.scopeName, g.path);
  }
});

test('language configurations: # comments, and every regex compiles and means what it should', () => {
  const load = (f: string) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'));
  for (const f of ['language-configuration.json', 'language-configuration.cyrus-conf.json', 'language-configuration.imapd-conf.json']) {
    assert.equal(load(f).comments.lineComment, '#', f);
  }
  const exim = load('language-configuration.json');
  const start = new RegExp(exim.folding.markers.start);
  const end = new RegExp(exim.folding.markers.end);
  assert.ok(start.test('.ifdef CYRUS') && start.test('  .ifndef _HAVE_TLS') && !start.test('.include /x'));
  assert.ok(end.test('.endif') && !end.test('.else'));
  const increase = new RegExp(exim.indentationRules.increaseIndentPattern);
  assert.ok(increase.test('acl_check_rcpt:') && !increase.test('  hosts = a:b') && !increase.test('domains = :'));
  assert.deepEqual(exim.autoClosingPairs.map((p: { open: string }) => p.open).sort(), ['"', '(', '[', '{']);
  const cyrus = load('language-configuration.cyrus-conf.json');
  assert.ok(new RegExp(cyrus.indentationRules.increaseIndentPattern).test('SERVICES {  # comment'));
  assert.ok(new RegExp(cyrus.indentationRules.decreaseIndentPattern).test('  }'));
  const word = new RegExp(load('language-configuration.imapd-conf.json').wordPattern);
  assert.equal(word.exec('partition-default: /var')?.[0], 'partition-default');
});
