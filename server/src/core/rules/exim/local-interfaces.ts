// exim/invalid-value (warning): a local_interfaces or extra_local_interfaces item that is no
// IP address. The daemon reads local_interfaces when it starts and refuses to run on such an
// item ("Malformed IP address "localhost" in local_interfaces", exim4 -bdf); Exim reads
// both when it first needs this machine's addresses, routing to a host, and dies there
// (exim4 -bt: "PANIC DIE Malformed IP address ... in extra_local_interfaces"). exim -bV does
// not look. A port goes after a dot (127.0.0.1.2525) or a bracketed address ([::1]:2525):
// after a colon it is an item of its own. IPv6 addresses cut apart by the colon separator
// are link/ipv6-colon-list's.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import { splitList } from '../../exim/lists';
import type { CheckOptions } from '../../options';
import { eximIpAddress } from '../../exim/ip-address';
import { mainSetting, writtenValue } from './instance-options';
import { locOfText } from './lists';

/**
 * An interface item split as Exim reads it (host_address_extract_port): `[addr]:port`, or a
 * port after the fourth dot of an IPv4 address or the first dot after a colon of an IPv6
 * one (`::ffff:192.0.2.1` has no port: "0.2.1" is no number); else the address alone.
 */
export function interfaceParts(text: string): { address: string; port?: number; bracketed?: true } {
  if (text.startsWith('[')) {
    const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(text);
    return bracketed ? { address: bracketed[1], ...bracketed[2] ? { port: Number(bracketed[2]) } : {}, bracketed: true } : { address: text };
  }
  let skip = -3, i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) skip = 0;
    else if (c === 46 /* . */ && skip++ >= 0) break;
  }
  const port = text.slice(i + 1);
  return i < text.length && /^\d+$/.test(port) ? { address: text.slice(0, i), port: Number(port) } : { address: text };
}

/** An address as the daemon takes it: inet_pton's, so no leading zeros ("127.0.0.01" is refused, exim4 -bdf). */
export const isInterfaceAddress = (address: string): boolean => eximIpAddress(address, false) !== undefined;

const WHAT_FAILS: Record<string, string> = {
  local_interfaces: 'the daemon refuses to start',
  extra_local_interfaces: 'Exim dies the first time it routes to a host',
};

export function checkLocalInterfaces(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const name of ['local_interfaces', 'extra_local_interfaces']) interfaces(cfg, name, out);
  return out;
}

function interfaces(cfg: EximConfig, name: string, out: Finding[]): void {
  const s = mainSetting(cfg, name);
  const v = writtenValue(s);
  if (!s?.valueLoc || !v) return;
  const { separator, items } = splitList(v);
  // A colon list with an IPv6 address in it: the pieces are another rule's finding.
  if (separator === ':' && v.includes('::')) return;
  for (let k = 0; k < items.length; k++) {
    const text = items[k].text;
    const address = text ? interfaceParts(text).address : '';
    if (!text || isInterfaceAddress(address)) continue;
    const prev = k > 0 ? items[k - 1].text : undefined;
    const bracketed = prev !== undefined && /^\[.*\]$/.test(prev);
    const port = separator === ':' && /^\d+$/.test(text) && prev !== undefined && (isInterfaceAddress(prev) || bracketed);
    if (separator === ':' && !port && /^[0-9a-fA-F]{1,4}$/.test(text)) continue;
    const why = port && bracketed ? `"${text}" is a port after ":", which separates the items: a bracketed address with its port needs another separator (${name} = <; ${prev}:${text})`
      : port ? `"${text}" is a port after ":", which separates the items: write ${prev}.${text}`
      : /^\d+(\.\d+){3}$/.test(address) && /(^|\.)0\d/.test(address) && address.split('.').every((p) => Number(p) <= 255) ? `a part with a leading zero makes no address here: write ${address.split('.').map((p) => String(Number(p))).join('.')}`
      : /^[A-Za-z][A-Za-z0-9.-]*$/.test(text) && !/^\d/.test(text) ? `a host name is not read here: give its address (127.0.0.1 for localhost)`
      : 'give an IP address, with a port after a dot (127.0.0.1.2525) or after a bracketed address ([::1]:2525)';
    const at = locOfText(cfg, s.valueLoc, text);
    out.push(finding('exim/invalid-value', at.file, at.range,
      `${name} item "${text}" is no IP address, and ${WHAT_FAILS[name]} ("Malformed IP address "${address}" in ${name}"); exim -bV does not see it. ${why[0].toUpperCase()}${why.slice(1)}.`,
      { severity: 'warning' }));
  }
}
