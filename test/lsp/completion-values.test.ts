// Completion where a value has its own vocabulary (log_selector, verify options, callout
// options, router self, dkim_canon and dkim_hash, tls_dhparam, variables and their families, imapd.conf's SASL keys,
// cyrus.conf switches), where nothing should be offered (\N…\N, \$), and hover on the
// symbol conditions. `‸` marks the cursor.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigWorkspace, completion, hover } from '../../server/src/core/features';
import type { FileKind } from '../../server/src/core/project';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-cmpv-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

function at(text: string, kind: FileKind = 'exim', name = `c${n++}.exim`): { ws: ConfigWorkspace; file: string; pos: { line: number; character: number } } {
  const i = text.indexOf('‸');
  const clean = text.slice(0, i) + text.slice(i + 1);
  const before = clean.slice(0, i).split('\n');
  const file = path.join(dir, name);
  const ws = new ConfigWorkspace();
  ws.setFolders([dir]);
  ws.open(file, clean, kind);
  return { ws, file, pos: { line: before.length - 1, character: before[before.length - 1].length } };
}

const labels = (text: string, kind?: FileKind, name?: string) => { const o = at(text, kind, name); return completion(o.ws, o.file, o.pos).map((c) => c.label); };
const has = (list: string[], ...want: string[]) => { for (const w of want) assert.ok(list.includes(w), `${w} missing from ${JSON.stringify(list.slice(0, 40))}`); };

const ACL = (line: string) => `acl_smtp_rcpt = check\nbegin acl\ncheck:\n  set acl_m_seen = 1\n  require verify = recipient\n${line}\n  accept\n`;

test('log_selector: names after + and -, signed names after =', () => {
  const plus = labels('log_selector = +‸\n');
  has(plus, 'smtp_connection', 'all', 'tls_sni');
  has(labels('log_selector = +smtp_connection -‸\n'), 'retry_defer');
  has(labels('log_selector = ‸\n'), '+smtp_connection', '-retry_defer');
});

test('verify options after type/, callout options after callout=', () => {
  has(labels(ACL('  require verify = recipient/‸')), 'callout', 'callout=', 'defer_ok', 'no_details', 'success_on_redirect');
  const callout = labels(ACL('  require verify = recipient/callout=‸'));
  has(callout, 'defer_ok', 'random', 'use_sender', 'use_postmaster', 'no_cache', 'fullpostmaster', 'postmaster', 'hold', 'maxwait=', 'connect=', 'postmaster_mailfrom=');
  assert.ok(!callout.includes('recipient'), 'verify types are not callout options');
  assert.ok(!callout.includes('mailfrom='), 'mailfrom= is for header_sender only');
  has(labels(ACL('  require verify = header_sender/callout=30s,‸')), 'mailfrom=', 'random');
  has(labels(ACL('  require verify = ‸')), 'recipient', 'sender', 'helo');
});

test('variables: $auth1…$auth4, the acl_c/acl_m families and the config\'s own, header forms; ${if def:', () => {
  has(labels(ACL('  deny message = $au‸')), 'auth1', 'auth2', 'auth3', 'auth4');
  has(labels(ACL('  deny message = $acl_‸')), 'acl_c0', 'acl_m9', 'acl_m_seen');
  has(labels(ACL('  deny message = $‸')), 'h_', 'rh_', 'bh_', 'header_');
  has(labels(ACL('  deny message = $h_‸')), 'h_subject:', 'h_from:');
  has(labels(ACL('  deny condition = ${if def:‸')), 'h_', 'header_', 'acl_m_seen', 'sender_host_address');
});

test('no variables between \\N and \\N, nor after \\$', () => {
  assert.deepEqual(labels(ACL('  deny message = \\N$‸\\N')), []);
  assert.deepEqual(labels(ACL('  deny message = cost \\$‸')), []);
  // After the closing \N, and after an escaped backslash, expansion is back.
  has(labels(ACL('  deny message = \\N$x\\N $‸')), 'local_part');
  has(labels(ACL('  deny message = a\\\\$‸')), 'local_part');
});

test('router self, smtp dkim_canon, dkim_hash and dkim_strict, tls_dhparam; a new authenticator is offered driver once', () => {
  has(labels('begin routers\nr:\n  driver = dnslookup\n  self = ‸\n'), 'freeze', 'defer', 'fail', 'pass', 'send', 'reroute:');
  has(labels('begin transports\nt:\n  driver = smtp\n  dkim_canon = ‸\n'), 'relaxed', 'simple');
  has(labels('begin transports\nt:\n  driver = smtp\n  dkim_hash = ‸\n'), 'sha256', 'sha512', 'sha1');
  assert.deepEqual(labels('begin transports\nt:\n  driver = smtp\n  dkim_strict = ‸\n'), ['true', 'false']);
  has(labels('tls_dhparam = ‸\n'), 'ffdhe3072', 'none', 'historic');
  const auth = labels('begin authenticators\nplain:\n  ‸\n');
  assert.equal(auth.filter((l) => l === 'driver').length, 1);
});

test('imapd.conf: SASL keys and their values, @include; cyrus.conf: switch values', () => {
  has(labels('configdirectory: /var/lib/cyrus\nsasl_‸\n', 'imapd-conf', 'imapd.conf'), 'sasl_pwcheck_method', 'sasl_mech_list', 'sasl_saslauthd_path');
  has(labels('sasl_pwcheck_method: ‸\n', 'imapd-conf', 'imapd.conf'), 'saslauthd', 'auxprop');
  assert.deepEqual(labels('@‸\n', 'imapd-conf', 'imapd.conf'), ['@include']);
  const o = at('sasl_mech_list: PLAIN\n‸', 'imapd-conf', 'imapd.conf');
  assert.match(hover(o.ws, o.file, { line: 0, character: 3 })!.markdown, /SASL/);
  has(labels('SERVICES {\n  imap cmd="imapd" babysit=‸\n}\n', 'cyrus-conf', 'cyrus.conf'), 'true', 'false', '1', '0');
});

test('hover on <, <=, =, ==, >, >= as expansion conditions', () => {
  for (const op of ['<', '<=', '=', '==', '>', '>=']) {
    const t = `begin routers\nr:\n  driver = accept\n  condition = \${if ${op}{$n0}{1}}\n`;
    const o = at(t.replace(`if ${op}`, `if ‸${op}`));
    const h = hover(o.ws, o.file, { line: o.pos.line, character: o.pos.character + 1 });
    assert.match(h?.markdown ?? '', new RegExp(`^\\*\\*${op}\\*\\* — expansion condition`), op);
  }
});
