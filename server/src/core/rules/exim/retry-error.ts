// The error type of a "begin retry" line (the word after the pattern), read as readconf.c's
// readconf_retry_error does when Exim loads the config. Its matching is loose in places:
// what follows "refused_" or "timeout_", and the words lost_connection, tls_required and
// lookup, may be cut short (timeout_c is timeout_connect, lo is lost_connection), and all
// of it ignores case except the "x" in rcpt_4xx.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, Loc, RetryRule } from '../../exim/model';
import { locOfText } from './lists';

const TIMEOUT_KINDS = ['a', 'mx', 'connect', 'connect_a', 'connect_mx'];
const WHOLE_WORDS = ['lost_connection', 'tls_required', 'lookup'];
const KNOWN = '*, quota, quota_<time>, refused, refused_A, refused_MX, timeout, timeout_A, timeout_MX, timeout_connect, '
  + 'timeout_connect_A, timeout_connect_MX, mail_4xx, rcpt_4xx, data_4xx, auth_failed, lost_connection, tls_required or lookup';

export interface RetryErrorProblem { message: string; warning?: boolean }

/** What Exim says of the retry error type `e`, or undefined when it takes it as it is. */
export function retryErrorProblem(e: string): RetryErrorProblem | undefined {
  const lc = e.toLowerCase(), us = e.indexOf('_');
  const head = us < 0 ? lc : lc.slice(0, us);
  const tail = us < 0 ? undefined : e.slice(us + 1);
  if (head === 'quota') {
    // readconf_readtime: digit groups each with a unit, units in lower case.
    return tail === undefined || /^([0-9]+[wdhms])+$/.test(tail) ? undefined
      : { message: `the time after "quota_" must be digits with a unit (w, d, h, m or s), e.g. quota_7d` };
  }
  if (head === 'refused') {
    return tail === undefined || ['a', 'mx'].some((k) => k.startsWith(tail.toLowerCase())) ? undefined
      : { message: 'only A or MX may follow "refused_" (refused_A, refused_MX)' };
  }
  if (head === 'timeout') {
    if (tail === undefined || TIMEOUT_KINDS.some((k) => k.startsWith(tail.toLowerCase()))) return undefined;
    if ('dns'.startsWith(tail.toLowerCase())) {
      return { warning: true, message: 'timeout_dns no longer exists (it never worked); Exim takes it as plain "timeout" and complains in its panic log each time it reads the config. Write "timeout"' };
    }
    return { message: 'only A, MX, connect, connect_A or connect_MX may follow "timeout_"' };
  }
  if (/^(mail|rcpt|data)_4/.test(lc)) {
    return /^([0-9][0-9x]|xx)$/.test(e.slice(6)) ? undefined
      : { message: `"${e.slice(0, 6)}" must be followed by xx, a digit and x, or two digits (e.g. ${lc.slice(0, 6)}xx, ${lc.slice(0, 6)}5x, ${lc.slice(0, 6)}51), with x in lower case` };
  }
  if (head === 'auth' && tail !== undefined && 'failed'.startsWith(tail.toLowerCase())) return undefined;
  if (e === '*' || WHOLE_WORDS.some((w) => w.startsWith(lc))) return undefined;
  return { message: `"${e}" is not a retry error type; use ${KNOWN}` };
}

/** Where the error type is written: the word after the pattern, when the source shows it as read. */
function errorLoc(cfg: EximConfig, r: RetryRule): Loc {
  const f = cfg.files.get(r.loc.file);
  if (!f) return r.loc;
  const a = f.lines.offsetAt(r.loc.range.start), b = f.lines.offsetAt(r.loc.range.end);
  const src = f.text.slice(a, b);
  let i = 0;
  if (src[0] === '"') {
    for (i = 1; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
    i++;
  } else while (i < src.length && !/\s/.test(src[i])) i++;
  while (i < src.length && /[ \t]/.test(src[i])) i++;
  if (!src.startsWith(r.error, i)) return locOfText(cfg, r.loc, r.error);
  return { file: r.loc.file, range: { start: f.lines.positionAt(a + i), end: f.lines.positionAt(a + i + r.error.length) } };
}

export function checkRetryErrors(cfg: EximConfig): Finding[] {
  const out: Finding[] = [];
  for (const r of cfg.retry) {
    if (!r.error) continue;
    const problem = retryErrorProblem(r.error);
    if (!problem) continue;
    const at = errorLoc(cfg, r);
    out.push(finding('exim/invalid-value', at.file, at.range,
      problem.warning ? `Retry error type "${r.error}": ${problem.message}.`
        : `Bad retry error type "${r.error}": ${problem.message}. Exim refuses the config.`,
      problem.warning ? { severity: 'warning' } : {}));
  }
  return out;
}
