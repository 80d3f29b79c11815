// Cyrus's `deliver` (what an Exim pipe transport runs) hands mail to lmtpd over imapd.conf's
// lmtpsocket, read as the service "deliver" (deliver_lmtpsocket wins): with the real Cyrus
// 3.6, a delivery works exactly when we find no link/unix-socket-mismatch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { CYRUS_BIN, cyrusMissingReason, startCyrus, type CyrusInstance } from './harness/cyrus';

const missing = cyrusMissingReason();
const skip = missing ? `skipped: ${missing}` : false;
const DELIVER = path.join(CYRUS_BIN, 'deliver');
const ALICE = 'alice@localhost';
let cy: CyrusInstance | undefined;

before(async () => {
  if (missing) return;
  cy = await startCyrus({ mailboxes: [`user/${ALICE}`] });
});

after(async () => {
  await cy?.stop();
});

test('deliver connects to its lmtpsocket: it delivers exactly when we report no socket mismatch', { skip, timeout: 90_000 }, async () => {
  const c = cy!;
  const base = fs.readFileSync(c.imapdConf, 'utf8').replace(/^lmtpsocket:.*\n/m, '');
  const nowhere = path.join(c.dir, 'socket', 'nowhere');
  const cases = [
    `lmtpsocket: ${c.lmtpSocket}\n`,
    `lmtpsocket: ${nowhere}\n`,
    `lmtpsocket: ${nowhere}\ndeliver_lmtpsocket: ${c.lmtpSocket}\n`,
    `lmtpsocket: ${c.lmtpSocket}\ndeliver_lmtpsocket: ${nowhere}\n`,
  ];
  const disagree: string[] = [];
  let delivered = 0;
  for (const [i, extra] of cases.entries()) {
    const conf = path.join(c.dir, `deliver-${i}.conf`);
    fs.writeFileSync(conf, base + extra);
    fs.chmodSync(conf, 0o644);
    const exim = path.join(c.dir, `exim-${i}.conf`);
    fs.writeFileSync(exim, [
      'primary_hostname = localhost', 'domainlist cyrus_domains = localhost', 'begin routers',
      'cyrus:', '  driver = accept', '  domains = +cyrus_domains', '  transport = cyrus_deliver',
      'begin transports', 'cyrus_deliver:', '  driver = pipe', `  command = ${DELIVER} -C ${conf} -- $local_part@$domain`, '  user = cyrus', '',
    ].join('\n'));
    const ours = checkProject([{ path: exim, kind: 'exim' }, { path: c.cyrusConf, kind: 'cyrus-conf' }, { path: c.imapdConf, kind: 'imapd-conf' }], defaultOptions)
      .filter((f) => f.code === 'link/unix-socket-mismatch' || f.code === 'link/lmtp-no-listener');
    const r = spawnSync(DELIVER, ['-C', conf, '--', ALICE], { input: 'From: a@b\r\nSubject: live\r\n\r\nhi\r\n', encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0) delivered++;
    if ((r.status === 0) !== (ours.length === 0)) {
      disagree.push(`${extra.trim()}: deliver exit ${r.status} ${r.stdout.trim()}; ours ${ours.map((f) => f.code).join(', ') || 'clean'}`);
    }
  }
  assert.deepEqual(disagree, []);
  assert.equal(delivered, 2);
  assert.equal(await c.messageCount(`user/${ALICE}`), 2);
});
