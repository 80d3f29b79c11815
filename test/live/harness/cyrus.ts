// A real Cyrus IMAP 3.6 (Debian's) on loopback for live tests: one master under a temp dir
// with free high ports, started once per test file and always stopped in `finally`.
//
// Facts this depends on (found on Debian's cyrus-imapd 3.6):
// - master does not pass its -C to children, so every `cmd` carries its own `-C imapd.conf`.
// - As root, master drops to user `cyrus`, so the temp dir is chowned to cyrus:mail. Run
//   unprivileged, CYRUS_USER/CYRUS_GROUP name the caller and all ports are above 1024.
// - There is no syslog here, so a failed start is silent: we poll every listener (bounded)
//   and watch master's own exit, and report master's stderr (-D keeps it) on failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CYRUS_BIN = '/usr/lib/cyrus/bin';
const SASLPASSWD2 = '/usr/sbin/saslpasswd2';
const PROGRAMS = ['master', 'lmtpd', 'imapd', 'smmapd', 'ctl_cyrusdb'];

/** Why the live Cyrus cannot run here, or undefined when it can. */
export function cyrusMissingReason(): string | undefined {
  for (const p of PROGRAMS) {
    if (!isExecutable(path.join(CYRUS_BIN, p))) return `Cyrus IMAP is not installed (${path.join(CYRUS_BIN, p)} missing)`;
  }
  if (!isExecutable(SASLPASSWD2)) return `sasl2-bin is not installed (${SASLPASSWD2} missing)`;
  if (process.platform !== 'linux') return 'the live Cyrus harness runs on Linux only';
  if (process.getuid?.() === 0 && lookupUser('cyrus') === undefined) return 'running as root but there is no `cyrus` user to drop to';
  return undefined;
}

export function isCyrusInstalled(): boolean {
  return cyrusMissingReason() === undefined;
}

function isExecutable(p: string): boolean {
  try { fs.accessSync(p, fs.constants.X_OK); return true; } catch { return false; }
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name) return { uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch { /* no passwd: treated as absent */ }
  return undefined;
}

function lookupGroup(name: string): number | undefined {
  try {
    for (const line of fs.readFileSync('/etc/group', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name) return Number(f[2]);
    }
  } catch { /* absent */ }
  return undefined;
}

/** A free TCP port on 127.0.0.1 (bind to 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * One service per imapd.conf, for extraServices: each name in `ports` gets a free loopback port
 * (written into `ports`) and an entry `SERVICE+name` running `cmd -C {dir}/NAME.imapd.conf`
 * there. A file needs a service of its own: master keeps a program running between
 * connections with the settings it first read.
 */
export async function servicesPerConf<K extends string>(ports: Record<K, number>, service: string, cmd: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of Object.keys(ports) as K[]) {
    ports[n] = await freePort();
    out.push(`${service}${n} cmd="${cmd} -C {dir}/${n}.imapd.conf" listen="127.0.0.1:${ports[n]}" prefork=0`);
  }
  return out;
}

export interface StartOptions {
  /** Mailboxes to create, e.g. `user/alice@example.com`. */
  mailboxes?: string[];
  /** Extra lines for the SERVICES section (use `{dir}` and `{conf}` placeholders). */
  extraServices?: string[];
  /** How long to wait for every listener (ms). */
  startTimeoutMs?: number;
  /**
   * Rewrites the generated cyrus.conf before master starts (given the temp dir, which it may
   * also write files into). Start-up then waits for imap and smmap only (the first and last
   * service: master binds all before it serves any), since the lmtpd listeners may have moved.
   */
  editCyrusConf?: (text: string, dir: string) => string;
}

export interface CyrusInstance {
  dir: string;
  imapdConf: string;
  cyrusConf: string;
  /** Loopback ports of the TCP listeners. */
  ports: { imap: number; lmtpTrusted: number; lmtpAuth: number };
  /** lmtpd with `-a` on TCP: no AUTH needed. */
  lmtpTrusted: string;
  /** lmtpd without `-a` on TCP: answers MAIL with `430 Authentication required`. */
  lmtpAuth: string;
  /** lmtpd on a UNIX socket (trusted by the socket's permissions). */
  lmtpSocket: string;
  /** smmapd on a UNIX socket (sendmail socket-map protocol). */
  smmapSocket: string;
  admin: { user: string; password: string };
  createMailbox(name: string): Promise<void>;
  /** Grants `rights` on a mailbox to `who` (e.g. `anyone`, `p`: plus-addressed mail may be posted there). */
  setAcl(name: string, who: string, rights: string): Promise<void>;
  /** Sets the mailbox's storage quota in KiB (IMAP SETQUOTA as the admin; the mailbox is its quota root). */
  setQuota(name: string, kib: number): Promise<void>;
  /** The mailbox's message count, via IMAP STATUS as the admin. */
  messageCount(name: string): Promise<number>;
  /** Stops master and every leftover child, removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<CyrusInstance>();
let exitHookInstalled = false;

/**
 * Starts master with: imapd (admin), lmtpd -a on TCP, lmtpd without -a on TCP, lmtpd on a
 * UNIX socket, smmapd on a UNIX socket. Throws with master's output when it does not come up.
 */
export async function startCyrus(opts: StartOptions = {}): Promise<CyrusInstance> {
  const reason = cyrusMissingReason();
  if (reason) throw new Error(reason);
  // /tmp is short enough for sun_path (108 bytes) and traversable by user cyrus.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-live-'));
  const conf = path.join(dir, 'imapd.conf');
  const cyrusConf = path.join(dir, 'cyrus.conf');
  const sasldb = path.join(dir, 'sasldb2');
  const password = 'live-' + Math.random().toString(36).slice(2, 12);
  const [imap, lmtpTrusted, lmtpAuth] = await distinctPorts(3);
  const sock = (n: string) => path.join(dir, 'socket', n);
  for (const d of ['conf', 'spool', 'socket']) fs.mkdirSync(path.join(dir, d));

  fs.writeFileSync(conf, [
    `configdirectory: ${dir}/conf`,
    'defaultpartition: default',
    `partition-default: ${dir}/spool`,
    'servername: localhost',
    'admins: cyrus',
    'virtdomains: userid',
    'unixhierarchysep: yes',
    'defaultdomain: localhost',
    'sasl_pwcheck_method: auxprop',
    'sasl_auxprop_plugin: sasldb',
    `sasl_sasldb_path: ${sasldb}`,
    'sasl_mech_list: PLAIN',
    'allowplaintext: yes',
    `lmtpsocket: ${sock('lmtp')}`,
    `idlesocket: ${sock('idle')}`,
    `notifysocket: ${sock('notify')}`,
    '',
  ].join('\n'));
  const c = `-C ${conf}`;
  const extra = (opts.extraServices ?? []).map((l) => '  ' + l.replaceAll('{dir}', dir).replaceAll('{conf}', conf));
  fs.writeFileSync(cyrusConf, [
    'START {',
    `  recover cmd="ctl_cyrusdb ${c} -r"`,
    '}',
    'SERVICES {',
    `  imap cmd="imapd ${c}" listen="127.0.0.1:${imap}" prefork=0`,
    `  lmtptrusted cmd="lmtpd -a ${c}" listen="127.0.0.1:${lmtpTrusted}" prefork=0`,
    `  lmtpauth cmd="lmtpd ${c}" listen="127.0.0.1:${lmtpAuth}" prefork=0`,
    `  lmtpunix cmd="lmtpd ${c}" listen="${sock('lmtp')}" prefork=0`,
    `  smmap cmd="smmapd ${c}" listen="${sock('smmap')}" prefork=0`,
    ...extra,
    '}',
    'EVENTS {',
    '}',
    '',
  ].join('\n'));
  if (opts.editCyrusConf) fs.writeFileSync(cyrusConf, opts.editCyrusConf(fs.readFileSync(cyrusConf, 'utf8'), dir));

  const r = spawnSync(SASLPASSWD2, ['-p', '-c', '-f', sasldb, '-u', 'localhost', 'cyrus'], { input: password, timeout: 10_000 });
  if (r.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`saslpasswd2 failed: ${r.stderr?.toString() || r.error?.message}`);
  }

  const { master, logFile } = spawnMaster(dir, conf, cyrusConf);
  let exited: { code: number | null; signal: string | null } | undefined;
  master.on('exit', (code, signal) => { exited = { code, signal }; });
  master.on('error', (e) => { exited = { code: null, signal: String(e) }; });

  let stopped = false;
  const instance: CyrusInstance = {
    dir,
    imapdConf: conf,
    cyrusConf,
    ports: { imap, lmtpTrusted, lmtpAuth },
    lmtpTrusted: `127.0.0.1:${lmtpTrusted}`,
    lmtpAuth: `127.0.0.1:${lmtpAuth}`,
    lmtpSocket: sock('lmtp'),
    smmapSocket: sock('smmap'),
    admin: { user: 'cyrus', password },
    createMailbox: (name) => imapAdmin(imap, 'cyrus', password, async (cmd) => {
      await cmd(`CREATE ${quote(name)}`);
      // Admins may administer every mailbox but not read it; STATUS needs `r`.
      await cmd(`SETACL ${quote(name)} cyrus lr`);
    }),
    setAcl: (name, who, rights) => imapAdmin(imap, 'cyrus', password, async (cmd) => {
      await cmd(`SETACL ${quote(name)} ${quote(who)} ${quote(rights)}`);
    }),
    setQuota: (name, kib) => imapAdmin(imap, 'cyrus', password, async (cmd) => {
      await cmd(`SETQUOTA ${quote(name)} (STORAGE ${kib})`);
    }),
    messageCount: (name) => imapAdmin(imap, 'cyrus', password, async (cmd) => {
      const lines = await cmd(`STATUS ${quote(name)} (MESSAGES)`);
      for (const l of lines) {
        const m = /^\* STATUS .*\(MESSAGES (\d+)\)/i.exec(l);
        if (m) return Number(m[1]);
      }
      throw new Error(`no STATUS MESSAGES in reply: ${lines.join(' | ')}`);
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(instance);
      await stopMaster(master.pid, () => !!exited, dir);
    },
  };
  running.add(instance);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort when a test file dies without its finally: never leave master behind.
    process.on('exit', () => {
      for (const inst of running) {
        for (const pid of processesMentioning(inst.dir)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
        try { fs.rmSync(inst.dir, { recursive: true, force: true }); } catch { /* best effort */ }
      }
    });
  }

  try {
    const deadline = Date.now() + (opts.startTimeoutMs ?? 15_000);
    const targets: (number | string)[] = opts.editCyrusConf ? [imap, sock('smmap')] : [imap, lmtpTrusted, lmtpAuth, sock('lmtp'), sock('smmap')];
    for (const t of targets) {
      for (;;) {
        if (exited) throw new Error(`Cyrus master exited (${exited.code ?? exited.signal}) during start-up`);
        if (await canConnect(t)) break;
        if (Date.now() > deadline) throw new Error(`Cyrus did not listen on ${t} within the start-up bound`);
        await sleep(50);
      }
    }
    for (const m of opts.mailboxes ?? []) await instance.createMailbox(m);
  } catch (e) {
    let log = '';
    try { log = fs.readFileSync(logFile, 'utf8').slice(-4000); } catch { /* gone */ }
    await instance.stop();
    throw new Error(`${(e as Error).message}${log ? `\nmaster output:\n${log}` : ''}`);
  }
  return instance;
}

export interface MasterRun {
  dir: string;
  /** The imapd.conf every `cmd` should name with `-C`. */
  conf: string;
  /** Whether something accepts a connection there now. */
  connects(target: number | string, host?: string): Promise<boolean>;
}

/**
 * Starts master on a cyrus.conf of the caller's (`{dir}` and `{conf}` are replaced), waits
 * until `ready` accepts (a TCP port on 127.0.0.1 or a socket path of a service listed after
 * the ones under test: master binds every service before it serves any), runs `body`, and
 * always stops master. For asking master what it makes of a cyrus.conf.
 */
export async function withMaster<T>(cyrusConf: string, ready: number | string, body: (run: MasterRun) => Promise<T>): Promise<T> {
  const reason = cyrusMissingReason();
  if (reason) throw new Error(reason);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-master-'));
  const conf = path.join(dir, 'imapd.conf');
  const masterConf = path.join(dir, 'cyrus.conf');
  for (const d of ['conf', 'spool', 'socket']) fs.mkdirSync(path.join(dir, d));
  fs.writeFileSync(conf, [`configdirectory: ${dir}/conf`, 'defaultpartition: default', `partition-default: ${dir}/spool`,
    `lmtpsocket: ${dir}/socket/lmtp`, `idlesocket: ${dir}/socket/idle`, `notifysocket: ${dir}/socket/notify`, ''].join('\n'));
  fs.writeFileSync(masterConf, cyrusConf.replaceAll('{dir}', dir).replaceAll('{conf}', conf));
  const { master, logFile } = spawnMaster(dir, conf, masterConf);
  let exited = false;
  master.on('exit', () => { exited = true; });
  master.on('error', () => { exited = true; });
  try {
    const deadline = Date.now() + 15_000;
    while (!(await canConnect(ready))) {
      if (exited || Date.now() > deadline) {
        let log = '';
        try { log = fs.readFileSync(logFile, 'utf8').slice(-2000); } catch { /* gone */ }
        throw new Error(`master ${exited ? 'exited' : 'did not listen on ' + ready} during start-up${log ? `\nmaster output:\n${log}` : ''}`);
      }
      await sleep(50);
    }
    return await body({ dir, conf, connects: (t, host) => canConnect(t, host) });
  } finally {
    await stopMaster(master.pid, () => exited, dir);
  }
}

/**
 * Hands `dir` to the cyrus user (or, run unprivileged, tells master to stay ours) and
 * starts master on `cyrusConf` in the foreground, its output in dir/master.log.
 */
function spawnMaster(dir: string, conf: string, cyrusConf: string): { master: ChildProcess; logFile: string } {
  const env = { ...process.env };
  if (process.getuid?.() === 0) {
    const u = lookupUser('cyrus')!;
    chownTree(dir, u.uid, lookupGroup('mail') ?? u.gid);
    fs.chmodSync(dir, 0o750);
  } else {
    const me = os.userInfo();
    env.CYRUS_USER = me.username;
    env.CYRUS_GROUP = lookupGroupName(me.gid) ?? String(me.gid);
  }
  const logFile = path.join(dir, 'master.log');
  const logFd = fs.openSync(logFile, 'a');
  try {
    // Its own process group: on SIGTERM master signals its whole group, which run unprivileged
    // (same uid) would otherwise include the test runner itself.
    const master = spawn(path.join(CYRUS_BIN, 'master'), ['-C', conf, '-M', cyrusConf, '-p', path.join(dir, 'master.pid'), '-D'],
      { stdio: ['ignore', logFd, logFd], env, detached: true });
    return { master, logFile };
  } finally {
    fs.closeSync(logFd);
  }
}

/**
 * Stops a master we started (SIGTERM, then SIGKILL after 5 s), then any children that
 * outlived it (only ours, recognised by our unique temp dir), and removes that dir.
 */
async function stopMaster(pid: number | undefined, exited: () => boolean, dir: string): Promise<void> {
  if (!exited() && pid) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    const t0 = Date.now();
    while (!exited() && Date.now() - t0 < 5000) await sleep(50);
    if (!exited()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  for (let i = 0; i < 20; i++) {
    const left = processesMentioning(dir);
    if (!left.length) break;
    for (const p of left) { try { process.kill(p, i < 10 ? 'SIGTERM' : 'SIGKILL'); } catch { /* gone */ } }
    await sleep(50);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

async function distinctPorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const p = await freePort();
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function lookupGroupName(gid: number): string | undefined {
  try {
    for (const line of fs.readFileSync('/etc/group', 'utf8').split('\n')) {
      const f = line.split(':');
      if (Number(f[2]) === gid) return f[0];
    }
  } catch { /* absent */ }
  return undefined;
}

function chownTree(p: string, uid: number, gid: number): void {
  fs.chownSync(p, uid, gid);
  if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chownTree(path.join(p, e), uid, gid);
}

/** Pids whose command line mentions `needle` (our temp dir is in every child's -C). */
function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try { entries = fs.readdirSync('/proc'); } catch { return out; }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${e}/cmdline`, 'latin1').includes(needle)) out.push(Number(e));
    } catch { /* exited meanwhile */ }
  }
  return out;
}

function canConnect(target: number | string, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = typeof target === 'number' ? net.connect(target, host) : net.connect(target);
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function quote(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

type ImapCmd = (line: string) => Promise<string[]>;

/**
 * A minimal IMAP client (LOGIN, then the caller's commands, then LOGOUT) so the harness
 * needs no cyradm. Every command must end in a tagged OK within 10 s.
 */
async function imapAdmin<T>(port: number, user: string, password: string, body: (cmd: ImapCmd) => Promise<T>): Promise<T> {
  const sock = net.connect(port, '127.0.0.1');
  sock.setEncoding('latin1');
  let buf = '';
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  sock.on('data', (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 2); }
    wake?.();
  });
  sock.on('error', (e) => { failure = e; wake?.(); });
  sock.on('close', () => { failure ??= new Error('IMAP connection closed'); wake?.(); });
  const nextLine = async (): Promise<string> => {
    const deadline = Date.now() + 10_000;
    while (!lines.length) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error('IMAP server did not answer within 10 s');
      await new Promise<void>((r) => { wake = r; setTimeout(r, 200); });
      wake = undefined;
    }
    return lines.shift()!;
  };
  let n = 0;
  const cmd: ImapCmd = async (line) => {
    const tag = `h${++n}`;
    sock.write(`${tag} ${line}\r\n`);
    const got: string[] = [];
    for (;;) {
      const l = await nextLine();
      if (l.startsWith(tag + ' ')) {
        if (!/^\S+ OK/i.test(l)) throw new Error(`IMAP ${line.split(' ')[0]} failed: ${l}`);
        return got;
      }
      got.push(l);
    }
  };
  try {
    const greeting = await nextLine();
    if (!/^\* OK/i.test(greeting)) throw new Error(`unexpected IMAP greeting: ${greeting}`);
    await cmd(`LOGIN ${quote(user)} ${quote(password)}`);
    const result = await body(cmd);
    await cmd('LOGOUT').catch(() => undefined);
    return result;
  } finally {
    sock.destroy();
  }
}
