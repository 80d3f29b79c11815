// Pure parsing: replies and enhanced codes, targets, addresses, netstrings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReply, replyClass } from '../../server/src/core/lmtp/reply';
import { parseTarget, formatTarget } from '../../server/src/core/lmtp/target';
import { recipientError, senderError, domainOf } from '../../server/src/core/lmtp/address';
import { netstring, netstringExtractor, parseSocketmapAnswer } from '../../server/src/core/lmtp/socketmap';

test('a Cyrus three-line 550 keeps its lines and finds 5.1.1 on the last one', () => {
  const r = parseReply('550-Mailbox unknown.  Either there is no mailbox associated with this\r\n550-name or you do not have authorization to see it.\r\n550 5.1.1 User unknown\r\n');
  assert.equal(r.code, 550);
  assert.equal(r.enhancedCode, '5.1.1');
  assert.equal(r.lines.length, 3);
  assert.match(r.text, /^Mailbox unknown\..*User unknown$/);
  assert.ok(!r.text.includes('5.1.1'));
  assert.equal(replyClass(r.code), 'permanent');
});

test('single-line replies, a bare code, and enhanced codes of another class are prose', () => {
  assert.deepEqual(parseReply('250 2.1.5 ok').enhancedCode, '2.1.5');
  const bare = parseReply('250');
  assert.equal(bare.code, 250);
  assert.equal(bare.text, '');
  assert.equal(parseReply('550 2.0.0 is not our class').enhancedCode, undefined);
  assert.equal(parseReply('430 Authentication required').enhancedCode, undefined);
  assert.equal(parseReply('451 4.3.0 try later').enhancedCode, '4.3.0');
  assert.equal(parseReply('250 2.1.5ok').enhancedCode, undefined);
});

test('malformed replies are errors, not guesses', () => {
  assert.throws(() => parseReply('hello there'), /not an SMTP\/LMTP reply/);
  assert.throws(() => parseReply('250-a\r\n550 b'), /code changed/);
  assert.throws(() => parseReply('250-a\r\n250-b'), /no last line/);
  assert.throws(() => parseReply('650 no such class'), /not an SMTP/);
  assert.throws(() => parseReply('25 short'), /not an SMTP/);
  assert.throws(() => parseReply('250 a\r\n250 b'), /after the last line/);
  assert.throws(() => parseReply(Array(5).fill('250-x').join('\r\n') + '\r\n250 y', 4), /longer than 4 lines/);
});

test('targets: IPv4, names, [IPv6], UNIX paths; clear errors otherwise', () => {
  assert.deepEqual(parseTarget('127.0.0.1:2003'), { ok: true, target: { kind: 'tcp', host: '127.0.0.1', port: 2003 } });
  assert.deepEqual(parseTarget('localhost:lmtp'), { ok: true, target: { kind: 'tcp', host: 'localhost', port: 24 } });
  assert.deepEqual(parseTarget('[::1]:2003'), { ok: true, target: { kind: 'tcp', host: '::1', port: 2003 } });
  assert.deepEqual(parseTarget('/run/cyrus/socket/lmtp'), { ok: true, target: { kind: 'unix', path: '/run/cyrus/socket/lmtp' } });
  assert.deepEqual(parseTarget('mail.example.com', 24), { ok: true, target: { kind: 'tcp', host: 'mail.example.com', port: 24 } });
  assert.equal(formatTarget({ kind: 'tcp', host: '::1', port: 24 }), '[::1]:24');
  const err = (s: string) => { const p = parseTarget(s); assert.equal(p.ok, false, s); return p.ok ? '' : p.error; };
  assert.match(err(''), /empty/);
  assert.match(err('::1:24'), /bracket/);
  assert.match(err('[::1'), /missing "\]"/);
  assert.match(err('[::1]2003'), /after "\]"/);
  assert.match(err('[nothex]:24'), /not an IPv6/);
  assert.match(err('127.0.0.1:99999'), /out of range/);
  assert.match(err('127.0.0.1:'), /no port/);
  assert.match(err('127.0.0.1'), /no port/);
  assert.match(err('300.1.1.1:24'), /not a valid IPv4/);
  assert.match(err('host name:24'), /not a host name/);
  assert.match(err('host:abc'), /not a port/);
  // A service name is one of the table's own: not a name every JavaScript object answers to.
  assert.match(err('host:constructor'), /not a port/);
  assert.match(err('host:toString'), /not a port/);
  assert.deepEqual(parseTarget('host:SMTPS'), { ok: true, target: { kind: 'tcp', host: 'host', port: 465 } });
  assert.match(err('a\nb:24'), /control/);
  assert.match(err('/' + 'x'.repeat(200)), /longer than a UNIX socket allows/);
});

test('addresses: line breaks and stray brackets are refused, a bare local part is allowed', () => {
  assert.equal(recipientError('alice@example.com'), undefined);
  assert.equal(recipientError('<alice@example.com>'), undefined);
  assert.equal(recipientError('bob'), undefined);
  assert.equal(recipientError('"odd name"@example.com'), undefined);
  assert.match(recipientError('a@b\r\nDATA')!, /control character/);
  assert.match(recipientError('')!, /empty/);
  assert.match(recipientError('a b@example.com')!, /quoting/);
  assert.match(recipientError('a@')!, /no domain/);
  assert.match(recipientError('@x')!, /no local part/);
  assert.match(recipientError('a<b@x')!, /angle/);
  assert.match(recipientError('x'.repeat(65) + '@x')!, /64/);
  assert.equal(senderError(''), undefined);
  assert.equal(senderError('<>'), undefined);
  assert.equal(domainOf('alice@Example.COM'), 'Example.COM');
  assert.equal(domainOf('bob'), undefined);
});

test('netstrings: encode by bytes, decode, and refuse what is not one', () => {
  assert.equal(netstring('cyrus alice@example.com'), '23:cyrus alice@example.com,');
  assert.equal(netstring('é'), '2:é,');
  const ex = netstringExtractor(100);
  assert.deepEqual(ex(Buffer.from('2:OK,rest')), { value: 'OK', used: 5 });
  assert.equal(ex(Buffer.from('12:OK')), undefined);
  assert.throws(() => ex(Buffer.from('x:OK,')), /not a netstring/);
  assert.throws(() => ex(Buffer.from('2:OKX')), /closing/);
  assert.throws(() => ex(Buffer.from('5000:')), /longer than 100/);
  assert.throws(() => ex(Buffer.from('99999999999999')), /longer than 100/);
  assert.deepEqual(parseSocketmapAnswer('NOTFOUND Mailbox does not exist'), { status: 'NOTFOUND', text: 'Mailbox does not exist' });
  assert.deepEqual(parseSocketmapAnswer('OK'), { status: 'OK', text: '' });
  assert.equal(parseSocketmapAnswer('MAYBE'), undefined);
});
