// link/cyrus-router-no-verify: the Cyrus router is left out of recipient verification
// (no_verify, verify_recipient = false) while the RCPT ACL verifies Cyrus's recipients.
// Exim then verifies them with the routers after it, which do not send them to Cyrus: on
// Exim 4.96 every Cyrus recipient that is not a local user or alias is refused at RCPT
// ("550 Unknown user"), and a callout never asks Cyrus.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, DriverInstance } from '../../exim/model';
import type { LinkContext } from './context';
import { literalDomains } from './match';
import { cyrusRouters, reachesAndTakes, recipientVerifySetting, routerDomains, routerTakes, verifiesRecipients } from './routing';
import { applies, domainConds, isCondition, isRecipientVerify, rcptAcl, SESSION_CONDITIONS, type RcptStatement } from './acl-domains';

/**
 * The item of a statement that refuses a recipient who fails verification: `require verify
 * = recipient…`, or `deny` (`drop`, `defer`) with `!verify = recipient…`.
 */
export function refusingVerify(s: RcptStatement): AclItem | undefined {
  const verb = s.stmt.verb.toLowerCase();
  return s.stmt.items.find((it) => isRecipientVerify(it)
    && (verb === 'require' ? !it.negated : ['deny', 'drop', 'defer'].includes(verb) && it.negated));
}

/**
 * What the recipients that fail verification get from the statements that verify them:
 * `defer` answers 451 (the sender retries), the others refuse with a 550.
 */
export function failedAnswer(statements: Iterable<RcptStatement>): string {
  let deferred = false, refused = false;
  for (const s of statements) if (s.stmt.verb.toLowerCase() === 'defer') deferred = true; else refused = true;
  return !deferred ? 'refused ("550 Unknown user")' : refused ? 'refused with a 550 or deferred with a 451' : 'deferred with a 451 (the sender retries until it gives up)';
}

/** Conditions other than `domains` (and session facts) that decide whether a statement applies. */
export function otherConditions(s: RcptStatement, upTo?: AclItem): AclItem[] {
  const items = upTo ? s.stmt.items.slice(0, s.stmt.items.indexOf(upTo)) : s.stmt.items;
  return [...s.preOther, ...items].filter((it) => isCondition(it) && it.name !== 'domains'
    && (!SESSION_CONDITIONS.has(it.name) || (it.value ?? '').includes('$')));
}

/** Whether an earlier statement accepts every recipient in `domain` outright, so `s` never sees them. */
export function acceptedBefore(ctx: LinkContext, acl: RcptStatement[], s: RcptStatement, domain: string): boolean {
  for (const t of acl) {
    if (t === s) return false;
    if (t.accepts && !t.pre.length && !t.preOther.length && !t.stmt.items.some((it) => isCondition(it) && it.name !== 'domains')
      && domainConds(t).length > 0 && applies(ctx, t, domain) === 'yes') return true;
  }
  return false;
}

/**
 * Which router verification gives a recipient in `domain` to: a Cyrus router (fine), one that
 * certainly takes the domain, or none for certain (only routers that may take some local
 * parts, such as aliases and local users). `after`: only the routers after that one.
 */
export function verifiedBy(ctx: LinkContext, domain: string, cyrus: Set<DriverInstance>, after?: DriverInstance): { cyrus: true } | { router?: DriverInstance } {
  const routers = ctx.cfg.routers ?? [];
  for (const r of after ? routers.slice(routers.indexOf(after) + 1) : routers) {
    const t = routerTakes(ctx, r, domain, true);
    if (t === 'no') continue;
    if (cyrus.has(r)) return { cyrus: true };
    if (t === 'yes') return { router: r };
  }
  return {};
}

export function checkNoVerify(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  const cyrus = cyrusRouters(ctx);
  if (!cyrus.length) return out;
  const skipped = cyrus.filter((c) => verifiesRecipients(c.router) === false);
  if (!skipped.length) return out;
  const acl = rcptAcl(ctx);
  const verifying = acl.map((s) => ({ s, item: refusingVerify(s) })).filter((v): v is { s: RcptStatement; item: AclItem } => !!v.item);
  if (!verifying.length) return out;
  // Verification still reaches Cyrus through any router whose transport is a Cyrus one
  // (a verify_only router to the same lmtpd is the usual way to split the two).
  const verifyingCyrus = new Set(cyrus.filter((c) => verifiesRecipients(c.router) !== false).map((c) => c.router));
  for (const c of skipped) {
    const candidates = new Set(routerDomains(ctx, c.router) ?? []);
    for (const { s } of verifying) for (const cond of domainConds(s)) if (!cond.negated) for (const d of literalDomains(ctx, cond.value!)) candidates.add(d);
    const hits = new Map<AclItem, { s: RcptStatement; domains: string[]; limited: boolean }>();
    const elsewhere = new Map<string, DriverInstance>();
    let fallsThrough = false;
    for (const d of candidates) {
      // Delivery gives the domain to it (an unseen router too: it is skipped all the same).
      if (!reachesAndTakes(ctx, c.router, d)) continue;
      const v = verifiedBy(ctx, d, verifyingCyrus);
      if ('cyrus' in v) continue;
      for (const { s, item } of verifying) {
        if (applies(ctx, s, d) !== 'yes' || acceptedBefore(ctx, acl, s, d)) continue;
        const h = hits.get(item) ?? { s, domains: [], limited: otherConditions(s, item).length > 0 };
        if (!h.domains.includes(d)) h.domains.push(d);
        hits.set(item, h);
        if (v.router) elsewhere.set(d, v.router); else fallsThrough = true;
      }
    }
    if (!hits.size) continue;
    const o = recipientVerifySetting(c.router)!;
    const at = o.valueLoc ?? o.loc;
    const setting = o.negated ? `no_${o.name}` : `${o.name} = ${(o.value ?? '').trim()}`;
    const domains = [...new Set([...hits.values()].flatMap((h) => h.domains))];
    const them = domains.length > 1 ? 'them' : 'it';
    const related: Related[] = [...hits].map(([item, h]) => {
      const iAt = item.valueLoc ?? item.nameLoc;
      return { file: iAt.file, range: iAt.range, message: `the RCPT ACL verifies recipients in ${h.domains.join(', ')} here${h.limited ? ' (when its other conditions hold)' : ''}` };
    });
    const others = [...new Set(elsewhere.values())];
    const outcome = [
      fallsThrough ? `no later router sends ${them} to Cyrus, so every recipient there that is not a local user or alias is ${failedAnswer([...hits.values()].map((h) => h.s))}, existing mailboxes included` : '',
      others.length ? `router${others.length > 1 ? 's' : ''} ${others.map((r) => r.name).join(', ')} verif${others.length > 1 ? 'y' : 'ies'} ${fallsThrough ? 'some of ' : ''}${them} instead, not Cyrus` : '',
    ].filter(Boolean).join('; ');
    const limited = [...hits.values()].every((h) => h.limited);
    out.push(finding('link/cyrus-router-no-verify', at.file, at.range,
      `Router ${c.router.name} delivers ${domains.join(', ')} to Cyrus but has ${setting}, so recipient verification skips it, while the RCPT ACL verifies recipients there${limited ? ' (for some recipients)' : ''}: Exim verifies them with the routers after it, and ${outcome}. A callout never asks Cyrus either. Remove ${setting}, or add a verify_only router to Cyrus for these domains.`,
      { related, ...(limited ? { severity: 'information' as const } : {}) }));
  }
  return out;
}
