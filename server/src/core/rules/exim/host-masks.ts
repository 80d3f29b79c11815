// exim/host-netmask: host list items written as networks Exim does not read as one, each
// seen with exim4 -bh for a client inside what was meant.
// - An item of digits and dots only, or of digits and dots before a "/", that is no IP
//   address with a mask length (verify.c, check_host): `192.0.2.0/255.255.255.0` (a dotted
//   netmask, as hosts.allow writes it), `192.0.2/24`, `10/8`, `192.0.2.` (an address cut
//   short, as BIND takes it), `010.1.2.3` (a leading zero). Exim logs "list matching forced
//   to fail: malformed IPv4 address or address mask" and the whole list fails there: this
//   item and every one after it match no client.
// - `192.0.2.*`: a host name pattern; Exim looks the client's name up in the DNS, and no
//   name has that form.
// - `192.0.2.0/33`: a mask past the address's bits is read as all of them, so the item is
//   the one address.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, ListKind } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { forEachListItem, type ItemPlace } from './lists';
import { eximIpAddress } from '../../exim/ip-address';

const DOTTED = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,3}(?:\.\d{1,3}){3})$/;
/** One to three octets, then a mask length or a final "." (a network written short). */
const SHORT = /^(\d{1,3}(?:\.\d{1,3}){0,2})(?:\/(\d{1,2})|\.)$/;
const WILDCARD = /^(\d{1,3}(?:\.\d{1,3}){0,2})\.\*$/;

/** The prefix length a contiguous dotted netmask stands for; undefined when it is not one. */
function prefixLength(mask: string): number | undefined {
  const octets = mask.split('.').map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const bits = octets.map((o) => o.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') < 0 ? 32 : bits.indexOf('0') : undefined;
}

/** The four-octet network a short form stands for: its octets padded with zeros, and its length. */
function fullNetwork(octets: string[], len: number | undefined): string | undefined {
  if (octets.some((o) => Number(o) > 255) || (len !== undefined && len > 32)) return undefined;
  return `${[...octets, '0', '0', '0'].slice(0, 4).join('.')}/${len ?? octets.length * 8}`;
}

/** What an item Exim calls malformed was meant to be, and why it is not that, when that can be told. */
function meant(text: string): { why: string; fix?: string } {
  const dotted = DOTTED.exec(text);
  if (dotted) {
    const len = prefixLength(dotted[2]);
    return len === undefined
      ? { why: `Exim takes a mask length after the "/", not a dotted netmask, and "${dotted[2]}" is no contiguous netmask either` }
      : { why: 'Exim takes a mask length after the "/", not a dotted netmask', fix: `${dotted[1]}/${len}` };
  }
  const short = SHORT.exec(text);
  const net = short ? fullNetwork(short[1].split('.'), short[2] === undefined ? undefined : Number(short[2])) : undefined;
  if (net) return { why: 'Exim wants all four parts of an IPv4 address', fix: net };
  const unpadded = text.replace(/(^|\.)0+(?=\d)/g, '$1');
  if (unpadded !== text && eximIpAddress(unpadded, true)) return { why: 'Exim takes no leading zeros in the parts of an IPv4 address', fix: unpadded };
  return { why: 'it is no IPv4 address (four numbers from 0 to 255)' };
}

/**
 * verify.c's test for a host list item it calls a malformed address (once it is no IP
 * address): digits and dots only, or digits and dots before a "/". Exim stops matching the
 * list at such an item.
 */
export function startsAsIPv4(text: string): boolean {
  const m = /^[\d.]*/.exec(text)![0];
  return m.length === text.length || (m.length > 0 && text[m.length] === '/');
}

function report(place: () => ItemPlace, message: string, fix: string | undefined, out: Finding[]): void {
  const { loc, exact } = place();
  const fixes: Fix[] | undefined = fix && exact ? [{ title: `Write ${fix}`, preferred: true, edits: [{ file: loc.file, range: loc.range, newText: fix }] }] : undefined;
  out.push(finding('exim/host-netmask', loc.file, loc.range, message, fixes ? { fixes } : {}));
}

const HOST_LISTS: ReadonlySet<ListKind> = new Set(['hostlist']);

export function checkHostMasks(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  forEachListItem(cfg, /[/.]/, (kind, text, place) => {
    // Items run together with "," or spaces are list-comma's finding; an empty item is the
    // empty host (a message from a local process).
    if (!text || /[\s,]/.test(text)) return;
    const ip = eximIpAddress(text, true);
    if (ip) {
      const bits = ip.family === 4 ? 32 : 128;
      const len = ip.maskOffset ? Number(text.slice(ip.maskOffset + 1)) : 0;
      if (!(len > bits)) return;
      const address = text.slice(0, ip.maskOffset);
      report(place, `The mask of "${text}" is longer than an IPv${ip.family} address (${bits} bits): Exim reads it as ${bits}, so the item matches ${address} alone. Write the network's length (e.g. ${address}/${ip.family === 4 ? 24 : 64}), or ${address}/${bits} for the one address.`, `${address}/${bits}`, out);
      return;
    }
    if (startsAsIPv4(text)) {
      const { why, fix } = meant(text);
      report(place, `"${text}" is no network to Exim: ${why}. It stops matching the list there ("list matching forced to fail: malformed IPv4 address or address mask"), so this item and every one after it match no client.${fix ? ` Write ${fix}.` : ''}`, fix, out);
      return;
    }
    const wild = WILDCARD.exec(text);
    const net = wild ? fullNetwork(wild[1].split('.'), undefined) : undefined;
    if (net) {
      report(place, `"${text}" is no network to Exim: with a "*" in it, it is a host name pattern, so Exim looks the client's name up in the DNS, and no name has this form: the item matches no client. Write ${net}.`, net, out);
    }
  }, HOST_LISTS);
  return out;
}
