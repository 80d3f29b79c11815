import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { loadExim } from '../../exim';
import { memoryHost } from '../../../../../test/helpers/memory-host';
import { checkUndefinedMacros } from './undefined-macro';

const FIXTURES = path.join(__dirname, 'fixtures');

function macroFindings(name: string) {
  const file = path.join(FIXTURES, name);
  return checkProject([{ path: file, kind: 'exim' }], defaultOptions).filter((f) => f.code === 'exim/undefined-macro');
}

test('a near miss of a defined macro names it and offers to put it in place', () => {
  const f = macroFindings('undefined-macro.exim').find((x) => x.message.startsWith('SMART_HOTS'));
  assert.ok(f, 'SMART_HOTS is reported');
  assert.match(f.message, /Did you mean "SMART_HOST"\?/);
  assert.deepEqual(f.fixes?.map((x) => [x.title, x.preferred, x.edits.map((e) => [e.range, e.newText])]), [
    ['Change to "SMART_HOST"', true, [[{ start: { line: 27, character: 17 }, end: { line: 27, character: 27 } }, 'SMART_HOST']]],
  ]);
});

test('a name with no defined macro near it gets no fix, and says how to define it', () => {
  const f = macroFindings('undefined-macro.exim').find((x) => x.message.startsWith('MY_OFFICE_NETS'));
  assert.ok(f);
  assert.equal(f.fixes, undefined);
  assert.match(f.message, /literal text "MY_OFFICE_NETS"\. Define it before this line \(or with -D\)/);
});

test('Debian: a near miss of a macro update-exim4.conf generates is named', () => {
  const [f] = macroFindings('undefined-macro-debian.exim');
  assert.match(f.message, /Did you mean "MAIN_RELAY_NETS"\?/);
});

test('a value is placed and its expansion parsed only for a word worth reporting', () => {
  const file = '/virtual/exim.conf';
  const text = [
    'primary_hostname = ${lc:$host}',
    'qualify_domain = example.com',
    'smtp_banner = ${if eq{$sender_host_address}{}{ESMTP}{SMTP}} ready',
    'begin acl',
    'acl_check_rcpt:',
    '  deny hosts = ${lookup{MY_KEY_NAME}lsearch{/etc/hosts_x}}',
    '       domains = MY_DOMAINS_X : ${lc:$domain}',
    '  accept',
  ].join('\n') + '\n';
  const cfg = loadExim(file, defaultOptions, memoryHost(new Map([[file, text]])));
  const read: string[] = [];
  const count = (holder: object, name: string) => {
    const proto = Object.getPrototypeOf(holder);
    for (const key of ['expansion', 'valueLoc']) {
      const get = Object.getOwnPropertyDescriptor(proto, key)!.get!;
      Object.defineProperty(holder, key, { get() { read.push(`${name} ${key}`); return get.call(holder); } });
    }
  };
  for (const s of cfg.main) count(s, s.name);
  for (const a of cfg.acls) for (const st of a.statements) for (const it of st.items) count(it, it.name);
  const found = checkUndefinedMacros(cfg, defaultOptions).map((f) => f.message.split(' ')[0]);
  assert.deepEqual(found, ['MY_DOMAINS_X']);
  // MY_KEY_NAME has only its shape: its value's expansion says it is a lookup key.
  assert.deepEqual(read.sort(), ['domains expansion', 'domains valueLoc', 'hosts expansion', 'hosts valueLoc']);
});

test('a definition in a branch not taken is found at any line start the reader knows (\\n, \\r\\n, \\r), indented or not, and not after U+2028 or a continuation', () => {
  const file = '/virtual/exim.conf';
  const text = '.ifdef NEVER\r\nLF_MAC = 1\n\t CRLF_MAC = 2\r\nCR_MAC = 3\rx = 1 \u2028SEP_MAC = 4\nA1 = 01:\\\n  CONT_MAC = 5\n.endif\n'
    + 'qualify_domain = LF_MAC.CRLF_MAC.CR_MAC.SEP_MAC.CONT_MAC\n';
  const cfg = loadExim(file, defaultOptions, memoryHost(new Map([[file, text]])));
  const found = checkUndefinedMacros(cfg, defaultOptions).map((f) => `${f.message.split(' ')[0]}${/\(line (\d+)\)/.exec(f.message)?.[1] ?? '-'}`);
  assert.deepEqual(found, ['LF_MAC2', 'CRLF_MAC3', 'CR_MAC4', 'SEP_MAC-', 'CONT_MAC-']);
});

test('a word in a macro value is reported where it is written, naming its macro and the use that leaves it literal', () => {
  const found = macroFindings('undefined-macro-values.exim');
  const about = (word: string) => found.find((x) => x.message.startsWith(`${word},`));
  assert.match(about('LOCAL_DOMAINZ')!.message, /in the value of MY_DOMAINS, .* where MY_DOMAINS is used \(line 17\)/);
  assert.match(about('DEEP_NAME')!.message, /in the value of INNER_PART, is defined \(line 14\) only after INNER_PART is used \(line 13, through OUTER\)/);
  const near = about('SMART_NAME')!;
  assert.match(near.message, /Did you mean "SMART_NAMES"\?/);
  assert.deepEqual(near.fixes?.map((x) => x.edits.map((e) => [e.range, e.newText])), [
    [[{ start: { line: 6, character: 12 }, end: { line: 6, character: 22 } }, 'SMART_NAMES']],
  ]);
  // Without -D, OFFICE_NETS in RELAY_FROM is reported too, once.
  assert.equal(found.filter((x) => x.message.startsWith('OFFICE_NETS,')).length, 1);
});
