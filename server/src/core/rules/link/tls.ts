// link/lmtp-tls-unavailable: a Cyrus LMTP transport whose hosts_require_tls matches a host
// where lmtpd never offers STARTTLS. Exim then defers every delivery through that host, and
// every recipient callout ("a TLS session is required, but the server did not offer TLS
// support").
//
// When lmtpd offers STARTTLS, as Debian's Cyrus 3.6 does it (its LHLO reply, checked live):
// - never with -a: it counts its client as authenticated, and STARTTLS is left out whatever
//   imapd.conf says;
// - without -a, only when imapd.conf sets both a certificate and a key for it, and neither is
//   "disabled" (any case). The 2.x names tls_cert_file / tls_key_file still count, and a
//   `<service>_` setting wins for that service. A path that does not exist, or that the Cyrus
//   user cannot read, still gets STARTTLS offered, and lmtpd then refuses it (454);
//   imapd/tls-file-access says so where this machine shows it.
//
// hosts_require_dane fails before any of that: Exim 4.96 (smtp.c) does DANE only for a host
// whose address came from a DNSSEC-validated lookup, and fails the address outright ("DANE
// error: localhost lookup not DNSSEC") for any other. A Cyrus host is an address, localhost
// (never in a signed zone), or looked up by gethostbyname, which is never DNSSEC: found live,
// every message for Cyrus bounced and every recipient callout got 451.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { LmtpListener } from '../../cyrus/model';
import { tlsFilesOf } from '../../cyrus/facts';
import type { LinkContext } from './context';
import { boolOption, option } from './context';
import { isStrictIPv4, isStrictIPv6 } from '../../exim/ip-address';
import { manualFix, removeOptionLines } from './edits';
import { failingHosts, movesOnFrom } from './reach';
import { listenerConfig } from './program-config';
import { cyrusTransports, type TcpTransport as Tcp } from './routing';
import type { DriverInstance } from '../../exim/model';

/** Why lmtpd leaves STARTTLS out, with where that is written. */
export interface NoTls {
  why: string;
  /** The cause alone, to quote in another sentence: "it runs with -a", "imapd.conf sets neither …". */
  cause: string;
  related: Related[];
}

/**
 * Whether lmtpd offers STARTTLS: 'offered', a NoTls when it never does, undefined when that
 * cannot be known here (the imapd.conf it reads is not at hand).
 */
export function lmtpdTls(ctx: LinkContext, l: LmtpListener): 'offered' | NoTls | undefined {
  const name = l.entry.name;
  const cmd = { file: l.cmdLoc.file, range: l.cmdLoc.range };
  if (l.entry.cmd?.preauth) {
    return {
      why: `lmtpd (service ${name}) runs with -a: it counts Exim as authenticated and then never offers STARTTLS, whatever imapd.conf says`,
      cause: 'it runs with -a',
      related: [{ ...cmd, message: `lmtpd -a (service ${name}) leaves STARTTLS out of its LHLO reply` }],
    };
  }
  const conf = listenerConfig(ctx, l);
  if (!conf.imapd) return undefined;
  const { cert, key, on, off: turnedOff } = tlsFilesOf(conf.imapd, name);
  if (on) return 'offered';
  const off = turnedOff.map((s) => `${s.rawName} is "${s.value}"`);
  const unset = [cert ? undefined : 'tls_server_cert', key ? undefined : 'tls_server_key'].filter(Boolean);
  const file = conf.imapd === ctx.imapd ? 'imapd.conf' : conf.imapd.file;
  const missing = [...off, ...(unset.length === 2 ? [`${file} sets neither`] : unset.map((n) => `${n} is not set`))];
  return {
    why: `lmtpd (service ${name}) offers STARTTLS only when ${file} gives it both tls_server_cert and tls_server_key, and ${missing.join(' and ')}`,
    cause: unset.length === 2 && !off.length ? `${file} sets neither tls_server_cert nor tls_server_key` : missing.join(' and '),
    related: [
      { ...cmd, message: `lmtpd (service ${name}) reads ${conf.imapd.file}` },
      ...turnedOff.map((s) => ({ file: s.file, range: s.valueLoc.range, message: `${s.rawName} turns TLS off` })),
    ],
  };
}

/** Why Exim's lookup of `host` for transport `t` is never DNSSEC-validated; undefined when it may be. */
function notDnssec(t: DriverInstance, host: string): { why: string } | undefined {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isStrictIPv4(bare) || isStrictIPv6(bare)) return { why: `${host} is an address, which Exim looks up nowhere` };
  if (boolOption(t, 'gethostbyname', false) === true) return { why: `gethostbyname makes Exim look ${host} up with the system's resolver, which says nothing of DNSSEC` };
  if (host.toLowerCase().replace(/\.$/, '') === 'localhost') return { why: 'localhost is in no signed zone' };
  return undefined;
}

function checkDane(ctx: LinkContext, t: Tcp): Finding | undefined {
  const o = option(t.transport, 'hosts_require_dane');
  if (!o || o.negated || !o.value?.trim()) return undefined;
  const found = failingHosts(ctx, t, o.value, (h) => notDnssec(t.transport, h));
  // One host DANE can work for: what Exim does after a failing one is its own question.
  if (!found?.every) return undefined;
  const hosts = found.failing.map((f) => f.host);
  const at = o.valueLoc ?? o.loc;
  return finding('link/lmtp-tls-unavailable', at.file, at.range,
    `Transport ${t.transport.name} requires DANE of ${hosts.join(', ')} (hosts_require_dane), but DANE needs the host's address from a DNSSEC-validated DNS lookup, and ${found.reasons.map((r) => r.why).join('; ')}. Exim fails every delivery to Cyrus before it connects ("DANE error: ${hosts[0]} lookup not DNSSEC"): the message bounces, and every recipient callout through it is answered 451. DANE is for remote servers (the setting is usually copied from remote_smtp): remove hosts_require_dane from this transport.`,
    { fixes: [manualFix('Remove hosts_require_dane (deliver to Cyrus without DANE)', [removeOptionLines(o)])] });
}

export function checkTls(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  if (!ctx.cyrus) return out;
  for (const t of cyrusTransports(ctx)) {
    if (t.kind !== 'tcp' || !t.hosts.length) continue;
    const dane = checkDane(ctx, t);
    if (dane) out.push(dane);
    const o = option(t.transport, 'hosts_require_tls');
    if (!o || o.negated || !o.value?.trim()) continue;
    const found = failingHosts(ctx, t, o.value, (_h, l) => {
      const tls = lmtpdTls(ctx, l);
      return tls === 'offered' ? undefined : tls;
    });
    if (!found) continue;
    const { failing, every, reasons } = found;
    const preauthOnly = reasons.every((r) => r.cause === 'it runs with -a');
    const at = o.valueLoc ?? o.loc;
    out.push(finding('link/lmtp-tls-unavailable', at.file, at.range,
      `Transport ${t.transport.name} requires TLS of ${failing.map((f) => f.host).join(', ')} (hosts_require_tls), but ${reasons.map((r) => r.why).join('; and ')}. Exim gives up before MAIL ("a TLS session is required, but the server did not offer TLS support"), so ${every ? 'every delivery to Cyrus and every recipient callout through it is deferred' : movesOnFrom(t, failing)}. ${preauthOnly
        ? 'On loopback TLS protects nothing: remove hosts_require_tls, or leave this host out of it.'
        : 'Give lmtpd a certificate and key in imapd.conf, or remove hosts_require_tls.'}`,
      {
        related: reasons.flatMap((r) => r.related),
        fixes: [manualFix('Remove hosts_require_tls (deliver to Cyrus without TLS)', [removeOptionLines(o)])],
        ...(every ? {} : { severity: 'warning' as const }),
      }));
  }
  return out;
}
