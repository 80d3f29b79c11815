// Properties of the cyrus.conf and imapd.conf readers: total (any text, generated and
// mutated files never make them or their rules throw) and faithful where they claim to be
// (every name and value they report is exactly the text at its range).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { assertWellFormed } from '../helpers/well-formed';
import { checkCyrusConf, checkImapdConf, loadCyrusConf, loadImapdConf } from '../../server/src/core/cyrus';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';
import { LineIndex, type Range } from '../../server/src/core/text';
import { anyText } from './exim-gen';
import { check, runs, TIMEOUT } from './support';

const CYRUS = path.resolve('/virtual/fuzz/cyrus.conf');
const IMAPD = path.resolve('/virtual/fuzz/imapd.conf');
const hostWith = (file: string, text: string) => memoryHost(new Map([[file, text]]));

function textAt(lines: LineIndex, r: Range): string {
  return lines.text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
}

// "constructor" and "toString": names every JavaScript object answers to, as a table of ours would.
const cyrusWord = fc.constantFrom('lmtp', 'imap', 'lmtpunix', 'recover', 'x', 'SERVICES', 'START', 'EVENTS', 'DAEMON', 'bad-name', '', 'constructor');
const cyrusValue = fc.constantFrom('lmtpd -a', 'lmtpd', '"lmtpd -C /etc/imapd.conf"', '127.0.0.1:2003', '/run/cyrus/socket/lmtp', 'lmtp', '"', '""', '"#x"', '0', '[::1]:24', 'tcp6', 'udp', '*:imap', 'toString', '"constructor -a"');
const cyrusArg = fc.tuple(fc.constantFrom('cmd', 'listen', 'prefork', 'proto', 'maxchild', 'period', 'at', 'cron', 'babble', ''), fc.constantFrom('=', '= ', ''), cyrusValue)
  .map(([k, eq, v]) => `${k}${eq}${v.startsWith('"') || !v.includes(' ') ? v : `"${v}"`}`);
const cyrusLine = fc.oneof(
  fc.tuple(cyrusWord, fc.constantFrom(' {', '{', '', ' { x')).map(([w, b]) => w + b),
  fc.constant('}'),
  fc.tuple(cyrusWord, fc.array(cyrusArg, { maxLength: 5 })).map(([n, a]) => `  ${n} ${a.join(' ')}`),
  fc.constantFrom('# comment', '', '\t', 'x # y', '{', '}}', '\0', 'a'.repeat(5000)),
);
const cyrusConf = fc.array(fc.tuple(cyrusLine, fc.constantFrom('\n', '\r\n', '\n\n')), { maxLength: 30 }).map((ls) => ls.map(([l, b]) => l + b).join(''));

const imapdLine = fc.oneof(
  fc.tuple(fc.constantFrom('configdirectory', 'partition-default', 'lmtpsocket', 'virtdomains', 'sasl_pwcheck_method', 'lmtp_admins', '@include', 'Unknown-Opt', 'x y', '', 'constructor', 'lmtp_toString'),
    fc.constantFrom(': ', ':', ' : ', ''), fc.constantFrom('/var/lib/cyrus', 'userid', 'yes', '', 'a \\', '/nonexistent/inc.conf', '#x', '__proto__'))
    .map(([k, c, v]) => `${k}${c}${v}`),
  fc.constantFrom('# comment \\', '', '   ', '\\', ':', '\0'),
);
const imapdConf = fc.array(fc.tuple(imapdLine, fc.constantFrom('\n', '\r\n', '\\\n')), { maxLength: 30 }).map((ls) => ls.map(([l, b]) => l + b).join(''));

const mutate = (gen: fc.Arbitrary<string>) => fc.tuple(gen, fc.nat(), fc.constantFrom('"', '{', '}', '#', '\\', '\n', '=', ':')).map(([t, a, s]) => {
  const at = a % (t.length + 1);
  return t.slice(0, at) + s + t.slice(at);
});

const N = runs(200);

test('cyrus.conf: total, and names and values are the text at their ranges', { timeout: TIMEOUT }, () => {
  check('cyrus-conf', fc.oneof(cyrusConf, mutate(cyrusConf), anyText), (text) => {
    const c = loadCyrusConf(CYRUS, defaultOptions, hostWith(CYRUS, text));
    assertWellFormed(checkCyrusConf(c, defaultOptions));
    assertWellFormed(checkCyrusConf(c, { ...defaultOptions, cyrusVersion: '3.6' }));
    const lines = new LineIndex(text);
    for (const s of c.sections) for (const e of s.entries) {
      assert.equal(textAt(lines, e.nameLoc.range), e.name, 'entry name');
      for (const a of e.args) {
        assert.equal(textAt(lines, a.nameLoc.range), a.name, 'argument name');
        assert.equal(textAt(lines, a.valueLoc.range), a.value, `value of ${a.name}`);
      }
    }
  }, N);
});

test('imapd.conf: total, and single-line names and values are the text at their ranges', { timeout: TIMEOUT }, () => {
  check('imapd-conf', fc.oneof(imapdConf, mutate(imapdConf), anyText), (text) => {
    const c = loadImapdConf(IMAPD, defaultOptions, hostWith(IMAPD, text));
    assertWellFormed(checkImapdConf(c, defaultOptions));
    assertWellFormed(checkImapdConf(c, { ...defaultOptions, cyrusVersion: '3.6' }));
    const lines = new LineIndex(text);
    for (const s of c.settings) {
      if (s.file !== IMAPD) continue;
      if (s.nameLoc.range.start.line === s.nameLoc.range.end.line) assert.equal(textAt(lines, s.nameLoc.range), s.rawName, 'option name');
      if (s.valueLoc.range.start.line === s.valueLoc.range.end.line) assert.equal(textAt(lines, s.valueLoc.range), s.value, `value of ${s.rawName}`);
    }
  }, N);
});
