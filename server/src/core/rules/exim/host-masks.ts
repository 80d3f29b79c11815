// exim/host-netmask: host list items written as networks Exim does not read as one, each
// seen with exim4 -bh (550 for a client inside what was meant):
// - `192.0.2.0/255.255.255.0`: Exim takes a mask length after the "/" (192.0.2.0/24); with a
//   dotted netmask, as hosts.allow writes it, the item is no network and matches no client;
// - `192.0.2/24`, `10/8`, `192.0.2.`, `192.0.2.*`: an address cut short (as BIND and
//   hosts.allow allow) is no IP address to Exim, which takes the item as a host name
//   pattern: it looks the client's name up in the DNS, and no name matches;
// - `192.0.2.0/33`: a mask past the address's bits is read as all of them, so the item is
//   the one address.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { forEachListItem, type ItemPlace } from './lists';
import { isStrictIPv4, isStrictIPv6 } from '../../exim/ip-address';

/** One to three octets, then a mask length, or "." or ".*" (a network written short). */
const SHORT = /^(\d{1,3}(?:\.\d{1,3}){0,2})(?:\/(\d{1,2})|\.|\.\*)$/;
const MASKED = /^([^/]+)\/(\d+)$/;

/** The four-octet network a short form stands for: its octets padded with zeros, and its length. */
function fullNetwork(octets: string[], len: number | undefined): string | undefined {
  if (octets.some((o) => Number(o) > 255)) return undefined;
  const padded = [...octets, '0', '0', '0'].slice(0, 4).join('.');
  return `${padded}/${len ?? octets.length * 8}`;
}

const DOTTED = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,3}(?:\.\d{1,3}){3})$/;

/** The prefix length a contiguous dotted netmask stands for; undefined when it is not one. */
function prefixLength(mask: string): number | undefined {
  const octets = mask.split('.').map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const bits = octets.map((o) => o.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') < 0 ? 32 : bits.indexOf('0') : undefined;
}

export function checkHostMasks(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  forEachListItem(cfg, /[/.]/, (kind, text, place) => {
    if (kind !== 'hostlist') return;
    const short = SHORT.exec(text);
    if (short) return shortNetwork(text, short, place, out);
    const masked = MASKED.exec(text);
    if (masked && !DOTTED.test(text)) return bigMask(text, masked[1], Number(masked[2]), place, out);
    const m = DOTTED.exec(text);
    if (!m) return;
    const { loc, exact } = place();
    const len = prefixLength(m[2]);
    const cidr = len === undefined ? undefined : `${m[1]}/${len}`;
    const fixes: Fix[] | undefined = cidr && exact ? [{ title: `Write ${cidr}`, preferred: true, edits: [{ file: loc.file, range: loc.range, newText: cidr }] }] : undefined;
    out.push(finding('exim/host-netmask', loc.file, loc.range,
      `Exim takes a mask length after the "/" in a host list, not a dotted netmask: "${text}" is no network to it, so it matches no client. ${cidr ? `Write ${cidr}.` : `"${m[2]}" is no contiguous netmask either; write the network as address/length (e.g. ${m[1]}/24).`}`,
      fixes ? { fixes } : {}));
  });
  return out;
}

function shortNetwork(text: string, m: RegExpExecArray, place: () => ItemPlace, out: Finding[]): void {
  const octets = m[1].split('.');
  const len = m[2] === undefined ? undefined : Number(m[2]);
  if (len !== undefined && len > 32) return;
  const net = fullNetwork(octets, len);
  if (!net) return;
  const { loc, exact } = place();
  const fixes: Fix[] | undefined = exact ? [{ title: `Write ${net}`, preferred: true, edits: [{ file: loc.file, range: loc.range, newText: net }] }] : undefined;
  out.push(finding('exim/host-netmask', loc.file, loc.range,
    `"${text}" is no network to Exim: a host list wants all four parts of an address (${net}). Shortened, it is no IP address, so Exim takes it as a host name pattern, looks the client's name up in the DNS, and matches no client. Write ${net}.`,
    fixes ? { fixes } : {}));
}

function bigMask(text: string, address: string, len: number, place: () => ItemPlace, out: Finding[]): void {
  const bits = isStrictIPv4(address) ? 32 : isStrictIPv6(address) ? 128 : undefined;
  if (bits === undefined || len <= bits) return;
  const { loc, exact } = place();
  const one = `${address}/${bits}`;
  const fixes: Fix[] | undefined = exact ? [{ title: `Write ${one}`, preferred: true, edits: [{ file: loc.file, range: loc.range, newText: one }] }] : undefined;
  out.push(finding('exim/host-netmask', loc.file, loc.range,
    `The mask of "${text}" is longer than an IPv${bits === 32 ? 4 : 6} address (${bits} bits): Exim reads it as ${bits}, so the item matches ${address} alone. Write the network's length (e.g. ${address}/${bits === 32 ? 24 : 64}), or ${one} for the one address.`,
    fixes ? { fixes } : {}));
}
