// Which lmtpd listeners a TCP host of a Cyrus transport reaches, for the link rules that
// judge what happens there (listeners, TLS, AUTH).
import type { LmtpListener } from '../../cyrus/model';
import { addressesOverlap, boundAddresses } from '../../cyrus/endpoint';
import { exitsAtStart } from '../../cyrus/programs';
import { isIPv4, isIPv6 } from '../../lmtp/target';
import type { LinkContext } from './context';
import { addressesOf, hostsMatchedBy } from './match';
import { resolvePort, type TcpTransport as Tcp } from './routing';

/** Why an lmtpd never takes mail although master binds its address, or undefined. */
export const deadReason = (l: LmtpListener): string | undefined => exitsAtStart(l.entry);

export function tcpListeners(ctx: LinkContext): TcpListener[] {
  return ctx.listeners.filter((l): l is TcpListener =>
    l.endpoint.kind === 'tcp' && /^tcp[46]?$/i.test(l.entry.proto || 'tcp'));
}

/** Whether a listener may accept a connection to `addresses` (undefined: a name we cannot resolve). */
export function listens(l: TcpListener, addresses: string[] | undefined): boolean {
  const h = l.endpoint.host?.toLowerCase();
  if (!addresses || (h !== undefined && h !== 'localhost' && !isIPv4(h) && !isIPv6(h))) return true;
  const bound = boundAddresses(l.endpoint, l.entry.proto || 'tcp');
  return bound.some((b) => addresses.some((a) => addressesOverlap(b, a)));
}

export type TcpListener = LmtpListener & { endpoint: { kind: 'tcp' } };

/** Where one host of a transport connects, and the lmtpd listeners there. */
export function hostTarget(ctx: LinkContext, t: Tcp, h: Tcp['hosts'][number], listeners: TcpListener[]) {
  const { port, unresolvable } = resolvePort(ctx, h.port ?? t.portName, h.port !== undefined);
  const addresses = addressesOf(ctx, h.name);
  const matching = port === undefined ? [] : listeners.filter((l) => l.endpoint.port === port && listens(l, addresses));
  return { port, unresolvable, addresses, matching };
}

/** A host of a Cyrus transport where every lmtpd reached fails a check, and why for each. */
export interface FailingHost<R> { host: string; reasons: R[] }

/**
 * The hosts a host-list option (hosts_require_tls, hosts_require_auth) matches for certain
 * where `fails` gives a reason for every live lmtpd reached; undefined for a listener that
 * passes, or when that cannot be known. A host nothing answers on is lmtp-no-listener's, and
 * one listener that passes is enough. `reasons`: the distinct ones (by `why`).
 */
export function failingHosts<R extends { why: string }>(ctx: LinkContext, t: Tcp, list: string, fails: (host: string, l: LmtpListener) => R | undefined): { failing: FailingHost<R>[]; every: boolean; reasons: R[] } | undefined {
  const listeners = tcpListeners(ctx);
  const failing: FailingHost<R>[] = [];
  for (const h of hostsMatchedBy(ctx, list, t.hosts)) {
    const live = hostTarget(ctx, t, h, listeners).matching.filter((l) => !deadReason(l));
    const reasons = live.map((l) => fails(h.name, l));
    if (!live.length || reasons.some((r) => r === undefined)) continue;
    failing.push({ host: h.name, reasons: reasons as R[] });
  }
  if (!failing.length) return undefined;
  const reasons = [...new Map(failing.flatMap((f) => f.reasons).map((r) => [r.why, r])).values()];
  return { failing, every: failing.length === t.hosts.length, reasons };
}

/** What Exim does when some hosts of the list fail that way: moves on to the others. */
export function movesOnFrom(t: Tcp, failing: FailingHost<unknown>[]): string {
  const rest = t.hosts.filter((h) => !failing.some((f) => f.host === h.name)).map((h) => h.name).join(', ');
  return `it tries the next host of the list, and mail gets through ${rest}, but every delivery and callout that tries ${failing.length > 1 ? 'those hosts' : 'that host'} first is slowed by a failed attempt`;
}
