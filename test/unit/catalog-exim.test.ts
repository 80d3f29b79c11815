import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aclCondition, aclControl, aclOptionsForWhere, calloutOption, eximDriver, eximLookupType, eximOption,
  expansionOperator, expansionVariable, lookupOption, optionsFor, optionsOfScope, specUrl, verifyType, whereOfAclOption,
} from '../../server/src/core/catalog/exim';

test('driver options include the generic options of their kind', () => {
  const o = eximOption('smtp', 'protocol');
  assert.equal(o?.use, 'smtp');
  assert.deepEqual(o?.values, ['smtp', 'lmtp', 'smtps', 'submissions']);
  assert.deepEqual(o?.newerValues, ['submissions']);
  assert.equal(eximOption('smtp', 'driver')?.use, 'transports');
  assert.equal(eximOption('accept', 'domains')?.listKind, 'domainlist');
  assert.equal(eximOption('accept', 'protocol'), undefined);
  assert.equal(eximOption('routers', 'transport')?.generic, true);
});

test('versions: newer options exist for latest only, removed ones for 4.96 only', () => {
  assert.ok(eximOption('main', 'panic_coredump', 'latest'));
  assert.equal(eximOption('main', 'panic_coredump', '4.96'), undefined);
  assert.equal(lookupOption('main', 'panic_coredump')?.in496, false);
  assert.ok(eximOption('main', 'drop_cr', '4.96'));
  assert.equal(eximOption('main', 'drop_cr', 'latest'), undefined);
  assert.equal(eximOption('smtp', 'max_rcpt')?.expanded, true);
  assert.equal(eximOption('smtp', 'max_rcpt')?.expanded496, false);
});

test('build-guarded and C-only options are valid', () => {
  assert.equal(eximOption('main', 'tls_certificate')?.guard, '!DISABLE_TLS');
  assert.ok(eximOption('main', 'redis_servers'));
  assert.ok(eximOption('main', 'daemon_smtp_port')?.hidden);
  assert.ok(eximOption('smtp', 'arc_sign'));
});

test('value types come from the C tables', () => {
  assert.equal(eximOption('main', 'message_size_limit')?.valueType, 'string');
  assert.equal(eximOption('main', 'accept_8bitmime')?.valueType, 'bool');
  assert.equal(eximOption('main', 'ignore_bounce_errors_after')?.valueType, 'time');
  assert.equal(eximOption('appendfile', 'mode')?.valueType, 'octint');
  assert.equal(eximOption('main', 'never_users')?.valueType, 'uidlist');
});

test('optionsFor lists own and generic options once', () => {
  const names = optionsFor('smtp').map((o) => o.name);
  assert.ok(names.includes('hosts_require_tls') && names.includes('debug_print'));
  assert.equal(new Set(names).size, names.length);
  assert.ok(!optionsFor('main', '4.96').some((o) => o.name === 'panic_coredump'));
});

test('drivers, lookups, ACL names and expansion names', () => {
  assert.equal(eximDriver('smtp')?.kind, 'transport');
  assert.equal(eximDriver('smtp', 'router'), undefined);
  assert.equal(eximLookupType('partial-lsearch')?.name, 'lsearch');
  assert.equal(eximLookupType('lsearch*@')?.name, 'lsearch');
  assert.equal(eximLookupType('nosuch'), undefined);
  assert.equal(aclCondition('domains')?.kind, 'condition');
  assert.equal(aclCondition('message')?.kind, 'modifier');
  assert.deepEqual(aclCondition('recipients')?.allowedIn, ['rcpt']);
  assert.ok(aclControl('submission'));
  assert.ok(verifyType('recipient'));
  assert.ok(calloutOption('defer_ok'));
  assert.equal(whereOfAclOption('acl_smtp_rcpt'), 'rcpt');
  assert.deepEqual(aclOptionsForWhere('mime'), ['acl_smtp_mime', 'acl_not_smtp_mime']);
  assert.ok(expansionOperator('lc'));
  assert.ok(expansionOperator('length_3'));
  assert.ok(expansionOperator('substr_-1_1'));
  assert.equal(expansionOperator('quote_mysql')?.kind, 'operator');
  assert.equal(expansionOperator('quote_nosuch'), undefined);
  assert.equal(expansionOperator('headerwrap_72')?.in496, false);
  assert.equal(expansionOperator('nosuch'), undefined);
  assert.ok(expansionVariable('local_part'));
  assert.ok(expansionVariable('acl_m_foo'));
  assert.ok(expansionVariable('h_subject'));
  assert.equal(expansionVariable('acl_x'), undefined);
});

test('specUrl links to the chapter of the scope', () => {
  assert.match(specUrl('smtp', 'protocol'), /ch-the_smtp_transport\.html#/);
  assert.match(specUrl('main'), /ch-main_configuration\.html$/);
});

test('log_selector names depend on the version', async () => {
  const { logSelectorNames } = await import('../../server/src/core/catalog/exim-log-selectors');
  assert.ok(logSelectorNames('latest').includes('connection_id'));
  assert.ok(!logSelectorNames('4.96').includes('connection_id'));
  assert.ok(logSelectorNames('4.96').includes('tls_peerdn'));
});

test('the options of a scope, taken once, give what lookupOption gives for each name', () => {
  for (const scope of ['main', 'routers', 'transports', 'smtp', 'redirect', 'plaintext']) {
    const table = optionsOfScope(scope);
    assert.ok(table && table.size > 0, scope);
    for (const o of optionsFor(scope)) assert.equal(table.get(o.name), lookupOption(scope, o.name), `${scope} ${o.name}`);
    assert.equal(table.get('no_such_option'), undefined);
  }
  assert.equal(optionsOfScope('no_such_driver'), undefined);
  assert.equal(lookupOption('no_such_driver', 'driver'), undefined);
});
