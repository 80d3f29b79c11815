// An smtp transport connects to the hosts its router found, or to its own `hosts` when the
// router found none. An accept router finds none: with a transport that has no `hosts` (or
// an empty one), Exim's smtp transport gives up on every address ("T transport called with
// no hosts set", a defer in the log, checked with Exim 4.96's -odf), and a recipient callout
// through that router is never made: the address counts as verified, so an unknown user is
// accepted at RCPT and the message then waits in the queue.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { given, on } from './instance-options';

export function checkTransportHosts(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (!cfg.routers.length) return out;
  const transports = new Map(cfg.transports.map((t) => [t.name, t]));
  for (const r of cfg.routers) {
    if (r.driver?.trim() !== 'accept') continue;
    // A router that only verifies never hands anything to its transport.
    if (on(r.options.find((o) => o.name === 'verify_only'))) continue;
    const use = given(r, 'transport');
    const name = use?.value?.trim();
    if (!use || !name || /[$\\]/.test(name)) continue;
    const t = transports.get(name);
    if (!t || t.driver?.trim() !== 'smtp') continue;
    const hosts = given(t, 'hosts');
    if (hosts && (hosts.value!.trim() !== '' || hosts.value!.includes('$'))) continue;
    const at = use.valueLoc ?? use.loc;
    const what = hosts ? 'an empty "hosts"' : 'no "hosts"';
    const says = hosts ? `${name} transport has empty hosts setting` : `${name} transport called with no hosts set`;
    out.push(finding('exim/transport-no-hosts', at.file, at.range,
      `Router "${r.name}" (driver accept) hands its addresses to the smtp transport "${name}", which has ${what}: an accept router finds no hosts of its own, so Exim defers every delivery through it ("${says}"), and a recipient callout through this router is never made, so unknown users are accepted. Give the transport its hosts (for Cyrus's lmtpd: hosts = localhost, with allow_localhost), or route with manualroute or dnslookup.`,
      { related: [{ file: t.nameLoc.file, range: t.nameLoc.range, message: `The transport "${name}"` }] }));
  }
  return out;
}
