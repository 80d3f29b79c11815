// A pipe transport's own command that its allow_commands or restrict_to_path forbids,
// against Debian's real Exim 4.96: we warn, and really every address the transport gets
// bounces. With the command allowed, the same message is delivered and we say nothing;
// our quick fix (adding the program to allow_commands) is what makes it so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { deliver, eximMissingReason, eximScratchDir, spoolLines } from './harness/exim';

const missing = eximMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
function setup(options: string): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-pipe-', ['mail']);
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, `primary_hostname = mail.example.com\n${spoolLines(dir)}begin routers\nlocal:\n  driver = accept\n  transport = to_file\nbegin transports\nto_file:\n  driver = pipe\n  command = /usr/bin/tee ${dir}/mail/box\n${options}  user = Debian-exim\n`);
  return { dir, conf };
}

const findings = (conf: string) => checkProject([{ path: conf, kind: 'exim' }], defaultOptions).filter((f) => f.severity !== 'hint');

test('allow_commands without the command\'s program: we warn, and Exim bounces the address; with it, delivered', { skip }, () => {
  const bad = setup('  allow_commands = /bin/cat\n');
  const found = findings(bad.conf);
  assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['exim/invalid-value warning']);
  assert.match(found[0].message, /allow_commands does not name "\/usr\/bin\/tee"/);
  const log = deliver(bad.dir, bad.conf, 'alice@example.com');
  assert.match(log, /\*\* alice@example\.com R=local T=to_file: "\/usr\/bin\/tee" command not permitted by to_file transport/);
  assert.equal(fs.existsSync(path.join(bad.dir, 'mail', 'box')), false);

  // The quick fix, applied to the file as an editor would.
  const edit = found[0].fixes![0].edits[0];
  const lines = fs.readFileSync(bad.conf, 'utf8').split('\n');
  const l = lines[edit.range.start.line];
  lines[edit.range.start.line] = l.slice(0, edit.range.start.character) + edit.newText + l.slice(edit.range.end.character);
  const good = setup('');
  fs.writeFileSync(good.conf, lines.join('\n').replaceAll(bad.dir, good.dir));
  assert.match(fs.readFileSync(good.conf, 'utf8'), /allow_commands = \/bin\/cat : \/usr\/bin\/tee/);
  assert.deepEqual(findings(good.conf), []);
  assert.match(deliver(good.dir, good.conf, 'alice@example.com'), / => alice <alice@example\.com> R=local T=to_file/);
  assert.ok(fs.readFileSync(path.join(good.dir, 'mail', 'box'), 'utf8').includes('live test'));
});

test('restrict_to_path with a command written with its directory: we warn, and Exim bounces the address', { skip }, () => {
  const bad = setup('  restrict_to_path\n');
  const found = findings(bad.conf);
  assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['exim/invalid-value warning']);
  assert.match(found[0].message, /restrict_to_path is on, and the command "\/usr\/bin\/tee" has a "\/" in it/);
  assert.match(deliver(bad.dir, bad.conf, 'alice@example.com'), /\*\* alice@example\.com R=local T=to_file: "\/" found in "\/usr\/bin\/tee .*" \(command for to_file transport\) - failed for security reasons/);
});
