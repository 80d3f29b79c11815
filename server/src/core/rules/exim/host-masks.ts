// exim/host-netmask: `hosts = 192.0.2.0/255.255.255.0`. Exim's host lists take a mask
// length after the "/" (192.0.2.0/24); with a dotted netmask, as hosts.allow writes it, the
// item is no network to Exim and silently matches no client (seen with exim4 -bh: 550 for a
// client inside it).
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { forEachListItem } from './lists';

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
  forEachListItem(cfg, '/', (kind, text, place) => {
    const m = kind === 'hostlist' ? DOTTED.exec(text) : null;
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
