// Value spellings exactly as Cyrus's own readers accept them (lib/libconfig.c for
// imapd.conf, master/masterconf.c for cyrus.conf), so we accept and reject what Cyrus does.

/** Switch: only the first character(s) matter: 0 n f of… → false, 1 y t on… → true. */
export function parseSwitch(v: string): boolean | undefined {
  const c = v[0];
  if (c === '0' || c === 'n' || c === 'f' || (c === 'o' && v[1] === 'f')) return false;
  if (c === '1' || c === 'y' || c === 't' || (c === 'o' && v[1] === 'n')) return true;
  return undefined;
}

/** imapd.conf INT: C strtol with base 0 (0x… hex, 0… octal), and nothing may follow. */
export function parseImapdInt(v: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(v);
  if (!m) return undefined;
  const s = m[2];
  const n = /^0[xX]/.test(s) ? parseInt(s.slice(2), 16) : s.length > 1 && s[0] === '0' ? parseInt(s, 8) : parseInt(s, 10);
  return m[1] === '-' ? -n : n;
}

/** cyrus.conf integers: master takes a leading digit or `-digit` and reads it with atoi. */
export function parseMasterInt(v: string): { value: number; exact: boolean } | undefined {
  const end = masterIntEnd(v);
  // parseInt stops where the digits do, as atoi does.
  return end < 0 ? undefined : { value: parseInt(v, 10), exact: end === v.length };
}

/** Where the number master reads at the start of `v` ends (-1: none); parseInt(v, 10) is its value. */
export function masterIntEnd(v: string): number {
  const first = v.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  let end = first;
  while (end < v.length && v.charCodeAt(end) >= 48 && v.charCodeAt(end) <= 57) end++;
  return end === first ? -1 : end;
}

const INT32_MAX = 2147483647;

/**
 * DURATION: digits with units d h m s (a trailing bare number takes the option's unit).
 * Returns seconds, or an explanation of what is wrong. Cyrus 3.6 (`lenient36`) checks
 * neither overflow nor a digit after '-': it takes `9999999999` (the value wraps) and `-`.
 */
export function parseDuration(v: string, unit: string, lenient36 = false): { seconds: number } | { error: string } {
  let s = v;
  if (s.length && /[0-9]/.test(s[s.length - 1])) s += unit || 's';
  let i = 0, neg = false, accum = 0, total = 0, sawDigit = false;
  const tooLarge = (n: number) => !lenient36 && n > INT32_MAX;
  if (s[0] === '-') {
    if (!lenient36 && !/[0-9]/.test(s[1] ?? '')) return { error: "no digit after '-'" };
    neg = true; i = 1;
  }
  const mult: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
  for (; i < s.length; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') {
      accum = accum * 10 + (c.charCodeAt(0) - 48);
      if (tooLarge(accum)) return { error: 'too large' };
      sawDigit = true;
    } else {
      if (!sawDigit) return { error: `no digit before '${c}'` };
      if (!(c in mult)) return { error: `unknown unit '${c}' (use d, h, m or s)` };
      total += accum * mult[c];
      if (tooLarge(total)) return { error: 'too large' };
      accum = 0; sawDigit = false;
    }
  }
  return { seconds: neg ? -total : total };
}

/** BYTESIZE: a number, optional spaces, optional K/M/G (optionally `i`), optional B. */
export function parseByteSize(v: string, unit: string): { bytes: number } | { error: string } {
  let s = v;
  if (s.length && /[0-9]/.test(s[s.length - 1])) s += unit || 'B';
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  if (!m) return { error: 'no digits' };
  let rest = s.slice(m[0].length).replace(/^[ \t\n\v\f\r]+/, '');
  let n = Number(m[1]);
  const k = rest[0]?.toUpperCase();
  if (k === 'G' || k === 'M' || k === 'K') {
    n *= k === 'G' ? 1024 ** 3 : k === 'M' ? 1024 ** 2 : 1024;
    rest = rest.slice(1);
    if (rest[0] === 'i' || rest[0] === 'I') rest = rest.slice(1);
  }
  if (rest[0] === 'b' || rest[0] === 'B') rest = rest.slice(1);
  if (rest.length) return { error: `unknown unit '${rest[0]}' (use K, M, G, optionally followed by B)` };
  if (!Number.isSafeInteger(n)) return { error: 'too large' };
  return { bytes: n };
}
