// Main options whose values readconf_main checks once the whole main section is read (so
// `exim -bV` fails on them), beyond their type: each returns what is wrong, or undefined.
import { splitList } from '../../exim/lists';
import { built496 } from '../../catalog/exim';
import type { EximVersion } from '../../options';

/** Debian 12's Exim 4.96, the 4.96 target's build, uses GnuTLS (it predefines _HAVE_GNUTLS). */
export const GNUTLS_496 = built496('_HAVE_GNUTLS');

/** The "%s" each log file needs, then at most one %D or %M; "syslog" and empty items need nothing. */
function logFilePath(v: string): string | undefined {
  // Exim expands the value first; an expansion or escape would change it, so only a plain value is judged.
  if (v.includes('\\') || v.includes('$')) return undefined;
  for (const it of splitList(v, { sep: ':', literal: true }).items) {
    const path = it.text;
    if (path === '' || path === 'syslog') continue;
    const at = path.indexOf('%s');
    if (at < 0) return `The log file path "${path}" in "log_file_path" has no "%s" (where Exim puts mainlog, rejectlog or paniclog); Exim refuses the config. Write e.g. /var/log/exim4/%slog, or "syslog".`;
    const rest = path.slice(0, at) + path.slice(at + 2);
    const pct = rest.indexOf('%');
    if (pct >= 0 && (!/[DM]/.test(rest[pct + 1] ?? '') || rest.includes('%', pct + 2))) {
      return `The log file path "${path}" in "log_file_path" has a "%" other than its "%s" and one %D or %M (the date); Exim refuses the config.`;
    }
  }
  return undefined;
}

/**
 * Four fields read by sscanf("%d, %15[0-9smhdw.], %lf, %15s"): a comma right after each of
 * the first three, then the base and limit as times (a fraction of a second allowed).
 */
const RATELIMIT = /^\s*[+-]?[0-9]+,\s*([0-9smhdw.]{1,15}),\s*[+-]?(?:[0-9]+\.?[0-9]*(?:e[+-]?[0-9]+)?|\.[0-9]+(?:e[+-]?[0-9]+)?|0x[0-9a-f.]+(?:p[+-]?[0-9]+)?|inf(?:inity)?|nan),\s*(\S{1,15})/i;
const TIME_MS = /^(?:[0-9]+(?:[wdhms]|\.[0-9]*s))+$/;

function ratelimit(name: string, v: string): string | undefined {
  const m = RATELIMIT.exec(v);
  if (m && TIME_MS.test(m[1]) && TIME_MS.test(m[2])) return undefined;
  return `"${name}" must be threshold, base delay, factor and limit, e.g. "2,0.5s,1.05,4m" (a comma straight after each of the first three; times with units); Exim refuses "${v}".`;
}

/** strtol as readconf does for an int (any base, one multiplier letter), or undefined. */
function intValue(v: string): number | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([KkMmGgTt]?)\s*$/.exec(v);
  if (!m) return undefined;
  const n = m[2].length > 1 && m[2][0] === '0' ? parseInt(m[2], /[xX]/.test(m[2]) ? 16 : 8) : parseInt(m[2], 10);
  const shift = 10 * ' kmgt'.indexOf(m[3].toLowerCase() || ' ');
  return (m[1] === '-' ? -n : n) * 2 ** shift;
}

const CHECKS: Record<string, (v: string, name: string, version: EximVersion) => string | undefined> = {
  // Any setting, even an empty one: a GnuTLS build refuses the config at start-up.
  openssl_options: (_v, _name, version) => version === '4.96' && GNUTLS_496
    ? 'Debian 12\'s Exim 4.96 is built with GnuTLS, and refuses any "openssl_options" ("openssl_options is set but we\'re using GnuTLS"). Remove it; GnuTLS takes its settings from tls_require_ciphers.'
    : undefined,
  log_file_path: logFilePath,
  // Exim starts nowhere without one ("spool_directory undefined: cannot proceed", exim4 -bV).
  spool_directory: (v) => v.trim() ? undefined
    : '"spool_directory" is empty, and Exim cannot run without a spool ("spool_directory undefined: cannot proceed"). Give a directory, or remove the line for the default.',
  smtp_ratelimit_mail: (v, name) => ratelimit(name, v),
  smtp_ratelimit_rcpt: (v, name) => ratelimit(name, v),
  tls_dh_max_bits: (v) => {
    const n = intValue(v);
    return n !== undefined && n < 1024 ? `"tls_dh_max_bits" must be at least 1024 (got ${v.trim()}); Exim refuses the config.` : undefined;
  },
  // parse_extract_address wants a domain; without an "@" there is none (the full address
  // syntax is left to Exim).
  errors_reply_to: (v) => v.includes('@') ? undefined
    : `"errors_reply_to" must be an address with a domain (e.g. postmaster@example.com); Exim refuses "${v}".`,
};

/** What readconf_main would refuse in the value of main option `name`, if anything. */
export function checkMainValue(name: string, value: string, version: EximVersion): string | undefined {
  return CHECKS[name]?.(value, name, version);
}
