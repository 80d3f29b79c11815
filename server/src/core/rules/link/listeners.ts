// Does each Exim LMTP transport reach an lmtpd that will take its mail?
// link/lmtp-no-listener, link/unix-socket-mismatch, link/lmtp-auth-required.
// No-listener findings sit on the transport (the port or hosts to change); auth-required
// sits on lmtpd's cmd in cyrus.conf, because adding -a there is the usual repair, with
// `related` pointing back at the transport.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { LmtpListener } from '../../cyrus/model';
import { addressesOverlap, boundAddresses, sameSocketPath } from '../../cyrus/endpoint';
import { imapdFacts } from '../../cyrus/facts';
import { isIPv4, isIPv6 } from '../../lmtp/target';
import type { LinkContext } from './context';
import { describeListener, listenerSummary, option } from './context';
import { fix, insertAt, insertOptionLine, replaceAt } from './edits';
import { addressesOf, matchHost } from './match';
import { cyrusTransports, resolvePort, type CyrusTransport } from './routing';

type Tcp = Extract<CyrusTransport, { kind: 'tcp' }>;
type Unix = Extract<CyrusTransport, { kind: 'unix' }>;

const relListener = (l: LmtpListener, why = 'lmtpd listens here'): Related =>
  ({ file: l.endpoint.loc.file, range: l.endpoint.loc.range, message: `${why}: ${describeListener(l)}` });

function tcpListeners(ctx: LinkContext): (LmtpListener & { endpoint: { kind: 'tcp' } })[] {
  return ctx.listeners.filter((l): l is LmtpListener & { endpoint: { kind: 'tcp' } } =>
    l.endpoint.kind === 'tcp' && /^tcp[46]?$/i.test(l.entry.proto || 'tcp'));
}

/** Whether a listener may accept a connection to `addresses` (undefined: a name we cannot resolve). */
function listens(l: LmtpListener & { endpoint: { kind: 'tcp' } }, addresses: string[] | undefined): boolean {
  const h = l.endpoint.host?.toLowerCase();
  if (!addresses || (h !== undefined && h !== 'localhost' && !isIPv4(h) && !isIPv6(h))) return true;
  const bound = boundAddresses(l.endpoint, l.entry.proto || 'tcp');
  return bound.some((b) => addresses.some((a) => addressesOverlap(b, a)));
}

/** Whether the transport will authenticate to `hostName` (unknown counts as yes). */
function authenticates(ctx: LinkContext, t: Tcp, hostName: string, addresses: string[] | undefined): boolean {
  const clients = (ctx.cfg.authenticators ?? []).some((a) => (a.options ?? []).some((o) => o.name.startsWith('client_') && !o.negated));
  if (!clients) return false;
  for (const name of ['hosts_require_auth', 'hosts_try_auth']) {
    const o = option(t.transport, name);
    if (!o || o.negated || o.value === undefined) continue;
    if (matchHost(ctx, o.value, hostName, addresses) !== 'no') return true;
  }
  return false;
}

function checkTcp(ctx: LinkContext, t: Tcp, out: Finding[]): void {
  if (!ctx.cyrus || !t.hosts.length) return;
  const listeners = tcpListeners(ctx);
  const where = t.hostsOpt?.valueLoc ?? t.hostsOpt?.loc ?? t.transport.nameLoc;
  const portWhere = t.portOpt?.valueLoc ?? t.portOpt?.loc;
  const authFlagged = new Set<LmtpListener>();
  for (const h of t.hosts) {
    const portName = h.port ?? t.portName;
    const { port, unresolvable } = resolvePort(ctx, portName);
    const addresses = addressesOf(ctx, h.name);
    const shown = `${h.name}${h.port ? `::${h.port}` : ''}`;
    if (unresolvable) {
      const only = listeners.length === 1 ? listeners[0].endpoint.port : undefined;
      const fixes = only === undefined ? undefined : [portFix(ctx, t, only)];
      out.push(finding('link/lmtp-no-listener', (portWhere ?? where).file, (portWhere ?? where).range,
        `Transport ${t.transport.name} connects to port "${unresolvable}"${t.portOpt ? '' : ' (Exim\'s default for protocol = lmtp)'}, a name /etc/services does not define on this machine: Exim cannot resolve it and every delivery fails. Set port to a number. ${listenerSummary(ctx)}`,
        { related: listeners.map((l) => relListener(l)), ...(fixes ? { fixes } : {}) }));
      continue;
    }
    if (port === undefined) continue;
    const onPort = listeners.filter((l) => l.endpoint.port === port);
    const matching = onPort.filter((l) => listens(l, addresses));
    if (!matching.length) {
      const onAddress = listeners.filter((l) => listens(l, addresses));
      const portIsWrong = !onPort.length;
      const at = portIsWrong && portWhere && !h.port ? portWhere : where;
      const fixes = portIsWrong
        ? onAddress.slice(0, 3).map((l, i, a) => portFix(ctx, t, l.endpoint.port, a.length === 1 && i === 0))
        : onPort.filter((l) => l.endpoint.host !== undefined).slice(0, 3).map((l, i, a) => hostFix(t, h.name, l.endpoint.host!, a.length === 1 && i === 0))
          .filter((f): f is NonNullable<typeof f> => f !== undefined);
      out.push(finding('link/lmtp-no-listener', at.file, at.range,
        `No Cyrus lmtpd listens where transport ${t.transport.name} delivers (${shown}, port ${port}${t.portOpt || h.port ? '' : ', Exim\'s default for LMTP'}): its connections are refused and mail for Cyrus stays queued. ${listenerSummary(ctx)}`,
        { related: ctx.listeners.map((l) => relListener(l)), ...(fixes.length ? { fixes } : {}) }));
      continue;
    }
    // Exim moves on to the next address when one refuses, so one listener that takes the
    // mail is enough; AUTH is a problem only when every listener reached demands it.
    if (matching.every((l) => l.authRequired) && !authenticates(ctx, t, h.name, addresses)) {
      for (const l of matching) {
        if (authFlagged.has(l)) continue;
        authFlagged.add(l);
        const tool = l.entry.cmd?.toolLoc ?? l.cmdLoc;
        out.push(finding('link/lmtp-auth-required', l.cmdLoc.file, l.cmdLoc.range,
          `lmtpd (service ${l.entry.name}) listens on TCP without -a, so it demands AUTH: it answers the MAIL command of Exim's transport ${t.transport.name} with "430 Authentication required", and every delivery to Cyrus (and every recipient callout) is deferred. Add -a to trust connections from Exim (safe on loopback), or have the transport authenticate (hosts_require_auth and a client authenticator).`,
          {
            related: [{ file: where.file, range: where.range, message: `transport ${t.transport.name} delivers here without authenticating` }],
            fixes: [fix('Add -a to lmtpd (treat connections as authenticated)', [insertAt(tool.file, tool.range.end.line, tool.range.end.character, ' -a')], true)],
          }));
      }
    }
  }
}

function portFix(ctx: LinkContext, t: Tcp, port: number, preferred = true) {
  if (t.portOpt?.valueLoc && !t.portOpt.negated) return fix(`Change the port to ${port}`, [replaceAt(t.portOpt.valueLoc, String(port))], preferred);
  return fix(`Set port = ${port}`, [insertOptionLine(ctx, t.transport, `port = ${port}`, t.hostsOpt ?? option(t.transport, 'protocol'))], preferred);
}

function hostFix(t: Tcp, from: string, to: string, preferred: boolean) {
  const v = t.hostsOpt?.valueLoc;
  if (!v || v.range.start.line !== v.range.end.line || t.hostsOpt?.value?.trim() !== from) return undefined;
  const shown = to.includes(':') ? to.replaceAll(':', '::') : to;
  return fix(`Deliver to ${to}`, [replaceAt(v, shown)], preferred);
}

function checkUnix(ctx: LinkContext, t: Unix, out: Finding[]): void {
  if (t.path.includes('$') || !t.path.startsWith('/')) return;
  const at = t.socketOpt.valueLoc ?? t.socketOpt.loc;
  if (ctx.cyrus) {
    const sockets = ctx.listeners.filter((l) => l.endpoint.kind === 'unix');
    if (sockets.some((l) => l.endpoint.kind === 'unix' && sameSocketPath(l.endpoint.path, t.path))) return;
    if (!sockets.length) {
      out.push(finding('link/lmtp-no-listener', at.file, at.range,
        `Transport ${t.transport.name} delivers to the UNIX socket ${t.path}, but no Cyrus lmtpd listens on a UNIX socket. ${listenerSummary(ctx)}`,
        { related: ctx.listeners.map((l) => relListener(l)) }));
      return;
    }
    out.push(finding('link/unix-socket-mismatch', at.file, at.range,
      `Transport ${t.transport.name} delivers to ${t.path}, but Cyrus's lmtpd listens on ${sockets.map((l) => l.endpoint.kind === 'unix' ? l.endpoint.path : '').join(', ')}: the connection fails and mail for Cyrus stays queued.`,
      {
        related: sockets.map((l) => relListener(l)),
        fixes: sockets.slice(0, 3).map((l, i, a) => fix(`Use ${l.endpoint.kind === 'unix' ? l.endpoint.path : ''}`,
          [replaceAt(at, l.endpoint.kind === 'unix' ? l.endpoint.path : '')], a.length === 1 && i === 0)),
      }));
    return;
  }
  if (!ctx.imapd) return;
  // Without cyrus.conf, imapd.conf's lmtpsocket says where lmtpd is expected to listen.
  const facts = ctxLmtpSocket(ctx);
  if (!facts || sameSocketPath(facts.value, t.path)) return;
  const s = facts.setting;
  out.push(finding('link/unix-socket-mismatch', at.file, at.range,
    `Transport ${t.transport.name} delivers to ${t.path}, but imapd.conf's lmtpsocket is ${facts.value}${s ? '' : ' (the default)'}: unless cyrus.conf's lmtpd listens on ${t.path}, the connection fails.`,
    {
      ...(s ? { related: [{ file: s.file, range: s.valueLoc.range, message: `lmtpsocket is ${facts.value}` }] } : {}),
      fixes: [fix(`Use ${facts.value}`, [replaceAt(at, facts.value)], true)],
    }));
}

function ctxLmtpSocket(ctx: LinkContext) {
  if (!ctx.imapd) return undefined;
  const f = imapdFacts(ctx.imapd, 'lmtp').lmtpsocket;
  return f.value.includes('{') ? undefined : f;
}

export function checkListeners(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  for (const t of cyrusTransports(ctx)) {
    if (t.kind === 'tcp') checkTcp(ctx, t, out);
    else if (t.kind === 'unix') checkUnix(ctx, t, out);
  }
  return out;
}
