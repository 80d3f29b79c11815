// link/cutthrough-lmtp: `control = cutthrough_delivery` in the RCPT ACL does nothing for mail
// to Cyrus. Exim cuts a message through only over an smtp transport speaking SMTP: Exim
// 4.96's verify.c holds the connection for it only when the transport is not LMTP (`!sx->lmtp`),
// and an lmtp or pipe transport never makes one. It says nothing of it: the message is
// accepted, queued and delivered as any other, so what the control is for (lmtpd's refusal
// at DATA, a mailbox over quota, reaching the sender as an SMTP answer instead of a bounce)
// does not happen. Found live: with the control, a message for Cyrus over the reference's
// LMTP transport is logged "=>" after "<=" (a plain delivery); the same transport without
// `protocol = lmtp`, to an SMTP server, logs ">>" before "<=" (cut through).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, AclStatement } from '../../exim/model';
import { decodeControl } from '../exim/acl';
import type { LinkContext } from './context';
import { mainValue } from './context';
import { applies, isCondition, rcptAcl, type RcptStatement } from './acl-domains';
import { cyrusRouters, routerDomains, type CyrusRouter } from './routing';

const isCutthrough = (it: AclItem): boolean =>
  it.name === 'control' && decodeControl((it.value ?? '').trim())?.info.name === 'cutthrough_delivery';

/** Verbs that end the ACL when their conditions hold. */
const ENDS = new Set(['accept', 'deny', 'drop', 'discard', 'defer']);

/**
 * Whether mail for `domain` is certainly done with before the statement at `at`: an earlier
 * statement of the RCPT ACL itself that tests nothing but domains, all of which hold, ends the
 * ACL for it (the reference's `accept domains = +cyrus_domains` before the statements for
 * relayed mail).
 */
function settledBefore(ctx: LinkContext, all: RcptStatement[], at: number, top: ReadonlySet<AclStatement>, domain: string): boolean {
  for (let i = 0; i < at; i++) {
    const e = all[i];
    if (!top.has(e.stmt) || !ENDS.has(e.stmt.verb) || e.stmt.items.some((it) => isCondition(it) && it.name !== 'domains')) continue;
    if (applies(ctx, e, domain) === 'yes') return true;
  }
  return false;
}

/** The first Cyrus router some of whose domains may reach the statement at `at` and pass its domain conditions. */
function cyrusRouterReaching(ctx: LinkContext, all: RcptStatement[], at: number, top: ReadonlySet<AclStatement>, cyrus: CyrusRouter[]): CyrusRouter | undefined {
  const s = all[at];
  for (const c of cyrus) {
    const domains = routerDomains(ctx, c.router);
    if (!domains || domains.some((d) => applies(ctx, s, d) !== 'no' && !settledBefore(ctx, all, at, top, d))) return c;
  }
  return undefined;
}

function how(c: CyrusRouter): string {
  const t = c.via.transport;
  const driver = (t.driver ?? '').trim();
  return driver === 'smtp' ? `its transport ${t.name} speaks LMTP (protocol = lmtp)`
    : driver === 'lmtp' ? `its transport ${t.name} is an lmtp transport`
    : `its transport ${t.name} pipes the message to Cyrus's deliver`;
}

export function checkCutthrough(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  const cyrus = cyrusRouters(ctx);
  if (!cyrus.length) return out;
  const seen = new Set<AclItem>();
  const all = rcptAcl(ctx);
  const name = mainValue(ctx.cfg, 'acl_smtp_rcpt')?.trim();
  const top = new Set(ctx.cfg.acls?.find((a) => a.name === name)?.statements ?? []);
  for (let at = 0; at < all.length; at++) {
    const s = all[at];
    for (const it of s.stmt.items) {
      if (seen.has(it) || !isCutthrough(it)) continue;
      seen.add(it);
      const c = cyrusRouterReaching(ctx, all, at, top, cyrus);
      if (!c) continue;
      const loc = it.valueLoc ?? it.nameLoc;
      out.push(finding('link/cutthrough-lmtp', loc.file, loc.range,
        `control = cutthrough_delivery does nothing for mail to Cyrus: router ${c.router.name} delivers it to lmtpd and ${how(c)}, and Exim cuts a message through only over an smtp transport speaking SMTP. It says nothing of it: the message is accepted and queued, then delivered, so lmtpd's refusal at DATA (a mailbox over quota) comes back to the sender as a bounce, not as an answer while the sender is connected. Drop the control for Cyrus's domains, or refuse such recipients at RCPT (a recipient callout).`,
        { severity: 'warning', related: [{ file: c.router.nameLoc.file, range: c.router.nameLoc.range, message: `router ${c.router.name} delivers to Cyrus over LMTP` }] }));
    }
  }
  return out;
}
