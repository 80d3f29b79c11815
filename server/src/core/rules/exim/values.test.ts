import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupOption } from '../../catalog/exim';
import { checkValue } from './values';
import { editDistance } from '../../edit-distance';
import { fixedNames, nearest, sharedNames } from './suggest';
import { splitList } from './lists';

const ok = (scope: string, name: string, v: string, version: 'latest' | '4.96' = 'latest') =>
  checkValue(lookupOption(scope, name)!, v, version) === undefined;

test('integers: decimal, 0x hex, 0 octal, one multiplier letter', () => {
  for (const v of ['10', '0', '0x1F', '017', '100K', '2M', '1G', '-1']) assert.ok(ok('main', 'smtp_accept_max', v), v);
  for (const v of ['08', '10Q', '1.5', 'ten', '', '1KK']) assert.ok(!ok('main', 'smtp_accept_max', v), v);
  assert.ok(ok('appendfile', 'mode', '0640'));
  assert.ok(!ok('appendfile', 'mode', '0x1f'));
});

test('options a lookup or misc module reads keep their module\'s type (each verified with Exim 4.96)', () => {
  // sqlite_lock_timeout is documented as a time, but sqlite's table reads an integer: "5s" is refused.
  for (const version of ['latest', '4.96'] as const) {
    for (const v of ['10', '0x10', '2K']) assert.ok(ok('main', 'sqlite_lock_timeout', v, version), v);
    for (const v of ['5s', '0x', '${if true{5}}']) assert.ok(!ok('main', 'sqlite_lock_timeout', v, version), v);
    assert.match(checkValue(lookupOption('main', 'sqlite_lock_timeout')!, '5s', version)!, /whole number of seconds/);
    assert.ok(!ok('main', 'ldap_version', 'x', version));
    assert.ok(!ok('main', 'ldap_start_tls', 'maybe', version));
    assert.ok(!ok('main', 'dkim_verify_minimal', 'sure', version));
    assert.ok(ok('main', 'ldap_require_cert', 'bogus', version), 'a string: ldap checks it only when it connects');
  }
});

test('integers must fit C\'s int after their multiplier, as exim4 -bV checks', () => {
  // Each verified with Exim 4.96: the refused ones give "absolute value of integer ... is too large (overflow)".
  for (const v of ['2147483647', '-2147483648', '2097151k', '-2097152k', '2047M', '1G', '0x7fffffff', '017777777777', '0000000000000000000000001']) {
    assert.ok(ok('main', 'smtp_accept_max', v), v);
  }
  for (const v of ['2147483648', '-2147483649', '2097152k', '-2097153k', '2048M', '2G', '1T', '0x80000000', '020000000000', '99999999999999999999']) {
    assert.match(checkValue(lookupOption('main', 'smtp_accept_max')!, v, '4.96')!, /too large/, v);
  }
  for (const v of ['17777777777', '-20000000000', '2000000K']) assert.ok(ok('appendfile', 'mode', v), v);
  for (const v of ['20000000000', '-20000000001']) assert.ok(!ok('appendfile', 'mode', v), v);
});

test('check_log_space and check_spool_space: 64-bit kilobytes, each letter after K one more multiplication by 1024', () => {
  // Each verified with Exim 4.96 (exim4 -bV): the refused ones give "absolute value of integer ... is too large (overflow)".
  const accepted = ['9223372036854775807', '-9223372036854775808', '0x7fffffffffffffff', '0777777777777777777777', '9000000000000000000K',
    '9007199254740991M', '-9007199254740992M', '8796093022207G', '8589934591T', '8388607P', '8191E', '7Z', '9999999999G'];
  for (const v of accepted) assert.ok(ok('main', 'check_log_space', v), v);
  const refused = ['9223372036854775808', '-9223372036854775809', '0x8000000000000000', '01000000000000000000000', '9999999999999999999999',
    '9007199254740992M', '-9007199254740993M', '8796093022208G', '8589934592T', '8388608P', '8192E', '8Z', '9999999999999999G'];
  for (const v of refused) assert.match(checkValue(lookupOption('main', 'check_spool_space')!, v, '4.96')!, /too large/, v);
});

test('times need a unit on every part; fixed-point numbers', () => {
  for (const v of ['0s', '5m', '1d2h30m', '2w']) assert.ok(ok('main', 'auto_thaw', v), v);
  for (const v of ['0', '5', '1.5h', '1d 2h', 'm']) assert.ok(!ok('main', 'auto_thaw', v), v);
  assert.ok(ok('main', 'deliver_queue_load_max', '1.5'));
  assert.ok(!ok('main', 'deliver_queue_load_max', '-1'));
});

test('booleans, enumerations and log_selector by version', () => {
  assert.ok(ok('main', 'accept_8bitmime', 'Yes'));
  assert.ok(!ok('main', 'accept_8bitmime', '1'));
  assert.ok(ok('smtp', 'protocol', 'LMTP'));
  assert.ok(ok('smtp', 'protocol', 'submissions'));
  assert.ok(!ok('smtp', 'protocol', 'submissions', '4.96'));
  assert.ok(ok('main', 'log_selector', '+all -subject+tls_cipher'));
  assert.ok(!ok('main', 'log_selector', 'all'));
  assert.ok(ok('main', 'log_selector', '+connection_id'));
  assert.match(checkValue(lookupOption('main', 'log_selector')!, '+connection_id', '4.96')!, /after Exim 4\.96/);
  // max_rcpt became an expanded string after 4.96.
  assert.ok(!ok('smtp', 'max_rcpt', '${if eq{1}{1}{1}{2}}', '4.96'));
});

test('words compared when Exim sets up: self, syslog_facility, "$" taken literally', () => {
  for (const v of ['freeze', 'defer', 'send', 'pass', 'fail', 'reroute:', 'reroute:a.example', 'reroute: rewrite: $domain']) {
    assert.ok(ok('manualroute', 'self', v), v);
  }
  for (const v of ['deffer', 'Fail', 'reroute', '${if true{pass}}', 'pass;']) assert.ok(!ok('accept', 'self', v), v);
  assert.match(checkValue(lookupOption('routers', 'self')!, 'deffer', '4.96')!, /reroute:DOMAIN.*refuses/);
  for (const v of ['mail', 'LOCAL7', 'log_daemon', 'LOG_User']) assert.ok(ok('main', 'syslog_facility', v), v);
  for (const v of ['mial', 'log_', 'local8', 'log_log_mail']) assert.ok(!ok('main', 'syslog_facility', v), v);
  assert.ok(!ok('manualroute', 'host_find_failed', '${if true{pass}}'));
  // smtp loads any protocol (all but lmtp/smtps mean smtp): a typo is flagged, an expansion not.
  assert.ok(ok('smtp', 'protocol', '${if true{lmtp}}'));
  assert.match(checkValue(lookupOption('smtp', 'protocol')!, 'lmtpp', '4.96')!, /take it as smtp/);
});

test('main options readconf_main checks: log_file_path, smtp_ratelimit_*, tls_dh_max_bits, errors_reply_to', () => {
  for (const v of ['02000', '0x400', '1k', '2236']) assert.ok(ok('main', 'tls_dh_max_bits', v), v);
  for (const v of ['01777', '0x3ff', '0K', '-1K']) assert.ok(!ok('main', 'tls_dh_max_bits', v), v);
  for (const v of ['syslog', ':syslog', '/l/%s-%M', '/l/%D-%s', '/l/a::b%s', '']) assert.ok(ok('main', 'log_file_path', v), v);
  for (const v of ['SYSLOG', '/l/%S', '/l/%s-%D-%M', '/l/%s%%', '/l/%s%']) assert.ok(!ok('main', 'log_file_path', v), v);
  for (const v of ['2,0.5s,1.05,4m', '2, 1s, 1, 4m junk', '-1,1.s,2e1,1h30m']) assert.ok(ok('main', 'smtp_ratelimit_mail', v), v);
  for (const v of ['', '2,1,1.05,4m', '2,1s,x,4m', '2,1s,1,4', '2 ,1s,1,4m', '2,1s ,1,4m']) assert.ok(!ok('main', 'smtp_ratelimit_rcpt', v), v);
  assert.ok(ok('main', 'errors_reply_to', 'Postmaster <pm@a.example>'));
  assert.ok(!ok('main', 'errors_reply_to', 'postmaster'));
});

test('did-you-mean picks close names only', () => {
  assert.equal(editDistance('domian', 'domain'), 1);
  assert.equal(nearest('qualify_domian', ['qualify_domain', 'qualify_recipient']), 'qualify_domain');
  assert.equal(nearest('xyz', ['qualify_domain']), undefined);
});

test('did-you-mean picks what the full edit distance picks (first of the closest, case counting half)', () => {
  // The plain definition: every candidate's full distance, the first strictly closest wins.
  const reference = (name: string, candidates: string[]): string | undefined => {
    const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
    let best: string | undefined, bestD = limit + 1;
    for (const c of candidates) {
      if (c === name) continue;
      const d = c.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name.toLowerCase(), c.toLowerCase());
      if (d < bestD) { best = c; bestD = d; }
    }
    return best;
  };
  let seed = 7;
  const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) | 0; return (seed >>> 16) % n; };
  const word = () => Array.from({ length: 1 + rnd(12) }, () => 'abcdeAB_'[rnd(8)]).join('');
  const mutate = (w: string) => {
    const a = [...w];
    for (let k = rnd(4); k > 0; k--) {
      const i = rnd(a.length + 1), op = rnd(4);
      if (op === 0) a.splice(i, 0, 'abc'[rnd(3)]);
      else if (op === 1 && a.length > 1) a.splice(i % a.length, 1);
      else if (op === 2 && i + 1 < a.length) [a[i], a[i + 1]] = [a[i + 1], a[i]];
      else a[i % a.length] = 'xyA'[rnd(3)];
    }
    return a.join('');
  };
  for (let t = 0; t < 3000; t++) {
    const base = word();
    const candidates = Array.from({ length: 1 + rnd(8) }, () => rnd(3) ? mutate(base) : word());
    const name = rnd(2) ? mutate(base) : base;
    assert.equal(nearest(name, candidates), reference(name, candidates), `${name} among ${candidates.join(',')}`);
  }
});

test('nearest over a fixed list: each answer the same as a fresh search, asked once or many times', () => {
  const names = ['qualify_domain', 'qualify_recipient', 'primary_hostname', 'Primary_Hostname', 'hosts'];
  const fixed = fixedNames([...names]);
  const asked = ['qualify_domian', 'primary_hostnam', 'xyz', 'hosts', 'HOSTS', 'qualify_domian', 'xyz', 'primary_hostname'];
  for (let round = 0; round < 3; round++) {
    for (const n of asked) assert.equal(nearest(n, fixed), nearest(n, [...names]), n);
  }
  // A name asked once is answered from memory the second time: same answer, same list.
  assert.equal(nearest('qualify_domian', fixed), 'qualify_domain');
});

test('shared name lists: one list per content, its answers those of a fresh search', () => {
  const a = sharedNames(['SMART_HOST', 'EXIM_PATH']), b = sharedNames(['SMART_HOST', 'EXIM_PATH']);
  assert.equal(a, b, 'equal names, the same list');
  assert.notEqual(sharedNames(['EXIM_PATH', 'SMART_HOST']), a, 'another order, another list');
  assert.notEqual(sharedNames(['SMART_HOST']), a);
  for (const n of ['SMART_HOTS', 'EXIM_PAHT', 'SMART', 'NOTHING_LIKE_IT', 'SMART_HOTS']) {
    assert.equal(nearest(n, a), nearest(n, ['SMART_HOST', 'EXIM_PATH']), n);
    assert.equal(nearest(n, b), nearest(n, ['SMART_HOST', 'EXIM_PATH']), n);
  }
  const names = ['A_1', 'B_2'];
  const c = sharedNames(names);
  names.push('C_3');
  assert.deepEqual(c, ['A_1', 'B_2'], 'the shared list is a copy, not the caller\'s array');
});

test('list splitting: separators, doubled separators, negation, references', () => {
  // A doubled separator stands for itself inside an item.
  const items = splitList('<; a ; !+b ; c;;d ; +e');
  assert.deepEqual(items.map((i) => [i.text, i.negated, i.ref]), [['a', false, undefined], ['+b', true, 'b'], ['c;d', false, undefined], ['+e', false, 'e']]);
  assert.deepEqual(splitList(' x : y ').map((i) => i.offset), [1, 5]);
});
