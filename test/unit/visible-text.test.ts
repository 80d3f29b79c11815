// Messages quote what the user wrote; control characters in it must show where a message
// is written out (the CLI's output, the editor's diagnostics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleText } from '../../server/src/core/visible-text';
import { toWire } from '../../server/src/cli/format';
import { toDiagnostic, UriMap } from '../../server/src/lsp/convert';
import { checkExim, loadExim } from '../../server/src/core/exim';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';

test('control characters are written as escapes; line breaks and other text are kept', () => {
  assert.equal(visibleText('a\rb\0c\td\x01e\x7f'), 'a\\rb\\0c\\td\\x01e\\x7f');
  assert.equal(visibleText('line one\nline two "é"'), 'line one\nline two "é"');
});

test('a driver name with a control character in it does not read as the name it resembles, in the CLI or the editor', () => {
  const file = '/virtual/visible/exim.conf';
  const cfg = loadExim(file, defaultOptions, memoryHost(new Map([[file, 'begin routers\nr:\n  driver = acc\x01ept\n  transport = t\n']])));
  const driver = checkExim(cfg, defaultOptions).find((f) => f.code === 'exim/unknown-driver');
  assert.ok(driver, 'unknown driver reported');
  assert.match(toWire(driver, (f) => f).message, /"acc\\x01ept"/);
  const d = toDiagnostic(driver, new UriMap(), { relatedInformation: true, codeDescription: false, tags: new Set() });
  assert.match(d.message, /"acc\\x01ept"/);
});
