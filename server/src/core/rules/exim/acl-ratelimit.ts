// The arguments of the ACL condition `ratelimit = m / p / options / key`, which Exim reads
// only when the ACL runs: a malformed one is "error in arguments to "ratelimit" condition"
// and the RCPT (or other command) gets a 451 every time, even from a `warn` statement
// (each case below checked with exim4 -bh). Unknown words are not mistakes: they become the
// key.

/** strtod's forms that are not plain decimals: hexadecimal floats, infinities, NaN. */
const STRTOD_OTHER = /^[-+]?(0x[0-9a-f]*\.?[0-9a-f]*(p[-+]?\d+)?|inf(inity)?|nan)$/i;
/** readconf_readtime without milliseconds: digits and a unit, repeated, the unit required. */
const TIME = /^(\d+[wdhms])+$/;
const PER = new Set(['per_cmd', 'per_conn', 'per_mail', 'per_rcpt', 'per_byte', 'per_addr']);
const UPDATE = new Set(['leaky', 'strict', 'readonly']);

/** A number strtod reads whole and that is not negative; an empty one reads as 0. */
function positive(s: string): boolean {
  if (s === '') return true;
  const n = Number(s);
  if (Number.isNaN(n)) return STRTOD_OTHER.test(s) && !s.startsWith('-');
  return n >= 0;
}

/**
 * What Exim says of the arguments, or undefined when it takes them. Only what is written
 * out is judged: the list is expanded before it is split, so from the first item with a
 * `$` on nothing is known (a variable may hold a "/").
 */
export function ratelimitProblem(value: string): string | undefined {
  if (value.includes('\\')) return undefined;
  const items = value.split('/').map((s) => s.trim());
  const known = items.findIndex((s) => s.includes('$'));
  const fixed = known < 0 ? items : items.slice(0, known);
  if (!fixed.length) return undefined;
  if (!positive(fixed[0])) return `"${fixed[0]}" is not a positive number`;
  if (fixed.length < 2) return known < 0 ? 'the period after the rate is missing (as in "100 / 1h")' : undefined;
  if (!TIME.test(fixed[1])) return `"${fixed[1]}" is not a time value (digits and a unit w, d, h, m or s, as in 1h or 2h30m)`;
  let per = 0;
  const modes = new Set<string>();
  for (const o of fixed.slice(2)) {
    const w = o.toLowerCase();
    if (PER.has(w) && ++per > 1) return 'conflicting per_* options (give one of per_cmd, per_conn, per_mail, per_rcpt, per_byte, per_addr)';
    if (UPDATE.has(w)) {
      modes.add(w);
      if (modes.size > 1) return 'conflicting update modes (give one of leaky, strict, readonly)';
    }
    if (w.startsWith('count=') && !positive(o.slice(6).trim())) return `"${o}" is not a positive number`;
  }
  return undefined;
}
