// An smtp transport's `interface` names the local addresses it binds to before connecting:
// IP addresses only, as inet_pton takes them (no leading zeros: "127.0.0.01" deferred too).
// Exim reads it at delivery and defers every address on anything else
// (exim4 -odf: '"eth0" is not a valid IP address for the "interface" option'). An item with
// a ":" is left alone (IPv6 in a colon list is link/ipv6-colon-list's), as is an expansion.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given } from './instance-options';
import { splitList } from './lists';
import { isInterfaceAddress } from './local-interfaces';
import { RUN_TIME } from './suggest';
import { isMacroName } from './undefined-macro';

export function checkSmtpInterface(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'smtp') continue;
    const s = given(t, 'interface');
    const v = s?.value;
    if (!s || !v || v.includes('$') || v.includes('\\')) continue;
    // An all-capitals word is a macro's name left as it stands: undefined-macro's finding.
    const bad = splitList(v).find((it) => !it.text.includes(':') && !isInterfaceAddress(it.text) && !isMacroName(it.text));
    const at = bad ? s.valueLoc ?? s.nameLoc : undefined;
    if (!bad || !at) continue;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(t)}, "interface" holds "${bad.text}", which is not an IP address: Exim defers every address delivered through it ("... is not a valid IP address for the "interface" option"). Give the local address to send from (an interface's name does not do).`, RUN_TIME));
  }
  return out;
}
