// A router's `set` with a name that is no router variable, against Debian's real Exim 4.96:
// we warn, and really the message is taken in, the router fails the address ("bad router
// variable name") and Exim completes the message without delivering or bouncing it. With
// an r_ name the same message is delivered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { deliver, eximMissingReason, eximScratchDir, spoolLines } from './harness/exim';

const missing = eximMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
function setup(set: string): { dir: string; conf: string } {
  const dir = eximScratchDir('exim-cyrus-router-set-', ['mail']);
  const conf = path.join(dir, 'exim.conf');
  fs.writeFileSync(conf, `primary_hostname = mail.example.com\n${spoolLines(dir)}begin routers\nlocal:\n  driver = accept\n  set = ${set}\n  transport = box\nbegin transports\nbox:\n  driver = appendfile\n  file = ${dir}/mail/box\n  user = Debian-exim\n`);
  return { dir, conf };
}

test('set = acl_m_seen = 1 in a router: we warn, and Exim loses the message (no delivery, no bounce); set = r_seen = 1 delivers', { skip }, () => {
  const bad = setup('acl_m_seen = 1');
  const found = checkProject([{ path: bad.conf, kind: 'exim' }], defaultOptions).filter((f) => f.severity !== 'hint');
  assert.deepEqual(found.map((f) => `${f.code} ${f.severity}`), ['exim/invalid-value warning']);
  assert.match(found[0].message, /"acl_m_seen", which is no router variable/);
  const log = deliver(bad.dir, bad.conf, 'alice@example.com');
  assert.match(log, /bad router variable name 'acl_m_seen' in router 'local'/);
  assert.match(log, /Completed/);
  assert.doesNotMatch(log, / => | \*\* | <= <> /, 'neither delivered nor bounced');
  assert.equal(fs.existsSync(path.join(bad.dir, 'mail', 'box')), false);

  const good = setup('r_seen = 1');
  assert.deepEqual(checkProject([{ path: good.conf, kind: 'exim' }], defaultOptions).filter((f) => f.severity !== 'hint').map((f) => f.code), []);
  assert.match(deliver(good.dir, good.conf, 'alice@example.com'), / => alice <alice@example\.com> R=local T=box/);
  assert.ok(fs.readFileSync(path.join(good.dir, 'mail', 'box'), 'utf8').includes('live test'));
});
