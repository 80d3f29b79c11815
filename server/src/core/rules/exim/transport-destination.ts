// A transport a router names must know where to deliver what that router gives it. Three
// ways it does not, each accepted by `exim -bV` and met only at delivery (Exim 4.96, -odf):
// - an smtp transport connects to the hosts its router found, or to its own `hosts`; an
//   accept router finds none, so without `hosts` (or with an empty one) every address
//   defers ("T transport called with no hosts set" / "T transport has empty hosts
//   setting"), and a recipient callout through that router is never made: the address
//   counts as verified, so an unknown user is accepted at RCPT;
// - a pipe transport without `command`, and an appendfile transport with neither `file`
//   nor `directory`, are for a redirect router's pipe and file deliveries, which bring the
//   command or path with them; named by a router's `transport`, every address defers ("no
//   command specified for T transport", "Mandatory file or directory option missing from
//   T transport").
import type { Finding, Fix, TextEdit } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { given, on } from './instance-options';
import { insertOptionLines, replaceAt } from '../link/edits';

/** Why `t` cannot deliver what router `r` hands it, and Exim's words at delivery; or undefined. */
function noDestination(r: DriverInstance, t: DriverInstance): { why: string; says: string } | undefined {
  const driver = t.driver?.trim();
  const name = t.name;
  if (driver === 'smtp') {
    if (r.driver?.trim() !== 'accept') return undefined;
    const hosts = given(t, 'hosts');
    if (hosts && (hosts.value!.trim() !== '' || hosts.value!.includes('$'))) return undefined;
    return hosts
      ? { why: `an accept router finds no hosts of its own, and this smtp transport's "hosts" is empty`, says: `${name} transport has empty hosts setting` }
      : { why: 'an accept router finds no hosts of its own, and this smtp transport has no "hosts"', says: `${name} transport called with no hosts set` };
  }
  if (driver === 'pipe' && !given(t, 'command')) {
    return { why: 'this pipe transport has no "command": it serves a redirect router\'s pipe deliveries, which bring their own', says: `no command specified for ${name} transport` };
  }
  if (driver === 'appendfile' && !given(t, 'file') && !given(t, 'directory')) {
    return { why: 'this appendfile transport has neither "file" nor "directory": it serves a redirect router\'s file deliveries, which bring their own path', says: `Mandatory file or directory option missing from ${name} transport` };
  }
  return undefined;
}

/**
 * For an LMTP transport with no hosts under an accept router (Cyrus on this machine, as a
 * rule): its hosts, 127.0.0.1 (no name to look up), and allow_localhost when it lacks it.
 * Manual: only the user knows Cyrus is on this machine.
 */
function localLmtpFix(cfg: EximConfig, t: DriverInstance): Fix[] | undefined {
  if (given(t, 'protocol')?.value?.trim() !== 'lmtp') return undefined;
  const empty = given(t, 'hosts');
  const add = [...(empty ? [] : ['hosts = 127.0.0.1']), ...(t.options.some((o) => o.name === 'allow_localhost') ? [] : ['allow_localhost'])];
  const edits: TextEdit[] = [];
  if (empty) edits.push(replaceAt(empty.loc, 'hosts = 127.0.0.1'));
  if (add.length) edits.push(insertOptionLines({ cfg }, t, add, t.options.find((o) => o.name === 'driver')));
  return [{ title: `Deliver to Cyrus's lmtpd on this machine: hosts = 127.0.0.1${add.includes('allow_localhost') ? ', with allow_localhost' : ''}`, edits, manual: true }];
}

const FIX: Record<string, string> = {
  smtp: 'Give the transport its hosts (for Cyrus\'s lmtpd on this machine: hosts = 127.0.0.1, with allow_localhost), or route with manualroute or dnslookup.',
  pipe: 'Name a transport with a command here (or give this one a command).',
  appendfile: 'Name a transport with a file or directory here (or give this one a file or directory).',
};

export function checkTransportDestination(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (!cfg.routers.length) return out;
  const transports = new Map(cfg.transports.map((t) => [t.name, t]));
  for (const r of cfg.routers) {
    // A redirect router's own transport options are for what it generates; a router that
    // only verifies never hands anything to its transport.
    if (!r.driver || r.driver.trim() === 'redirect') continue;
    if (on(r.options.find((o) => o.name === 'verify_only'))) continue;
    const use = given(r, 'transport');
    const name = use?.value?.trim();
    if (!use || !name || /[$\\]/.test(name)) continue;
    const t = transports.get(name);
    const no = t && noDestination(r, t);
    if (!t || !no) continue;
    const smtp = t.driver?.trim() === 'smtp';
    const fixes = smtp ? localLmtpFix(cfg, t) : undefined;
    const at = use.valueLoc ?? use.loc;
    out.push(finding('exim/transport-no-destination', at.file, at.range,
      `Router "${r.name}" hands its addresses to the transport "${name}", which has nowhere to deliver them: ${no.why}. Exim defers every delivery through it ("${no.says}").${smtp ? ' A recipient callout through this router is never made either, so unknown users are accepted.' : ''} ${FIX[t.driver!.trim()]}`,
      { related: [{ file: t.nameLoc.file, range: t.nameLoc.range, message: `The transport "${name}"` }], ...(fixes ? { fixes } : {}) }));
  }
  return out;
}
