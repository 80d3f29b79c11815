// Bad input never throws or hangs: binary data, unterminated quotes and braces, huge files,
// and random text all give findings in bounded time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SourceHost } from '../../server/src/core/host';
import { decodeText } from '../../server/src/core/host';
import { defaultOptions } from '../../server/src/core/options';
import { checkCyrusConf, checkImapdConf, loadCyrusConf, loadImapdConf } from '../../server/src/core/cyrus';

const host = (text: string): SourceHost => ({ readFile: (f) => (f === '/t/x' ? text : undefined), readDir: () => undefined, isDirectory: () => false });
const cyrus = (t: string) => checkCyrusConf(loadCyrusConf('/t/x', defaultOptions, host(t)), defaultOptions);
const imapd = (t: string) => checkImapdConf(loadImapdConf('/t/x', defaultOptions, host(t)), defaultOptions);

test('binary input gives syntax findings, capped', () => {
  const bytes = new Uint8Array(200_000);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) { x = (x * 1103515245 + 12345) >>> 0; bytes[i] = x >>> 24; }
  const text = decodeText(bytes);
  for (const check of [cyrus, imapd]) {
    const f = check(text);
    assert.ok(f.length > 0);
    assert.ok(f.length <= 400, `${f.length} findings`);
    assert.ok(f.some((x) => /more syntax errors not shown/.test(x.message)));
  }
});

test('unterminated quote and brace', () => {
  // the quote closes at listen=", then '143"' is not key=value
  const f = cyrus('SERVICES {\n  imap cmd="imapd listen="143"\n');
  assert.deepEqual(f.map((x) => `${x.range.start.line}:${x.range.start.character} ${x.severity} ${x.code}`).sort(),
    ['0:0 warning cyrus/syntax', '1:29 error cyrus/syntax'].sort());
  const g = cyrus('START {\n  recover cmd="ctl_cyrusdb -r"\nSERVICES {\n  imap cmd="imapd" listen="143"\n}\n');
  // the unclosed START is reported, and SERVICES is still read
  assert.deepEqual(g.map((x) => `${x.range.start.line} ${x.code}`), ['0 cyrus/syntax']);
});

test('a 10 MB file is read in bounded time', () => {
  const line = '  svc cmd="imapd -U 30" listen="127.0.0.1:2000" prefork=0 maxchild=100\n';
  const big = 'SERVICES {\n' + line.repeat(Math.ceil(10_000_000 / line.length)) + '}\n';
  let t = Date.now();
  const f = cyrus(big);
  assert.ok(Date.now() - t < 20_000, `cyrus.conf took ${Date.now() - t} ms`);
  assert.ok(f.length > 0); // duplicate names, listen conflicts
  const opt = 'sasl_mech_list: PLAIN LOGIN\n';
  const bigImapd = 'configdirectory: /c\n' + opt.repeat(Math.ceil(10_000_000 / opt.length));
  t = Date.now();
  const g = imapd(bigImapd);
  assert.ok(Date.now() - t < 20_000, `imapd.conf took ${Date.now() - t} ms`);
  assert.ok(g.length > 0);
  // one enormous line, and one endless continuation
  assert.ok(cyrus('SERVICES {\n  a cmd="' + 'x'.repeat(5_000_000) + '"\n}\n').length > 0);
  assert.doesNotThrow(() => imapd('admins: a' + ' \\\n'.repeat(1_000_000) + 'b\n'));
});

test('random text never throws (cyrus.conf and imapd.conf)', () => {
  const alphabet = fc.constantFrom(...'SERVICES{}= "#\\:\n\t/-_ab1@[]'.split(''));
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 300 }).map((a) => a.join('')), (t) => {
    for (const f of [...cyrus(t), ...imapd(t)]) {
      assert.ok(f.range.start.line >= 0 && f.range.start.character >= 0);
      assert.ok(f.range.end.line > f.range.start.line || (f.range.end.line === f.range.start.line && f.range.end.character >= f.range.start.character));
      assert.ok(f.message.length > 0);
    }
  }), { numRuns: 500 });
});
