// control = dscp/VALUE against Debian's real Exim daemon: with a real socket Exim looks the
// value up (ip.c, dscp_lookup) and fails the ACL on one it does not know (451 to the
// connection). exim4 -bh has no socket and skips the control, so only the daemon shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { eximMissingReason, eximScratchDir, mainLog, smtpSession, spoolLines, withEximDaemon } from './harness/exim';
import { freePort } from './harness/cyrus';

const missing = eximMissingReason();

// [the value after dscp/, whether Exim takes it]
const VALUES: [string, boolean][] = [['af41', true], ['0x2e', true], ['46', true], ['lowdelay', true], ['cs1', false], ['EF', false], ['64', false]];

for (const [value, known] of VALUES) {
  test(`control = dscp/${value} in the connect ACL: the daemon ${known ? 'greets' : 'answers 451'}, and we ${known ? 'say nothing' : 'warn'}`, { skip: missing ? `skipped: ${missing}` : false }, async () => {
    const dir = eximScratchDir('exim-cyrus-acl-control-');
    const conf = path.join(dir, 'exim.conf');
    fs.writeFileSync(conf, `${spoolLines(dir)}primary_hostname = test.example\nacl_smtp_connect = c\nbegin acl\nc:\n  accept control = dscp/${value}\n`);
    const port = await freePort();
    const replies = await withEximDaemon(conf, port, dir, () => smtpSession(port, ['QUIT']));
    assert.equal(replies[0]?.slice(0, 3), known ? '220' : '451', replies.join(' | '));
    if (!known) assert.match(mainLog(dir), new RegExp(`unrecognised DSCP value in "control=dscp/${value}"`));
    const warned = checkProject([{ path: conf, kind: 'exim' }], defaultOptions).some((f) => f.code === 'exim/acl-syntax' && /dscp/.test(f.message));
    assert.equal(warned, !known);
  });
}
