// The distribution's own cyrus.conf and imapd.conf (Debian's /etc files, when Cyrus is
// installed here) must not get an error finding: they are what Cyrus really runs with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';

for (const [file, kind] of [['/etc/cyrus.conf', 'cyrus-conf'], ['/etc/imapd.conf', 'imapd-conf']] as const) {
  test(`${file} has no error findings`, (t) => {
    if (!fs.existsSync(file)) { t.skip(`${file} does not exist (Cyrus is not installed here)`); return; }
    const errors = checkProject([{ path: file, kind }], defaultOptions).filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => `${f.range.start.line + 1}: ${f.code} ${f.message}`), []);
  });
}
