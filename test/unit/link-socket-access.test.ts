// link/socket-permission over a made-up machine: its /etc/passwd and /etc/group, and the
// owner, group and mode of each path on the way to Cyrus's socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject, type Input } from '../../server/src/core/project';
import { defaultOptions } from '../../server/src/core/options';
import type { PathStat, SourceHost } from '../../server/src/core/host';
import type { Finding } from '../../server/src/core/diagnostic';
import { memoryHost } from '../helpers/memory-host';
import { applyEdits } from '../helpers/apply-edits';

const DIR = '/virtual/sock';
const PASSWD = 'root:x:0:0::/root:/bin/sh\nmail:x:8:8::/var/mail:/usr/sbin/nologin\nDebian-exim:x:102:109::/var/spool/exim4:/usr/sbin/nologin\ncyrus:x:104:8::/var/spool/cyrus:/bin/sh\n';
const GROUP = 'root:x:0:\nmail:x:8:\nadm:x:4:\nDebian-exim:x:109:\n';
const CYRUS = 'SERVICES {\n  lmtpunix cmd="lmtpd" listen="/run/cyrus/socket/lmtp" prefork=0\n}\n';

const dir = (uid: number, gid: number, mode: number): PathStat => ({ kind: 'directory', uid, gid, mode });
/** Debian's layout: /run/cyrus/socket is cyrus:mail 0750, the socket itself open to all. */
const DEBIAN: Record<string, PathStat> = {
  '/run': dir(0, 0, 0o755),
  '/run/cyrus': dir(104, 8, 0o755),
  '/run/cyrus/socket': dir(104, 8, 0o750),
  '/run/cyrus/socket/lmtp': { kind: 'socket', uid: 104, gid: 8, mode: 0o777 },
};

const conf = (transport = '', router = '', main = '') => `primary_hostname = mx.example.net
${main}begin routers
cyrus:
  driver = accept
  domains = a.org
${router}  transport = t
begin transports
t:
  driver = lmtp
  socket = /run/cyrus/socket/lmtp
${transport}begin retry
* * F,2h,15m
`;

function check(exim: string, { stats = DEBIAN, group = GROUP }: { stats?: Record<string, PathStat>; group?: string } = {}): { found: Finding[]; exim: string } {
  const files = new Map([[`${DIR}/exim.conf`, exim], [`${DIR}/cyrus.conf`, CYRUS], ['/etc/passwd', PASSWD], ['/etc/group', group],
    [`${DIR}/imapd.conf`, 'configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\nlmtpsocket: /run/cyrus/socket/lmtp\n']]);
  const host: SourceHost = { ...memoryHost(files), stat: (p) => stats[p] };
  const inputs: Input[] = [{ path: `${DIR}/exim.conf`, kind: 'exim' }, { path: `${DIR}/cyrus.conf`, kind: 'cyrus-conf' }];
  return { found: checkProject(inputs, defaultOptions, host).filter((f) => f.code === 'link/socket-permission'), exim };
}

test('socket-permission: the Exim user cannot search Debian\'s cyrus:mail 0750 socket directory; group = mail mends it', () => {
  const { found, exim } = check(conf());
  assert.equal(found.length, 1);
  const f = found[0];
  assert.equal(f.severity, 'error');
  assert.equal(f.range.start.line, 9, 'on the socket option');
  assert.match(f.message, /^Exim runs transport t as user Debian-exim and group Debian-exim \(neither it nor router cyrus sets a user, so it runs as the Exim user, with user Debian-exim's group\), and on this machine \/run\/cyrus\/socket \(owner cyrus, group mail, mode 0750\) does not let them search it: every delivery to Cyrus defers/);
  assert.doesNotMatch(f.message, /supplementary/);
  const fix = f.fixes?.[0];
  assert.ok(fix?.preferred);
  const fixed = applyEdits(exim, fix.edits);
  assert.match(fixed, /\n {2}socket = \/run\/cyrus\/socket\/lmtp\n {2}group = mail\n/);
  assert.deepEqual(check(fixed).found, []);
});

test('socket-permission: who the transport runs as, as Exim decides it', () => {
  assert.deepEqual(check(conf('  user = cyrus\n')).found, [], 'the owner');
  assert.deepEqual(check(conf('', '  user = cyrus\n')).found, [], 'the router\'s user, with its group');
  assert.deepEqual(check(conf('', '  group = mail\n')).found, [], 'the router\'s group with the Exim user');
  assert.match(check(conf('  user = Debian-exim\n', '  group = mail\n')).found[0]?.message ?? '', /with user Debian-exim's group/, 'a named transport user brings its own group, which wins over the router\'s');
  assert.deepEqual(check(conf('', '', 'exim_user = mail\n')).found, [], 'exim_user, with its group mail');
  assert.match(check(conf('', '', 'exim_user = mail\nexim_group = adm\n')).found[0]?.message ?? '', /as user mail and group adm \(.*\(exim_user = mail\), with exim_group = adm\)/);
  assert.deepEqual(check(conf('', '  check_local_user\n')).found, [], 'each recipient\'s own account: not one identity');
  assert.deepEqual(check(conf('  user = ${lookup{$local_part}lsearch{/etc/users}}\n')).found, [], 'known at delivery');
  assert.deepEqual(check(conf('  user = nosuchuser\n')).found, [], 'a user this machine does not have');
});

test('socket-permission: supplementary groups count only with initgroups', () => {
  const member = GROUP.replace('mail:x:8:', 'mail:x:8:Debian-exim');
  const plain = check(conf(), { group: member }).found;
  assert.match(plain[0]?.message ?? '', /Debian-exim is a member of group mail in \/etc\/group, but Exim runs deliveries without supplementary groups unless initgroups is set\./);
  assert.deepEqual(check(conf('  user = Debian-exim\n  initgroups\n'), { group: member }).found, []);
});

test('socket-permission: the socket itself, a group that does not help, and what is not on this machine', () => {
  const closed = { ...DEBIAN, '/run/cyrus/socket': dir(104, 8, 0o755), '/run/cyrus/socket/lmtp': { kind: 'socket' as const, uid: 0, gid: 0, mode: 0o700 } };
  const f = check(conf(), { stats: closed }).found[0];
  assert.match(f?.message ?? '', /\/run\/cyrus\/socket\/lmtp \(owner root, group root, mode 0700\) does not let them write to it \(connect\)/);
  assert.deepEqual(f.fixes, [], 'no group lets a process in');
  assert.doesNotMatch(f.message, /user = root/, 'never advises delivering as root');
  const wrong = check(conf('  group = adm\n'));
  assert.match(wrong.found[0]?.message ?? '', /group adm \(.*transport t's group adm\)/);
  const replace = wrong.found[0].fixes![0];
  assert.equal(replace.manual, true, 'the transport names another group on purpose: --fix leaves it');
  assert.match(applyEdits(wrong.exim, replace.edits), /\n {2}group = mail\n/);
  assert.deepEqual(check(conf(), { stats: { '/run': DEBIAN['/run'] } }).found, [], 'the socket directory is not on this machine');
  assert.deepEqual(check(conf(), { stats: {} }).found, []);
});

test('socket-permission: a pipe to Cyrus\'s deliver reaches lmtpd as the pipe\'s user and group; it bounces when it cannot', () => {
  const pipe = conf('', '', '').replace('  driver = lmtp\n  socket = /run/cyrus/socket/lmtp\n', '  driver = pipe\n  command = /usr/lib/cyrus/bin/deliver -C /virtual/sock/imapd.conf -- $local_part_data@$domain_data\n');
  const { found, exim } = check(pipe);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /Cyrus's deliver, which it runs with them, cannot reach lmtpd's socket \/run\/cyrus\/socket\/lmtp \(its lmtpsocket\): deliver exits 78 .* every message to Cyrus bounces/);
  assert.match(applyEdits(exim, found[0].fixes![0].edits), /\n {2}command = [^\n]*\n {2}group = mail\n/);
  assert.deepEqual(check(pipe.replace('  driver = pipe\n', '  driver = pipe\n  user = cyrus\n')).found, [], 'deliver run as cyrus');
});
