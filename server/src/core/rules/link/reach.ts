// Which lmtpd listeners a TCP host of a Cyrus transport reaches, for the link rules that
// judge what happens there (listeners, TLS, AUTH).
import type { LmtpListener } from '../../cyrus/model';
import { addressesOverlap, boundAddresses } from '../../cyrus/endpoint';
import { exitsAtStart } from '../../cyrus/programs';
import { isIPv4, isIPv6 } from '../../lmtp/target';
import type { LinkContext } from './context';
import { addressesOf } from './match';
import { resolvePort, type CyrusTransport } from './routing';

type Tcp = Extract<CyrusTransport, { kind: 'tcp' }>;

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
  const { port, unresolvable } = resolvePort(ctx, h.port ?? t.portName);
  const addresses = addressesOf(ctx, h.name);
  const matching = port === undefined ? [] : listeners.filter((l) => l.endpoint.port === port && listens(l, addresses));
  return { port, unresolvable, addresses, matching };
}
