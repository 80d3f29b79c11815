// A control or verify type the target Exim lacks: a condition's unknown name stops Exim at
// load, but these are read when the ACL runs, so the config loads and the ACL fails with an
// error there (Exim 4.96, exim4 -bh: -bV passes, the RCPT gets 451).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { memoryHost } from '../../../../../test/helpers/memory-host';

const file = '/virtual/acl-version/exim.conf';
const check = (statement: string, eximVersion: 'latest' | '4.96', where = 'rcpt') => checkProject([{ path: file, kind: 'exim' }], { ...defaultOptions, eximVersion },
  memoryHost(new Map([[file, `acl_smtp_${where} = r\nbegin acl\nr:\n  ${statement}\n  deny\n`]]))).filter((f) => f.code === 'exim/acl-syntax');

test('a control or verify type newer than the target: the config loads, the ACL fails where it gets there', () => {
  for (const [statement, where] of [['accept control = dmarc_disable_verify', 'rcpt'], ['accept verify = arc', 'data']]) {
    const [f, ...rest] = check(statement, '4.96', where);
    assert.equal(rest.length, 0, statement);
    assert.equal(f.severity, 'warning', statement);
    assert.match(f.message, /is not in Exim 4\.96 \(.*\); Exim 4\.96 loads the config, but the ACL fails with an error each time it gets here \("451 Temporary local problem"\)\.$/, statement);
    assert.deepEqual(check(statement, 'latest', where), [], `${statement}: current Exim has it`);
  }
});
