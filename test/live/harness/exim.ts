// Debian's real Exim for live tests: whether it can run here, the reference config, and
// the pieces every test needs around `exim4 -C`. Exim, run by root with -C, writes its
// spool and log as Debian-exim, so those directories are given to that user; the config
// itself stays root's (Exim refuses one others could write).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
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

/** The main-section lines that put Exim's spool and log in `dir` (see makeSpool). */
export const spoolLines = (dir: string) => `spool_directory = ${dir}/spool\nlog_file_path = ${dir}/log/%slog\n`;

/** Exim's main log in `dir`, or "" when there is none yet. */
export function mainLog(dir: string): string {
  try { return fs.readFileSync(path.join(dir, 'log', 'mainlog'), 'utf8'); } catch { return ''; }
}

/** Delivers one message from sender@example.net in the foreground; Exim's main log afterwards. */
export function deliver(dir: string, conf: string, to: string, body = 'hello\n'): string {
  const r = spawnSync(EXIM, ['-C', conf, '-odf', '-oi', '-f', 'sender@example.net', to], { input: `Subject: live test\n\n${body}`, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined);
  return mainLog(dir);
}
