// `check --fix`: what it applies and what it says it did. The count is of findings solved,
// not of edits; a fix several findings share is applied and named once; a fix that only
// starts the work (a named list defined empty) says what is left to do.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFixes } from '../../server/src/cli/fix';
import { diskHost } from '../../server/src/core/host';
import { finding, type Finding, type TextEdit } from '../../server/src/core/diagnostic';
import { range } from '../../server/src/core/text';
import { useCliBundle } from '../helpers/cli-bundle';

const bundle = useCliBundle('exim-cyrus-fix-');

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function tmpFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-fix-'));
  dirs.push(dir);
  const f = path.join(dir, 'exim.conf');
  fs.writeFileSync(f, text);
  return f;
}

const edit = (file: string, line: number, from: number, to: number, newText: string): TextEdit => ({ file, range: range(line, from, line, to), newText });
const withFix = (file: string, title: string, edits: TextEdit[]): Finding =>
  finding('link/router-shadowed', file, range(0, 0, 0, 1), 'm', { fixes: [{ title, edits, preferred: true }] });

test('two fixes of two edits each are two problems fixed, not four', () => {
  const file = tmpFile('a\nb\nc\nd\n');
  const r = applyFixes([
    withFix(file, 'Move one', [edit(file, 0, 0, 1, 'A'), edit(file, 1, 0, 1, 'B')]),
    withFix(file, 'Move two', [edit(file, 2, 0, 1, 'C'), edit(file, 3, 0, 1, 'D')]),
  ], diskHost);
  assert.deepEqual(r.changed.map((c) => [c.applied, c.titles]), [[2, ['Move one', 'Move two']]]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'A\nB\nC\nD\n');
});

test('one fix shared by five findings is applied once and named once, with its count', () => {
  const file = tmpFile('x\n');
  const define = () => withFix(file, 'Define domainlist cyrus_domains', [edit(file, 0, 0, 0, 'domainlist cyrus_domains =\n\n')]);
  const r = applyFixes([define(), define(), define(), define(), define()], diskHost);
  assert.deepEqual(r.changed.map((c) => [c.applied, c.titles]), [[5, ['Define domainlist cyrus_domains (5 findings)']]]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'domainlist cyrus_domains =\n\nx\n');
  assert.deepEqual(r.notes, ['domainlist cyrus_domains was created empty: add its items, or everything that uses +cyrus_domains matches nothing.']);
});

test('a manual fix (one to weigh first) is never applied, and is counted; another fix of the finding is', () => {
  const file = tmpFile('abc\n');
  const manual = { title: 'Route it to Cyrus', edits: [edit(file, 0, 0, 1, 'X')], manual: true };
  const only = finding('link/domain-mismatch', file, range(0, 0, 0, 1), 'm', { fixes: [manual] });
  const preferredManual = finding('link/domain-mismatch', file, range(0, 0, 0, 1), 'm',
    { fixes: [{ ...manual, preferred: true }, { title: 'Take it out', edits: [edit(file, 0, 2, 3, 'Z')] }] });
  const r = applyFixes([only, preferredManual], diskHost);
  assert.equal(r.manual, 1);
  assert.deepEqual(r.changed.map((c) => c.titles), [['Take it out']]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'abZ\n');
});

test('a fix overlapping one taken is left whole for the next run, not applied in part', () => {
  const file = tmpFile('abc\ndef\n');
  const r = applyFixes([
    withFix(file, 'First', [edit(file, 0, 0, 2, 'XY')]),
    withFix(file, 'Second', [edit(file, 1, 0, 1, 'D'), edit(file, 0, 1, 3, 'ZZ')]),
  ], diskHost);
  assert.deepEqual(r.changed.map((c) => [c.applied, c.titles]), [[1, ['First']]]);
  assert.equal(r.deferred, 1);
  assert.equal(fs.readFileSync(file, 'utf8'), 'XYc\ndef\n', 'no edit of the second fix was made');
});

test('the CLI says the list was created empty and must be filled', () => {
  const dir = path.join(bundle.dir, 'fix-list');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'exim.conf');
  fs.writeFileSync(file, [
    'primary_hostname = mx.example.net', 'acl_smtp_rcpt = rcpt', 'begin acl', 'rcpt:',
    '  accept domains = +cyrus_domains', '  deny domains = +cyrus_domains', '  accept',
    'begin routers', 'cyrus:', '  driver = accept', '  domains = +cyrus_domains', '  transport = t',
    'begin transports', 't:', '  driver = appendfile', '  file = /var/mail/$local_part', '',
  ].join('\n'));
  const r = spawnSync(process.execPath, [bundle.cli, 'check', '--fix', file], { cwd: bundle.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.match(r.stdout, /fixed 3 problems in .*exim\.conf: Define domainlist cyrus_domains \(3 findings\)\n/);
  assert.match(r.stdout, /note: domainlist cyrus_domains was created empty: add its items, or everything that uses \+cyrus_domains matches nothing\./);
  assert.equal(fs.readFileSync(file, 'utf8').match(/^domainlist cyrus_domains =$/gm)?.length, 1);
});

test('a fix in a CRLF file writes CRLF line breaks, so its lines do not end two ways', () => {
  const file = tmpFile('begin routers\r\nr:\r\n  driver = accept\r\n');
  const r = applyFixes([withFix(file, 'Add a line', [edit(file, 2, 17, 17, '\n  transport = t')])], diskHost);
  assert.equal(r.changed.length, 1);
  assert.equal(fs.readFileSync(file, 'utf8'), 'begin routers\r\nr:\r\n  driver = accept\r\n  transport = t\r\n');
});
