// ${eval} and the IP addresses expand.c's operators take, read as Debian's Exim 4.96 reads
// them. Every expected value and error below is what `exim4 -be` printed for that input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalExpression } from '../../server/src/core/exim/arithmetic';
import { eximIpAddress, isStrictIPv4, isStrictIPv6, maskValue } from '../../server/src/core/exim/ip-address';

const ev = (s: string, decimal = false): string => {
  const r = evalExpression(s, decimal);
  return r === undefined ? '?' : 'error' in r ? `${r.error} @${r.after}` : String(r.value);
};

test('eval: numbers in C\'s bases with k, m, g; levels and whitespace as expand.c has them', () => {
  assert.equal(ev('0x1F'), '31');
  assert.equal(ev('017'), '15');
  assert.equal(ev('017', true), '17');
  assert.equal(ev('0x'), '0');
  assert.equal(ev('0xg'), '0');
  assert.equal(ev('2M+1G'), '1075838976');
  assert.equal(ev(' 1 + 2 '), '3');
  assert.equal(ev('1 - -3'), '4');
  assert.equal(ev('-(3)'), '-3');
  assert.equal(ev('~1'), '-2');
  assert.equal(ev('1<<70'), '64');
  assert.equal(ev('9223372036854775808'), '9223372036854775807');
  assert.equal(ev('-9223372036854775807-1'), '-9223372036854775808');
});

test('eval: the errors, and where Exim stopped reading', () => {
  assert.equal(ev('08'), 'expecting operator @0');
  assert.equal(ev('09', true), '9');
  assert.equal(ev('0x1', true), 'expecting operator @0');
  assert.equal(ev(''), 'expecting number or opening parenthesis @');
  assert.equal(ev('1+'), 'expecting number or opening parenthesis @1+');
  assert.equal(ev('3/0'), 'divide by zero @3/0');
  assert.equal(ev('7%0'), 'modulo by zero @7%0');
  assert.equal(ev('1/(2-2)'), 'divide by zero @1/(2-2)');
  assert.equal(ev('(1'), 'expecting closing parenthesis @(1');
  assert.equal(ev('(1) 2'), 'expecting operator @(1) ');
  assert.equal(ev('1< <2'), 'expecting operator @1');
  assert.equal(ev('2kb'), 'expecting operator @2k');
  assert.equal(ev('1&&2'), 'expecting number or opening parenthesis @1&');
  // expand.c's overflow test looks at the left operand twice: anything from half the range up fails.
  assert.equal(ev('4611686018427387903+1'), 'overflow in sum @4611686018427387903+1');
});

test('eval: nesting past its bound is not judged, and costs no stack', () => {
  assert.equal(ev('('.repeat(100000) + '1'), '?');
  assert.equal(ev('-'.repeat(100000) + '1'), '?');
  // A long flat expression is read in a loop, not by recursion.
  assert.equal(ev('1+'.repeat(100000) + '1'), '100001');
});

test('IPv4 and IPv6 as inet_pton reads them: no leading zeros, one "::", a dotted tail', () => {
  for (const s of ['192.0.2.7', '0.0.0.0', '255.255.255.255']) assert.ok(isStrictIPv4(s), s);
  for (const s of ['01.2.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.5', '1.2.3.256', '1..2.3', '1.2.3.4.', '']) assert.ok(!isStrictIPv4(s), s);
  for (const s of ['::', '::1', '1::', '2001:db8::1', '::ffff:1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::']) assert.ok(isStrictIPv6(s), s);
  for (const s of [':', ':1', '1:', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '1:2:3:4:5:6:7:1.2.3.4', '::ffff:01.2.3.4', '12345::', 'g::1']) assert.ok(!isStrictIPv6(s), s);
});

test('string_is_ip_address: a mask only where asked for, an interface ID only on IPv6 and without a mask', () => {
  const ip = (s: string, mask: boolean) => {
    const a = eximIpAddress(s, mask);
    return a ? `${a.family}/${a.maskOffset}` : 'no';
  };
  assert.equal(ip('1.2.3.4/24', true), '4/7');
  assert.equal(ip('1.2.3.4', true), '4/0');
  assert.equal(ip('1.2.3.4/24', false), 'no');
  assert.equal(ip('1.2.3.4/', true), '4/7');
  assert.equal(ip('1.2.3.4/ 8', true), '4/7');
  assert.equal(ip('1.2.3.4/8x', true), 'no');
  assert.equal(ip('1.2.3.4/-1', true), 'no');
  assert.equal(ip('1.2.3.4/8 ', true), 'no');
  assert.equal(ip(' 1.2.3.4/8', true), 'no');
  assert.equal(ip('fe80::1%eth0', false), '6/0');
  assert.equal(ip('fe80::1%eth0/64', true), 'no');
  assert.equal(ip('::1%a b', false), 'no');
  assert.equal(ip('1.2.3.4%x', false), 'no');
  const a = eximIpAddress('1.2.3.4/4294967304', true)!;
  assert.equal(maskValue('1.2.3.4/4294967304', a), 8);
  assert.equal(maskValue('1.2.3.4/33', eximIpAddress('1.2.3.4/33', true)!), 33);
});
