// The authoritative check: the real Exim reads the saved file with `-bV`. Run without a
// shell and with a time bound, because the binary path comes from the user's settings.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { Finding } from '../core/diagnostic';
import { loadChecker } from './core';

const ERROR_RE = /Exim configuration error in line (\d+) of (.+?):[ \t]*(?:\r?\n|$)((?:[ \t]+[^\n]*(?:\r?\n|$))*)/;
/** Errors found after reading, when drivers are set up (e.g. a pass_router naming no router), come without a line. */
const LINELESS_RE = /Exim configuration error:[ \t]*(?:\r?\n|$)((?:[ \t]+[^\n]*(?:\r?\n|$))*)/;

const indented = (block: string) => block.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');

/**
 * Turns Exim's complaint into a finding. Exim names the file the error is in (which may be
 * an included one) and a 1-based line; the message follows on the next, indented, lines.
 * Give it stderr only: `-bV` prints its version banner on stdout whether or not the
 * config is good, and the banner is no part of the error.
 */
export function parseEximError(output: string, configFile: string): Finding | undefined {
  const { finding, range } = loadChecker();
  const at = output.indexOf('Exim configuration error');
  if (at < 0) {
    const m = /(?:^|\n)(?:\S+ \S+ )?(Exim configuration file [^\n]+|[^\n]*configuration[^\n]*error[^\n]*)/i.exec(output);
    return m ? finding('exim/external', configFile, range(0, 0, 0, 0), `exim: ${m[1].trim()}`, { source: 'exim' }) : undefined;
  }
  const m = ERROR_RE.exec(output.slice(at));
  if (!m) {
    const lineless = LINELESS_RE.exec(output.slice(at));
    const message = (lineless && indented(lineless[1])) || output.slice(at).split('\n')[0].trim();
    return finding('exim/external', configFile, range(0, 0, 0, 0), `exim: ${message}`, { source: 'exim' });
  }
  const line = Math.max(0, parseInt(m[1], 10) - 1);
  const file = path.resolve(path.dirname(configFile), m[2].trim());
  const message = indented(m[3]) || 'configuration error';
  return finding('exim/external', file, range(line, 0, line, 10000), `exim: ${message}`, { source: 'exim' });
}

export interface EximRun { findings: Finding[]; failed?: string }

/** Runs `exim -C FILE -bV`; resolves (never rejects) with what Exim reported. */
export function runEximCheck(eximPath: string, configFile: string, timeoutMs = 10_000): Promise<EximRun> {
  return new Promise((resolve) => {
    execFile(eximPath, ['-C', configFile, '-bV'], { timeout: timeoutMs, maxBuffer: 1024 * 1024, windowsHide: true, shell: false },
      (err, _stdout, stderr) => {
        const f = parseEximError(stderr ?? '', configFile);
        if (f) return resolve({ findings: [f] });
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean };
          const why = e.killed ? `timed out after ${timeoutMs / 1000} s` : e.code === 'ENOENT' ? `not found at ${eximPath}` : (stderr || e.message).trim();
          return resolve({ findings: [], failed: `exim -bV did not run: ${why}` });
        }
        resolve({ findings: [] });
      });
  });
}
