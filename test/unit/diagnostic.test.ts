// Messages quote what the user wrote; control characters in it must show in the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finding } from '../../server/src/core/diagnostic';
import { checkExim, loadExim } from '../../server/src/core/exim';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';

const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

test('control characters in a message are written as escapes; line breaks and text are kept', () => {
  assert.equal(finding('exim/syntax', 'f', at, 'a\rb\0c\td\x01e\x7f').message, 'a\\rb\\0c\\td\\x01e\\x7f');
  assert.equal(finding('exim/syntax', 'f', at, 'line one\nline two "é"').message, 'line one\nline two "é"');
});

test('a driver name with a control character in it does not read as the name it resembles', () => {
  const file = '/virtual/diagnostic/exim.conf';
  const cfg = loadExim(file, defaultOptions, memoryHost(new Map([[file, 'begin routers\nr:\n  driver = acc\x01ept\n  transport = t\n']])));
  const driver = checkExim(cfg, defaultOptions).find((f) => f.code === 'exim/unknown-driver');
  assert.ok(driver, 'unknown driver reported');
  assert.match(driver.message, /"acc\\x01ept"/);
});
