// Where a callout connects: a TCP host and port, or a UNIX socket path.
import { wellKnownPort } from '../services';

export type Target =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'unix'; path: string };

export type TargetParse = { ok: true; target: Target } | { ok: false; error: string };

/**
 * Parses `host:port`, `[IPv6]:port`, a bare IPv6 address with `.port` never (ambiguous),
 * or a UNIX socket path (anything starting with `/` or `./`). `defaultPort` applies when
 * a TCP target names no port. Never throws.
 */
export function parseTarget(input: string, defaultPort?: number): TargetParse {
  const s = input.trim();
  if (!s) return { ok: false, error: 'the target is empty: give HOST:PORT, [IPv6]:PORT or a UNIX socket path' };
  if (/[\x00-\x1f\x7f]/.test(s)) return { ok: false, error: 'the target contains control characters' };
  if (s.startsWith('/') || s.startsWith('./') || s.startsWith('../')) {
    // sun_path holds 108 bytes on Linux, including the terminating NUL.
    if (Buffer.byteLength(s) > 107) return { ok: false, error: `the socket path is longer than a UNIX socket allows (107 bytes): ${s}` };
    if (s.endsWith('/')) return { ok: false, error: `the socket path names a directory: ${s}` };
    return { ok: true, target: { kind: 'unix', path: s } };
  }
  let host: string, portText: string | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return { ok: false, error: `missing "]" in ${s}: write an IPv6 target as [ADDRESS]:PORT` };
    host = s.slice(1, close);
    const rest = s.slice(close + 1);
    if (rest && !rest.startsWith(':')) return { ok: false, error: `unexpected "${rest}" after "]" in ${s}: write [ADDRESS]:PORT` };
    portText = rest ? rest.slice(1) : undefined;
    if (!isIPv6(host)) return { ok: false, error: `"${host}" is not an IPv6 address` };
  } else {
    const colons = s.split(':').length - 1;
    if (colons > 1) {
      return { ok: false, error: `"${s}" looks like a bare IPv6 address: write it in brackets with a port, e.g. [${s}]:24` };
    }
    const c = s.lastIndexOf(':');
    host = c < 0 ? s : s.slice(0, c);
    portText = c < 0 ? undefined : s.slice(c + 1);
    if (!host) return { ok: false, error: `no host before ":" in ${s}` };
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\.?$/.test(host) || host.length > 253) {
      return { ok: false, error: `"${host}" is not a host name or IPv4 address` };
    }
    if (/^[\d.]+$/.test(host) && !isIPv4(host)) return { ok: false, error: `"${host}" is not a valid IPv4 address` };
  }
  let port: number;
  if (portText === undefined || portText === '') {
    if (portText === '' ) return { ok: false, error: `no port after ":" in ${s}` };
    if (defaultPort === undefined) return { ok: false, error: `no port in ${s}: write HOST:PORT` };
    port = defaultPort;
  } else if (/^\d+$/.test(portText)) {
    port = Number(portText);
    if (port < 1 || port > 65535) return { ok: false, error: `port ${portText} is out of range (1-65535)` };
  } else {
    const known = wellKnownPort(portText.toLowerCase());
    if (known === undefined) return { ok: false, error: `"${portText}" is not a port number` };
    port = known;
  }
  return { ok: true, target: { kind: 'tcp', host, port } };
}

/** The inverse of parseTarget: `host:port`, `[v6]:port` or the socket path. */
export function formatTarget(t: Target): string {
  if (t.kind === 'unix') return t.path;
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

// Hand-written scans: the IPv6 colon-list rule asks about every word with two colons of
// every host list, so these take no regex, split or array.

export function isIPv4(s: string): boolean {
  return isIPv4Within(s, 0, s.length);
}

/** Four dot-separated decimal parts of one to three digits, each at most 255, in s[from, to). */
function isIPv4Within(s: string, from: number, to: number): boolean {
  let parts = 0, digits = 0, value = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      digits++;
      value = value * 10 + c - 48;
    } else return false;
  }
  return parts === 4;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** A zone index after "%": one or more of A-Z a-z 0-9 _ . - */
function isZone(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 45)) return false;
  }
  return true;
}

/**
 * Groups of one to four hex digits separated by ":", eight of them, or six and a dotted IPv4
 * address; one "::" stands for the missing groups. An optional "%zone" follows.
 */
export function isIPv6(s: string): boolean {
  const zone = s.indexOf('%');
  const end = zone >= 0 ? zone : s.length;
  if (zone >= 0 && !isZone(s, zone + 1)) return false;
  const lastColon = end > 0 ? s.lastIndexOf(':', end - 1) : -1;
  if (lastColon < 0) return false;
  // A dotted last group is an IPv4 address standing for the last two groups.
  let hexEnd = end, want = 8;
  const dot = s.indexOf('.', lastColon + 1);
  if (dot >= 0 && dot < end) {
    if (!isIPv4Within(s, lastColon + 1, end)) return false;
    hexEnd = lastColon;
    want = 6;
  }
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return false;
  let groups = 0, filled = 0, len = 0;
  for (let i = 0; i <= hexEnd; i++) {
    const c = i < hexEnd ? s.charCodeAt(i) : 58;
    if (c === 58) {
      groups++;
      if (len > 0) filled++;
      len = 0;
    } else if (isHexDigit(c) && len < 4) len++;
    else return false;
  }
  return dbl >= 0 ? filled < want : groups === want && filled === groups;
}
