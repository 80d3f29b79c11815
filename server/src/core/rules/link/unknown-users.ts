// link/no-recipient-callout: the RCPT ACL accepts mail from outside for users Cyrus does not
// have. The Cyrus router (driver accept) takes every local part of its domains, so
// `verify = recipient` passes for any of them; only a recipient callout asks Cyrus. Without
// one before the accepting statement, the message is accepted, lmtpd refuses the recipient
// at delivery ("550 5.1.1 User unknown") and Exim bounces it to the sender: backscatter when
// the sender is forged (checked live with Exim 4.96 and Cyrus 3.6).
//
// The ACL is walked for an ordinary outside client writing to a local part nobody has.
// Anything that may turn such a recipient away and that cannot be judged here (a lookup of
// users, a `condition`, a sub-ACL, a local-part list with a lookup) ends the walk without a
// finding; conditions about the client or the sender alone are assumed to let it through,
// as they do for a spammer's forged message.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, AclStatement } from '../../exim/model';
import type { LinkContext } from './context';
import { indentOf, lineText, mainValue, option } from './context';
import { fix, insertAt } from './edits';
import { isCondition, outsiderCondition } from './acl-domains';
import { matchLocalPart, type Tri } from './match';
import { cyrusRouters, routerDomains, routerFor, type CyrusRouter } from './routing';

/** A local part no one has: what a dictionary attack or a forged bounce writes to. */
const NOBODY = 'nosuchuser';

/** Items that read the recipient: an unknown answer from one of them may turn the user away. */
const RECIPIENT_ITEMS = new Set(['local_parts', 'recipients', 'condition', 'acl', 'verify']);
const READS_RECIPIENT = /\$\{?(local_part|domain|address|recipients?|acl_)/;

interface Judged { tri: Tri; aboutRecipient: boolean }

const not = (t: Tri): Tri => t === 'yes' ? 'no' : t === 'no' ? 'yes' : t;

function judge(ctx: LinkContext, it: AclItem, domain: string): Judged {
  const v = (it.value ?? '').trim();
  const aboutRecipient = RECIPIENT_ITEMS.has(it.name) || READS_RECIPIENT.test(v);
  if (v.includes('$')) return { tri: 'unknown', aboutRecipient };
  let tri: Tri;
  if (it.name === 'local_parts') tri = matchLocalPart(ctx, v, NOBODY);
  // The domain's router takes every local part; a callout asks Cyrus, which says no.
  else if (it.name === 'verify' && /^recipient\b/i.test(v)) tri = /\/\s*callout\b/i.test(v) ? 'no' : 'yes';
  // Domains, hosts, authentication; a forged sender verifies as well as a real one.
  else return { tri: outsiderCondition(ctx, it, domain), aboutRecipient: aboutRecipient && it.name !== 'verify' };
  return { tri: it.negated ? not(tri) : tri, aboutRecipient };
}

const allOf = (js: Judged[]): Tri => js.some((j) => j.tri === 'no') ? 'no' : js.every((j) => j.tri === 'yes') ? 'yes' : 'unknown';

/**
 * The statement of the RCPT ACL that accepts the unknown user of `domain`, or undefined when
 * it is refused, or that cannot be told.
 */
function acceptsUnknown(ctx: LinkContext, statements: AclStatement[], domain: string): AclStatement | undefined {
  for (const stmt of statements) {
    const conds = stmt.items.filter((it) => isCondition(it) || it.name === 'endpass');
    const pass = conds.findIndex((it) => it.name === 'endpass');
    const before = (pass < 0 ? conds : conds.slice(0, pass)).map((it) => judge(ctx, it, domain));
    const after = pass < 0 ? [] : conds.slice(pass + 1).filter((it) => it.name !== 'endpass').map((it) => judge(ctx, it, domain));
    const all = allOf([...before, ...after]);
    const uncertainAboutRecipient = [...before, ...after].some((j) => j.tri === 'unknown' && j.aboutRecipient);
    switch (stmt.verb.toLowerCase()) {
      case 'accept':
        if (all === 'yes') return stmt;
        // endpass: past it, a failing condition denies rather than moving on.
        if (pass >= 0 && allOf(before) === 'yes') return undefined;
        if (all === 'unknown') return undefined;
        break;
      case 'deny': case 'drop': case 'defer':
        if (all === 'yes' || (all === 'unknown' && uncertainAboutRecipient)) return undefined;
        break;
      case 'require':
        if (all === 'no' || (all === 'unknown' && uncertainAboutRecipient)) return undefined;
        break;
      case 'warn': break;
      // discard drops the message without a bounce; anything else is beyond this walk.
      default: return undefined;
    }
  }
  return undefined;
}

export function checkUnknownUsers(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  const name = mainValue(ctx.cfg, 'acl_smtp_rcpt')?.trim();
  const acl = name && !name.includes('$') ? ctx.cfg.acls?.find((a) => a.name === name) : undefined;
  if (!acl) return out;
  const byStmt = new Map<AclStatement, { router: CyrusRouter; domains: string[] }>();
  for (const c of cyrusRouters(ctx)) {
    for (const d of routerDomains(ctx, c.router) ?? []) {
      // The router both delivers the domain and verifies it, taking every local part.
      if (routerFor(ctx, d) !== c.router || routerFor(ctx, d, true) !== c.router) continue;
      const stmt = acceptsUnknown(ctx, acl.statements, d);
      if (!stmt) continue;
      const e = byStmt.get(stmt) ?? { router: c, domains: [] };
      if (!e.domains.includes(d)) e.domains.push(d);
      byStmt.set(stmt, e);
    }
  }
  for (const [stmt, { router, domains }] of byStmt) {
    const them = domains.length > 1 ? 'them' : 'it';
    const dOpt = option(router.router, 'domains')!;
    const dAt = dOpt.valueLoc ?? dOpt.loc;
    const related: Related[] = [{ file: dAt.file, range: dAt.range, message: `router ${router.router.name} takes every local part of ${domains.join(', ')} (verify = recipient passes for all)` }];
    const tcp = router.via.kind === 'tcp';
    const list = dOpt.value!.trim();
    const at = stmt.verbLoc;
    // The reference's statement, in the ACL's own layout, just before this one.
    const indent = indentOf(lineText(ctx, at.file, at.range.start.line));
    const lines = `${indent}deny    domains       = ${list}\n${indent}        !verify       = recipient/callout=random,5s\n\n`;
    const fixes = tcp && !list.includes('\n') ? [fix(`Ask Cyrus first: deny ${list} recipients a callout refuses`, [insertAt(at.file, at.range.start.line, 0, lines)])] : [];
    out.push(finding('link/no-recipient-callout', at.file, at.range,
      `This statement accepts mail from outside for users Cyrus does not have in ${domains.join(', ')}: router ${router.router.name} takes every local part of ${them}, so verify = recipient passes for any, and no recipient callout asks Cyrus before here. The message is accepted, lmtpd refuses the recipient at delivery ("550 5.1.1 User unknown") and Exim bounces it to the sender: backscatter when the sender is forged. ${tcp
        ? `Before this statement, refuse the recipients Cyrus refuses: deny domains = ${list} with !verify = recipient/callout=random,5s.`
        : `Exim calls out only through smtp transports: deliver to lmtpd over TCP (lmtpd -a on loopback) and refuse the recipients a callout refuses, or list Cyrus's users for Exim (local_parts on the router).`}`,
      { related, ...(fixes.length ? { fixes } : {}) }));
  }
  return out;
}
