// Which transports hand mail to Cyrus, where they connect, and which router takes a domain.
import type { DriverInstance, OptionSetting } from '../../exim/model';
import { splitList } from '../../exim/lists';
import { readPortOption } from '../../exim/port';
import { hostItem, keptRouteHosts, servicePort, transportHosts } from '../../lmtp/discover';
import { loadServiceTable } from '../../cyrus/endpoint';
import type { LinkContext } from './context';
import { boolOption, option, value } from './context';
import { isLocalHost, literalDomains, matchDomain, matchLocalPart, type Tri } from './match';
import { aliasedHere, existsBranch } from './on-this-machine';
import { runsDeliver } from './program-config';
import { findUser, readAccounts } from '../../unix-accounts';

export interface TcpHost { name: string; port?: string }

/** An Exim transport that delivers to Cyrus, with where it connects. */
export type CyrusTransport =
  | {
    kind: 'tcp'; transport: DriverInstance;
    /** The transport's hosts option, when it is the list Exim uses. */
    hostsOpt?: OptionSetting;
    /** The manualroute router's route_list or route_data, when that list is the one Exim uses. */
    routeOpt?: OptionSetting;
    portOpt?: OptionSetting;
    /** Hosts Exim connects to, as written (see transportHosts); empty when expanded. */
    hosts: TcpHost[];
    /** Hosts of the router's list that Exim drops as this machine (see keptRouteHosts). */
    dropped?: TcpHost[];
    /** The port option as Exim reads it: `lmtp` when unset. */
    portName: string;
  }
  | { kind: 'unix'; transport: DriverInstance; socketOpt: OptionSetting; path: string }
  /** A pipe to Cyrus's `deliver`, or an lmtp transport running a command. */
  | { kind: 'command'; transport: DriverInstance; commandOpt: OptionSetting; command: string };

/** A Cyrus transport that connects over TCP: the one kind with hosts and a port. */
export type TcpTransport = Extract<CyrusTransport, { kind: 'tcp' }>;

/** The hosts of a host list as written; none when it is expanded (known only at delivery). */
export function tcpHosts(written: string | undefined): TcpHost[] {
  const hosts: TcpHost[] = [];
  if (!written || written.includes('$')) return hosts;
  for (const it of splitList(written).items) {
    const h = hostItem(it.text);
    if (h) hosts.push({ name: h.host, port: h.port });
  }
  return hosts;
}

/** The port option as Exim reads it, `dflt` (the protocol's service name) when unset. */
export function portName(portOpt: OptionSetting | undefined, dflt: string): string {
  return (portOpt && !portOpt.negated ? portOpt.value?.trim() : undefined) || dflt;
}

/**
 * Where an smtp transport connects: its own `hosts`, or a manualroute router's route_list or
 * route_data, which replace them (unless hosts_override), less the hosts Exim drops from the
 * router's list. `protocol` names the port when the port option does not.
 */
export function smtpHosts(ctx: LinkContext, t: DriverInstance, protocol: string): Extract<CyrusTransport, { kind: 'tcp' }> {
  const { hosts: written, from } = transportHosts(ctx.cfg.routers ?? [], t);
  const hostsOpt = from && from === option(t, 'hosts') ? from : undefined;
  const portOpt = option(t, 'port');
  const { kept, dropped } = hostsOpt ? { kept: tcpHosts(written), dropped: [] } : keptRouteHosts(tcpHosts(written), (h) => isLocalHost(ctx, h.name));
  return { kind: 'tcp', transport: t, hostsOpt, routeOpt: hostsOpt ? undefined : from, portOpt, hosts: kept, ...(dropped.length ? { dropped } : {}), portName: portName(portOpt, protocol) };
}

export function cyrusTransport(ctx: LinkContext, t: DriverInstance): CyrusTransport | undefined {
  const driver = (t.driver ?? '').trim();
  if (driver === 'smtp') {
    // Exim compares the value as it stands: a quoted " lmtp" is smtp.
    if ((value(t, 'protocol') ?? '').toLowerCase() !== 'lmtp') return undefined;
    return smtpHosts(ctx, t, 'lmtp');
  }
  if (driver === 'lmtp') {
    const socketOpt = option(t, 'socket');
    if (socketOpt && !socketOpt.negated && socketOpt.value) return { kind: 'unix', transport: t, socketOpt, path: socketOpt.value.trim() };
    const commandOpt = option(t, 'command');
    if (commandOpt?.value) return { kind: 'command', transport: t, commandOpt, command: commandOpt.value };
    return undefined;
  }
  if (driver === 'pipe') {
    const commandOpt = option(t, 'command');
    if (commandOpt?.value && runsDeliver(commandOpt.value)) return { kind: 'command', transport: t, commandOpt, command: commandOpt.value };
  }
  return undefined;
}

/** Cyrus transports that some router uses. */
/** Transports that send lmtpd an RCPT per address (a pipe to `deliver` passes $local_part instead). */
export const sendsRcpt = (via: CyrusTransport): boolean => via.kind !== 'command' || (via.transport.driver ?? '').trim() === 'lmtp';

export function cyrusTransports(ctx: LinkContext): CyrusTransport[] {
  const out: CyrusTransport[] = [];
  for (const t of ctx.cfg.transports ?? []) {
    if (!ctx.used.has(t.name)) continue;
    const c = cyrusTransport(ctx, t);
    if (c) out.push(c);
  }
  return out;
}

export interface CyrusRouter { router: DriverInstance; via: CyrusTransport }

/** Routers whose (static) transport is a Cyrus transport. */
export function cyrusRouters(ctx: LinkContext): CyrusRouter[] {
  const byName = new Map<string, CyrusTransport>();
  for (const t of ctx.cfg.transports ?? []) {
    const c = cyrusTransport(ctx, t);
    if (c) byName.set(t.name, c);
  }
  const out: CyrusRouter[] = [];
  for (const r of ctx.cfg.routers ?? []) {
    const t = value(r, 'transport')?.trim();
    const via = t ? byName.get(t) : undefined;
    if (via) out.push({ router: r, via });
  }
  return out;
}

/**
 * The TCP port Exim connects to, or why it cannot tell. Exim resolves a port name with
 * getservbyname(), so a name missing from this machine's /etc/services fails delivery. A
 * host item's port (`onHost`) is decimal; the transport's port option is read as Exim reads
 * it (`025` is 21, `0x7d3` is 2003), and one Exim cannot read is exim/invalid-value's.
 */
export function resolvePort(ctx: LinkContext, name: string, onHost = false): { port?: number; unresolvable?: string } {
  if (name.includes('$')) return {};
  if (onHost && /^\d+$/.test(name)) return { port: Number(name) };
  const read = readPortOption(name);
  if (read.kind === 'number') return { port: read.port };
  if (read.kind === 'invalid') return {};
  if (ctx.host) {
    const table = loadServiceTable(ctx.host);
    if (table.fromFile && !table.tcp.has(name)) return { unresolvable: name };
  }
  return { port: servicePort(name, ctx.host) };
}

/** Router options besides `domains` that may make a router pass an address on. */
const MAY_DECLINE = ['local_parts', 'senders', 'condition', 'require_files', 'local_part_prefix', 'local_part_suffix'];

/** The router's preconditions of MAY_DECLINE that are set and may turn an address away (an optional prefix or suffix never does). */
function* decliningPreconditions(r: DriverInstance): Generator<[name: string, value: string]> {
  for (const name of MAY_DECLINE) {
    const o = option(r, name);
    if (!o || o.negated || o.value === undefined) continue;
    if ((name === 'local_part_prefix' || name === 'local_part_suffix') && boolOption(r, `${name}_optional`, false) === true) continue;
    yield [name, o.value];
  }
}

/**
 * The setting that decides whether the router takes part in verifying recipients (or
 * senders): `verify` (which sets both verify_sender and verify_recipient) or
 * `verify_recipient` (`verify_sender`), the later one winning.
 */
export function recipientVerifySetting(r: DriverInstance, what: 'recipient' | 'sender' = 'recipient'): OptionSetting | undefined {
  const own = `verify_${what}`;
  let last: OptionSetting | undefined;
  for (const o of r.options ?? []) if (o.name === 'verify' || o.name === own) last = o;
  return last;
}

/** Whether the router takes part in verifying recipients; undefined when that is expanded. */
export function verifiesRecipients(r: DriverInstance): boolean | undefined {
  const o = recipientVerifySetting(r);
  return o ? boolOption(r, o.name, true) : true;
}

/** Whether the router takes part in verifying senders; undefined when that is expanded. */
export function verifiesSenders(r: DriverInstance): boolean | undefined {
  const o = recipientVerifySetting(r, 'sender');
  return o ? boolOption(r, o.name, true) : true;
}

/**
 * Whether router `r` certainly takes mail for `domain` ('yes'), certainly lets it pass
 * ('no'), or that depends on run-time facts ('unknown'). `verifying`: when Exim verifies a
 * recipient rather than delivers: routers with no_verify are skipped then, and verify_only
 * ones run. `original`: whether it takes the address itself, leaving aside the copy an
 * `unseen` router passes on. `nobody`: a local part no one has (no account, no alias, no
 * prefix or suffix), to ask where an unknown user's mail goes; without it, any local part.
 */
export function routerTakes(ctx: LinkContext, r: DriverInstance, domain: string, verifying = false, original = false, nobody?: string): Tri {
  if (verifying) {
    const v = verifiesRecipients(r);
    if (v === false) return 'no';
    if (v === undefined) return 'unknown';
  }
  const domains = option(r, 'domains');
  const m = domains && !domains.negated && domains.value !== undefined ? domainsPrecondition(ctx, domains.value, domain) : 'yes';
  if (m === 'no') return 'no';
  let sure = m === 'yes';
  const who = nobody === undefined ? undefined : nobodyAt(ctx, r, nobody);
  if (who?.turnedAway) return 'no';
  for (const [name] of decliningPreconditions(r)) {
    if (who?.localPartsMatch && name === 'local_parts') continue;
    sure = false;
  }
  if (boolOption(r, 'check_local_user', false) !== false) sure = false;
  if (!verifying) {
    // Delivery skips a verify_only router.
    const only = boolOption(r, 'verify_only', false);
    if (only === true) return 'no';
    if (only === undefined) sure = false;
  }
  // An `unseen` router delivers a copy and passes the address on.
  if (!original && boolOption(r, 'unseen', false) !== false) sure = false;
  if (!sure) return 'unknown';
  // With no_more, an address the router declines fails there: past its preconditions,
  // whatever it does, the address goes no further.
  if (boolOption(r, 'more', true) === false) return 'yes';
  if (value(r, 'address_data')?.includes('$')) return 'unknown';
  return driverAlwaysTakes(r) ? 'yes' : 'unknown';
}

/** Per check, per local part asked about: what each router's local-part preconditions make of it. */
const nobodyViews = new WeakMap<LinkContext, Map<string, Map<DriverInstance, NobodyView>>>();

/**
 * What router `r` makes of `nobody`, whatever the domain (asked once per router, not once per
 * domain: a Cyrus router may have thousands): turned away for certain (another prefix or
 * suffix, not in its local_parts, no account for check_local_user, not in the aliases file a
 * redirect looks it up in), or certainly in its local_parts.
 */
interface NobodyView { turnedAway: boolean; localPartsMatch: boolean }

function nobodyAt(ctx: LinkContext, r: DriverInstance, nobody: string): NobodyView {
  let byName = nobodyViews.get(ctx);
  if (!byName) nobodyViews.set(ctx, byName = new Map());
  let views = byName.get(nobody);
  if (!views) byName.set(nobody, views = new Map());
  let view = views.get(r);
  if (view) return view;
  let turnedAway = false, localPartsMatch = false;
  for (const [name, list] of decliningPreconditions(r)) {
    if (localPartFails(ctx, name, list, nobody)) turnedAway = true;
    if (name === 'local_parts' && !list.includes('$') && matchLocalPart(ctx, list, nobody) === 'yes') localPartsMatch = true;
  }
  if (boolOption(r, 'check_local_user', false) === true && !hasAccount(ctx, nobody)) turnedAway = true;
  const data = (r.driver ?? '').trim() === 'redirect' ? value(r, 'data') : undefined;
  // The aliases file has no line for it: the lookup fails, the data is empty, the router declines.
  if (data !== undefined && aliasedHere(ctx, data, nobody) === false) turnedAway = true;
  view = { turnedAway, localPartsMatch };
  views.set(r, view);
  return view;
}

/** A router's domains precondition; Debian's `${if exists{FILE}{LIST}fail}` read as this machine has FILE. */
function domainsPrecondition(ctx: LinkContext, list: string, domain: string): Tri {
  const b = list.includes('$') ? existsBranch(ctx, list) : undefined;
  // A forced failure: "assume not in this list" (Exim's debug output), and so the router is skipped.
  if (b === null || b === '') return 'no';
  return matchDomain(ctx, b ?? list, domain);
}

/**
 * Whether a local-part precondition certainly fails for `nobody`, a local part that no one
 * has and that carries no prefix or suffix.
 */
function localPartFails(ctx: LinkContext, name: string, list: string, nobody: string): boolean {
  if (list.includes('$')) return false;
  if (name === 'local_parts') return matchLocalPart(ctx, list, nobody) === 'no';
  if (name !== 'local_part_prefix' && name !== 'local_part_suffix') return false;
  const lp = nobody.toLowerCase();
  // Each item is fixed text, with `*` standing for anything at the outer end (prefix "*-", suffix "-*").
  return splitList(list).items.every((it) => {
    const x = it.text.trim().toLowerCase();
    if (!x || x.startsWith('+') || x.startsWith('!')) return false;
    const fixed = name === 'local_part_prefix' ? x.replace(/^\*/, '') : x.replace(/\*$/, '');
    if (fixed.includes('*')) return false;
    return name === 'local_part_prefix' ? (x.startsWith('*') ? !lp.includes(fixed) : !lp.startsWith(fixed)) : (x.endsWith('*') ? !lp.includes(fixed) : !lp.endsWith(fixed));
  });
}

/**
 * Whether this machine may have an account of that name. With no look at the machine, a name
 * chosen to be no one's is taken to have none; where the accounts cannot be read, it may.
 */
function hasAccount(ctx: LinkContext, user: string): boolean {
  if (!ctx.host?.stat) return false;
  const a = readAccounts(ctx.host);
  return !a || findUser(a, user) !== undefined;
}

/** Whether the router's driver settles every address that gets past its preconditions. */
export function driverAlwaysTakes(r: DriverInstance): boolean {
  switch ((r.driver ?? '').trim()) {
    // dnslookup sends a domain to its MX hosts (or freezes it when they are this host):
    // either way the mail does not reach a later router.
    case 'accept': case 'dnslookup': return true;
    case 'manualroute': {
      const data = value(r, 'route_data');
      if (data !== undefined) return !data.includes('$') && data.trim() !== '';
      const list = value(r, 'route_list') ?? '';
      return !list.includes('$') && list.split(';').some((rule) => rule.trim().split(/\s+/)[0] === '*');
    }
    case 'redirect': return redirectAlwaysTakes(value(r, 'data'));
    default: return false;
  }
}

/**
 * Whether fixed redirect data always settles the address: :fail:, :defer: and :blackhole:
 * do (fail, defer or discard it: also :fail: and :defer: without allow_fail/allow_defer,
 * which defer it as an error), and so do addresses it is redirected to. Data that is empty
 * or only comments, or only :unknown:, makes the router decline; an :include: file's
 * contents are known only when Exim reads it.
 */
function redirectAlwaysTakes(data: string | undefined): boolean {
  if (data === undefined || data.includes('$')) return false;
  const items = data.split(/\r?\n/).filter((l) => !/^\s*#/.test(l)).join('\n').split(',').map((i) => i.trim()).filter(Boolean);
  if (!items.length) return false;
  if (items.some((i) => /^:include:/i.test(i))) return false;
  if (/^:(fail|defer|blackhole):/i.test(items[0])) return true;
  return items.some((i) => !/^:unknown:$/i.test(i));
}

/**
 * The router that handles `domain`, when the earlier routers certainly let it pass.
 * `verifying` as for routerTakes: a callout goes through the router verification reaches.
 */
export function routerFor(ctx: LinkContext, domain: string, verifying = false, nobody?: string): DriverInstance | undefined {
  for (const r of ctx.cfg.routers ?? []) {
    const t = routerTakes(ctx, r, domain, verifying, false, nobody);
    if (t === 'yes') return r;
    if (t === 'unknown') return undefined;
  }
  return undefined;
}

/**
 * Whether Exim certainly gives an address in `domain` to router `r` and `r` takes it (whether
 * it also passes a copy on, as an `unseen` router does, aside): every router before it
 * certainly lets the address pass. `verifying` as for routerTakes.
 */
export function reachesAndTakes(ctx: LinkContext, r: DriverInstance, domain: string, verifying = false): boolean {
  for (const x of ctx.cfg.routers ?? []) {
    if (x === r) return routerTakes(ctx, x, domain, verifying, true) === 'yes';
    if (routerTakes(ctx, x, domain, verifying) !== 'no') return false;
  }
  return false;
}

/** Per check: the rules ask for the same routers' domains for every ACL statement they look at. */
const domainsOf = new WeakMap<LinkContext, Map<DriverInstance, readonly string[] | undefined>>();

/** Domains a Cyrus router's `domains` option names; undefined when it has none. */
export function routerDomains(ctx: LinkContext, r: DriverInstance): readonly string[] | undefined {
  let known = domainsOf.get(ctx);
  if (!known) domainsOf.set(ctx, known = new Map());
  if (known.has(r)) return known.get(r);
  const d = option(r, 'domains');
  const out = !d || d.negated || d.value === undefined ? undefined : literalDomains(ctx, d.value);
  known.set(r, out);
  return out;
}

/**
 * The domains of Cyrus routers grouped by what `keyOf` says of each (e.g. the ACL statement
 * that decides it), with the first router seen for the group; `null` leaves a domain out.
 */
export function groupDomains<K>(ctx: LinkContext, routers: readonly CyrusRouter[], keyOf: (c: CyrusRouter, domain: string) => K | null): Map<K, { router: CyrusRouter; domains: Set<string> }> {
  const out = new Map<K, { router: CyrusRouter; domains: Set<string> }>();
  for (const c of routers) {
    for (const d of routerDomains(ctx, c.router) ?? []) {
      const k = keyOf(c, d);
      if (k === null) continue;
      const e = out.get(k) ?? { router: c, domains: new Set<string>() };
      e.domains.add(d);
      out.set(k, e);
    }
  }
  return out;
}
