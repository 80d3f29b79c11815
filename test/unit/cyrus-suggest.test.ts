// "Did you mean" for Cyrus names: the same distance as the Exim rules, transpositions included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest } from '../../server/src/core/cyrus/suggest';

test('two swapped letters count as one slip, even in a short name', () => {
  assert.equal(closest('cdm', ['cmd', 'listen', 'prefork']), 'cmd');
  assert.equal(closest('lsiten', ['cmd', 'listen', 'prefork']), 'listen');
  assert.equal(closest('DAEOMN', ['START', 'SERVICES', 'EVENTS', 'DAEMON']), 'DAEMON');
});

test('the allowance grows with the name, and nothing too far is offered', () => {
  assert.equal(closest('cmdd', ['cmd']), 'cmd');
  assert.equal(closest('xyz', ['cmd']), undefined);
  assert.equal(closest('maxchild', ['maxchild', 'maxchilds']), 'maxchild');
  assert.equal(closest('proxyd_allow_status_referal', ['proxyd_allow_status_referral']), 'proxyd_allow_status_referral');
});

test('ties go to the first name in sort order, whatever order the candidates come in', () => {
  assert.equal(closest('cat', ['bat', 'hat']), 'bat');
  assert.equal(closest('cat', ['hat', 'bat']), 'bat');
});

test('the SASL options completion offers are ones libsasl asks for, or Cyrus\'s own sasl_ options', async () => {
  const { SASL_OPTIONS } = await import('../../server/src/core/features/sasl-options');
  const { SASL_LIBRARY_OPTIONS } = await import('../../server/src/core/cyrus/sasl-options');
  const { isImapdOption } = await import('../../server/src/core/catalog/cyrus');
  for (const o of SASL_OPTIONS) {
    assert.ok(SASL_LIBRARY_OPTIONS.has(o.name.replace(/^sasl_/, '')) || isImapdOption(o.name), o.name);
  }
});
