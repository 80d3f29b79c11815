// Where the end-to-end tests find code-server and Chromium, and what to say when one is
// missing. The cache path must match scripts/install-code-server.sh.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';

export function cacheDir(): string {
  return process.env.EXIM_CYRUS_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'exim-cyrus');
}

/** The launcher the install script writes, or EXIM_CYRUS_CODE_SERVER if set. */
export function codeServerPath(): string | undefined {
  const explicit = process.env.EXIM_CYRUS_CODE_SERVER;
  if (explicit) return fs.existsSync(explicit) ? explicit : undefined;
  const dir = path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
  const bin = path.join(dir, 'bin', 'code-server');
  return fs.existsSync(bin) && fs.existsSync(path.join(dir, '.complete')) ? bin : undefined;
}

/** Debian's chromium, or CHROMIUM_PATH if set (then only that). */
export function chromiumPath(): string | undefined {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return fs.existsSync(explicit) ? explicit : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
}

/** Where the cache directory came from, for messages. */
function cacheOrigin(): string {
  if (process.env.EXIM_CYRUS_CACHE) return 'the cache directory is EXIM_CYRUS_CACHE';
  return process.env.XDG_CACHE_HOME ? 'the cache directory is $XDG_CACHE_HOME/exim-cyrus' : 'the default cache directory; EXIM_CYRUS_CACHE sets another';
}

/** Empty when everything is installed; otherwise one sentence per missing program. */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (!codeServerPath()) {
    const explicit = process.env.EXIM_CYRUS_CODE_SERVER;
    const dir = path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
    if (explicit) missing.push(`EXIM_CYRUS_CODE_SERVER=${explicit} does not exist`);
    else if (fs.existsSync(path.join(dir, 'bin', 'code-server'))) {
      missing.push(`code-server ${CODE_SERVER_VERSION} in ${dir} is incomplete (no .complete marker: the install was interrupted); run again: bash scripts/install-code-server.sh`);
    } else {
      missing.push(`code-server ${CODE_SERVER_VERSION} is not installed: no ${path.join(dir, 'bin', 'code-server')} (${cacheOrigin()}); install it with: bash scripts/install-code-server.sh`);
    }
  }
  if (!chromiumPath()) {
    missing.push(process.env.CHROMIUM_PATH
      ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`
      : 'Chromium is not installed at /usr/bin/chromium (install it with: sudo bash scripts/install-system-deps.sh, or set CHROMIUM_PATH)');
  }
  return missing;
}
