// Does each Exim LMTP transport (or `deliver` pipe) reach an lmtpd that will take its mail?
// link/lmtp-no-listener, link/unix-socket-mismatch, link/lmtp-auth-required.
// No-listener findings sit on the transport (the port or hosts to change); auth-required
// sits on lmtpd's cmd in cyrus.conf, because adding -a there is the usual repair, with
// `related` pointing back at the transport. An lmtpd whose cmd makes it exit at every
// connection (cyrus/invalid-value) takes no mail, so it counts as no listener.
import type { Finding, Fix, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { ImapdSetting, LmtpListener } from '../../cyrus/model';
import { boundAddresses, sameSocketPath } from '../../cyrus/endpoint';
import { imapdFacts } from '../../cyrus/facts';
import type { LinkContext } from './context';
import { describeListener, disabledRelated, indentOf, lineText, listenerSummary, option } from './context';
import { fix, insertAt, insertLine, insertOptionLine, manualFix, replaceAt } from './edits';
import { deliverArgs, programConfig, runsDeliver, type ProgramConfig } from './program-config';
import { hostsMatchedBy, isLocalHost, matchHost } from './match';
import { cyrusTransports, resolvePort, smtpHosts, type CyrusTransport, type TcpTransport as Tcp } from './routing';
import { deadReason, hostTarget, listens, tcpListeners, type TcpListener } from './reach';
import { clientAuthenticators, noCommonMechanism, type NoMechanism } from './auth';

type Unix = Extract<CyrusTransport, { kind: 'unix' }>;
type Command = Extract<CyrusTransport, { kind: 'command' }>;

const relDead = (l: LmtpListener): Related => {
  const p = l.entry.cmd!.flagProblems[0];
  return { file: p.loc.file, range: p.loc.range, message: `lmtpd (service ${l.entry.name}) exits at every connection because of ${p.word}` };
};

/**
 * Report on `at` when every listener a transport reaches exits at each connection; true when
 * reported. `fallback`: another host of the list that takes the mail (then only a warning).
 */
function allDead(t: CyrusTransport, reached: LmtpListener[], where: string, at: { file: string; range: Finding['range'] }, out: Finding[], fallback?: string): boolean {
  if (!reached.length || reached.some((l) => !deadReason(l))) return false;
  out.push(finding('link/lmtp-no-listener', at.file, at.range,
    `Transport ${t.transport.name} delivers to ${where}, where lmtpd (service ${reached.map((l) => l.entry.name).join(', ')}) never answers: ${deadReason(reached[0])}. ${fallback ? movesOn(fallback) : 'Mail for Cyrus stays queued.'} Fix lmtpd's cmd in cyrus.conf.`,
    { related: reached.map(relDead), ...(fallback ? { severity: 'warning' as const } : {}) }));
  return true;
}

/** What happens when one host of the list fails but `fallback`, another, takes the mail. */
const movesOn = (fallback: string) =>
  `Exim then tries the next host of the list and delivers through ${fallback}, so mail gets through, but every delivery and callout that tries this host first is slowed by a failed attempt.`;

const relListener = (l: LmtpListener, why = 'lmtpd listens here'): Related =>
  ({ file: l.endpoint.loc.file, range: l.endpoint.loc.range, message: `${why}: ${describeListener(l)}` });

/**
 * Which option makes the transport try AUTH at `hostName` (unknown counts as matching), when
 * it has a client authenticator to try; undefined when it will not.
 */
function authOption(ctx: LinkContext, t: Tcp, hostName: string, addresses: string[] | undefined): 'hosts_require_auth' | 'hosts_try_auth' | undefined {
  if (!clientAuthenticators(ctx).length) return undefined;
  for (const name of ['hosts_require_auth', 'hosts_try_auth'] as const) {
    const o = option(t.transport, name);
    if (!o || o.negated || o.value === undefined) continue;
    if (matchHost(ctx, o.value, hostName, addresses) !== 'no') return name;
  }
  return undefined;
}

/**
 * How a session with lmtpd `l` ends before MAIL is accepted, or undefined when it gets
 * through: Exim gives up itself when hosts_require_auth finds no mechanism in common
 * ('exim', link/auth-no-common-mechanism's), and an lmtpd without -a answers 430 to a
 * transport that does not authenticate ('430'; `mechanism` says why when it tried).
 */
function authFailure(ctx: LinkContext, t: Tcp, hostName: string, addresses: string[] | undefined, l: LmtpListener): { by: 'exim' | '430'; mechanism?: NoMechanism } | undefined {
  const via = authOption(ctx, t, hostName, addresses);
  const mechanism = via ? noCommonMechanism(ctx, t, hostName, l) : undefined;
  if (via === 'hosts_require_auth' && mechanism) return { by: 'exim', mechanism };
  if (l.authRequired && (!via || mechanism)) return { by: '430', mechanism };
  return undefined;
}

/**
 * The lmtpd services a Cyrus transport reaches (by address and port, socket path, or for a
 * `deliver` pipe, deliver's lmtpsocket); empty when none or when that cannot be known.
 */
export function reachedListeners(ctx: LinkContext, t: CyrusTransport): LmtpListener[] {
  if (t.kind === 'tcp') {
    const listeners = tcpListeners(ctx);
    return [...new Set(t.hosts.flatMap((h) => hostTarget(ctx, t, h, listeners).matching))];
  }
  const path = t.kind === 'unix' ? (t.path.includes('$') ? undefined : t.path) : deliverSocket(ctx, t)?.path;
  return path === undefined ? [] : ctx.listeners.filter((l) => l.endpoint.kind === 'unix' && sameSocketPath(l.endpoint.path, path));
}

/**
 * A new service line in cyrus.conf's SERVICES section, before its closing brace, for a
 * transport that finds no lmtpd at all: the other way to mend it than changing Exim. One to
 * weigh (it changes Cyrus), so never applied by --fix.
 */
function addServiceFix(ctx: LinkContext, args: string, what: string): Fix | undefined {
  const sec = ctx.cyrus?.sections.find((x) => x.kind === 'SERVICES');
  if (!sec) return undefined;
  const endLine = sec.blockLoc.range.end.line;
  if (!/^\s*}/.test(lineText(ctx, sec.blockLoc.file, endLine))) return undefined;
  const taken = new Set(sec.entries.map((e) => e.name));
  const name = ['lmtp', 'lmtpexim', 'lmtpunix'].find((n) => !taken.has(n));
  if (!name) return undefined;
  const first = sec.entries[0];
  const indent = first ? indentOf(lineText(ctx, first.loc.file, first.loc.range.start.line)) || '  ' : '  ';
  return manualFix(`Add an lmtpd service to cyrus.conf ${what}`, [insertLine(ctx, sec.blockLoc.file, endLine, `${indent}${name} ${args}`)]);
}

/**
 * `hosts = 127.0.0.1:2003`: ":" separates hosts, so "2003" is a second host, not the port
 * (Exim 4.96 delivering: "failed to lookup IP address for 2003"); said where it explains
 * why the transport's own port is used.
 */
function numberAsHost(t: Tcp, only?: Tcp['hosts'][number]): string {
  const i = t.hosts.findIndex((h, k) => k > 0 && !h.port && /^\d{1,5}$/.test(h.name) && (!only || h === only));
  if (i < 0) return '';
  const n = t.hosts[i].name, prev = t.hosts[i - 1].name;
  return ` ("${n}" in hosts is a second host, not a port: ":" separates hosts, so a host's own port is written ${prev}::${n}; or set port = ${n}.)`;
}

function checkTcp(ctx: LinkContext, t: Tcp, out: Finding[]): void {
  if (!ctx.cyrus || !t.hosts.length) return;
  const listeners = tcpListeners(ctx);
  // Where the hosts are written: the transport's hosts, or the router's route_list that
  // overrides them. A port name that cannot resolve is the transport's, found there.
  const onTransport = t.hostsOpt?.valueLoc ?? t.hostsOpt?.loc ?? t.transport.nameLoc;
  const where = t.routeOpt?.valueLoc ?? t.routeOpt?.loc ?? onTransport;
  const portWhere = t.portOpt?.valueLoc ?? t.portOpt?.loc ?? onTransport;
  const authFlagged = new Set<LmtpListener>();
  // Exim resolves the transport's port when the transport starts, before it looks at a
  // host's own port: a name missing from /etc/services fails every delivery even then.
  const own = t.hosts.some((h) => h.port) ? resolvePort(ctx, t.portName).unresolvable : undefined;
  if (own) {
    const hostPort = t.hosts.map((h) => h.port).find((p) => p !== undefined && /^\d+$/.test(p));
    const fixes = hostPort ? [portFix(ctx, t, Number(hostPort))] : [];
    out.push(finding('link/lmtp-no-listener', portWhere.file, portWhere.range,
      `Transport ${t.transport.name} has port "${own}"${t.portOpt ? '' : ' (Exim\'s default for protocol = lmtp)'}, a name /etc/services does not define on this machine: Exim resolves it before it looks at the port a host names (${t.hosts.filter((h) => h.port).map((h) => `${h.name}::${h.port}`).join(', ')}), so every delivery fails ("TCP port \"${own}\" is not defined"). Set port to a number.`,
      { related: listeners.map((l) => relListener(l)), ...(fixes.length ? { fixes } : {}) }));
    return;
  }
  // Exim tries the hosts of the list in turn (and the next one when a host refuses the
  // connection or answers MAIL with 430), so one host that takes the mail is enough: the
  // others are then reported as warnings.
  const shownOf = (h: Tcp['hosts'][number]) => `${h.name}${h.port ? `::${h.port}` : ''}`;
  const takes = t.hosts.find((h) => {
    const { port, unresolvable, addresses, matching } = hostTarget(ctx, t, h, listeners);
    const live = matching.filter((l) => !deadReason(l));
    return !unresolvable && port !== undefined && live.some((l) => !authFailure(ctx, t, h.name, addresses, l));
  });
  const fallback = takes && shownOf(takes);
  const sev = fallback ? { severity: 'warning' as const } : {};
  // The transport's port is one for all its hosts: said once, not once per host.
  let portSaid = false;
  for (const h of t.hosts) {
    const { port, unresolvable, addresses, matching: reached } = hostTarget(ctx, t, h, listeners);
    const shown = shownOf(h);
    if (unresolvable) {
      if (portSaid) continue;
      portSaid = true;
      const only = listeners.length === 1 ? listeners[0].endpoint.port : undefined;
      const fixes = only === undefined ? undefined : [portFix(ctx, t, only)];
      out.push(finding('link/lmtp-no-listener', portWhere.file, portWhere.range,
        `Transport ${t.transport.name} connects to port "${unresolvable}"${t.portOpt ? '' : ' (Exim\'s default for protocol = lmtp)'}, a name /etc/services does not define on this machine: Exim cannot resolve it and every delivery fails. Set port to a number.${numberAsHost(t)} ${listenerSummary(ctx)}`,
        { related: listeners.map((l) => relListener(l)), ...(fixes ? { fixes } : {}) }));
      continue;
    }
    // An IPv6 address under disable_ipv6 has no address at all: exim/invalid-value says so.
    if (port === undefined || addresses?.length === 0) continue;
    const onPort = listeners.filter((l) => l.endpoint.port === port);
    if (allDead(t, reached, `${shown}, port ${port}`, where, out, fallback)) continue;
    const matching = reached.filter((l) => !deadReason(l));
    if (!reached.length) {
      const onAddress = listeners.filter((l) => listens(l, addresses));
      const portIsWrong = !onPort.length;
      const at = portIsWrong && t.portOpt && !h.port ? portWhere : where;
      const fixes = portIsWrong
        ? onAddress.slice(0, 3).map((l, i, a) => portFix(ctx, t, l.endpoint.port, a.length === 1 && i === 0))
        : onPort.filter((l) => l.endpoint.host !== undefined).slice(0, 3).map((l, i, a) => hostFix(t, h.name, l.endpoint.host!, a.length === 1 && i === 0))
          .filter((f): f is NonNullable<typeof f> => f !== undefined);
      // No lmtpd at all, and Exim delivers to this machine: the reference's loopback service.
      const add = !ctx.listeners.length && !ctx.disabled.length && isLocalHost(ctx, h.name)
        ? addServiceFix(ctx, `cmd="lmtpd -a" listen="127.0.0.1:${port}" prefork=0`, `on 127.0.0.1:${port} (lmtpd -a: Exim is trusted on loopback)`) : undefined;
      if (add) fixes.push(add);
      out.push(finding('link/lmtp-no-listener', at.file, at.range,
        `No Cyrus lmtpd listens where transport ${t.transport.name} delivers (${shown}, port ${port}${t.portOpt || h.port ? '' : ', Exim\'s default for LMTP'}): its connections are refused${fallback ? `. ${movesOn(fallback)}` : ' and mail for Cyrus stays queued.'}${numberAsHost(t, h)}${droppedNote(t)}${ipv6OffNote(ctx, onPort)} ${listenerSummary(ctx)}`,
        { related: [...ctx.listeners.map((l) => relListener(l)), ...disabledRelated(ctx)], ...(fixes.length ? { fixes } : {}), ...sev }));
      continue;
    }
    // Exim moves on to the next address when one refuses, so one listener that takes the
    // mail is enough; AUTH is a problem only when every listener reached demands it.
    // When Exim itself gives up for want of a common mechanism, that is
    // link/auth-no-common-mechanism's finding, on hosts_require_auth.
    const failures = matching.map((l) => authFailure(ctx, t, h.name, addresses, l));
    if (failures.every((f) => f?.by === '430')) {
      for (const [i, l] of matching.entries()) {
        if (authFlagged.has(l)) continue;
        authFlagged.add(l);
        const tool = l.entry.cmd?.toolLoc ?? l.cmdLoc;
        const tried = failures[i]!.mechanism;
        out.push(finding('link/lmtp-auth-required', l.cmdLoc.file, l.cmdLoc.range,
          `lmtpd (service ${l.entry.name}) listens on TCP without -a, so it demands AUTH${tried ? `. Exim's transport ${t.transport.name} tries AUTH (hosts_try_auth), but ${tried.why.replace(/^lmtpd \(service [^)]*\) /, 'lmtpd ')}, so Exim goes on without it` : ''}: it answers the MAIL command of Exim's transport ${t.transport.name} with "430 Authentication required"${fallback ? `. ${movesOn(fallback)}` : ', and every delivery to Cyrus (and every recipient callout) is deferred.'} Add -a to trust connections from Exim (safe on loopback), or have the transport authenticate (hosts_require_auth and a client authenticator for a mechanism lmtpd offers: PLAIN and LOGIN only over TLS unless imapd.conf sets allowplaintext: yes).`,
          {
            related: [{ file: where.file, range: where.range, message: `transport ${t.transport.name} delivers here without authenticating` }, ...(tried?.related ?? [])],
            fixes: [fix('Add -a to lmtpd (treat connections as authenticated)', [insertAt(tool.file, tool.range.end.line, tool.range.end.character, ' -a')], true)],
            ...sev,
          }));
      }
    }
  }
}

/** Why an lmtpd on the port's IPv6 loopback is not reached: disable_ipv6. */
function ipv6OffNote(ctx: LinkContext, onPort: TcpListener[]): string {
  if (!ctx.ipv6Off || !onPort.some((l) => boundAddresses(l.endpoint, l.entry.proto || 'tcp').some((a) => a.includes(':') || a === '*6'))) return '';
  return ' Exim connects to no IPv6 address while disable_ipv6 is set, so the lmtpd on IPv6 there is not reached.';
}

/** Why hosts written in the router's list are not tried. */
function droppedNote(t: Tcp): string {
  if (!t.dropped?.length) return '';
  const shown = t.dropped.map((h) => `${h.name}${h.port ? `::${h.port}` : ''}`).join(', ');
  return ` The router's list also names ${shown}, but Exim drops ${t.dropped.length > 1 ? 'those hosts' : 'that host'} from it: a host that is this machine, and every host after it, is removed when an earlier host is not this machine ("Removed from host list"). Put the host that is this machine first.`;
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
    const reached = reachedListeners(ctx, t);
    if (reached.length) { allDead(t, reached, t.path, at, out); return; }
    if (!sockets.length) {
      const add = t.path.includes('$') || t.path.includes('"') ? undefined : addServiceFix(ctx, `cmd="lmtpd" listen="${t.path}" prefork=0`, `on the socket ${t.path}`);
      out.push(finding('link/lmtp-no-listener', at.file, at.range,
        `Transport ${t.transport.name} delivers to the UNIX socket ${t.path}, but no Cyrus lmtpd listens on a UNIX socket. ${listenerSummary(ctx)}`,
        { related: [...ctx.listeners.map((l) => relListener(l)), ...disabledRelated(ctx)], ...(add ? { fixes: [add] } : {}) }));
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
  // No cyrus.conf, so no service name to prefer: the plain setting.
  const f = imapdFacts(ctx.imapd).lmtpsocket;
  return f.value.includes('{') ? undefined : f;
}

/**
 * Where Cyrus's deliver, run by Exim, hands mail to lmtpd: deliver's lmtpsocket, when it can
 * be known. A pipe runs deliver; an lmtp transport's command is deliver only with -l (what
 * else it runs is link/deliver-command's).
 */
export function deliverSocket(ctx: LinkContext, t: Command): { path: string; setting?: ImapdSetting; cfg: ProgramConfig } | undefined {
  const driver = (t.transport.driver ?? '').trim();
  const args = deliverArgs(t.command);
  if (driver !== 'pipe' && !(driver === 'lmtp' && args.lmtp && runsDeliver(t.command))) return undefined;
  const cfg = programConfig(ctx, args.configFile, undefined, 'deliver');
  if (!cfg.imapd) return undefined;
  const f = imapdFacts(cfg.imapd, 'deliver').lmtpsocket;
  return f.value.includes('{') ? undefined : { path: f.value, setting: f.setting, cfg };
}

function checkDeliver(ctx: LinkContext, t: Command, out: Finding[]): void {
  if (!ctx.cyrus) return;
  const d = deliverSocket(ctx, t);
  if (!d) return;
  const at = t.commandOpt.valueLoc ?? t.commandOpt.loc;
  const reached = reachedListeners(ctx, t);
  if (reached.length) { allDead(t, reached, d.path, at, out); return; }
  const s = d.setting;
  const which = `${d.path} (deliver's lmtpsocket${s ? '' : ', the default under configdirectory'})`;
  const sockets = ctx.listeners.filter((l) => l.endpoint.kind === 'unix');
  const relSetting: Related[] = s ? [{ file: s.file, range: s.valueLoc.range, message: `lmtpsocket is ${d.path}` }] : [];
  if (!sockets.length) {
    out.push(finding('link/lmtp-no-listener', at.file, at.range,
      `Transport ${t.transport.name} runs Cyrus's deliver, which hands the mail to lmtpd over the UNIX socket ${which}, but no Cyrus lmtpd listens on a UNIX socket: every delivery fails. Add an lmtpd service listening on ${d.path} to cyrus.conf. ${listenerSummary(ctx)}`,
      { related: [...relSetting, ...ctx.listeners.map((l) => relListener(l)), ...disabledRelated(ctx)] }));
    return;
  }
  const paths = sockets.map((l) => l.endpoint.kind === 'unix' ? l.endpoint.path : '');
  const imapd = d.cfg.imapd!;
  const edit = (p: string) => s
    ? replaceAt({ file: s.file, range: s.valueLoc.range }, p)
    : insertLine(ctx, imapd.file, imapd.lines.lineCount, `lmtpsocket: ${p}`);
  const fixes = paths.slice(0, 3).map((p, i, a) => fix(`Set lmtpsocket: ${p}`, [edit(p)], a.length === 1 && i === 0));
  const here = s ? { file: s.file, range: s.valueLoc.range } : at;
  out.push(finding('link/unix-socket-mismatch', here.file, here.range,
    `Cyrus's deliver, which transport ${t.transport.name} runs, hands mail to lmtpd over ${which}, but lmtpd listens on ${paths.join(', ')}: every delivery fails and the mail stays queued. Set lmtpsocket to lmtpd's socket.`,
    {
      related: [...(s ? [{ file: at.file, range: at.range, message: `transport ${t.transport.name} runs deliver` }] : []), ...sockets.map((l) => relListener(l))],
      fixes,
    }));
}

/**
 * An smtp transport that speaks SMTP (no `protocol = lmtp`) to an lmtpd on this machine:
 * lmtpd answers EHLO with "500 5.5.2 Syntax error", so every delivery fails and a recipient
 * callout through it rejects every recipient. Only hosts that are this machine are compared,
 * so a smarthost elsewhere that happens to use lmtpd's port number is left alone.
 */
function checkSmtpToLmtpd(ctx: LinkContext, out: Finding[]): void {
  if (!ctx.cyrus) return;
  const listeners = tcpListeners(ctx);
  if (!listeners.length) return;
  for (const t of ctx.cfg.transports ?? []) {
    if ((t.driver ?? '').trim() !== 'smtp' || !ctx.used.has(t.name)) continue;
    const protoOpt = option(t, 'protocol');
    // Compared as written, as Exim does (smtp.c): anything but lmtp or smtps, a quoted " lmtp" too, is smtp.
    const written = protoOpt && !protoOpt.negated ? protoOpt.value?.toLowerCase() : undefined;
    const proto = written === 'lmtp' || written === 'smtps' ? written : 'smtp';
    if (proto === 'lmtp') continue;
    // As for the LMTP transports, a manualroute router's hosts replace the transport's own.
    const tcp = smtpHosts(ctx, t, proto);
    const { hosts, hostsOpt } = tcp;
    const from = hostsOpt ?? tcp.routeOpt;
    if (!from || !hosts.length) continue;
    const hit = hosts.filter((h) => isLocalHost(ctx, h.name)).flatMap((h) => hostTarget(ctx, tcp, h, listeners).matching);
    if (!hit.length) continue;
    const at = protoOpt?.valueLoc ?? protoOpt?.loc ?? hostsOpt?.valueLoc ?? hostsOpt?.loc ?? t.nameLoc;
    const edit = protoOpt?.valueLoc && !protoOpt.negated ? replaceAt(protoOpt.valueLoc, 'lmtp') : insertOptionLine(ctx, t, 'protocol = lmtp', hostsOpt);
    const router = hostsOpt ? undefined : (ctx.cfg.routers ?? []).find((r) => r.options?.includes(from));
    const via = router ? `, at the hosts router ${router.name} gives it` : '';
    const fromAt = from.valueLoc ?? from.loc;
    const routeRel: Related[] = router ? [{ file: fromAt.file, range: fromAt.range, message: `router ${router.name} sends the mail to these hosts through transport ${t.name}` }] : [];
    out.push(finding('link/smtp-to-lmtpd', at.file, at.range,
      `Transport ${t.name} speaks ${proto.toUpperCase()} to Cyrus's lmtpd (service ${[...new Set(hit.map((l) => l.entry.name))].join(', ')}${via}), which answers EHLO with "500 5.5.2 Syntax error": every delivery through it fails, and a recipient callout through it rejects every recipient. Set protocol = lmtp.`,
      { related: [...routeRel, ...[...new Set(hit)].map((l) => relListener(l))], fixes: [fix('Set protocol = lmtp', [edit], true)] }));
  }
}

/**
 * hosts_require_auth on a Cyrus transport with no authenticator that has a client side: Exim
 * defers every delivery to a matching host ("authentication required but no common
 * mechanisms were found") whatever lmtpd offers, and the callouts through it defer too.
 */
function checkRequireAuth(ctx: LinkContext, t: Tcp, out: Finding[]): void {
  const o = option(t.transport, 'hosts_require_auth');
  if (!o || o.negated || !o.value?.trim() || !t.hosts.length) return;
  if (clientAuthenticators(ctx).length) return;
  const matched = hostsMatchedBy(ctx, o.value, t.hosts);
  if (!matched.length) return;
  const every = matched.length === t.hosts.length;
  const at = o.valueLoc ?? o.loc;
  out.push(finding('link/require-auth-no-client', at.file, at.range,
    `Transport ${t.transport.name} requires AUTH of ${matched.map((h) => h.name).join(', ')} (hosts_require_auth), but no authenticator has a client side (client_send, client_name, …): Exim gives up before MAIL ("authentication required but no common mechanisms were found"), so ${every ? 'every delivery to Cyrus and every recipient callout through it is deferred' : 'deliveries through those hosts are deferred'}. Remove hosts_require_auth (lmtpd -a on loopback needs none), or add a client authenticator.`,
    every ? {} : { severity: 'warning' }));
}

export function checkListeners(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  checkSmtpToLmtpd(ctx, out);
  for (const t of cyrusTransports(ctx)) {
    if (t.kind === 'tcp') { checkTcp(ctx, t, out); checkRequireAuth(ctx, t, out); }
    else if (t.kind === 'unix') checkUnix(ctx, t, out);
    else checkDeliver(ctx, t, out);
  }
  return out;
}
