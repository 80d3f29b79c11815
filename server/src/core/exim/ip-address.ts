// Whether Exim takes a string as an IP address, as string_is_ip_address does in Debian's
// Exim 4.96 (the version that hands the address to the C library's inet_pton: no leading
// zeros in an IPv4 part, "1.2.3.04" and "01.2.3.4" are not addresses, seen with exim4 -be).
// Used where expand.c asks it: ${mask}, ${ipv6norm}, ${ipv6denorm}, ${reverse_ip}.

/** inet_pton's IPv4: four decimal parts, each at most 255, none with a leading zero. */
export function isStrictIPv4(s: string): boolean {
  let parts = 0, digits = 0, value = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false;
      value = value * 10 + c - 48;
      if (value > 255) return false;
      if (digits++ === 0 && ++parts > 4) return false;
    } else if (c === 46 && digits > 0 && parts < 4) {
      digits = 0;
      value = 0;
    } else return false;
  }
  return parts === 4 && digits > 0;
}

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** inet_pton's IPv6: 16 bytes in groups of up to four hex digits, one "::", an IPv4 address as the last four. */
export function isStrictIPv6(s: string): boolean {
  let i = 0;
  if (s[0] === ':' && s[++i] !== ':') return false;
  let bytes = 0, gap = false, digits = 0, group = i;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHex(c)) {
      if (++digits > 4) return false;
    } else if (c === 58 /* : */) {
      group = i + 1;
      if (digits === 0) {
        if (gap) return false;
        gap = true;
        continue;
      }
      if (i + 1 === s.length || bytes + 2 > 16) return false;
      bytes += 2;
      digits = 0;
    } else if (c === 46 /* . */ && bytes + 4 <= 16 && isStrictIPv4(s.slice(group))) {
      bytes += 4;
      digits = 0;
      i = s.length;
      break;
    } else return false;
  }
  if (digits > 0) {
    if (bytes + 2 > 16) return false;
    bytes += 2;
  }
  return gap ? bytes < 16 : bytes === 16;
}

/** strtol in base 10 over all of s: its value (clamped to 64 bits) or undefined when anything is left over. */
function wholeStrtol(s: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (!m) return s === '' ? 0n : undefined;
  const v = (m[1] === '-' ? -1n : 1n) * BigInt(m[2]);
  const max = (1n << 63n) - 1n;
  return v > max ? max : v < -max - 1n ? -max - 1n : v;
}

export interface IpAddress {
  family: 4 | 6;
  /** Offset of the "/" before a mask, 0 when there is none. */
  maskOffset: number;
}

/**
 * The address as string_is_ip_address reads it; `withMask`: a "/mask" may follow (a number,
 * not negative). An interface ID ("%eth0", IPv6 only) and a mask exclude each other.
 */
export function eximIpAddress(s: string, withMask: boolean): IpAddress | undefined {
  let end = s.length;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    if (!withMask) return undefined;
    const mask = wholeStrtol(s.slice(slash + 1));
    if (mask === undefined || mask < 0n) return undefined;
    end = slash;
  }
  const percent = s.indexOf('%');
  if (percent >= 0) {
    if (slash >= 0) return undefined;
    for (let i = percent + 1; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c <= 32 || c >= 127) return undefined;
    }
    end = percent;
  }
  if (end < s.length && end > 255) return undefined;
  const addr = s.slice(0, end);
  if (addr.includes(':')) return isStrictIPv6(addr) ? { family: 6, maskOffset: Math.max(slash, 0) } : undefined;
  return percent < 0 && isStrictIPv4(addr) ? { family: 4, maskOffset: Math.max(slash, 0) } : undefined;
}

/** `${mask:...}`'s reading of the mask after the "/": strtol into a C int, so what it wraps to. */
export function maskValue(s: string, a: IpAddress): number {
  const v = wholeStrtol(s.slice(a.maskOffset + 1)) ?? 0n;
  return Number(BigInt.asIntN(32, v));
}
