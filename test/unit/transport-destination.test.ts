// exim/transport-no-destination's quick fix for an LMTP transport with no hosts under an
// accept router: hosts = 127.0.0.1, and allow_localhost where it is missing, written in the
// transport's own indentation; applied, the finding is gone. (Live: test/live/link-live.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { applyEdits } from '../helpers/apply-edits';
import { memoryHost } from '../helpers/memory-host';

const FILE = path.resolve('/virtual/transport-destination/exim.conf');
const check = (text: string) => checkProject([{ path: FILE, kind: 'exim' }], defaultOptions, memoryHost(new Map([[FILE, text]])))
  .filter((f) => f.code === 'exim/transport-no-destination');

const ROUTER = 'begin routers\ncyrus_vdom:\n  driver = accept\n  transport = cyrus_ltcp\nbegin transports\n';

test('no hosts and no allow_localhost: both are added after the driver line, indented as the transport is', () => {
  const text = `${ROUTER}cyrus_ltcp:\n    driver = smtp\n    protocol = lmtp\n    port = 2003\n`;
  const [f] = check(text);
  const fix = f.fixes![0];
  assert.equal(fix.manual, true, 'never applied by check --fix');
  assert.match(fix.title, /hosts = 127\.0\.0\.1, with allow_localhost/);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, `${ROUTER}cyrus_ltcp:\n    driver = smtp\n    hosts = 127.0.0.1\n    allow_localhost\n    protocol = lmtp\n    port = 2003\n`);
  assert.deepEqual(check(fixed), []);
});

test('an empty hosts is filled in; allow_localhost already there is not added again', () => {
  const text = `${ROUTER}cyrus_ltcp:\n  driver = smtp\n  protocol = lmtp\n  hosts =\n  allow_localhost\n  port = 2003\n`;
  const fixed = applyEdits(text, check(text)[0].fixes![0].edits);
  assert.equal(fixed, `${ROUTER}cyrus_ltcp:\n  driver = smtp\n  protocol = lmtp\n  hosts = 127.0.0.1\n  allow_localhost\n  port = 2003\n`);
  assert.deepEqual(check(fixed), []);
});

test('an smtp transport that is not LMTP gets no fix: where its mail should go is not ours to guess', () => {
  const text = `${ROUTER}cyrus_ltcp:\n  driver = smtp\n  port = 25\n`;
  const [f] = check(text);
  assert.ok(f);
  assert.equal(f.fixes, undefined);
});
