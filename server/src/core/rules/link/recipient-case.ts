// link/lmtp-recipient-case: lmtpd keeps the case of RCPT addresses (lmtp_downcase_rcpt: no),
// and Exim sends them in the case the sender wrote. Exim matches local parts caselessly, but
// its smtp and lmtp transports send the address as it came (transport_rcpt_address() in
// transport.c), so mail for Alice@example.com reaches lmtpd as "Alice", and a Cyrus
// mailbox is "alice": lmtpd answers 550 (seen live with Cyrus 3.6: alice@ 250, Alice@ 550
// with the option off, both 250 with it on, its default), and a callout refuses the sender
// at RCPT time. A rewrite rule that lower-cases (`${lc:`) envelope recipients is taken to
// deal with it (flags E, T or S, or none of the field flags, which means every field); one
// without S rewrites after the RCPT, so a callout still sends the case written.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { ImapdSetting } from '../../cyrus/model';
import type { RewriteRule } from '../../exim/model';
import { imapdSetting } from '../../cyrus/facts';
import { parseSwitch } from '../../cyrus/values';
import type { LinkContext } from './context';
import { reachedListeners } from './listeners';
import { listenerConfig } from './program-config';
import { deadReason } from './reach';
import { cyrusTransports, sendsRcpt } from './routing';

/** A rewrite rule that lower-cases envelope recipients. */
const lowerCasesRecipients = (r: RewriteRule) => /\$\{lc[:\s]/.test(r.replacement) && (/[ETS]/.test(r.flags) || !/[EFTbcfhrst]/.test(r.flags));

export function checkRecipientCase(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  if (!ctx.cyrus || ctx.cfg.rewrite?.some(lowerCasesRecipients)) return out;
  const seen = new Set<ImapdSetting>();
  for (const t of cyrusTransports(ctx)) {
    // A pipe to deliver passes $local_part, which Exim has lower-cased.
    if (!sendsRcpt(t)) continue;
    for (const l of reachedListeners(ctx, t)) {
      if (deadReason(l)) continue;
      const conf = listenerConfig(ctx, l).imapd;
      const s = conf && imapdSetting(conf, 'lmtp_downcase_rcpt', l.entry.name);
      if (!s || parseSwitch(s.value) !== false || seen.has(s)) continue;
      seen.add(s);
      out.push(finding('link/lmtp-recipient-case', s.file, s.valueLoc.range,
        `lmtpd (service ${l.entry.name}) looks recipients up in the case they come in (${s.rawName}: ${s.value}), and Exim's transport ${t.transport.name} sends them as the sender wrote them: mail for Alice@ is refused ("550 Mailbox unknown") where the mailbox is alice, and a recipient callout refuses it at RCPT time. Let lmtpd lower-case them (remove this line; yes is the default).`,
        {
          related: [{ file: t.transport.nameLoc.file, range: t.transport.nameLoc.range, message: `transport ${t.transport.name} delivers to lmtpd with the recipient's case kept` }],
          fixes: [{ title: `Set ${s.rawName}: yes`, preferred: true, edits: [{ file: s.file, range: s.valueLoc.range, newText: 'yes' }] }],
        }));
    }
  }
  return out;
}
