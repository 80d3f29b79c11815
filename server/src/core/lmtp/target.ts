// Where a callout connects: a TCP host and port, or a UNIX socket path.

export type Target =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'unix'; path: string };

export type TargetParse = { ok: true; target: Target } | { ok: false; error: string };

/** Ports by service name, for when /etc/services is not at hand (LMTP has no IANA TCP port of its own). */
export const WELL_KNOWN_PORTS: Readonly<Record<string, number>> = {
  smtp: 25, submission: 587, submissions: 465, smtps: 465, lmtp: 24, imap: 143, imaps: 993, pop3: 110, pop3s: 995, sieve: 4190,
};

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
  } else if (WELL_KNOWN_PORTS[portText.toLowerCase()] !== undefined) {
    port = WELL_KNOWN_PORTS[portText.toLowerCase()];
  } else {
    return { ok: false, error: `"${portText}" is not a port number` };
  }
  return { ok: true, target: { kind: 'tcp', host, port } };
}

/** The inverse of parseTarget: `host:port`, `[v6]:port` or the socket path. */
export function formatTarget(t: Target): string {
  if (t.kind === 'unix') return t.path;
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  const zone = s.indexOf('%');
  const addr = zone >= 0 ? s.slice(0, zone) : s;
  if (zone >= 0 && !/^[A-Za-z0-9_.-]+$/.test(s.slice(zone + 1))) return false;
  if (!/^[0-9A-Fa-f:.]+$/.test(addr) || !addr.includes(':')) return false;
  let groups = addr.split(':');
  const last = groups[groups.length - 1];
  let want = 8;
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    want = 6;
  }
  const dbl = addr.indexOf('::');
  if (dbl >= 0 && addr.indexOf('::', dbl + 1) >= 0) return false;
  if (dbl >= 0) {
    const filled = groups.filter((g) => g !== '');
    return filled.length < want && filled.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
  }
  return groups.length === want && groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
}
