// checkProject checks each Exim config as soon as it is loaded; its findings must still be
// those, in the same order, of loading every input first and then checking them all, each
// said once (an include several configs read gives them the same finding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctFindings, sortFindings, type Finding } from '../../server/src/core/diagnostic';
import { findingKey } from '../../server/src/core/finding-key';
import type { SourceHost } from '../../server/src/core/host';
import { memoryHost } from '../helpers/memory-host';
import { defaultOptions } from '../../server/src/core/options';
import { checkFiles, checkPairing, checkProject, loadInput, notText, pairingOf, type Input, type Models } from '../../server/src/core/project';

const DIR = '/virtual/project';

/** What checkProject did before: every input loaded, the paired Cyrus files checked, then each Exim config. */
function loadAllThenCheck(inputs: Input[], host: SourceHost): Finding[] {
  const out: Finding[] = [];
  const exims: Models[] = [], cyrus: Models = {}, imapd: Models = {};
  const pairing = pairingOf(inputs);
  for (const input of inputs) {
    const into: Models = input.kind === 'exim' ? {} : input === pairing.cyrus ? cyrus : input === pairing.imapd ? imapd : {};
    const unreadable = loadInput(input, into, defaultOptions, host);
    if (unreadable) out.push(unreadable);
    else if (input.kind === 'exim') exims.push(into);
    else if (into !== cyrus && into !== imapd) out.push(...checkFiles(into, defaultOptions));
  }
  out.push(...checkFiles({ cyrus: cyrus.cyrus, imapd: imapd.imapd }, defaultOptions));
  for (const e of exims) out.push(...checkFiles(e, defaultOptions), ...checkPairing({ exim: e.exim, cyrus: cyrus.cyrus, imapd: imapd.imapd }, defaultOptions, host));
  return distinctFindings(sortFindings(out));
}

test('checkProject: Exim configs sharing an include, paired and unpaired Cyrus files, unreadable inputs, in any order', () => {
  // Both Exim configs get a finding at the same place of the shared file, with different
  // messages: only the order the findings were gathered in tells them apart.
  const shared = 'hostlist relay = RELAY\nqualify_domian = example.com\n';
  const exim = (relay: string) => `RELAY = ${relay}\n.include ${DIR}/shared.conf\nbegin routers\ncyrus:\n  driver = accept\n  transport = lmtp\nbegin transports\nlmtp:\n  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n`;
  const files = new Map<string, string>([
    [`${DIR}/shared.conf`, shared],
    [`${DIR}/a.exim`, exim('::1 : 127.0.0.1')],
    [`${DIR}/b.exim`, exim('fe80::1')],
    [`${DIR}/c.exim`, exim('::2')],
    [`${DIR}/cyrus.conf`, 'SERVICES {\n  lmtp cmd="lmtpd -a" listen="127.0.0.1:lmtp"\n  bogus\n}\n'],
    [`${DIR}/imapd.conf`, 'configdirectory: /var/lib/cyrus\nvirtdomains: maybe\n'],
    [`${DIR}/other.cyrus.conf`, 'SERVICES {\n  imap cmd="imapd" listen="imap" nonsense=1\n}\n'],
  ]);
  const host = memoryHost(files);
  const inputs: Input[] = [
    { path: `${DIR}/a.exim`, kind: 'exim' },
    { path: `${DIR}/cyrus.conf`, kind: 'cyrus-conf' },
    { path: `${DIR}/missing.exim`, kind: 'exim' },
    { path: `${DIR}/b.exim`, kind: 'exim' },
    { path: `${DIR}/other.cyrus.conf`, kind: 'cyrus-conf' },
    { path: `${DIR}/imapd.conf`, kind: 'imapd-conf' },
    { path: `${DIR}/c.exim`, kind: 'exim' },
  ];
  for (const list of [inputs, [...inputs].reverse(), inputs.filter((i) => i.kind === 'exim')]) {
    const got = checkProject(list, defaultOptions, host);
    const files = new Set(got.map((f) => f.file));
    assert.ok(files.has(`${DIR}/shared.conf`) && files.has(`${DIR}/missing.exim`), [...files].join(' '));
    assert.deepEqual(got, loadAllThenCheck(list, host));
  }
  // Each config makes its own list of the shared include's: three findings that differ.
  const all = checkProject(inputs, defaultOptions, host);
  const twice = all.filter((f) => f.file === `${DIR}/shared.conf` && f.code === 'link/ipv6-colon-list');
  assert.deepEqual(twice.map((f) => f.message.match(/address (\S+)/)?.[1]), ['::1', 'fe80::1', '::2']);
  // The same finding from each of the three is said once.
  assert.equal(all.filter((f) => f.file === `${DIR}/shared.conf` && f.code === 'exim/unknown-option').length, 1);
});

/** notText as it was before its quick scan: every character of the start counted. */
function notTextCounted(text: string): string | undefined {
  const head = text.slice(0, 8192);
  let control = 0, nuls = 0, firstNul = -1;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0 && nuls++ === 0) firstNul = i;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13) || c === 127) control++;
  }
  if (nuls > 1) return `it holds NUL bytes, the first at byte ${Buffer.byteLength(head.slice(0, firstNul))}`;
  return control * 10 > head.length ? `${control} of its first ${head.length} characters are control characters` : undefined;
}

test('notText: its quick scan for control characters misses none that counting finds', () => {
  const texts: string[] = [];
  for (let c = 0; c < 0x300; c++) {
    const ch = String.fromCharCode(c);
    texts.push(ch, ch + ch, `a = ${ch}\n`, `${ch}${ch}x`, 'x'.repeat(8190) + ch + ch, 'x'.repeat(8192) + ch.repeat(900));
  }
  texts.push('', '\0', 'é\0ü\0', 'x\0y\0z', '\x01\x02\x03abcdefg', '\x01abcdefghijk', '\x7f\x7f\x7fabc');
  for (const t of texts) assert.equal(notText(t), notTextCounted(t), JSON.stringify(t.slice(0, 12)));
});

test('checkProject: a config with more findings than a call takes arguments gives them all, not an internal error', () => {
  // 130,000 unused lists: one hint each. Spreading that many into push() overflows the stack.
  const n = 130_000;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`domainlist d${i} = a`);
  const file = `${DIR}/exim.conf`;
  const host = memoryHost(new Map([[file, lines.join('\n') + '\n']]));
  const found = checkProject([{ path: file, kind: 'exim' }], defaultOptions, host);
  assert.equal(found.filter((f) => f.code === 'exim/unused-definition').length, n);
  assert.deepEqual(found.filter((f) => f.code !== 'exim/unused-definition'), []);
});

test('distinctFindings keeps the first of each findingKey, including across the bucket of a line past 2^20 characters', () => {
  const at = (line: number, character: number, endCharacter = character + 1) => ({ start: { line, character }, end: { line, character: endCharacter } });
  const f = (file: string, range: Finding['range'], message: string, extra: Partial<Finding> = {}): Finding =>
    ({ file, range, severity: 'warning', code: 'exim/syntax', message, ...extra });
  const list: Finding[] = [
    f('/a', at(3, 4), 'one'),
    f('/a', at(3, 4), 'two'),
    f('/a', at(3, 4), 'one'),
    f('/b', at(3, 4), 'one'),
    f('/a', at(3, 4, 9), 'one'),
    f('/a', at(3, 4), 'one', { severity: 'error' }),
    f('/a', at(3, 4), 'one', { source: 'exim' }),
    f('/a', at(3, 4), 'one', { code: 'exim/unknown-option' }),
    // Same start number in the bucket (line * 2^20 + character), different places.
    f('/a', { start: { line: 0, character: 0x100000 + 4 }, end: { line: 1, character: 5 } }, 'one'),
    f('/a', at(1, 4), 'one'),
    f('/a', at(1, 4), 'one'),
  ];
  const keys = new Set<string>();
  const expected = list.filter((x) => { const k = findingKey(x); if (keys.has(k)) return false; keys.add(k); return true; });
  const got = distinctFindings(list);
  assert.deepEqual(got, expected);
  assert.equal(got.length, list.length - 2);
});
