// link/cyrus-router-unseen: the Cyrus router has `unseen`, so after it routes an address Exim
// passes a copy on to the routers after it (none after the last router), when verifying too:
// Exim 4.96's verify.c goes on with the one new address route_unseen() makes, unless the
// verification has success_on_redirect. So after the router (and a callout, if any) accepts
// a recipient, the copy is verified by the later routers; where none of them takes the
// domain, every Cyrus recipient that is not a local user or alias is refused at RCPT ("550
// Unknown user"), and each delivery's copy bounces the same way. Delivery makes the copy
// whatever the ACL does, so a copy no later router takes is reported on its own too.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, DriverInstance } from '../../exim/model';
import type { LinkContext } from './context';
import { boolOption, option } from './context';
import { literalDomains } from './match';
import { cyrusRouters, reachesAndTakes, routerDomains, routerTakes, verifiesRecipients } from './routing';
import { applies, domainConds, rcptAcl, type RcptStatement } from './acl-domains';
import { acceptedBefore, failedAnswer, otherConditions, refusingVerify, verifiedBy } from './no-verify';

/** Whether a `verify = recipient/…` item stops at the first router that routes the address. */
function successOnRedirect(item: AclItem): boolean {
  return (item.value ?? '').split('/').slice(1).some((o) => o.trim().toLowerCase() === 'success_on_redirect');
}

/**
 * Whether the copy of a recipient in `domain` bounces, no router after `c` certainly taking
 * it: 'always', or 'mostly' where one may take some addresses (a local user's, an alias).
 */
function copyBounces(ctx: LinkContext, c: DriverInstance, domain: string, cyrus: Set<DriverInstance>): 'always' | 'mostly' | undefined {
  const routers = ctx.cfg.routers ?? [];
  let some = false;
  for (const r of routers.slice(routers.indexOf(c) + 1)) {
    const t = routerTakes(ctx, r, domain);
    if (t === 'yes' || (t === 'unknown' && cyrus.has(r))) return undefined;
    if (t === 'unknown') some = true;
  }
  return some ? 'mostly' : 'always';
}

export function checkUnseen(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  const cyrus = cyrusRouters(ctx);
  const routers = ctx.cfg.routers ?? [];
  // Exim makes no copy at the last router.
  const copying = cyrus.filter((c) => boolOption(c.router, 'unseen', false) !== false && routers.indexOf(c.router) < routers.length - 1);
  if (!copying.length) return out;
  const acl = rcptAcl(ctx);
  const verifying = acl.map((s) => ({ s, item: refusingVerify(s) }))
    .filter((v): v is { s: RcptStatement; item: AclItem } => !!v.item && !successOnRedirect(v.item));
  const verifyingCyrus = new Set(cyrus.filter((c) => verifiesRecipients(c.router) !== false).map((c) => c.router));
  const allCyrus = new Set(cyrus.map((c) => c.router));
  for (const c of copying) {
    const candidates = new Set(routerDomains(ctx, c.router) ?? []);
    for (const { s } of verifying) for (const cond of domainConds(s)) if (!cond.negated) for (const d of literalDomains(ctx, cond.value!)) candidates.add(d);
    const hits = new Map<AclItem, { s: RcptStatement; domains: string[]; limited: boolean }>();
    const bounced: string[] = [];
    // Verification skips a no_verify router (the no-verify rule's case); delivery does not.
    const verified = verifiesRecipients(c.router) !== false;
    const copyLost: string[] = [];
    let copyTakenSometimes = false;
    for (const d of candidates) {
      const lost = reachesAndTakes(ctx, c.router, d) ? copyBounces(ctx, c.router, d, allCyrus) : undefined;
      if (lost) copyLost.push(d);
      if (lost === 'mostly') copyTakenSometimes = true;
      if (!verified || !reachesAndTakes(ctx, c.router, d, true)) continue;
      // A later router that verifies the copy (to Cyrus or elsewhere) settles it.
      const v = verifiedBy(ctx, d, verifyingCyrus, c.router);
      if ('cyrus' in v || v.router) continue;
      let hit = false;
      for (const { s, item } of verifying) {
        if (applies(ctx, s, d) !== 'yes' || acceptedBefore(ctx, acl, s, d)) continue;
        const h = hits.get(item) ?? { s, domains: [], limited: otherConditions(s, item).length > 0 };
        if (!h.domains.includes(d)) h.domains.push(d);
        hits.set(item, h);
        hit = true;
      }
      if (hit && lost) bounced.push(d);
    }
    const o = option(c.router, 'unseen')!;
    const at = o.valueLoc ?? o.nameLoc;
    const setting = o.value === undefined ? `${o.negated ? 'no_' : ''}unseen` : `unseen = ${o.value.trim()}`;
    const expanded = boolOption(c.router, 'unseen', false) === undefined;
    if (!hits.size) {
      // No RCPT refusal, but every delivery still makes a copy that no later router takes.
      if (copyLost.length) {
        out.push(finding('link/cyrus-router-unseen', at.file, at.range,
          `Router ${c.router.name} delivers ${copyLost.join(', ')} to Cyrus with ${setting}, so Exim passes a copy of each address${expanded ? ' it is true for' : ''} on to the routers after it, and none of them takes ${copyLost.length > 1 ? 'them' : 'it'}: each message reaches Cyrus and its copy bounces to the sender as "Unknown user"${copyTakenSometimes ? ' (unless a later router takes that address, as it may for a local user or an alias)' : ''}. Remove ${setting}, or, if the copy is meant to go elsewhere, add a router after it that takes these domains.`,
          expanded ? { severity: 'information' } : {}));
      }
      continue;
    }
    const domains = [...new Set([...hits.values()].flatMap((h) => h.domains))];
    const them = domains.length > 1 ? 'them' : 'it';
    const related: Related[] = [...hits].map(([item, h]) => {
      const iAt = item.valueLoc ?? item.nameLoc;
      return { file: iAt.file, range: iAt.range, message: `the RCPT ACL verifies recipients in ${h.domains.join(', ')} here${h.limited ? ' (when its other conditions hold)' : ''}` };
    });
    const limited = expanded || [...hits.values()].every((h) => h.limited);
    const some = [...hits.values()].every((h) => h.limited);
    const delivery = bounced.length
      ? ` Delivery goes the same way: each message reaches Cyrus and its copy bounces to the sender as "Unknown user"${bounced.length < domains.length ? ` (for ${bounced.join(', ')})` : ''}.`
      : '';
    out.push(finding('link/cyrus-router-unseen', at.file, at.range,
      `Router ${c.router.name} delivers ${domains.join(', ')} to Cyrus with ${setting}, so Exim passes a copy of each address${expanded ? ' it is true for' : ''} on to the routers after it, when it verifies a recipient too, and the RCPT ACL verifies recipients there${some ? ' (for some recipients)' : ''}: after this router takes a recipient (and the callout, if any, passes), its copy is verified by the later routers, none of which takes ${them}, so every recipient there that is not a local user or alias is ${failedAnswer([...hits.values()].map((h) => h.s))}, existing mailboxes included.${delivery} Remove ${setting}, or, if the copy is meant to go elsewhere, add a router after it that takes these domains.`,
      { related, ...(limited ? { severity: 'information' as const } : {}) }));
  }
  return out;
}
