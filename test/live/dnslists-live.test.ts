// dnslists items Exim takes and then reads as something else, against Debian's real Exim
// 4.96 and a DNS list of our own: a DNS server (harness/fake-dns.mjs) on 127.0.0.1 in a
// network and mount namespace of the test's own, where /etc/resolv.conf points at it, and
// where 192.0.2.1 is listed at zen.example with 127.0.0.2. The well-formed item rejects
// the RCPT; each we warn about lets it through, and the "/8" one looks up 8.zen.example.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProject } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import { EXIM } from './harness/exim';

function missingReason(): string | undefined {
  try { fs.accessSync(EXIM, fs.constants.X_OK); } catch { return `Exim is not installed (${EXIM} missing)`; }
  if (process.getuid?.() !== 0) return 'needs root: a network and mount namespace of its own';
  for (const tool of ['unshare', 'ip', 'mount']) if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  if (spawnSync('unshare', ['-n', '-m', '--', 'true']).status !== 0) return 'unshare -n -m is not permitted here';
  return undefined;
}
const missing = missingReason();
const skip = missing ? `skipped: ${missing}` : false;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-dnslists-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const DNS = path.join(__dirname, 'harness', 'fake-dns.mjs');
let n = 0;

/** The RCPT reply of a session from 192.0.2.1 through `deny dnslists = ITEM`, and the names Exim looked up. */
function session(item: string): { file: string; reply: string; queried: string[] } {
  const file = path.join(dir, `dl-${++n}.conf`);
  fs.writeFileSync(file, `acl_smtp_rcpt = r\nbegin acl\nr:\n  deny    dnslists = ${item}\n          message = listed at $dnslist_domain\n  accept\n`);
  const resolv = path.join(dir, 'resolv.conf');
  fs.writeFileSync(resolv, 'nameserver 127.0.0.1\n');
  const log = path.join(dir, `q-${n}.log`);
  const answers = JSON.stringify({ '1.2.0.192.zen.example': '127.0.0.2' });
  const script = [
    'ip link set lo up',
    `mount --bind '${resolv}' /etc/resolv.conf`,
    `'${process.execPath}' '${DNS}' '${answers}' > '${log}' 2>&1 &`,
    'DNS=$!',
    "trap 'kill $DNS 2>/dev/null' EXIT INT TERM",
    `for i in 1 2 3 4 5 6 7 8 9 10; do grep -q ready '${log}' && break; sleep 0.2; done`,
    `'${EXIM}' -C '${file}' -bh 192.0.2.1`,
  ].join('\n');
  const r = spawnSync('unshare', ['-n', '-m', '--', 'sh', '-c', script], {
    input: 'HELO client.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.com>\r\nQUIT\r\n', encoding: 'utf8', timeout: 30_000,
  });
  const reply = r.stdout.split(/\r?\n/).filter((l) => /^\d{3} /.test(l))[3] ?? '';
  const queried = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('query A ')).map((l) => l.slice(8));
  return { file, reply, queried };
}

const warned = (file: string) => checkProject([{ path: file, kind: 'exim' }], defaultOptions).filter((f) => f.code === 'exim/acl-syntax');

test('dnslists = zen.example=127.0.0.2 (well formed): Exim rejects the listed client, and we say nothing', { skip }, () => {
  const s = session('zen.example=127.0.0.2');
  assert.match(s.reply, /^550 listed at zen\.example/);
  assert.deepEqual(s.queried, ['1.2.0.192.zen.example']);
  assert.deepEqual(warned(s.file), []);
});

for (const [item, why] of [['zen.example=127.0.0.x', /"127\.0\.0\.x" after "=" is not an IPv4 address/], ['zen.example=127.0.0.02', /"127\.0\.0\.02" after "="/], ['zen.example=', /nothing follows "="/]] as const) {
  test(`dnslists = ${item}: we warn, and Exim lets the listed client through`, { skip }, () => {
    const s = session(item);
    assert.match(s.reply, /^250 /);
    assert.deepEqual(s.queried, ['1.2.0.192.zen.example'], 'the list is asked, and its answer compared as text');
    const w = warned(s.file);
    assert.equal(w.length, 1);
    assert.match(w[0].message, why);
  });
}

test('dnslists = zen.example=127.0.0.0/8: we warn, and Exim looks up 8.zen.example instead of the client', { skip }, () => {
  const s = session('zen.example=127.0.0.0/8');
  assert.match(s.reply, /^250 /);
  assert.deepEqual(s.queried, ['8.zen.example']);
  const w = warned(s.file);
  assert.equal(w.length, 1);
  assert.match(w[0].message, /Exim looks up "8\.zen\.example"/);
});
