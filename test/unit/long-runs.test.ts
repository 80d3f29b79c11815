// Editor features on a line holding a long run of one character. Regular expressions that
// read "the option before the cursor" let two `\s*` share the spaces of an ACL line, so
// completion and hover at the end of 200,000 spaces took half a minute each (a million took
// minutes, the server meanwhile deaf). The bound stops a hang only; speed is `npm run bench`'s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigWorkspace, completion, hover, signatureHelp } from '../../server/src/core/features';

const file = '/virtual/long-runs/exim.conf';

for (const [what, line] of [
  ['a million spaces then "#"', `  ${' '.repeat(1 << 20)}#`],
  ['accept, a million spaces, then "!"', `  accept${' '.repeat(1 << 20)}!`],
  ['a million tabs', '\t'.repeat(1 << 20)],
] as const) {
  test(`an ACL line of ${what}: completion, hover and signature help at its end answer`, { timeout: 60_000 }, () => {
    const ws = new ConfigWorkspace();
    ws.open(file, `acl_smtp_rcpt = a\nbegin acl\na:\n${line}\n  accept\n`);
    const at = { line: 3, character: line.length };
    assert.ok(Array.isArray(completion(ws, file, at)));
    hover(ws, file, at);
    signatureHelp(ws, file, at);
  });
}
