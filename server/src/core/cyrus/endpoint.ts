// How master understands `listen=`: a path starting with `/` is a UNIX socket; anything
// else is `[host]:port`, `host:port` (split at the LAST colon) or a bare port, where the
// port may be a service name that getaddrinfo resolves through /etc/services.
import * as path from 'node:path';
import type { SourceHost } from '../host';
import type { Endpoint, Loc } from './model';
import { wellKnownPort } from '../services';

/** Socket paths longer than this do not fit a sockaddr_un; master disables the service. */
export const MAX_UNIX_PATH = 107;

export interface ServiceTable {
  /** name → port, per transport (shared between loads of one services file: read only). */
  tcp: ReadonlyMap<string, number>;
  udp: ReadonlyMap<string, number>;
  /** Whether a real services file was read (otherwise only the built-in table is known). */
  fromFile: boolean;
}

/**
 * The last services file read and its table: every load of a cyrus.conf reads the file, which
 * rarely changes, and reading its few hundred lines took longer than a whole small cyrus.conf.
 */
let lastServices: { file: string; text: string; table: ServiceTable } | undefined;

/** Reads /etc/services (names and aliases) through the host; the built-in table when absent. */
export function loadServiceTable(host: SourceHost, file = '/etc/services'): ServiceTable {
  const text = host.readFile(file);
  if (text === undefined) return { tcp: new Map(), udp: new Map(), fromFile: false };
  if (lastServices && lastServices.file === file && lastServices.text === text) return lastServices.table;
  const tcp = new Map<string, number>(), udp = new Map<string, number>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^(\S+)\s+(\d+)\/(tcp|udp)\b\s*(.*)$/.exec(line);
    if (!m) continue;
    const map = m[3] === 'tcp' ? tcp : udp;
    for (const n of [m[1], ...m[4].split(/\s+/).filter(Boolean)]) if (!map.has(n)) map.set(n, Number(m[2]));
  }
  const table = { tcp, udp, fromFile: true };
  lastServices = { file, text, table };
  return table;
}

export interface ListenResult {
  endpoint?: Endpoint;
  /** What is wrong; `warning` when master may still work (e.g. depends on this machine). */
  problem?: { message: string; warning: boolean };
}

/** What knows where a listen value is written: the reader's argument places it when read. */
export interface ValuePlace { readonly valueLoc: Loc }

// Endpoints the reader makes keep their argument and place their Loc when read (entry.ts).
// The argument is held in a #private field: spread and compared, an endpoint is its address.
class TcpEndpoint {
  declare kind: 'tcp';
  declare host: string | undefined;
  declare port: number;
  declare portName?: string;
  readonly #at: ValuePlace;
  constructor(host: string | undefined, port: number, portName: string | undefined, at: ValuePlace) {
    this.kind = 'tcp'; this.host = host; this.port = port;
    if (portName !== undefined) this.portName = portName;
    this.#at = at;
  }
  get loc(): Loc { return this.#at.valueLoc; }
}

class UnixEndpoint {
  declare kind: 'unix';
  declare path: string;
  readonly #at: ValuePlace;
  constructor(path: string, at: ValuePlace) { this.kind = 'unix'; this.path = path; this.#at = at; }
  get loc(): Loc { return this.#at.valueLoc; }
}

/**
 * Parses a listen value. `valueLoc` is where the value is (the endpoint's loc).
 * `proto` decides which /etc/services column a name is looked up in.
 */
export function parseListen(value: string, proto: string, table: ServiceTable, valueLoc: Loc): ListenResult {
  return listenAt(value, proto, table, { valueLoc });
}

/** parseListen for the reader: `at` places the value when the endpoint's loc is read. */
export function listenAt(value: string, proto: string, table: ServiceTable, at: ValuePlace): ListenResult {
  if (value === '') return { problem: { message: 'listen is empty: give a port, host:port or an absolute socket path.', warning: false } };
  if (value[0] === '/') {
    const endpoint: Endpoint = new UnixEndpoint(value, at);
    if (Buffer.byteLength(value) > MAX_UNIX_PATH) {
      return { endpoint, problem: { message: `The socket path is ${Buffer.byteLength(value)} bytes; a UNIX socket path can have at most ${MAX_UNIX_PATH}, so master disables this service. Use a shorter path.`, warning: false } };
    }
    return { endpoint };
  }
  let host: string | undefined, port: string | undefined;
  if (value[0] === '[') {
    const close = value.lastIndexOf(']');
    if (close < 0) return { problem: { message: `'${value}' has '[' without ']': write an IPv6 address as [address]:port.`, warning: false } };
    host = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest === '') return { problem: { message: `'${value}' has no port: write [${host}]:port.`, warning: false } };
    if (rest[0] !== ':' || rest.length === 1) return { problem: { message: `'${value}': after ']' master expects ':port'.`, warning: false } };
    port = rest.slice(1);
  } else {
    let colon = value.length - 1;
    while (colon >= 0 && value.charCodeAt(colon) !== 58 /* : */) colon--;
    if (colon >= 0) {
      host = value.slice(0, colon);
      port = value.slice(colon + 1);
      if (port === '') return { problem: { message: `'${value}' ends with ':': give a port after it.`, warning: false } };
      if (host === '') return { problem: { message: `'${value}' has an empty host, which does not resolve: write just '${port}' to listen on all addresses.`, warning: false } };
    } else port = value;
  }
  // getaddrinfo (glibc) reads the host "*" as no host at all, so with AI_PASSIVE master
  // binds every address: 0.0.0.0 and [::].
  if (host === '*') host = undefined;
  if (host !== undefined && hasSpace(host)) return { problem: { message: `The host '${host}' contains white space.`, warning: false } };
  const dgram = proto.startsWith('udp');
  const n = portNumber(port);
  if (n >= 0) {
    if (n === 0 || n > 65535) return { problem: { message: `Port ${port} is out of range (1–65535).`, warning: false } };
    return { endpoint: new TcpEndpoint(host, n, undefined, at) };
  }
  const map = dgram ? table.udp : table.tcp;
  const fromFile = map.get(port) ?? (table.fromFile ? (dgram ? table.tcp : table.udp).get(port) : undefined);
  if (fromFile !== undefined) return { endpoint: new TcpEndpoint(host, fromFile, port, at) };
  const known = wellKnownPort(port);
  const endpoint: Endpoint | undefined = known === undefined ? undefined : new TcpEndpoint(host, known, port, at);
  if (endpoint && !table.fromFile) return { endpoint };
  // Master logs getaddrinfo's error, disables this one service and serves the others
  // (master.c, service_create), and the name may well be in the mail host's /etc/services:
  // a warning, as for any other fact of the machine.
  const why = table.fromFile ? 'is not in /etc/services here, so master cannot resolve it and' : 'is not one we know, and no /etc/services could be read: unless the mail server\'s has it, master cannot resolve it and';
  const add = known === undefined
    ? `Add '${port} PORT/${dgram ? 'udp' : 'tcp'}' to /etc/services (PORT: the port it should listen on) or write that port number.`
    : `Add '${port} ${known}/${dgram ? 'udp' : 'tcp'}' to /etc/services or write the port number ${known}.`;
  const problem = { message: `The service name '${port}' ${why} disables this service (the others still run). ${add}`, warning: true };
  return endpoint ? { endpoint, problem } : { problem };
}

/** /\s/ (JavaScript's white space, as the check always used) without a regex per value. */
function hasSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 ? c === 32 || (c >= 9 && c <= 13) : c >= 128 && /\s/.test(s[i])) return true;
  }
  return false;
}

/** A port of digits only as a number (past 65535 just "too large"), or -1. */
function portNumber(s: string): number {
  if (s === '') return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    if (n <= 65535) n = n * 10 + (c - 48);
  }
  return n;
}

/**
 * A UNIX socket path as a comparable key: normalised, and /var/run read as /run, which it
 * is a symbolic link to on current systems (Debian, and every systemd distribution). The
 * local file system is not consulted: configs are often checked on another machine.
 */
export function socketPathKey(p: string): string {
  return path.posix.normalize(p).replace(/^\/var\/run(?=\/|$)/, '/run');
}

export function sameSocketPath(a: string, b: string): boolean {
  return socketPathKey(a) === socketPathKey(b);
}

/** Addresses an endpoint binds, as comparable tokens: '*4'/'*6' for wildcards. */
export function boundAddresses(e: Endpoint & { kind: 'tcp' }, proto: string): string[] {
  const v4only = proto.endsWith('4'), v6only = proto.endsWith('6');
  let out: string[];
  const h = e.host?.toLowerCase();
  if (h === undefined) out = ['*4', '*6'];
  else if (h === '0.0.0.0') out = ['*4'];
  else if (h === '::' || h === '::0') out = ['*6'];
  else if (h === 'localhost') out = ['127.0.0.1', '::1'];
  else out = [h];
  return out.filter((a) => !(v4only && isV6(a)) && !(v6only && isV4(a)));
}

function isV4(a: string): boolean { return a === '*4' || /^\d+\.\d+\.\d+\.\d+$/.test(a); }
function isV6(a: string): boolean { return a === '*6' || a.includes(':'); }

/** Whether two bound addresses overlap (one wildcard covers every address of its family). */
export function addressesOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const cover = (w: string, x: string) => (w === '*4' && !isV6(x)) || (w === '*6' && !isV4(x));
  return cover(a, b) || cover(b, a);
}
