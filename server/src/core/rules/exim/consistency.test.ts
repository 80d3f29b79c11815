import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { diskHost, overlayHost } from '../../host';

const errorsFor = (text: string) => {
  const file = '/virtual/consistency/exim.conf';
  return checkProject([{ path: file, kind: 'exim' }], defaultOptions, overlayHost(new Map([[file, text]]), diskHost))
    .filter((f) => f.severity === 'error').map((f) => f.code);
};

test('localhost_number is read as strtol reads it, at most 16, as exim4 -bV checks it', () => {
  // Refused by Exim 4.96: "localhost_number value is not a number" or "... greater than the maximum allowed value (16)".
  for (const v of ['abc', '3x', '08', '17', '0x11', '99999999999']) {
    assert.deepEqual(errorsFor(`localhost_number = ${v}\n`), ['exim/invalid-value'], v);
  }
  // Accepted by it; an expansion is only known when Exim runs it.
  for (const v of ['16', '0', '-1', '-17', '03', '0x3', '"3"', '${if eq{1}{1}{3}}']) {
    assert.deepEqual(errorsFor(`localhost_number = ${v}\n`), [], v);
  }
});
