// link/cyrus-router-verify-only: the Cyrus router has `verify_only`, so Exim runs it when it
// verifies a recipient (a recipient callout asks Cyrus through it, and passes) and passes it
// by when it delivers. No other router sends the Cyrus domains to Cyrus, so every message
// for them is accepted at RCPT and then routed elsewhere at delivery: on Exim 4.96 with the
// reference's routers, "** alice@example.com: Unknown user", a bounce for a mailbox that
// exists (found live; without verify_only the message is delivered to lmtpd).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import type { LinkContext } from './context';
import { boolOption, option } from './context';
import { cyrusRouters, routerDomains, routerTakes } from './routing';

/** Whether a Cyrus router other than `r` (before it or after) may take mail for `domain` at delivery. */
function otherCyrusMayTake(ctx: LinkContext, r: DriverInstance, cyrus: ReadonlySet<DriverInstance>, domain: string | undefined): boolean {
  for (const x of cyrus) {
    if (x === r) continue;
    if (domain === undefined || routerTakes(ctx, x, domain) !== 'no') return true;
  }
  return false;
}

export function checkVerifyOnly(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  const all = cyrusRouters(ctx);
  const cyrus = new Set(all.map((c) => c.router));
  for (const c of all) {
    if (boolOption(c.router, 'verify_only', false) !== true) continue;
    const domains = routerDomains(ctx, c.router);
    // Domains known only at run time: any later Cyrus router may be the one that delivers.
    const lost = domains ? domains.filter((d) => !otherCyrusMayTake(ctx, c.router, cyrus, d)) : otherCyrusMayTake(ctx, c.router, cyrus, undefined) ? [] : ['every domain it takes'];
    if (!lost.length) continue;
    const o = option(c.router, 'verify_only')!;
    const at = o.valueLoc ?? o.nameLoc;
    const shown = lost.length > 3 ? `${lost.slice(0, 3).join(', ')} and ${lost.length - 3} more` : lost.join(', ');
    out.push(finding('link/cyrus-router-verify-only', at.file, at.range,
      `Router ${c.router.name} delivers to Cyrus but has verify_only: Exim runs it only to verify recipients and passes it by when it delivers, and no other router sends ${shown} to Cyrus. Recipient checks (a callout too) go through it and pass, so the mail is accepted; at delivery a later router gets it, or none does, and it bounces ("Unknown user") though the mailbox exists. Remove verify_only.`,
      { related: [{ file: c.router.nameLoc.file, range: c.router.nameLoc.range, message: `router ${c.router.name} is the only one that delivers these domains to Cyrus` }] }));
  }
  return out;
}
