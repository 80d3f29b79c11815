// Properties of the rules about this machine's permissions (exim/tls-file-access,
// exim/lookup-file-access, imapd/tls-file-access, imapd/directory-access,
// imapd/config-access) over generated configs on made-up machines: any owners, groups and
// modes (file or directory where the other is expected, paths cut short), any passwd and
// group: total (checkMachine never throws) and well formed (each finding of those codes, in
// the file checked, on a line it has).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkMachine, loadInput, type Models } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import type { PathStat, SourceHost } from '../../server/src/core/host';
import { memoryHost } from '../helpers/memory-host';
import { check, runs, TIMEOUT } from './support';

const DIR = '/virtual/fuzz-machine';
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const some = (xs: fc.Arbitrary<string>, max = 4) => fc.array(xs, { maxLength: max }).map((a) => a.join(''));

const PATHS = ['/etc', '/etc/ssl', '/etc/ssl/private', '/etc/ssl/private/k.pem', '/etc/ssl/c.pem', '/etc/exim4', '/etc/exim4/d', '/srv', '/srv/mail', '/srv/mail/x', '/var/lib/cyrus'];
const path_ = pick(...PATHS, '/nowhere/x', 'relative/x', '/', '/etc/', '');
const stat: fc.Arbitrary<PathStat> = fc.record({
  kind: pick('file', 'directory', 'socket', 'other') as fc.Arbitrary<PathStat['kind']>,
  uid: pick(0, 102, 104, 8, 999),
  gid: pick(0, 8, 103, 109, 999),
  mode: fc.integer({ min: 0, max: 0o7777 }),
});
const machine = fc.dictionary(pick(...PATHS), stat, { maxKeys: PATHS.length });
const passwd = pick('', 'root:x:0:0::/:/bin/sh\n', 'root:x:0:0::/:/bin/sh\nDebian-exim:x:102:109::/:/bin/false\ncyrus:x:104:8::/:/bin/sh\nmail:x:8:8::/:/bin/false\n', 'cyrus:x:notanumber:8\nDebian-exim:x:102\n');
const group = pick('', 'mail:x:8:\nssl-cert:x:103:cyrus,Debian-exim\nDebian-exim:x:109:\n', 'ssl-cert:x:103:\n', 'bad line\n:x::\n');

const eximLine = fc.oneof(
  fc.tuple(pick('tls_certificate', 'tls_privatekey', 'no_tls_certificate', 'exim_user', 'exim_group', 'tls_advertise_hosts', 'tls_on_connect_ports'),
    pick(...PATHS, '/etc/ssl/c.pem : /etc/ssl/private/k.pem', '<; /srv/mail/x ; /etc/ssl/c.pem', 'root', 'mail', '12345', 'nosuch', '${if true{x}}', '', '465')).map(([n, v]) => `${n} = ${v}\n`),
  fc.tuple(pick('domainlist', 'hostlist', 'addresslist'), pick('a', 'b'), pick('lsearch;/etc/exim4/d', 'net24-lsearch;/srv/mail/x', '+a', '+b', '*@dsearch;/srv/mail', 'cdb;relative/x', '! lsearch;/etc/ssl/private/k.pem', 'x.example'))
    .map(([k, n, v]) => `${k} ${n} = ${v}\n`),
);
const aclLine = fc.tuple(pick('accept', 'deny', 'warn'), pick('domains', 'hosts', 'senders', 'recipients', '!domains'), pick('+a', '+b', 'lsearch;/etc/exim4/d', 'lsearch;/srv/mail/x', '<; x ; lsearch;;/srv/mail/x', '${lookup{x}lsearch{/srv/mail/x}}'))
  .map(([v, c, x]) => `  ${v} ${c} = ${x}\n`);
const exim = fc.tuple(some(eximLine, 6), some(aclLine, 5)).map(([m, a]) => `${m}acl_smtp_rcpt = r\nbegin acl\nr:\n${a}`);
const imapdLine = fc.tuple(pick('', 'imap_', 'lmtp_'), pick('tls_server_cert', 'tls_server_key', 'tls_cert_file', 'tls_key_file', 'configdirectory', 'partition-default', 'partition-x', 'cyrus_user', 'cyrus_group', '@include'), path_)
  .map(([p, k, v]) => `${k === '@include' ? '' : p}${k}: ${v}\n`);
const imapd = some(imapdLine, 8);

const CODES = new Set(['exim/tls-file-access', 'exim/lookup-file-access', 'imapd/tls-file-access', 'imapd/directory-access', 'imapd/config-access']);

test('machine rules: total over generated configs on made-up machines, and well formed', { timeout: TIMEOUT }, () => {
  check('machine', fc.tuple(exim, imapd, machine, passwd, group), ([e, i, stats, pw, gr]) => {
    const files = new Map([[`${DIR}/exim.conf`, e], [`${DIR}/imapd.conf`, i], ['/etc/passwd', pw], ['/etc/group', gr]]);
    const host: SourceHost = { ...memoryHost(files), stat: (p) => stats[p] };
    const models: Models = {};
    loadInput({ path: `${DIR}/exim.conf`, kind: 'exim' }, models, defaultOptions, host);
    loadInput({ path: `${DIR}/imapd.conf`, kind: 'imapd-conf' }, models, defaultOptions, host);
    const found = checkMachine(models, host);
    for (const f of found) {
      assert.ok(CODES.has(f.code), f.code);
      const text = files.get(f.file);
      assert.ok(text !== undefined, `a finding in ${f.file}`);
      assert.ok(f.range.start.line >= 0 && f.range.start.line < text!.split('\n').length, 'on a line the file has');
      assert.ok(f.message.length > 0);
    }
  }, runs(200));
});
