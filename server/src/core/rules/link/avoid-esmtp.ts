// link/lmtp-avoid-esmtp: hosts_avoid_esmtp on an LMTP transport makes Exim greet with HELO
// instead of LHLO (seen with Exim 4.96: "SMTP error ... after HELO"), and Cyrus's lmtpd,
// which knows only LHLO, answers "500 5.5.2 Syntax error": the delivery fails for good and
// a recipient callout through the transport rejects every recipient.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { LinkContext } from './context';
import { option } from './context';
import { hostsMatchedBy } from './match';
import { cyrusTransports } from './routing';

export function checkAvoidEsmtp(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  for (const t of cyrusTransports(ctx)) {
    if (t.kind !== 'tcp' || !t.hosts.length) continue;
    const o = option(t.transport, 'hosts_avoid_esmtp');
    if (!o || o.negated || !o.value?.trim() || o.value.includes('$')) continue;
    const matched = hostsMatchedBy(ctx, o.value, t.hosts);
    if (!matched.length) continue;
    const every = matched.length === t.hosts.length;
    const at = o.valueLoc ?? o.loc;
    out.push(finding('link/lmtp-avoid-esmtp', at.file, at.range,
      `Transport ${t.transport.name} avoids ESMTP with ${matched.map((h) => h.name).join(', ')} (hosts_avoid_esmtp), so with protocol = lmtp it greets with HELO instead of LHLO, and lmtpd answers "500 5.5.2 Syntax error": ${every ? 'every delivery to Cyrus fails and every recipient callout through it is rejected' : 'deliveries through those hosts fail'}. Remove hosts_avoid_esmtp from the LMTP transport.`,
      every ? {} : { severity: 'warning' }));
  }
  return out;
}
