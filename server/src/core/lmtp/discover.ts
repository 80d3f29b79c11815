// Where a callout should go, read from the configs: the endpoints Exim's LMTP transports
// deliver to, and the lmtpd (and smmapd) listeners of cyrus.conf. Written against the model
// contracts only and defensively: a half-filled model yields fewer candidates, never a crash.
import { readPortOption } from '../exim/port';
import type { EximConfig, DriverInstance, OptionSetting } from '../exim/model';
import type { CyrusConf, CyrusEntry } from '../cyrus/model';
import type { SourceHost } from '../host';
import type { Range } from '../text';
import { splitList } from '../exim/lists';
import { exitsAtStart } from '../cyrus/programs';
import { on } from '../rules/exim/instance-options';
// The link rules' reading of an option (they share transportHosts with the callout).
import { option as opt, primaryHostnameOf } from '../rules/link/context';
import { formatTarget, isIPv4, isIPv6, type Target } from './target';
import { wellKnownPort } from '../services';

export interface CalloutCandidate {
  target: Target;
  /** formatTarget(target). */
  label: string;
  protocol: 'lmtp' | 'socketmap';
  origin: 'exim-transport' | 'cyrus-service';
  /** The transport or service name. */
  name: string;
  /** Where the endpoint is written. */
  file?: string;
  range?: Range;
  /** Cyrus lmtpd on TCP without -a: it will answer MAIL with 430 unless we authenticate. */
  authRequired?: boolean;
}

export interface DiscoveryResult {
  candidates: CalloutCandidate[];
  /** Endpoints that could not be worked out statically (expansions, unknown port names …). */
  skipped: string[];
}

/** Reads /etc/services (through the host) for a TCP port name. */
export function servicePort(name: string, host?: SourceHost): number | undefined {
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    return n >= 1 && n <= 65535 ? n : undefined;
  }
  const text = host?.readFile('/etc/services');
  if (text) {
    for (const line of text.split('\n')) {
      const words = line.replace(/#.*/, '').trim().split(/\s+/);
      if (words.length < 2) continue;
      const m = /^(\d+)\/tcp$/i.exec(words[1]);
      if (m && (words[0] === name || words.slice(2).includes(name))) return Number(m[1]);
    }
  }
  return wellKnownPort(name.toLowerCase());
}

/** `localhost` and the wildcard addresses stand for loopback when we connect. */
export function connectHost(h: string | undefined): string {
  if (h === undefined || h === '' || h === '*' || h === '0.0.0.0' || h.toLowerCase() === 'localhost') return '127.0.0.1';
  if (h === '::' || h === '[::]') return '::1';
  return h.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Whether Exim takes a host name for this machine: its loopback addresses, 0.0.0.0, and the
 * primary_hostname when the config sets it. Exim compares the address with the machine's
 * interfaces; the loopback interface holds 127.0.0.1 and ::1, not the rest of 127/8.
 */
export function isThisMachine(hostName: string, primaryHostname: string | undefined): boolean {
  const h = hostName.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h === '127.0.0.1' || h === '::1' || h === '0.0.0.0' || (primaryHostname !== undefined && h === primaryHostname);
}

/**
 * The hosts of a manualroute router's list that Exim keeps. When the first host is not this
 * machine, the router drops the first one that is and every host after it, as it does below
 * itself in an MX list (Exim 4.96: route_list = * "127.0.0.2 : 127.0.0.1" leaves 127.0.0.2
 * alone, "Removed from host list: 127.0.0.1"); a first host that is this machine is what
 * `self` is about, and stays.
 */
export function keptRouteHosts<T>(hosts: T[], local: (h: T) => boolean): { kept: T[]; dropped: T[] } {
  const cut = hosts.findIndex((h, i) => i > 0 && local(h));
  if (cut < 0 || local(hosts[0])) return { kept: hosts, dropped: [] };
  return { kept: hosts.slice(0, cut), dropped: hosts.slice(cut) };
}

function val(o: OptionSetting | undefined): string | undefined {
  return o && !o.negated ? (o.value ?? o.rawValue) : undefined;
}

/** A host item of an Exim host list: `name`, `name:port` (written `name::port`), `[v6]:port`, bare v6. */
export function hostItem(item: string): { host: string; port?: string } | undefined {
  const t = item.trim().replace(/\/mx$/i, '');
  if (!t || t.includes('$')) return undefined;
  const br = /^\[([^\]]+)\](?::(\w+))?$/.exec(t);
  if (br) return { host: br[1], port: br[2] };
  if (isIPv6(t)) return { host: t };
  const m = /^([^:]+)(?::(\w+))?$/.exec(t);
  return m ? { host: m[1], port: m[2] } : undefined;
}

/** Exim's smtp transports with `protocol = lmtp` (hosts × port), and lmtp transports with `socket`. */
export function eximCalloutTargets(cfg: Partial<EximConfig> | undefined, host?: SourceHost): DiscoveryResult {
  const candidates: CalloutCandidate[] = [];
  const skipped: string[] = [];
  for (const t of cfg?.transports ?? []) {
    if (!t || typeof t.name !== 'string') continue;
    const driver = (t.driver ?? '').trim();
    if (driver === 'lmtp') {
      const sock = opt(t, 'socket');
      const p = val(sock);
      if (!p) {
        if (val(opt(t, 'command'))) skipped.push(`transport ${t.name}: runs a command, not a socket`);
        continue;
      }
      if (p.includes('$') || !p.startsWith('/')) { skipped.push(`transport ${t.name}: socket "${p}" is expanded at delivery time`); continue; }
      const target: Target = { kind: 'unix', path: p };
      candidates.push({ target, label: formatTarget(target), protocol: 'lmtp', origin: 'exim-transport', name: t.name,
        file: (sock!.valueLoc ?? sock!.loc)?.file, range: (sock!.valueLoc ?? sock!.loc)?.range });
      continue;
    }
    if (driver !== 'smtp' || (val(opt(t, 'protocol')) ?? '').trim().toLowerCase() !== 'lmtp') continue;
    const portOpt = val(opt(t, 'port'))?.trim();
    const { hosts, from: hostsOpt } = transportHosts(cfg?.routers ?? [], t);
    if (!hosts) { skipped.push(`transport ${t.name}: no static host list (neither its hosts option nor a manualroute router's)`); continue; }
    const written: { text: string; h?: { host: string; port?: string } }[] = splitList(hosts).items.map((item) => ({ text: item.text, h: hostItem(item.text) }));
    // The router's list loses what Exim drops from it; the transport's own hosts lose nothing.
    const routed = hostsOpt !== undefined && hostsOpt !== opt(t, 'hosts');
    const primary = primaryHostnameOf(cfg);
    const { kept, dropped } = routed ? keptRouteHosts(written, (w) => !!w.h && isThisMachine(w.h.host, primary)) : { kept: written, dropped: [] };
    for (const d of dropped) skipped.push(`transport ${t.name}: host "${d.text}" comes after a host that is not this machine in the router's list, and Exim drops it`);
    for (const { text, h } of kept) {
      if (!h) { skipped.push(`transport ${t.name}: host "${text}" is expanded at delivery time`); continue; }
      const portName = h.port ?? portOpt ?? 'lmtp';
      if (portName.includes('$')) { skipped.push(`transport ${t.name}: port "${portName}" is expanded at delivery time`); continue; }
      // The port option is read as Exim reads it (025 is 21); a host's own port is decimal.
      const read = h.port === undefined ? readPortOption(portName) : undefined;
      if (read?.kind === 'invalid') { skipped.push(`transport ${t.name}: port "${portName}" is no port number as Exim reads it`); continue; }
      const port = read?.kind === 'number' ? (read.port || undefined) : servicePort(portName, host);
      if (port === undefined) { skipped.push(`transport ${t.name}: unknown port "${portName}"`); continue; }
      const hostName = connectHost(h.host);
      if (!isIPv4(hostName) && !isIPv6(hostName) && !/^[A-Za-z0-9.-]+$/.test(hostName)) { skipped.push(`transport ${t.name}: "${h.host}" is not a host`); continue; }
      const target: Target = { kind: 'tcp', host: hostName, port };
      const loc = hostsOpt?.valueLoc ?? hostsOpt?.loc ?? t.nameLoc;
      candidates.push({ target, label: formatTarget(target), protocol: 'lmtp', origin: 'exim-transport', name: t.name, file: loc?.file, range: loc?.range });
    }
  }
  return { candidates: dedupe(candidates), skipped };
}

/**
 * The host list an smtp transport connects to, and the option that writes it. A manualroute
 * router that routes to the transport hands it hosts of its own, and Exim then ignores the
 * transport's `hosts` (used only for addresses that come without hosts) unless the
 * transport sets hosts_override. `hosts` is undefined when the list is expanded.
 */
export function transportHosts(routers: DriverInstance[], t: DriverInstance): { hosts?: string; from?: OptionSetting } {
  const own = opt(t, 'hosts');
  const router = on(opt(t, 'hosts_override')) === true ? undefined : routers.find((r) => r && (r.driver ?? '').trim() === 'manualroute'
    && (val(opt(r, 'transport')) ?? '').trim() === t.name && (val(opt(r, 'route_data')) ?? val(opt(r, 'route_list'))) !== undefined);
  if (!router) return { hosts: val(own), from: own && !own.negated ? own : undefined };
  return { hosts: routedHosts([router], t.name), from: opt(router, 'route_data') ?? opt(router, 'route_list') };
}

/** The static host list a manualroute router hands to `transport` (route_data, or route_list's first rule). */
export function routedHosts(routers: DriverInstance[], transport: string): string | undefined {
  for (const r of routers) {
    if (!r || (r.driver ?? '').trim() !== 'manualroute' || (val(opt(r, 'transport')) ?? '').trim() !== transport) continue;
    const data = val(opt(r, 'route_data'));
    if (data && !data.includes('$')) return firstWordList(data);
    const list = val(opt(r, 'route_list'));
    if (list && !list.includes('$')) {
      const rule = list.split(';').map((s) => s.trim()).find(Boolean);
      const words = rule ? splitWords(rule) : [];
      if (words.length >= 2) return words[1];
    }
  }
  return undefined;
}

function firstWordList(s: string): string | undefined {
  return splitWords(s)[0];
}

/** Splits on white space, keeping a double-quoted word (quotes removed) whole. */
function splitWords(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m;
  while ((m = re.exec(s))) out.push(m[1] ?? m[2]);
  return out;
}

/**
 * cyrus.conf SERVICES entries running lmtpd (or smmapd) that master really runs: the
 * others are listed in `skipped` with the reason, never offered: a listen= master cannot
 * use (it disables the service), a cmd that makes the program exit at every connection,
 * or a section master does not read.
 */
export function cyrusCalloutTargets(conf: Partial<CyrusConf> | undefined, program: 'lmtpd' | 'smmapd' = 'lmtpd'): DiscoveryResult {
  const candidates: CalloutCandidate[] = [];
  const skipped: string[] = [];
  const entries = ((conf?.entries ?? []) as (CyrusEntry | null | undefined)[]).filter((e): e is CyrusEntry => !!e);
  for (const e of entries) {
    if (String(e.section).toUpperCase() !== 'SERVICES' || e.cmd?.tool !== program) continue;
    if (e.proto && !/^tcp[46]?$/i.test(e.proto)) { skipped.push(`service ${e.name}: proto ${e.proto} is not TCP`); continue; }
    if (e.listenProblem) { skipped.push(`service ${e.name}: master does not run it: ${e.listenProblem.message}`); continue; }
    const l = e.listen;
    if (!l) { skipped.push(`service ${e.name}: its listen address cannot be understood`); continue; }
    const dead = exitsAtStart(e);
    if (dead) { skipped.push(`service ${e.name}: ${dead}`); continue; }
    const target: Target = l.kind === 'unix' ? { kind: 'unix', path: l.path } : { kind: 'tcp', host: connectHost(l.host), port: l.port };
    candidates.push({
      target, label: formatTarget(target), protocol: program === 'lmtpd' ? 'lmtp' : 'socketmap', origin: 'cyrus-service', name: e.name,
      file: l.loc?.file, range: l.loc?.range,
      ...(program === 'lmtpd' ? { authRequired: l.kind === 'tcp' && !e.cmd.preauth } : {}),
    });
  }
  // Entries of a section master skips (a name it does not know, such as lower-case
  // `services`, or a second SERVICES) are in the section but not among the entries read.
  const read = new Set(entries);
  for (const sec of conf?.sections ?? []) {
    for (const e of sec?.entries ?? []) {
      if (!e || read.has(e) || e.cmd?.tool !== program) continue;
      skipped.push(`service ${e.name}: ${sec.kind ? `in a second ${sec.kind} section` : `in section "${sec.name}"`}, which master ignores`);
    }
  }
  return { candidates: dedupe(candidates), skipped };
}

function dedupe(list: CalloutCandidate[]): CalloutCandidate[] {
  const seen = new Set<string>();
  return list.filter((c) => !seen.has(c.label) && (seen.add(c.label), true));
}
