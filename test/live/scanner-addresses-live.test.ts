// spamd_address and a clamd av_scanner against Debian's real Exim 4.96 (-bh runs the DATA
// ACL's scans): with "host port" Exim connects to the scanner listening there; with
// host:port, where we warn, it never does ("invalid spamd address", clamd "missing port"),
// and the scan defers; nor with a scanner type Exim does not have ("clamav"). The scanner
// here is a listener that counts connections and hangs up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { EXIM, eximMissingReason, eximScratchDir, spoolLines } from './harness/exim';

const missing = eximMissingReason();
const skip = missing ? `skipped: ${missing}` : false;

/** A listener on a loopback port of the kernel's choosing that counts the connections it gets. */
async function counter(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = net.createServer((c) => { n++; c.destroy(); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, count: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

const CASES: [string, string, (port: number | string) => string][] = [
  ['spamd_address', 'spam = nobody', (p) => `127.0.0.1 ${p}`],
  ['spamd_address', 'spam = nobody', (p) => `127.0.0.1:${p}`],
  ['av_scanner', 'malware = *', (p) => `clamd:127.0.0.1 ${p}`],
  ['av_scanner', 'malware = *', (p) => `clamd:127.0.0.1:${p}`],
  ['av_scanner', 'malware = *', (p) => `clamav:127.0.0.1 ${p}`],
];

for (const [option, condition, value] of CASES) {
  test(`${option} = ${value('PORT')}: we warn exactly when Exim never reaches the scanner there`, { skip }, async () => {
    const listener = await counter();
    try {
      const dir = eximScratchDir('exim-cyrus-scanner-');
      const conf = path.join(dir, 'exim.conf');
      fs.writeFileSync(conf, `primary_hostname = mail.example.com\n${spoolLines(dir)}${option} = ${value(listener.port)}\nacl_smtp_rcpt = r\nacl_smtp_data = d\nbegin acl\nr:\n  accept\nd:\n  deny ${condition}\n  accept\n`);
      const session = 'EHLO client.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n';
      // Not spawnSync: it would block the event loop, and with it the listener.
      const child = spawn(EXIM, ['-C', conf, '-bh', '192.0.2.1'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => { output += d; });
      child.stderr.on('data', (d) => { output += d; });
      child.stdin.end(session);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await new Promise((r) => child.once('exit', r));
      clearTimeout(timer);
      assert.match(output, /^451 /m, output);
      const reached = listener.count() > 0;
      if (!reached) assert.match(output, /invalid spamd address|missing port|unknown scanner type/, output);
      const warned = checkProject([{ path: conf, kind: 'exim' }], defaultOptions).some((f) => f.code === 'exim/invalid-value' && f.message.includes(option));
      assert.equal(warned, !reached, output);
    } finally {
      await listener.close();
    }
  });
}
