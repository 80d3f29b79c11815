// Debian's real Exim for live tests: whether it can run here, the reference config, and
// the pieces every test needs around `exim4 -C`. Exim, run by root with -C, writes its
// spool and log as Debian-exim, so those directories are given to that user; the config
// itself stays root's (Exim refuses one others could write).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const EXIM = '/usr/sbin/exim4';
export const REFERENCE = fs.readFileSync(path.join(__dirname, '../../../examples/reference/exim.conf'), 'utf8');

/** Why Exim cannot run configs of ours here (-C, a spool given to Debian-exim), or undefined. */
export function eximMissingReason(): string | undefined {
  try { fs.accessSync(EXIM, fs.constants.X_OK); } catch { return `Exim is not installed (${EXIM} missing)`; }
  if (process.getuid?.() !== 0) return 'needs root: Exim drops privileges for -C unless run by root, and its spool must be given to Debian-exim';
  if (spawnSync('id', ['Debian-exim']).status !== 0) return 'there is no Debian-exim user';
  return undefined;
}

/** Makes `dir`/spool and `dir`/log (and the `extra` subdirectories) and gives the two to Debian-exim. */
export function makeSpool(dir: string, extra: string[] = []): void {
  for (const d of ['spool', 'log', ...extra]) fs.mkdirSync(path.join(dir, d));
  assert.equal(spawnSync('chown', ['-R', 'Debian-exim:Debian-exim', path.join(dir, 'spool'), path.join(dir, 'log')]).status, 0, 'chown to Debian-exim');
}

const scratch: string[] = [];

/**
 * A fresh directory for one Exim config, removed when the test process exits: 0755 so
 * Debian-exim gets in, its spool and log made by makeSpool, and the `open` subdirectories
 * (mailboxes) writable by anyone.
 */
export function eximScratchDir(prefix: string, open: string[] = []): string {
  if (!scratch.length) process.once('exit', () => { for (const d of scratch) fs.rmSync(d, { recursive: true, force: true }); });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  fs.chmodSync(dir, 0o755);
  makeSpool(dir, open);
  for (const d of open) fs.chmodSync(path.join(dir, d), 0o777);
  return dir;
}

/** The main-section lines that put Exim's spool and log in `dir` (see makeSpool). */
export const spoolLines = (dir: string) => `spool_directory = ${dir}/spool\nlog_file_path = ${dir}/log/%slog\n`;

/** Exim's main log in `dir`, or "" when there is none yet. */
export function mainLog(dir: string): string {
  try { return fs.readFileSync(path.join(dir, 'log', 'mainlog'), 'utf8'); } catch { return ''; }
}

/** Exim's panic log in `dir`, or "" when there is none (nothing went that wrong). */
export function panicLog(dir: string): string {
  try { return fs.readFileSync(path.join(dir, 'log', 'paniclog'), 'utf8'); } catch { return ''; }
}

/** Delivers one message from sender@example.net in the foreground; Exim's main log afterwards. */
export function deliver(dir: string, conf: string, to: string, body = 'hello\n'): string {
  const r = spawnSync(EXIM, ['-C', conf, '-odf', '-oi', '-f', 'sender@example.net', to], { input: `Subject: live test\n\n${body}`, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined);
  return mainLog(dir);
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exim -bdf exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((r) => { const s = net.connect(port, '127.0.0.1'); s.once('connect', () => { s.destroy(); r(true); }); s.once('error', () => r(false)); });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`exim did not listen on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs Exim's daemon in the foreground on a loopback port for `body`, then stops it. */
export async function withEximDaemon<T>(conf: string, port: number, dir: string, body: () => Promise<T>): Promise<T> {
  const child = spawn(EXIM, ['-C', conf, '-bdf', '-oX', String(port)], { stdio: 'ignore' });
  try {
    await waitForPort(port, child, () => mainLog(dir));
    return await body();
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    // The daemon's forks (a session still closing its TLS, a delivery) outlive it by a
    // moment and would write a log into a directory the test removes next: wait for every
    // process run with this config to be gone (bounded; pgrep's status 0 means some are left).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && spawnSync('pgrep', ['-f', conf]).status === 0) await new Promise((r) => setTimeout(r, 50));
  }
}

/** SMTP replies, each a multi-line reply joined with \n. */
export function replies(out: string): string[] {
  const list: string[] = [];
  let cur: string[] = [];
  for (const l of out.split(/\r?\n/)) {
    if (!/^\d{3}[ -]/.test(l)) continue;
    cur.push(l);
    if (l[3] === ' ') { list.push(cur.join('\n')); cur = []; }
  }
  return list;
}

/** One SMTP session through the RCPT ACL with real callouts; the replies to each RCPT. */
export function rcpt(conf: string, recipients: string[]): { rcpt: string[]; log: string } {
  const dialog = ['EHLO client.example.net', 'MAIL FROM:<>', ...recipients.map((r) => `RCPT TO:<${r}>`), 'QUIT', ''].join('\r\n');
  const r = spawnSync(EXIM, ['-C', conf, '-bhc', '192.0.2.1'], { input: dialog, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined);
  const all = replies(r.stdout);
  // greeting, EHLO, MAIL, then one reply per RCPT.
  return { rcpt: all.slice(3, 3 + recipients.length), log: r.stderr };
}

/**
 * An SMTP session with a daemon on loopback: sends each line after the reply before it (the
 * greeting first) and resolves with every reply line, early when the server closes first.
 */
export function smtpSession(port: number, lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.setEncoding('latin1');
    const replies: string[] = [];
    let buf = '';
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`SMTP session stalled: ${replies.join(' | ')}`)); }, 15_000);
    s.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (!/^\d{3} /.test(line)) continue;
        replies.push(line);
        const next = lines[replies.length - 1];
        if (next === undefined) { clearTimeout(timer); s.end(); resolve(replies); } else s.write(`${next}\r\n`);
      }
    });
    // The server may end the session first (a 451 greeting, then a reset as the next line
    // arrives): what came until then.
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (replies.length && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) resolve(replies); else reject(e);
    });
    s.once('close', () => { clearTimeout(timer); resolve(replies); });
  });
}
