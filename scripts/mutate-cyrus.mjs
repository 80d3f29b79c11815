// Mutation testing of our cyrus.conf and imapd.conf checks against the real Cyrus 3.6: takes
// valid files (the Cyrus examples in ../shared/corpus/cyrus-examples and our
// examples/reference), makes one seeded mistake in each copy, asks Cyrus what it makes of it,
// asks our checker, and lists where the two disagree. A developer tool, not part of `npm test`.
//
//   node scripts/mutate-cyrus.mjs [--count N] [--seed S] [--kind NAME] [--report FILE] [--verbose]
//
// --count mutants per file kind (default 150), --seed (default 1) makes the run repeatable,
// --kind keeps only mutation kinds whose name contains NAME, --report (default
// test-artifacts/mutate-cyrus-report.txt) gets every disagreement in full.
//
// How Cyrus 3.6 (Debian's) was found to react, which is what this observes:
// - imapd.conf is read by libconfig; `cyr_info -C FILE -M CYRUS.CONF conf-lint` loads it as
//   every service does. A value of the wrong type (INT, SWITCH, ENUM, STRINGLIST, BITFIELD,
//   DURATION, BYTESIZE), an option set twice (names compared lower-cased), a line that is not
//   `name: value`, an empty value and an unreadable `@include` are fatal: "fatal error: …" on
//   stderr and exit status 78 (EX_CONFIG), the same for `conf` and `conf-lint` and for every
//   service at start; a bad `<service>_` setting only for that service (`cyr_info -n
//   SERVICE`, run here for every entry of the pair). An unknown option is kept and ignored:
//   conf-lint prints it on stdout (a `<service>_` prefix counts as known only for a service
//   cyrus.conf names), and exits 0.
//   A deprecated value is accepted with a LOG_WARNING in syslog.
// - cyrus.conf is read by master alone. Fatal (exit 78 before "ready for work", LOG_CRIT):
//   an entry without cmd (or a service without listen) "unable to find command or port", two
//   SERVICES/DAEMON entries of one name "multiple entries for service", a bad character where
//   a name or `=` belongs, an unterminated quote. Not fatal, logged: an unknown proto or an
//   unresolvable listen "disabling <service>" (LOG_INFO), a second bind of one port "unable
//   to bind" (LOG_ERR), a value that is not a number "does not look like a number"
//   (LOG_DEBUG; the default is used). Fatal too: a service's or daemon's program that is not
//   installed ("cannot find executable"), a START program that cannot run ("can't run
//   startup"); an event's only fails when due (LOG_ERR). Silent: an unknown argument or
//   section (skipped), a section header without its brace (that block skipped), maxchild that
//   atoi reads as 0 (the service listens but never starts a process), at= out of range
//   (3.6 runs the event by period). These show as FALSE-POSITIVE below when they change no
//   listener: read them as silent breakage that only we report.
// - There is no syslog here (no /dev/log), so syslog() is made visible by an LD_PRELOAD shim,
//   compiled with cc into the scratch dir, that writes each message to stderr with its
//   priority and ident. Master's `-D` keeps it in the foreground.
// - Programs master runs (START at once, EVENTS at start-up) and services read
//   /etc/imapd.conf and touch /var/lib/cyrus and /run/cyrus unless their cmd says -C. So the
//   whole run happens in private mount, network and pid namespaces (unshare, as root): tmpfs
//   over Cyrus's directories, a scratch imapd.conf bound over /etc/imapd.conf, and a network
//   with nothing but loopback, so `listen="imap"` binds 143 there and nowhere else. Nothing
//   outside the namespaces sees any of it; everything ends with the run.
// - Each file is first run unmutated (the baseline): what Cyrus logs then (a socket path
//   that does not exist here, a program not installed) is not held against a mutant.
import { loadBundled } from './bundle-core.mjs';
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { optionReader } from './lib/options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = optionReader(argv);
const COUNT = Number(opt('--count', '150'));
const SEED = Number(opt('--seed', '1'));
const KIND = opt('--kind', '');
const REPORT = path.resolve(opt('--report', path.join(root, 'test-artifacts', 'mutate-cyrus-report.txt')));
const VERBOSE = argv.includes('--verbose');
const BIN = '/usr/lib/cyrus/bin';
const EXAMPLES = path.resolve(root, '../shared/corpus/cyrus-examples');
const NS_FLAG = 'EXIM_CYRUS_MUTATE_NS';

const bail = (why) => { console.log(`mutate-cyrus: ${why}: nothing compared.`); process.exit(0); };
if (!Number.isInteger(COUNT) || COUNT < 0 || !Number.isInteger(SEED)) { console.error('usage: mutate-cyrus.mjs [--count N] [--seed S] [--kind NAME] [--report FILE] [--verbose]'); process.exit(2); }

// ---- into the namespaces ----------------------------------------------------------------
if (!process.env[NS_FLAG]) {
  for (const p of ['master', 'cyr_info']) if (!fs.existsSync(path.join(BIN, p))) bail(`Cyrus is not installed (${BIN}/${p} missing)`);
  if (process.platform !== 'linux' || process.getuid?.() !== 0) bail('run as root on Linux (Cyrus runs in private namespaces)');
  const which = (p) => { try { return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', p], { encoding: 'utf8' }).trim(); } catch { return ''; } };
  for (const p of ['unshare', 'mount', 'ip', 'cc']) if (!which(p)) bail(`${p} is not installed`);
  const r = spawnSyncInherit('unshare', ['--mount', '--net', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private',
    process.execPath, fileURLToPath(import.meta.url), ...argv]);
  process.exit(r);
}

function spawnSyncInherit(cmd, args) {
  try { execFileSync(cmd, args, { stdio: 'inherit', env: { ...process.env, [NS_FLAG]: '1' } }); return 0; } catch (e) { return e.status ?? 1; }
}

// Everything below mounts: only ever as pid 1 of the fresh namespaces unshare made.
if (process.pid !== 1) { console.error(`mutate-cyrus: ${NS_FLAG} is set but this is not a fresh namespace: refusing to mount anything.`); process.exit(2); }

// ---- inside: sources ---------------------------------------------------------------------
const sources = [];
const addSource = (kind, file, pairName) => sources.push({ kind, file, name: path.relative(path.dirname(root), file), text: fs.readFileSync(file, 'utf8'), pairName });
for (const [dir, kind] of [['cyrus_conf', 'cyrus'], ['imapd_conf', 'imapd']]) {
  const d = path.join(EXAMPLES, dir);
  if (!fs.existsSync(d)) continue;
  for (const f of fs.readdirSync(d).sort()) addSource(kind, path.join(d, f), f);
}
for (const [f, kind] of [['cyrus.conf', 'cyrus'], ['imapd.conf', 'imapd']]) {
  const p = path.join(root, 'examples/reference', f);
  if (fs.existsSync(p)) addSource(kind, p, 'reference');
}
if (!sources.length) bail(`no examples found (${EXAMPLES}, examples/reference)`);

// ---- scratch, shim and the core ----------------------------------------------------------
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-cymut-'));
/** Mount points we made, last first: undone before the scratch dir goes. */
const mounted = [];
const mount = (args, at) => { execFileSync('mount', [...args, at]); mounted.unshift(at); };
/**
 * Unmounts what we mounted, then removes the scratch dir, but never while anything is still
 * mounted below it: realbin there is Cyrus's own bin directory.
 */
function removeScratch() {
  for (const m of mounted) { try { execFileSync('umount', [m]); } catch { /* the namespace ends soon anyway */ } }
  const mounts = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '');
  if (mounts.some((m) => m === scratch || m.startsWith(scratch + '/'))) { console.log(`left ${scratch} in place: something is still mounted there`); return; }
  fs.rmSync(scratch, { recursive: true, force: true });
}
let removed = false;
process.on('exit', () => { if (!removed) { removed = true; removeScratch(); } });
fs.chmodSync(scratch, 0o755);
const SHIM_C = `#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
static const char *ident = "?";
/* One write(2) per message, so lines of master and its children never interleave. */
static void out(int pri, const char *fmt, va_list ap) {
  char buf[2048];
  int n = snprintf(buf, sizeof buf, "@@SYSLOG %d %s: ", pri & 7, ident);
  if (n < 0 || n >= (int)sizeof buf - 2) return;
  int m = vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
  if (m < 0) return;
  n += m < (int)(sizeof buf - n - 1) ? m : (int)(sizeof buf - n - 2);
  buf[n++] = '\\n';
  (void)!write(2, buf, n);
}
void openlog(const char *i, int o, int f) { (void)o; (void)f; if (i) ident = i; }
void closelog(void) {}
void syslog(int p, const char *f, ...) { va_list ap; va_start(ap, f); out(p, f, ap); va_end(ap); }
void vsyslog(int p, const char *f, va_list ap) { out(p, f, ap); }
void __syslog_chk(int p, int fl, const char *f, ...) { (void)fl; va_list ap; va_start(ap, f); out(p, f, ap); va_end(ap); }
void __vsyslog_chk(int p, int fl, const char *f, va_list ap) { (void)fl; out(p, f, ap); }
`;
fs.writeFileSync(path.join(scratch, 'shim.c'), SHIM_C);
const SHIM = path.join(scratch, 'shim.so');
execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', SHIM, path.join(scratch, 'shim.c')]);
fs.chmodSync(SHIM, 0o755);

const core = await loadBundled(root, `export { checkProject } from './server/src/core/project';
export { imapdOptions, cyrusConfArgs } from './server/src/core/catalog/cyrus';
export { CYRUS_PROGRAMS } from './server/src/core/cyrus/programs';`);

// ---- the namespace's file system ------------------------------------------------------------
const userIds = (() => {
  const pw = fs.readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === 'cyrus');
  const gr = fs.readFileSync('/etc/group', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === 'mail');
  return pw ? { uid: Number(pw[2]), gid: gr ? Number(gr[2]) : Number(pw[3]) } : undefined;
})();
if (!userIds) bail('there is no user cyrus for master to drop to');
const CYRUS_DIRS = ['/run/cyrus', '/var/lib/cyrus', '/var/spool/cyrus', '/var/spool/sieve'].filter((d) => fs.existsSync(d));
execFileSync('ip', ['link', 'set', 'lo', 'up']);
for (const d of CYRUS_DIRS) mount(['-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs'], d);
const SYS_IMAPD = path.join(scratch, 'system-imapd.conf');
fs.writeFileSync(SYS_IMAPD, ['configdirectory: /var/lib/cyrus', 'defaultpartition: default', 'partition-default: /var/spool/cyrus/mail',
  'lmtpsocket: /run/cyrus/socket/lmtp', 'idlesocket: /run/cyrus/socket/idle', 'notifysocket: /run/cyrus/socket/notify', ''].join('\n'));
fs.chmodSync(SYS_IMAPD, 0o644);
if (fs.existsSync('/etc/imapd.conf')) mount(['--bind', SYS_IMAPD], '/etc/imapd.conf');
// Master 3.6 refuses to start when a service's program is not installed, and Debian ships
// pop3d, nntpd, httpd, … in packages of their own: every program Cyrus ships is made present
// (a stub that exits where the package is not installed), so a file is judged as on a
// server with all of Cyrus.
{
  const real = path.join(scratch, 'realbin'), bin = path.join(scratch, 'bin');
  fs.mkdirSync(real); fs.mkdirSync(bin);
  mount(['--bind', BIN], real);
  for (const p of fs.readdirSync(real)) fs.symlinkSync(path.join(real, p), path.join(bin, p));
  for (const p of core.CYRUS_PROGRAMS) {
    if (!fs.existsSync(path.join(bin, p))) { fs.writeFileSync(path.join(bin, p), '#!/bin/sh\nexit 0\n'); fs.chmodSync(path.join(bin, p), 0o755); }
  }
  mount(['--bind', bin], BIN);
}

/** Empties Cyrus's directories (tmpfs here) and makes what master expects, owned by cyrus. */
function freshCyrusDirs() {
  for (const d of CYRUS_DIRS) {
    for (const e of fs.readdirSync(d)) fs.rmSync(path.join(d, e), { recursive: true, force: true });
    const subs = d === '/run/cyrus' ? ['socket', 'lock', 'proc'] : d === '/var/spool/cyrus' ? ['mail'] : d === '/var/lib/cyrus' ? ['db', 'socket'] : [];
    for (const s of subs) fs.mkdirSync(path.join(d, s));
    chownTree(d);
  }
}
function chownTree(p) {
  fs.chownSync(p, userIds.uid, userIds.gid);
  if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chownTree(path.join(p, e));
}

// ---- what Cyrus says ------------------------------------------------------------------------
const SYSLOG = /^@@SYSLOG (\d) (\S*): (.*)$/;
/** Lines that differ from run to run however the config is: pids, timing, children's exits. */
const NOISE = /^(process started|ready for work|about to exec |process type:|attempting clean shutdown|All children have exited|exiting|service \S+ pid \d+|Reprocessing|reaping|\S+ wait|SQL backend|zoneinfo_dir|ical_support_init|DBERROR: read failed)/;
const norm = (s) => s.replace(/\d+/g, 'N');

function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, env: { ...process.env, LD_PRELOAD: SHIM }, maxBuffer: 4 << 20, cwd: scratch },
      (err, stdout, stderr) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, timedOut: !!err?.killed }));
  });
}

/** cyr_info's verdict on an imapd.conf (paired with a cyrus.conf for service names). */
async function cyrusOnImapd(text, pair) {
  const f = path.join(scratch, 'imapd.conf'), c = path.join(scratch, 'pair-cyrus.conf');
  fs.writeFileSync(f, text); fs.chmodSync(f, 0o644);
  fs.writeFileSync(c, pair); fs.chmodSync(c, 0o644);
  freshCyrusDirs();
  const r = await run(path.join(BIN, 'cyr_info'), ['-C', f, '-M', c, 'conf-lint'], 15_000);
  const logs = [], fatal = [];
  for (const l of r.stderr.split('\n')) {
    const m = SYSLOG.exec(l);
    if (m) { if (Number(m[1]) <= 4) logs.push(m[3]); } else if (l.trim()) fatal.push(l.trim());
  }
  let serviceFatal;
  // A service's process reads <service>_ settings too, and refuses to start on a bad one
  // while master and the rest read past it: load the file as each entry of the pair does.
  if (r.status === 0) {
    for (const name of new Set([...pair.matchAll(/^\s*([A-Za-z0-9]+)\s+(?:cmd|listen)=/gm)].map((m) => m[1]))) {
      const s = await run(path.join(BIN, 'cyr_info'), ['-C', f, '-M', c, '-n', name, 'conf-lint'], 15_000);
      if (s.status !== 0) { serviceFatal = `service ${name}: ${s.stderr.split('\n').filter((l) => l.trim() && !SYSLOG.test(l)).join(' ') || `exit ${s.status}`}`; break; }
    }
  }
  return { fatal: r.status !== 0 ? (fatal.join(' ') || `exit ${r.status}`) : serviceFatal, notes: [...logs, ...r.stdout.split('\n').filter(Boolean).map((l) => `conf-lint: ${l}`)] };
}

/** master's verdict on a cyrus.conf: fatal before it is ready, or what it logs on the way. */
async function cyrusOnCyrusConf(text) {
  const f = path.join(scratch, 'cyrus.conf');
  fs.writeFileSync(f, text); fs.chmodSync(f, 0o644);
  freshCyrusDirs();
  const log = path.join(scratch, 'master.log');
  const fd = fs.openSync(log, 'w');
  const child = spawn(path.join(BIN, 'master'), ['-C', SYS_IMAPD, '-M', f, '-p', '/run/cyrus/master.pid', '-D'],
    { stdio: ['ignore', fd, fd], env: { ...process.env, LD_PRELOAD: SHIM }, detached: true, cwd: scratch });
  fs.closeSync(fd);
  let exit;
  child.on('exit', (code, signal) => { exit = { code, signal }; });
  child.on('error', (e) => { exit = { code: -1, signal: String(e) }; });
  const read = () => { try { return fs.readFileSync(log, 'utf8'); } catch { return ''; } };
  const deadline = Date.now() + 10_000;
  let ready = false;
  while (!exit && Date.now() < deadline) {
    if (/ready for work/.test(read())) { ready = true; break; }
    await sleep(25);
  }
  if (ready) await sleep(250);
  const listening = ready && !exit ? listeners() : [];
  const before = read();
  const stop = async () => {
    if (exit) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 100 && !exit; i++) await sleep(50);
    if (!exit) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
    for (let i = 0; i < 40 && !exit; i++) await sleep(50);
  };
  const exitedEarly = !!exit;
  await stop();
  const lines = [];
  let crit = '';
  // What master said up to the stop (its shutdown says nothing about the config). Master
  // reads cyrus.conf before openlog, so its first messages come without an ident.
  for (const l of (exitedEarly ? read() : before).split('\n')) {
    const m = SYSLOG.exec(l);
    if (!m || !/^(\?|.*master)$/.test(m[2])) continue;
    if (Number(m[1]) <= 2 && !crit) crit = m[3];
    if (NOISE.test(m[3])) continue;
    if (Number(m[1]) <= 6 || /does not look like|cannot interpret/i.test(m[3])) lines.push(m[3].replace(/disabling \S+$/, 'disabling <service>'));
  }
  const fatal = exitedEarly || !ready ? (crit || `master ${exitedEarly ? `exited (${exit.code ?? exit.signal})` : 'never got ready'}`) : undefined;
  return { fatal, notes: lines, listening };
}

/** What listens in this network namespace: TCP ports and UNIX socket paths (only master's here). */
function listeners() {
  const out = new Set();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6', '/proc/net/udp', '/proc/net/udp6']) {
    let t = '';
    try { t = fs.readFileSync(f, 'utf8'); } catch { continue; }
    for (const l of t.split('\n').slice(1)) {
      const c = l.trim().split(/\s+/);
      if (c.length < 4 || (f.includes('tcp') && c[3] !== '0A')) continue;
      const [addr, port] = c[1].split(':');
      out.add(`${f.slice(10)} ${/^0+$/.test(addr) ? '*' : addr}:${parseInt(port, 16)}`);
    }
  }
  try {
    for (const l of fs.readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
      const c = l.trim().split(/\s+/);
      if (c.length >= 8 && (parseInt(c[3], 16) & 0x10000) && c[7].startsWith('/')) out.add(`unix ${c[7]}`);
    }
  } catch { /* no unix sockets table */ }
  return [...out].sort();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- what we say ------------------------------------------------------------------------------
function ours(kind, text, pairText) {
  const dir = fs.mkdtempSync(path.join(scratch, 'ours-'));
  const f = path.join(dir, kind === 'cyrus' ? 'cyrus.conf' : 'imapd.conf');
  fs.writeFileSync(f, text);
  const inputs = [{ path: f, kind: kind === 'cyrus' ? 'cyrus-conf' : 'imapd-conf' }];
  if (kind === 'imapd') { const c = path.join(dir, 'cyrus.conf'); fs.writeFileSync(c, pairText); inputs.push({ path: c, kind: 'cyrus-conf' }); }
  let found;
  try {
    found = core.checkProject(inputs, { eximVersion: 'latest', cyrusVersion: '3.6', defines: {} }).filter((x) => x.file === f);
  } catch (e) {
    found = [{ severity: 'error', code: 'internal', message: `EXCEPTION ${e.stack}`, range: { start: { line: 0 } } }];
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return found.map((x) => ({ severity: x.severity, code: x.code, line: x.range.start.line + 1, message: x.message }));
}

// ---- mutations ----------------------------------------------------------------------------------
function rng(seed) {
  let a = seed >>> 0;
  const next = () => { a = (a + 0x6D2B79F5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** One letter changed, dropped, doubled or two swapped (never the identity). */
function misspell(r, word) {
  for (;;) {
    const i = r.int(word.length), how = r.int(4);
    const out = how === 0 ? word.slice(0, i) + r.pick([...LETTERS]) + word.slice(i + 1)
      : how === 1 && word.length > 2 ? word.slice(0, i) + word.slice(i + 1)
        : how === 2 ? word.slice(0, i) + word[i] + word.slice(i)
          : i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word + 'x';
    if (out !== word && out.toLowerCase() !== word.toLowerCase()) return out;
  }
}

/** cyrus.conf read simply (independently of our reader): headers, closing braces, entries with arguments. */
function scanCyrus(text) {
  const lines = text.split('\n');
  const headers = [], closes = [], entries = [];
  let section;
  lines.forEach((l, i) => {
    const body = l.replace(/#.*/, '');
    let m;
    if (!section && (m = /^(\s*)([A-Za-z]+)(\s*)\{/.exec(body))) { section = m[2]; headers.push({ line: i, name: m[2], at: m[1].length }); return; }
    if (section && /^\s*\}/.test(body)) { section = undefined; closes.push({ line: i }); return; }
    if (section && (m = /^(\s*)([A-Za-z0-9]+)\s+(.*\S)/.exec(body))) {
      const args = [];
      const re = /([A-Za-z0-9]+)=("([^"]*)"|(\S*))/g;
      let a;
      const off = m[1].length + m[2].length;
      const restStart = body.indexOf(m[3], off);
      while ((a = re.exec(m[3]))) args.push({ key: a[1], value: a[3] ?? a[4], quoted: a[3] !== undefined, start: restStart + a.index, end: restStart + a.index + a[0].length });
      entries.push({ line: i, section: section.toUpperCase(), name: m[2], at: m[1].length, args });
    }
  });
  return { lines, headers, closes, entries };
}

const splice = (s, start, end, ins) => s.slice(0, start) + ins + s.slice(end);
const join = (lines) => lines.join('\n');
const argText = (a) => `${a.key}=${a.quoted ? `"${a.value}"` : a.value}`;

/** Each kind: (rng, scan, source) → { text, what } or undefined when it does not apply. */
const CYRUS_MUTATIONS = {
  'section-misspelt': (r, s) => {
    if (!s.headers.length) return;
    const h = r.pick(s.headers), to = misspell(r, h.name);
    const l = [...s.lines]; l[h.line] = splice(l[h.line], h.at, h.at + h.name.length, to);
    return { text: join(l), what: `section ${h.name} → ${to}` };
  },
  'section-case': (r, s) => {
    if (!s.headers.length) return;
    const h = r.pick(s.headers), to = r.next() < 0.5 ? h.name.toLowerCase() : h.name[0] + h.name.slice(1).toLowerCase();
    const l = [...s.lines]; l[h.line] = splice(l[h.line], h.at, h.at + h.name.length, to);
    return { text: join(l), what: `section ${h.name} → ${to}` };
  },
  'open-brace-deleted': (r, s) => {
    if (!s.headers.length) return;
    const h = r.pick(s.headers), l = [...s.lines]; l[h.line] = l[h.line].replace('{', '');
    return { text: join(l), what: `'{' of ${h.name} deleted` };
  },
  'close-brace-deleted': (r, s) => {
    if (!s.closes.length) return;
    const c = r.pick(s.closes), l = [...s.lines]; l[c.line] = l[c.line].replace('}', '');
    return { text: join(l), what: `'}' on line ${c.line + 1} deleted` };
  },
  'argument-misspelt': (r, s) => {
    const e = pickEntry(r, s, (x) => x.args.length); if (!e) return;
    const a = r.pick(e.args), to = misspell(r, a.key);
    const l = [...s.lines]; l[e.line] = splice(l[e.line], a.start, a.start + a.key.length, to);
    return { text: join(l), what: `${e.name}: ${a.key} → ${to}` };
  },
  'argument-unknown': (r, s) => {
    const e = pickEntry(r, s); if (!e) return;
    const l = [...s.lines]; l[e.line] = l[e.line].replace(/\s*$/, ` ${r.pick(['foo=1', 'timeout=30', 'user=cyrus', 'ports=2000'])}`);
    return { text: join(l), what: `${e.name}: unknown argument added` };
  },
  'entry-name-bad-char': (r, s) => {
    const e = pickEntry(r, s); if (!e) return;
    const i = 1 + r.int(e.name.length - 1), c = r.pick(['-', '_', '.']);
    const l = [...s.lines]; l[e.line] = splice(l[e.line], e.at + i, e.at + i, c);
    return { text: join(l), what: `${e.name} → ${e.name.slice(0, i)}${c}${e.name.slice(i)}` };
  },
  'entry-duplicated': (r, s) => {
    const e = pickEntry(r, s); if (!e) return;
    const l = [...s.lines]; l.splice(e.line + 1, 0, l[e.line]);
    return { text: join(l), what: `${e.section} ${e.name} duplicated` };
  },
  'entry-name-reused': (r, s) => {
    if (s.entries.length < 2) return;
    const a = r.pick(s.entries), b = r.pick(s.entries.filter((x) => x !== a));
    const l = [...s.lines]; l[b.line] = splice(l[b.line], b.at, b.at + b.name.length, a.name);
    return { text: join(l), what: `${b.section} ${b.name} renamed to ${a.section} ${a.name}` };
  },
  'argument-repeated': (r, s) => {
    const e = pickEntry(r, s, (x) => x.args.length); if (!e) return;
    const a = r.pick(e.args);
    const l = [...s.lines]; l[e.line] = l[e.line].replace(/\s*$/, ` ${argText(a)}`);
    return { text: join(l), what: `${e.name}: ${a.key} given twice` };
  },
  'quote-unterminated': (r, s) => {
    const e = pickEntry(r, s, (x) => x.args.some((a) => a.quoted)); if (!e) return;
    const a = r.pick(e.args.filter((x) => x.quoted));
    const l = [...s.lines]; l[e.line] = splice(l[e.line], a.end - 1, a.end, '');
    return { text: join(l), what: `${e.name}: closing quote of ${a.key} deleted` };
  },
  'hash-in-quotes': (r, s) => {
    const e = pickEntry(r, s, (x) => x.args.some((a) => a.quoted)); if (!e) return;
    const a = r.pick(e.args.filter((x) => x.quoted));
    const l = [...s.lines]; l[e.line] = splice(l[e.line], a.end - 1, a.end - 1, ' #1');
    return { text: join(l), what: `${e.name}: '#' inside ${a.key}'s quotes` };
  },
  'cmd-deleted': (r, s) => dropArg(r, s, 'cmd'),
  'listen-deleted': (r, s) => dropArg(r, s, 'listen', (e) => e.section === 'SERVICES'),
  'value-emptied': (r, s) => {
    const e = pickEntry(r, s, (x) => x.args.length); if (!e) return;
    const a = r.pick(e.args);
    return setArg(s, e, a.key, '""', `${e.name}: ${a.key}=""`);
  },
  'port-shared': (r, s) => {
    const svc = s.entries.filter((e) => e.section === 'SERVICES' && e.args.some((a) => a.key === 'listen'));
    if (svc.length < 2) return;
    const a = r.pick(svc), b = r.pick(svc.filter((x) => x !== a));
    const la = a.args.find((x) => x.key === 'listen');
    return setArg(s, b, 'listen', argText(la).slice('listen='.length), `${b.name} listens where ${a.name} does (${la.value})`);
  },
  'integer-wrong': (r, s) => {
    const e = pickEntry(r, s); if (!e) return;
    const names = intArgs(e.section); if (!names.length) return;
    const k = r.pick(names), v = r.pick(['abc', '5x', '1.5', '-', '0x10', ' ']);
    return setArg(s, e, k, v === ' ' ? '" "' : v, `${e.name}: ${k}=${v}`);
  },
  'switch-wrong': (r, s) => {
    const e = pickEntry(r, s, (x) => switchArgs(x.section).length); if (!e) return;
    const k = r.pick(switchArgs(e.section)), v = r.pick(['maybe', '2', 'enabled', 'Yes', 'ON']);
    return setArg(s, e, k, v, `${e.name}: ${k}=${v}`);
  },
  'proto-unknown': (r, s) => {
    const e = pickEntry(r, s, (x) => x.section === 'SERVICES'); if (!e) return;
    const v = r.pick(['tcpx', 'TCP', 'udp5', 'tcp6x', 'sctp']);
    return setArg(s, e, 'proto', v, `${e.name}: proto=${v}`);
  },
  'listen-unresolvable': (r, s) => {
    const e = pickEntry(r, s, (x) => x.section === 'SERVICES'); if (!e) return;
    const v = r.pick(['"imapx"', '"127.0.0.1:lmtpx"', '"127.0.0.1:"', '"[::1:2003"', '"99999"']);
    return setArg(s, e, 'listen', v, `${e.name}: listen=${v}`);
  },
  'at-out-of-range': (r, s) => {
    const e = pickEntry(r, s, (x) => x.section === 'EVENTS'); if (!e) return;
    const v = r.pick(['2500', '0960', '2400', '-5', '12345']);
    return setArg(s, e, 'at', v, `${e.name}: at=${v}`);
  },
  'program-misspelt': (r, s) => {
    const e = pickEntry(r, s, (x) => x.args.some((a) => a.key === 'cmd' && /^[a-z_]+/.test(a.value))); if (!e) return;
    const c = e.args.find((a) => a.key === 'cmd'), prog = /^[a-z_]+/.exec(c.value)[0], to = misspell(r, prog);
    return setArg(s, e, 'cmd', `"${to}${c.value.slice(prog.length)}"`, `${e.name}: program ${prog} → ${to}`);
  },
  'equals-spaced': (r, s) => {
    const e = pickEntry(r, s, (x) => x.args.length); if (!e) return;
    const a = r.pick(e.args);
    const l = [...s.lines]; l[e.line] = splice(l[e.line], a.start + a.key.length, a.start + a.key.length + 1, ' = ');
    return { text: join(l), what: `${e.name}: '${a.key} = …'` };
  },
  // Changes master should take in its stride.
  'benign-whitespace': (r, s) => {
    const e = pickEntry(r, s, (x) => x.args.length); if (!e) return;
    const l = [...s.lines]; l[e.line] = '\t' + l[e.line].trim().replace(/ +/g, () => r.pick(['\t', '  ', ' \t '])) + r.pick(['', '   ', '\t# note']);
    return { text: join(l), what: `${e.name}: white space changed` };
  },
  'benign-default-argument': (r, s) => {
    const e = pickEntry(r, s); if (!e) return;
    const cand = core.cyrusConfArgs(e.section, '3.6').filter((a) => !e.args.some((x) => x.key === a.name) && a.default !== '' && !/\s|NULL|none/i.test(a.default));
    if (!cand.length) return;
    const a = r.pick(cand);
    const l = [...s.lines]; l[e.line] = l[e.line].replace(/\s*$/, ` ${a.name}=${a.default}`);
    return { text: join(l), what: `${e.name}: ${a.name}=${a.default} (master's default) added` };
  },
};

function pickEntry(r, s, ok = () => true) {
  const xs = s.entries.filter(ok);
  return xs.length ? r.pick(xs) : undefined;
}
function dropArg(r, s, key, ok = () => true) {
  const e = pickEntry(r, s, (x) => ok(x) && x.args.some((a) => a.key === key)); if (!e) return;
  const a = e.args.find((x) => x.key === key);
  const l = [...s.lines]; l[e.line] = splice(l[e.line], a.start, a.end, '');
  return { text: join(l), what: `${e.name}: ${key} deleted` };
}
/** Sets (or adds) an argument; `raw` is the value as written. */
function setArg(s, e, key, raw, what) {
  const a = e.args.find((x) => x.key === key);
  const l = [...s.lines];
  l[e.line] = a ? splice(l[e.line], a.start, a.end, `${key}=${raw}`) : l[e.line].replace(/\s*$/, ` ${key}=${raw}`);
  return { text: join(l), what };
}
const intArgs = (section) => core.cyrusConfArgs(section, '3.6').filter((a) => a.type === 'integer').map((a) => a.name);
const switchArgs = (section) => core.cyrusConfArgs(section, '3.6').filter((a) => a.type === 'switch').map((a) => a.name);

/** imapd.conf settings read simply: `name: value` lines that are not comments or continued. */
function scanImapd(text) {
  const lines = text.split('\n');
  const settings = [];
  lines.forEach((l, i) => {
    if (i > 0 && lines[i - 1].endsWith('\\')) return;
    const m = /^([A-Za-z0-9_@-]+):(\s*)(.*?)\s*$/.exec(l);
    if (m && !l.endsWith('\\')) settings.push({ line: i, key: m[1], value: m[3] });
  });
  return { lines, settings };
}
const options36 = () => (options36.cache ??= core.imapdOptions('3.6'));
/** The catalog's option a key sets (a `<service>_` prefix taken off when the whole key is none). */
function optionOf(key) {
  const k = key.toLowerCase(), byName = (n) => options36().find((o) => o.name === n);
  return byName(k) ?? (k.includes('_') ? byName(k.slice(k.indexOf('_') + 1)) : undefined);
}
const TYPED = ['INT', 'SWITCH', 'ENUM', 'STRINGLIST', 'BITFIELD', 'DURATION', 'BYTESIZE'];

function badValue(r, o) {
  switch (o.type) {
    case 'INT': return r.pick(['abc', '12abc', '1.5', '0x', '08', '1e3']);
    case 'SWITCH': return r.pick(['maybe', '2', 'enabled', 'Yes please', 'o']);
    case 'ENUM': case 'STRINGLIST': return r.pick([o.allowed[0] + 'x', o.allowed[0].toUpperCase(), 'none-of-these']);
    case 'BITFIELD': return r.pick([`${o.allowed[0]} bogus`, 'bogus', o.allowed[0].toUpperCase()]);
    case 'DURATION': return r.pick(['10x', 'abc', '1h5q', '1.5h', 'h']);
    case 'BYTESIZE': return r.pick(['10X', 'abc', '1.5M', 'M', '10 MBx']);
  }
}
function goodValue(r, o) {
  switch (o.type) {
    case 'INT': return r.pick(['0', '7', '0x10', '010', '-1']);
    case 'SWITCH': return r.pick(['yes', 'no', 'on', 'off', 'true', 'false', '1', '0', 'Yes']);
    case 'ENUM': case 'STRINGLIST': return r.pick(o.allowed);
    case 'BITFIELD': return [...new Set([r.pick(o.allowed), r.pick(o.allowed)])].join(' ');
    case 'DURATION': return r.pick(['30', '1h30m', '2d', '45s', '10m']);
    case 'BYTESIZE': return r.pick(['1024', '10M', '512K', '1G', '64KB']);
  }
}
function setLine(s, i, line, what) { const l = [...s.lines]; l[i] = line; return { text: join(l), what }; }
function addLine(s, line, what) { const l = [...s.lines]; while (l.length && l[l.length - 1] === '') l.pop(); l.push(line, ''); return { text: join(l), what }; }

const IMAPD_MUTATIONS = {
  'option-misspelt': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    const to = misspell(r, x.key);
    return setLine(s, x.line, `${to}: ${x.value}`, `${x.key} → ${to}`);
  },
  'option-case': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    const to = x.key.toUpperCase();
    return setLine(s, x.line, `${to}: ${x.value}`, `${x.key} → ${to}`);
  },
  'option-duplicated': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    return addLine(s, `${x.key}: ${x.value}`, `${x.key} set again`);
  },
  'option-duplicated-other-case': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    return addLine(s, `${x.key[0].toUpperCase()}${x.key.slice(1)}: ${x.value}`, `${x.key} set again in another case`);
  },
  'colon-spaced': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    return setLine(s, x.line, `${x.key} : ${x.value}`, `${x.key} : …`);
  },
  'colon-missing': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    return setLine(s, x.line, `${x.key} ${x.value}`, `${x.key} without ':'`);
  },
  'value-emptied': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    return setLine(s, x.line, `${x.key}:`, `${x.key} emptied`);
  },
  'value-wrong-type': (r, s) => {
    const xs = s.settings.filter((x) => TYPED.includes(optionOf(x.key)?.type));
    const x = xs.length && r.pick(xs); if (!x) return;
    const v = badValue(r, optionOf(x.key));
    return setLine(s, x.line, `${x.key}: ${v}`, `${x.key}: ${v} (${optionOf(x.key).type})`);
  },
  'catalog-option-wrong-type': (r, s) => {
    const o = r.pick(options36().filter((x) => TYPED.includes(x.type) && !s.settings.some((y) => y.key.toLowerCase() === x.name)));
    const v = badValue(r, o);
    return addLine(s, `${o.name}: ${v}`, `${o.name}: ${v} (${o.type}) added`);
  },
  'catalog-option-valid': (r, s) => {
    const o = r.pick(options36().filter((x) => TYPED.includes(x.type) && !x.deprecatedSince && !s.settings.some((y) => y.key.toLowerCase() === x.name)));
    const v = goodValue(r, o);
    return addLine(s, `${o.name}: ${v}`, `${o.name}: ${v} (${o.type}) added`);
  },
  'catalog-option-default': (r, s) => {
    const o = r.pick(options36().filter((x) => x.default !== 'NULL' && x.default !== '' && !x.deprecatedSince && !/[{}]/.test(x.default) && !s.settings.some((y) => y.key.toLowerCase() === x.name)));
    return addLine(s, `${o.name}: ${o.default}`, `${o.name}: ${o.default} (its default, ${o.type}) added`);
  },
  'include-missing': (r, s) => addLine(s, `@include: /nonexistent/${r.pick(['extra', 'local'])}.conf`, '@include of a missing file'),
  'directive-misspelt': (r, s) => addLine(s, `${misspell(r, '@include')}: /etc/imapd.conf`, 'misspelt @include'),
  'service-prefix-unknown': (r, s) => {
    const xs = s.settings.filter((x) => optionOf(x.key)?.name === x.key.toLowerCase());
    const x = xs.length && r.pick(xs); if (!x) return;
    return addLine(s, `nosuchsvc_${x.key}: ${x.value}`, `nosuchsvc_${x.key} added`);
  },
  'service-prefix-known': (r, s, src) => {
    const names = scanCyrus(src.pairText).entries.map((e) => e.name.toLowerCase());
    const xs = s.settings.filter((x) => optionOf(x.key)?.name === x.key.toLowerCase());
    const x = xs.length && names.length && r.pick(xs); if (!x) return;
    const svc = r.pick(names);
    if (s.settings.some((y) => y.key === `${svc}_${x.key}`)) return;
    return addLine(s, `${svc}_${x.key}: ${x.value}`, `${svc}_${x.key} added`);
  },
  'line-continued': (r, s) => {
    const xs = s.settings.filter((x) => x.line + 1 < s.lines.length);
    const x = xs.length && r.pick(xs); if (!x) return;
    return setLine(s, x.line, s.lines[x.line] + '\\', `${x.key} ends in '\\' (joins the next line)`);
  },
  'name-bad-char': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    const i = 1 + r.int(Math.max(1, x.key.length - 1)), c = r.pick(['.', '+', '/']);
    const to = x.key.slice(0, i) + c + x.key.slice(i);
    return setLine(s, x.line, `${to}: ${x.value}`, `${x.key} → ${to}`);
  },
  'benign-indent-comment': (r, s) => {
    const x = s.settings.length && r.pick(s.settings); if (!x) return;
    return setLine(s, x.line, `${r.pick(['\t', '   '])}${x.key}:${r.pick(['', '\t', '   '])}${x.value}${r.pick(['', '  '])}`, `${x.key} indented / spaced`);
  },
};

// ---- classification -------------------------------------------------------------------------------
/** Codes for names Cyrus skips without a word: reporting them is what we are for. */
const IGNORED_NAME = new Set(['cyrus/unknown-argument', 'cyrus/unknown-section', 'imapd/unknown-option']);
const fKey = (f) => `${f.severity} ${f.code} ${norm(f.message)}`;

function classify(cy, base, mine, baseMine) {
  const baseKeys = new Map();
  for (const f of baseMine) baseKeys.set(fKey(f), (baseKeys.get(fKey(f)) ?? 0) + 1);
  const fresh = mine.filter((f) => { const n = baseKeys.get(fKey(f)) ?? 0; if (n) { baseKeys.set(fKey(f), n - 1); return false; } return true; });
  const errs = fresh.filter((f) => f.severity === 'error');
  const baseNotes = new Set(base.notes.map(norm));
  const notes = cy.notes.filter((n) => !baseNotes.has(norm(n)));
  if (cy.fatal && !base.fatal) return { verdict: errs.length ? 'agree' : 'MISS', fresh, notes };
  // What master binds changed without a word (a service lost to a skipped section, a
  // socket taken over): a silent breakage, which is what an error of ours is for.
  const lost = (base.listening ?? []).filter((l) => !(cy.listening ?? []).includes(l));
  const gained = (cy.listening ?? []).filter((l) => !(base.listening ?? []).includes(l));
  if (lost.length || gained.length) notes.push(`listening: ${[...lost.map((l) => `-${l}`), ...gained.map((l) => `+${l}`)].join(' ')}`);
  if (errs.length) {
    if (notes.length) return { verdict: 'agree', fresh, notes }; // Cyrus logs it or stops serving; we say it plainly
    if (errs.every((f) => IGNORED_NAME.has(f.code))) return { verdict: 'ignored-name', fresh, notes };
    return { verdict: 'FALSE-POSITIVE', fresh, notes };
  }
  if (notes.length && !fresh.length) return { verdict: 'UNREPORTED', fresh, notes };
  return { verdict: 'agree', fresh, notes };
}

// ---- the run ----------------------------------------------------------------------------------------
const pairFor = (src) => {
  if (src.kind !== 'imapd') return '';
  const cands = sources.filter((x) => x.kind === 'cyrus');
  const stem = src.pairName.replace(/\d*\.conf$/, '');
  return (cands.find((x) => x.pairName.replace(/\.conf$/, '') === stem) ?? cands.find((x) => x.pairName === 'normal.conf') ?? cands[0])?.text ?? '';
};
for (const s of sources) s.pairText = pairFor(s);

const t0 = Date.now();
const baselines = new Map();
for (const s of sources) {
  const cy = s.kind === 'cyrus' ? await cyrusOnCyrusConf(s.text) : await cyrusOnImapd(s.text, s.pairText);
  const mine = ours(s.kind, s.text, s.pairText);
  baselines.set(s, { cy, mine });
  const errs = mine.filter((f) => f.severity === 'error');
  if (VERBOSE || cy.fatal || errs.length) {
    console.log(`baseline ${s.name}: Cyrus ${cy.fatal ? `refuses (${cy.fatal}): not mutated` : 'accepts'}${cy.notes.length ? `, logs ${cy.notes.length}` : ''}; ours ${errs.length} error(s)`);
    for (const f of errs) console.log(`    ours: ${f.line}: ${f.code}: ${f.message}`);
  }
}

const results = [];
for (const kind of ['cyrus', 'imapd']) {
  const table = kind === 'cyrus' ? CYRUS_MUTATIONS : IMAPD_MUTATIONS;
  const kinds = Object.keys(table).filter((k) => k.includes(KIND));
  // A file Cyrus refuses here as it is (a START program that needs a Murder peer, a program
  // outside Cyrus's directory) cannot tell us what a mistake in it does.
  const pool = sources.filter((s) => s.kind === kind && !baselines.get(s).cy.fatal);
  if (!kinds.length || !pool.length) continue;
  const r = rng(SEED * 2 + (kind === 'cyrus' ? 0 : 1));
  let made = 0;
  for (let tries = 0; made < COUNT && tries < COUNT * 20; tries++) {
    const k = kinds[made % kinds.length];
    const src = r.pick(pool);
    const m = table[k](r, kind === 'cyrus' ? scanCyrus(src.text) : scanImapd(src.text), src);
    if (!m || m.text === src.text) continue;
    made++;
    const base = baselines.get(src);
    const cy = kind === 'cyrus' ? await cyrusOnCyrusConf(m.text) : await cyrusOnImapd(m.text, src.pairText);
    const mine = ours(kind, m.text, src.pairText);
    const c = classify(cy, base.cy, mine, base.mine);
    results.push({ kind, mutation: k, src: src.name, what: m.what, cy, ...c, diff: lineDiff(src.text, m.text) });
    if (VERBOSE) console.log(`${c.verdict.padEnd(14)} ${k}: ${src.name}: ${m.what}`);
  }
}

function lineDiff(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  let i = 0; while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0; while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  return [...x.slice(i, x.length - j).map((l) => `- ${i + 1}: ${l}`), ...y.slice(i, y.length - j).map((l) => `+ ${i + 1}: ${l}`)].join('\n');
}

// ---- summary and report ---------------------------------------------------------------------------
const VERDICTS = ['agree', 'ignored-name', 'UNREPORTED', 'MISS', 'FALSE-POSITIVE'];
const byKind = new Map();
for (const x of results) {
  const key = `${x.kind === 'cyrus' ? 'cyrus.conf' : 'imapd.conf'} ${x.mutation}`;
  const row = byKind.get(key) ?? Object.fromEntries(VERDICTS.map((v) => [v, 0]));
  row[x.verdict]++;
  byKind.set(key, row);
}
const w = Math.max(...[...byKind.keys()].map((k) => k.length), 10);
console.log(`\n${'mutation'.padEnd(w)}  ${VERDICTS.map((v) => v.padStart(v.length < 6 ? 6 : v.length)).join('  ')}`);
for (const [k, row] of [...byKind].sort()) console.log(`${k.padEnd(w)}  ${VERDICTS.map((v) => String(row[v] || '.').padStart(v.length < 6 ? 6 : v.length)).join('  ')}`);
const total = Object.fromEntries(VERDICTS.map((v) => [v, results.filter((x) => x.verdict === v).length]));
console.log(`\n${results.length} mutants (seed ${SEED}) in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${VERDICTS.map((v) => `${total[v]} ${v}`).join(', ')}.`);

const report = [`mutate-cyrus --count ${COUNT} --seed ${SEED}${KIND ? ` --kind ${KIND}` : ''}`, ''];
for (const x of results.filter((r) => r.verdict !== 'agree')) {
  report.push(`== ${x.verdict} ${x.kind}/${x.mutation}: ${x.src}: ${x.what}`, x.diff,
    `   Cyrus: ${x.cy.fatal ? `refuses: ${x.cy.fatal}` : 'accepts'}${x.notes.map((n) => `\n   Cyrus logs: ${n}`).join('')}`,
    ...(x.fresh.length ? x.fresh.map((f) => `   ours: ${f.line}: ${f.severity} ${f.code}: ${f.message}`) : ['   ours: nothing']), '');
}
fs.mkdirSync(path.dirname(REPORT), { recursive: true });
fs.writeFileSync(REPORT, report.join('\n'));
console.log(`Disagreements and notes: ${path.relative(process.cwd(), REPORT) || REPORT}`);
removed = true;
removeScratch();
