// The .vsix must carry exactly what runs: the bundles, grammars, language configurations,
// snippets, manifest, README, LICENSE and icon — no sources, tests or node_modules. `vsce ls` prints
// the file list vsce would pack (after .vscodeignore), without building the archive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '../..');
const vsce = path.join(root, 'node_modules/.bin/vsce');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const bundles = ['dist/extension.js', 'dist/server.js', 'dist/server-checker.js', 'dist/server-callout.js', 'dist/cli.js', 'dist/cli-check.js', 'dist/cli-callout.js', 'dist/cli-callout-targets.js'];

const allowed = [
  /^dist\/[\w-]+\.js$/,
  /^syntaxes\/[\w-]+\.tmLanguage\.json$/,
  /^language-configuration(\.[\w-]+)?\.json$/,
  /^snippets\/[\w-]+\.json$/,
  /^media\/icon\.png$/,
  /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
];

let listed: string[] | undefined;
function vsceList(): string[] {
  if (listed) return listed;
  if (bundles.some((b) => !fs.existsSync(path.join(root, b)))) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(b.status, 0, `build failed:\n${b.stderr}`);
  }
  const r = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, `vsce ls failed:\n${r.stdout}\n${r.stderr}`);
  listed = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  return listed;
}

const norm = (p: string) => path.posix.normalize(p.replace(/^\.\//, ''));

test('vsce would pack the bundles, grammars, language configurations, icon and licence', { skip: !fs.existsSync(vsce) && '@vscode/vsce is not installed' }, () => {
  const files = vsceList();
  for (const f of [...bundles, 'package.json', 'README.md', 'LICENSE', 'media/icon.png', 'language-configuration.json',
    'syntaxes/exim.tmLanguage.json', 'syntaxes/cyrus-conf.tmLanguage.json', 'syntaxes/imapd-conf.tmLanguage.json']) {
    assert.ok(files.includes(f), `${f} is packed (got: ${files.join(', ')})`);
  }
});

test('vsce would pack nothing but runtime files', { skip: !fs.existsSync(vsce) && '@vscode/vsce is not installed' }, () => {
  const files = vsceList();
  assert.deepEqual(files.filter((f) => /^(server|client|test|node_modules|scripts|examples|bench|docs|out|test-artifacts)\//.test(f)), []);
  assert.deepEqual(files.filter((f) => /\.(ts|map|vsix|tsv)$/.test(f)), []);
  assert.deepEqual(files.filter((f) => !allowed.some((re) => re.test(f))), [], 'every packed file is on the allow-list');
});

test('every file the manifest points at is packed', { skip: !fs.existsSync(vsce) && '@vscode/vsce is not installed' }, () => {
  const files = vsceList();
  const referenced = [pkg.main, pkg.icon,
    ...(pkg.contributes?.grammars ?? []).map((g: { path: string }) => g.path),
    ...(pkg.contributes?.snippets ?? []).map((g: { path: string }) => g.path),
    ...(pkg.contributes?.languages ?? []).map((l: { configuration?: string }) => l.configuration).filter(Boolean)];
  for (const ref of referenced) {
    assert.ok(fs.existsSync(path.join(root, ref)), `${ref} exists`);
    assert.ok(files.includes(norm(ref)), `${ref} is packed`);
  }
});

test('the icon is a 128x128 PNG and the licence is MIT', () => {
  assert.equal(pkg.license, 'MIT');
  assert.match(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) exim-cyrus contributors\n/);
  const png = fs.readFileSync(path.join(root, pkg.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
});

test('npm run package builds before it packs, without prompting', () => {
  const script: string = pkg.scripts.package;
  assert.match(script, /^npm run build\b.*&&.*\bvsce package\b.*--no-dependencies/);
  assert.ok(pkg.repository?.url, 'vsce asks about a missing repository');
  assert.ok(fs.existsSync(path.join(root, 'LICENSE')), 'vsce asks about a missing LICENSE');
});
