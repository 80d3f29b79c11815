// An smtp transport's socket, as smtp_boundsock sets it up before connecting (smtp_out.c).
//
// `interface` names the local addresses it binds to: IP addresses only, as inet_pton takes
// them (no leading zeros: "127.0.0.01" deferred too). Exim reads it at delivery and defers
// every address on anything else (exim4 -odf: '"eth0" is not a valid IP address for the
// "interface" option'). An item with a ":" is left alone (IPv6 in a colon list is
// link/ipv6-colon-list's), as is an expansion.
//
// `dscp` is looked up as the ACL's control = dscp/VALUE is (ip.c's dscp_lookup): a value it
// does not know sets no traffic class, and nothing says so outside debug output (exim4
// -d+transport -odf prints 'DSCP "ef"=b8' before connecting for ef, 63, 0x2e, af41, and
// nothing for EF, cs1 or 64).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { dscpValue } from './acl';
import { describe, given } from './instance-options';
import { splitList } from './lists';
import { isInterfaceAddress } from './local-interfaces';
import { replaceWrittenFix, RUN_TIME, runTime } from './suggest';
import { isMacroName } from './undefined-macro';

export function checkSmtpInterface(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'smtp') continue;
    checkDscp(cfg, t, out);
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

function checkDscp(cfg: EximConfig, t: DriverInstance, out: Finding[]): void {
  const s = given(t, 'dscp');
  const v = s?.value?.trim();
  // Empty is "unset" to dscp_lookup; an all-capitals word is left to undefined-macro.
  if (!s || !v || v.includes('$') || v.includes('\\') || dscpValue(v) || isMacroName(v) && !DSCP_SPELT_UP.test(v)) return;
  const at = s.valueLoc ?? s.nameLoc;
  const lower = dscpValue(v.toLowerCase()) ? v.toLowerCase() : undefined;
  out.push(finding('exim/invalid-value', at.file, at.range,
    `In ${describe(t)}, "dscp" holds "${v}", which is no DSCP value Exim knows: it connects without setting a traffic class, and says so only in debug output. Give a number from 0 to 63, or one of af11 to af43, ef, lowdelay, throughput, reliability, lowcost, mincost${lower ? ` (in lower case: ${lower})` : ''}.`,
    runTime(s.valueLoc && replaceWrittenFix(cfg, s.valueLoc, s.value!, lower))));
}

/** A table name in capitals (EF, AF41), as RFCs write them: a mistake, not a macro's name. */
const DSCP_SPELT_UP = /^(?:AF[1-4][1-3]|EF|LOWCOST|LOWDELAY|MINCOST|RELIABILITY|THROUGHPUT)$/;
