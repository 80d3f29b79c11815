// The retry parameters of "begin retry" lines, read as readconf.c's readconf_retries does
// when Exim loads the config: `L,<cutoff>,<p1>[,<p2>]` rules separated by ";", where the
// letter is F (fixed interval), G or H (growing intervals, which also need a multiplier).
// Nothing here is expanded, so "$" is just a bad character.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import { locOfText } from './lists';

const TIME = /^([0-9]+[wdhms])+$/;
const FIXED = /^[0-9]+(\.[0-9]*)?$/;
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

const UNIT: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** readconf_readtime in seconds, or -1. */
function seconds(s: string): number {
  if (!TIME.test(s)) return -1;
  // Digit runs, each followed by its unit (TIME has made sure of that).
  let total = 0;
  for (let i = 0; i < s.length;) {
    const a = i;
    while (s.charCodeAt(i) <= 57) i++;
    total += Number(s.slice(a, i)) * UNIT[s[i]];
    i++;
  }
  return total;
}

/** readconf_readfixed times 1000, or -1. */
function thousandths(s: string): number {
  if (!FIXED.test(s)) return -1;
  const [int, frac = ''] = s.split('.');
  return Number(int) * 1000 + Number((frac + '000').slice(0, 3));
}

export interface RetryProblem { message: string; rule: string }

/** What Exim would say about the retry parameters `p`, or undefined when it accepts them. */
export function retryRulesProblem(p: string): RetryProblem | undefined {
  let i = 0;
  const skip = () => { while (isSpace(p[i])) i++; };
  skip();
  while (i < p.length) {
    const start = i;
    const ruleText = () => { const e = p.indexOf(';', start); return p.slice(start, e < 0 ? p.length : e).trim(); };
    const letter = p[i++].toUpperCase();
    let failed: string | undefined;
    // retry_arg: a comma, optional space, then a run of letters and digits (and "." in a number).
    // `what` is words for a message, made only for one.
    const arg = (fixed: boolean, what: string | (() => string)): number => {
      if (failed) return 0;
      if (p[i] !== ',') {
        failed = `a "," and the ${typeof what === 'string' ? what : what()} are expected after "${p.slice(start, i).trim()}"`;
        return 0;
      }
      i++;
      skip();
      const a = i;
      while (isAlnum(p[i]) || (fixed && p[i] === '.')) i++;
      if (i < p.length && !isSpace(p[i]) && p[i] !== ',' && p[i] !== ';') {
        failed = a === i ? `"${p[i]}" cannot start a parameter (times are digits with a unit, e.g. 15m)`
          : `"${p[i]}" cannot follow "${p.slice(a, i)}": each parameter ends at ",", ";" or white space`;
        return 0;
      }
      return fixed ? thousandths(p.slice(a, i)) : seconds(p.slice(a, i));
    };
    const cutoff = arg(false, 'cutoff time');
    let p1 = 0, p2 = 0;
    if (!failed) {
      if (letter === 'F') p1 = arg(false, 'retry interval');
      else if (letter === 'G' || letter === 'H') {
        p1 = arg(false, 'first retry interval');
        p2 = arg(true, () => `multiplier (${letter === 'H' ? 'an' : 'a'} ${letter} rule is ${letter},<cutoff>,<first interval>,<multiplier>, e.g. ${letter},16h,1h,1.5)`);
      } else failed = `"${p[start]}" is not a retry rule letter: use F (fixed intervals), G (growing intervals) or H (growing, randomised)`;
    }
    if (!failed && (cutoff <= 0 || p1 <= 0 || (letter !== 'F' && p2 < 1000))) {
      failed = `the cutoff and the interval must be times above zero written with units (e.g. 4d, 15m)${letter === 'F' ? '' : ', and the multiplier at least 1'}`;
    }
    if (!failed) {
      skip();
      if (p[i] === ';') { i++; skip(); } else if (i < p.length) failed = `";" is expected before "${p.slice(i).trim()}": rules are separated by semicolons`;
    }
    if (failed) return { message: failed, rule: ruleText() };
  }
  return undefined;
}

export function checkRetryRules(cfg: EximConfig): Finding[] {
  const out: Finding[] = [];
  for (const r of cfg.retry) {
    const problem = retryRulesProblem(r.rules);
    if (!problem) continue;
    const loc = r.rulesLoc ?? r.loc;
    const at = problem.rule ? locOfText(cfg, loc, problem.rule) : loc;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `Bad retry rule "${problem.rule}": ${problem.message}. Exim refuses the config.`));
  }
  return out;
}
