import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject } from '../../project';
import { defaultOptions } from '../../options';
import { memoryHost } from '../../../../../test/helpers/memory-host';
import { applyEdits } from '../../../../../test/helpers/apply-edits';

const file = '/virtual/acl-accepts/exim.conf';
const check = (text: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions, memoryHost(new Map([[file, text]])))
  .filter((f) => f.code === 'exim/acl-never-accepts');

/** The text after the finding's one fix. */
function fixed(text: string): string {
  const [f] = check(text);
  assert.ok(f, 'a finding to fix');
  return applyEdits(text, f.fixes![0].edits);
}

test('the fix ends the ACL with "accept", indented as its statements, also at the end of a file with no final newline', () => {
  const main = 'acl_smtp_rcpt = r\nbegin acl\n';
  assert.equal(fixed(`${main}r:\n    deny  hosts = 192.0.2.9\n    warn  logwrite = x\n\nother:\n  accept\n`),
    `${main}r:\n    deny  hosts = 192.0.2.9\n    warn  logwrite = x\n    accept\n\nother:\n  accept\n`);
  assert.equal(fixed(`${main}r:\n  deny hosts = 192.0.2.9 : \\\n    192.0.2.10`), `${main}r:\n  deny hosts = 192.0.2.9 : \\\n    192.0.2.10\n  accept`);
  assert.equal(fixed(`${main}r:\nother:\n  accept\n`), `${main}r:\n  accept\nother:\n  accept\n`);
  for (const text of [fixed(`${main}r:\n  deny hosts = 192.0.2.9\n`), fixed(`${main}r:`)]) assert.deepEqual(check(text), [], text);
  // A line that is no statement ("Accept": no verb) is still the ACL's: the fix goes after it,
  // not between the header and it (where "Accept" became a condition of the new statement).
  assert.equal(fixed(`${main}r:\n  Accept\n\nother:\n  accept\n`), `${main}r:\n  Accept\n  accept\n\nother:\n  accept\n`);
});

test('an ACL only an acl = condition calls, or selected by an option that is not checked, is left alone', () => {
  assert.deepEqual(check('acl_smtp_rcpt = r\nbegin acl\nr:\n  accept acl = sub\nsub:\n  deny hosts = 192.0.2.9\n'), []);
  assert.deepEqual(check('acl_smtp_vrfy = v\nacl_smtp_quit = q\nbegin acl\nv:\n  deny hosts = 192.0.2.9\nq:\n  warn logwrite = bye\n'), []);
  assert.deepEqual(check('acl_smtp_rcpt = ${if eq{a}{a}{r}{s}}\nbegin acl\nr:\n  deny hosts = 192.0.2.9\n'), []);
});
