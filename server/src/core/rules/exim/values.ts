// How Exim reads option values when it loads the configuration (readconf.c), as pure
// checks: each returns what is wrong with a value, or undefined when Exim accepts it.
import { effectiveType, readsQuotes, type EximOptionInfo } from '../../catalog/exim';
import type { EximVersion } from '../../options';
import { isNewerLogSelector, logSelectorNames } from '../../catalog/exim-log-selectors';
import { splitList } from '../../exim/lists';
import { rewriteRuleProblem } from '../../exim/rewrite';
import { checkMainValue } from './main-values';
import { isMacroName } from './undefined-macro';

const BOOL_WORDS = /^(true|false|yes|no)$/i;
// strtol with base 0 (decimal, 0x hex, leading-0 octal), then one multiplier letter.
const INT = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([KkMmGgTt]?)\s*$/;
const KINT = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([KkMmGgTtPpEeZz]?)\s*$/;
const OCTINT = /^\s*([+-]?)([0-7]+)([KkMmGgTt]?)\s*$/;
const INT_MAX = 2n ** 31n - 1n;
const MULTIPLIER: Record<string, bigint> = { k: 2n ** 10n, m: 2n ** 20n, g: 2n ** 30n, t: 2n ** 40n };

/**
 * Whether an integer that INT or OCTINT matched, times its K/M/G/T, leaves C's int, which
 * Exim refuses ("absolute value of integer ... is too large (overflow)").
 */
function overflows(m: RegExpExecArray, octal: boolean): boolean {
  const [, sign, digits, unit] = m;
  // Nine digits and no multiplier always fit.
  if (digits.length < 10 && !unit) return false;
  const v = strtolDigits(digits, octal) * (unit ? MULTIPLIER[unit.toLowerCase()] : 1n);
  return sign === '-' ? v > INT_MAX + 1n : v > INT_MAX;
}
const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);
// Kilobytes: K is the unit, each later letter one more multiplication by 1024.
const KINT_STEPS: Record<string, number> = { k: 0, m: 1, g: 2, t: 3, p: 4, e: 5, z: 6 };

/**
 * Whether a value that KINT matched leaves C's 64-bit long, as Exim checks it (exim4 -bV,
 * check_log_space): strtol's own range, then before each multiplication by 1024 the value
 * must be within LONG_MAX/1024 and LONG_MIN/1024 (C division, toward zero).
 */
function kintOverflows(m: RegExpExecArray): boolean {
  const [, sign, digits, unit] = m;
  let v = strtolDigits(digits, false) * (sign === '-' ? -1n : 1n);
  if (v > LONG_MAX || v < LONG_MIN) return true;
  for (let i = unit ? KINT_STEPS[unit.toLowerCase()] : 0; i > 0; i--) {
    if (v > LONG_MAX / 1024n || v < LONG_MIN / 1024n) return true;
    v *= 1024n;
  }
  return false;
}

/**
 * An integer as Exim reads one (decimal, 0x hex or leading-0 octal, then K, M, G or T as
 * powers of 1024); undefined when it is not one.
 */
export function eximInteger(value: string): number | undefined {
  const m = INT.exec(value);
  if (!m) return undefined;
  const v = strtolDigits(m[2], false) * (m[3] ? MULTIPLIER[m[3].toLowerCase()] : 1n);
  return Number(m[1] === '-' ? -v : v);
}

/** The value of digits C's strtol read with base 0 (0x hex, leading-0 octal, decimal), or base 8. */
export function strtolDigits(digits: string, octal: boolean): bigint {
  if (/^0[xX]/.test(digits)) return BigInt(digits);
  return octal || digits.startsWith('0') ? BigInt('0o' + digits) : BigInt(digits);
}
const tooLarge = (name: string, v: string) =>
  `"${v}" is too large for "${name}": Exim reads it as a C int (at most 2147483647, or 2047M) and refuses the config.`;
const FIXED = /^\s*\+?[0-9]+(\.[0-9]*)?\s*$/;
// Each part is digits and a unit; a bare number is not a time to Exim.
const TIME = /^([0-9]+[wdhms])+$/;

export function checkValue(o: EximOptionInfo, value: string, version: EximVersion): string | undefined {
  const v = value.trim();
  const problem = checkTyped(o, v, version, value) ?? (o.use === 'main' ? checkMainValue(o.name, v, version) : undefined);
  // Only string options are read as quoted strings: a quote anywhere else is a character of the value.
  return problem && v.startsWith('"') && !readsQuotes(o, version) ? `${problem} Exim reads quotes only around a string, and here takes them as part of the value: remove them.` : problem;
}

/** The value read as its type, or against its fixed set of words; `untrimmed` as given (a quoted one keeps its white space). */
function checkTyped(o: EximOptionInfo, v: string, version: EximVersion, untrimmed: string): string | undefined {
  const type = effectiveType(o, version);
  const name = o.name;
  switch (type) {
    case 'bool':
      if (!BOOL_WORDS.test(v)) return `"${v}" is not a valid value for the boolean option "${name}": use true, false, yes or no (or write "${name}" / "no_${name}").`;
      return undefined;
    case 'expand_bool':
      if (!v.includes('$') && !BOOL_WORDS.test(v)) return `"${v}" is not a valid value for "${name}": use true, false, yes or no, or an expansion giving one of them.`;
      return undefined;
    case 'int': case 'mkint': {
      const m = INT.exec(v);
      if (!m) return `Integer expected for "${name}" (decimal, 0x hex or 0 octal, optionally followed by K, M, G or T), not "${v}".${o.type === 'time' ? ' Exim reads it as a whole number of seconds, though its documentation calls it a time.' : ''}`;
      return overflows(m, false) ? tooLarge(name, v) : undefined;
    }
    case 'Kint': {
      const m = KINT.exec(v);
      if (!m) return `Integer expected for "${name}" (optionally followed by K, M, G, T, P, E or Z), not "${v}".`;
      return kintOverflows(m) ? `"${v}" is too large for "${name}": Exim reads it as a 64-bit number of kilobytes (at most 9007199254740991M, 8796093022207G or 8589934591T) and refuses the config.` : undefined;
    }
    case 'octint': {
      const m = OCTINT.exec(v);
      if (!m) return `Octal integer expected for "${name}" (digits 0-7, e.g. 0640), not "${v}".`;
      return overflows(m, true) ? tooLarge(name, v) : undefined;
    }
    case 'fixed':
      if (!FIXED.test(v)) return `Fixed-point number expected for "${name}" (e.g. 1.5), not "${v}".`;
      return undefined;
    case 'time':
      if (!TIME.test(v)) return `Invalid time value "${v}" for "${name}": write a number and a unit for each part, e.g. 30s, 5m, 1d2h30m (units w, d, h, m, s).`;
      return undefined;
    case 'rewrite': {
      // A list of rules, split before anything else is read, braces or not.
      for (const it of splitList(v, { literal: true }).items) {
        const problem = rewriteRuleProblem(it.text, true);
        if (problem) return `In "${name}", ${problem}; Exim refuses the config.`;
      }
      return undefined;
    }
    case 'uid': case 'expand_uid': case 'gid': case 'expand_gid':
      // Looked up when the config is read, as written (an expand_ one starting with "$" waits).
      if (type.startsWith('expand_') && v.startsWith('$')) return undefined;
      if (!untrimmed) {
        const what = type.endsWith('uid') ? 'user' : 'group';
        return `"${name}" is empty: Exim looks up the ${what} "" and refuses the config ("${what}  was not found"). Give a ${what} name or number, or remove the line.`;
      }
      return impossibleName(name, untrimmed, type.endsWith('uid') ? 'user' : 'group', true);
    case 'uidlist': case 'gidlist': {
      // Expanded first, at load: a backslash may still be an escape, so only what no
      // expansion undoes is judged (a double quote is not special there).
      if (v.includes('$') || v.includes('\\')) return undefined;
      for (const it of splitList(v).items) {
        const problem = impossibleName(name, it.text, type === 'uidlist' ? 'user' : 'group', false);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'timelist':
      if (!v) return undefined;
      for (const part of v.split(':')) {
        if (!TIME.test(part.trim())) return `Invalid time "${part.trim()}" in the time list "${name}": use e.g. 30s:5m:1h.`;
      }
      return undefined;
    default:
      break;
  }
  // A quoted value keeps its white space, and Exim compares the words with it in.
  if (o.values && v) return checkWord(o, untrimmed, version);
  if (o.values && EMPTY_REFUSED.has(`${o.use}.${o.name}`)) {
    return `"${o.name}" is empty, and Exim refuses the config. Use one of ${o.values.map((x) => x.endsWith(':') ? `${x}DOMAIN` : x).join(', ')}, or remove the line for the default.`;
  }
  // Never expanded: a "$" is a malformed item to Exim ("+ or - expected").
  if (o.use === 'main' && o.name === 'log_selector') return checkLogSelector(v, version);
  return undefined;
}

/**
 * Word options Exim refuses empty (exim4 -bV: " is not valid for the self option",
 * "unrecognized setting for host_find_failed option", "failed to interpret syslog_facility"
 * ...). An empty smtp `protocol` or appendfile `create_file` is taken as the default.
 */
const EMPTY_REFUSED = new Set(['routers.self', 'manualroute.host_find_failed', 'manualroute.host_all_ignored', 'main.syslog_facility', 'iplookup.protocol']);

/**
 * A user or group name no system has: Exim looks each name up when it reads the config, so
 * one with white space or a control character in it (a stray tab, a comment after the value,
 * a continuation's backslash) is "not found" wherever the config runs, and the config refused.
 */
function impossibleName(option: string, name: string, what: 'user' | 'group', literal: boolean): string | undefined {
  if (/^\d+$/.test(name)) return undefined;
  // Capitals only, as a macro's name: neither adduser nor useradd makes such a name, so it is
  // a macro nobody defined (a Debian part copied without the one that sets it, say).
  if (isMacroName(name)) {
    return `"${name}" looks like a macro, but none of that name is defined, so Exim looks up the ${what} "${name}" when it reads the config, finds none (system tools make no ${what} names in capitals) and refuses the config ("${what} ${name} was not found"). Define the macro before this line, or write the ${what} itself.`;
  }
  const bad = (literal ? /[\x00-\x20\x7f\\"]/ : /[\x00-\x20\x7f"]/).exec(name);
  if (!bad) return undefined;
  const c = bad[0];
  const said = c === ' ' ? 'a space' : c === '\t' ? 'a tab' : c === '\\' ? 'a backslash' : c === '"' ? 'a double quote' : `the control character 0x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  return `No ${what} name holds ${said}, so Exim cannot find the ${what} "${name}" for "${option}" and refuses the config ("${what} ... was not found").`;
}

/**
 * An option with a fixed set of words. None of them is expanded, so "$" is just another
 * character to Exim: a value with one is refused like any other stranger when the driver,
 * router or main section is set up, except smtp's `protocol`, where anything but lmtp or
 * smtps silently means smtp (a misspelt word there is still reported, an expansion is not).
 */
function checkWord(o: EximOptionInfo, value: string, version: EximVersion): string | undefined {
  const key = `${o.use}.${o.name}`;
  if (key === 'smtp.protocol' && value.includes('$')) return undefined;
  const caseless = key === 'smtp.protocol' || key === 'main.syslog_facility';
  let v = caseless ? value.toLowerCase() : value;
  if (key === 'main.syslog_facility' && v.startsWith('log_')) v = v.slice(4);
  const values = version === '4.96' ? o.values!.filter((x) => !o.newerValues?.includes(x)) : o.values!;
  // A word ending in ":" (self's "reroute:") is followed by more of the value.
  const ok = values.some((x) => x.endsWith(':') ? v.startsWith(x) : x === v)
    || (key === 'appendfile.create_file' && v.startsWith('/'));
  if (ok) return undefined;
  const note = o.values!.some((x) => x.toLowerCase() === v.toLowerCase()) ? ` ("${value}" was added after Exim 4.96)`
    : v !== v.trim() && (values.includes(v.trim()) || (key === 'appendfile.create_file' && v.trim().startsWith('/'))) ? ' (the quotes keep the white space in it, and Exim compares the word with it)' : '';
  const words = values.map((x) => x.endsWith(':') ? `${x}DOMAIN` : x).join(', ') + (key === 'appendfile.create_file' ? ', or a directory\'s absolute path' : '');
  const outcome = key === 'smtp.protocol' ? 'Exim would take it as smtp' : 'Exim refuses the config';
  return `"${value}" is not a valid value for "${o.name}"${note}: use one of ${words}. ${outcome}.`;
}

/** `log_selector`: words of `+name` / `-name` (Exim's decode_bits). */
function checkLogSelector(v: string, version: EximVersion): string | undefined {
  const names = logSelectorNames(version);
  // Items are `+name`/`-name`, with or without spaces between them (`+a+b -c`).
  for (const word of v.split(/\s+|(?=[+-])/).filter(Boolean)) {
    if (word[0] !== '+' && word[0] !== '-') return `log_selector items must start with "+" or "-": "${word}".`;
    const name = word.slice(1);
    if (names.includes(name)) continue;
    if (version === '4.96' && isNewerLogSelector(name)) return `The log_selector "${name}" was added after Exim 4.96; Exim 4.96 rejects the config.`;
    return `Unknown log_selector "${name}"; Exim rejects the config.`;
  }
  return undefined;
}
