// link/no-recipient-callout: the RCPT ACL accepts mail from outside for users Cyrus does not
// have. The Cyrus router (driver accept) takes every local part of its domains, so
// `verify = recipient` passes for any of them; only a recipient callout asks Cyrus. Without
// one before the accepting statement, the message is accepted, lmtpd refuses the recipient
// at delivery ("550 5.1.1 User unknown") and Exim bounces it to the sender: backscatter when
// the sender is forged (checked live with Exim 4.96 and Cyrus 3.6).
//
// The ACL is walked for an ordinary outside client writing to a local part nobody has.
// Anything that may turn such a recipient away and that cannot be judged here (a lookup of
// users, a `condition`, a sub-ACL that looks at the recipient, a local-part list with a
// lookup) ends the walk without a finding; conditions about the client or the sender alone
// are assumed to let it through, as they do for a spammer's forged message. Two things
// Debian's RCPT ACL does are judged (live with its conf.d and a Cyrus router first): its
// optional lists, "${if exists{FILE}{FILE}{}}", are empty where FILE is not on this machine,
// and its "too many bad recipients" condition ($rcpt_count above 10) cannot hold at a first RCPT.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, AclStatement } from '../../exim/model';
import type { LinkContext } from './context';
import { indentOf, lineText, mainValue, option, someOf } from './context';
import { fix, insertAt } from './edits';
import { domainCondition, isCondition, outsiderCondition } from './acl-domains';
import { matchLocalPart, negate, type Tri } from './match';
import { cyrusRouters, groupDomains, routerFor } from './routing';
import { autocreatesForAnyone } from './autocreate';
import { existsBranch, unwrap } from './on-this-machine';

/** A local part no one has: what a dictionary attack or a forged bounce writes to. */
const NOBODY = 'nosuchuser';

/** Items that read the recipient: an unknown answer from one of them may turn the user away. */
const RECIPIENT_ITEMS = new Set(['local_parts', 'recipients', 'condition']);
const READS_RECIPIENT = /\$\{?(local_part|domain|address|recipients?|acl_)/;

interface Judged { tri: Tri; aboutRecipient: boolean }

/**
 * Whether a sub-ACL may look at the recipient (Debian's acl_local_deny_exceptions looks only
 * at hosts and senders); an expanded or unknown name may.
 */
function aclReadsRecipient(ctx: LinkContext, value: string, seen: Set<string>): boolean {
  const name = value.split(/\s+/)[0];
  // One already being looked at adds nothing new.
  if (seen.has(name)) return false;
  if (!name || name.includes('$')) return true;
  const acl = ctx.cfg.acls?.find((a) => a.name === name);
  if (!acl) return true;
  const inside = new Set(seen).add(name);
  return acl.statements.some((st) => st.items.some((it) => itemReadsRecipient(ctx, it, inside)));
}

function itemReadsRecipient(ctx: LinkContext, it: AclItem, seen: Set<string>): boolean {
  const v = (it.value ?? '').trim();
  if (READS_RECIPIENT.test(v)) return true;
  if (it.name === 'acl') return aclReadsRecipient(ctx, v, seen);
  if (it.name === 'verify') return /^recipient\b/i.test(v);
  return RECIPIENT_ITEMS.has(it.name);
}

/** List conditions: an empty list matches nothing. */
const LIST_ITEMS = new Set(['recipients', 'senders', 'local_parts', 'hosts', 'domains', 'sender_domains']);

/**
 * A condition that is false for the first RCPT of a message: $rcpt_count counts the RCPT
 * commands so far, this one too, so it is 1 ("${if and {{>{$rcpt_count}{10}} ...}}", Debian's
 * "too many bad recipients" statement).
 */
export function falseAtFirstRcpt(v: string): boolean {
  const m = /^\$\{if\s*(?:and\s*\{\s*\{\s*)?>\s*\{\s*\$\{?rcpt_count\}?\s*\}\s*\{\s*(\d+)\s*\}/.exec(unwrap(v));
  return !!m && Number(m[1]) >= 1;
}

function judge(ctx: LinkContext, it: AclItem, domain: string): Judged {
  let v = (it.value ?? '').trim();
  const aboutRecipient = itemReadsRecipient(ctx, it, new Set());
  if (it.name === 'condition' && falseAtFirstRcpt(v)) return { tri: it.negated ? 'yes' : 'no', aboutRecipient };
  // A forced failure leaves the list empty ("assume not in this list").
  if (LIST_ITEMS.has(it.name) && v.includes('$')) { const b = existsBranch(ctx, v); if (b !== undefined) v = b ?? ''; }
  if (v.includes('$')) return { tri: 'unknown', aboutRecipient };
  if (LIST_ITEMS.has(it.name) && !v) return { tri: it.negated ? 'yes' : 'no', aboutRecipient };
  let tri: Tri;
  if (it.name === 'local_parts') tri = matchLocalPart(ctx, v, NOBODY);
  // The domain's router takes every local part; a callout asks Cyrus, which says no.
  else if (it.name === 'verify' && /^recipient\b/i.test(v)) tri = /\/\s*callout\b/i.test(v) ? 'no' : 'yes';
  // Domains, hosts, authentication; a forged sender verifies as well as a real one.
  else return { tri: outsiderCondition(ctx, it, domain), aboutRecipient };
  return { tri: it.negated ? negate(tri) : tri, aboutRecipient };
}

/** Judgements folded: whether any is no, whether all are yes, whether an unknown one reads the recipient. */
interface Summary { no: boolean; allYes: boolean; unsureAboutRecipient: boolean }

function summarise(js: Judged[], into: Summary = { no: false, allYes: true, unsureAboutRecipient: false }): Summary {
  for (const j of js) {
    if (j.tri === 'no') into.no = true;
    if (j.tri !== 'yes') into.allYes = false;
    if (j.tri === 'unknown' && j.aboutRecipient) into.unsureAboutRecipient = true;
  }
  return into;
}

const triOf = (s: Summary): Tri => s.no ? 'no' : s.allYes ? 'yes' : 'unknown';

/**
 * A statement's conditions with everything but its `domains` judged once: a Cyrus router may
 * have thousands of domains, and each is walked through the whole ACL.
 */
interface Plan { stmt: AclStatement; verb: string; endpass: boolean; before: Part; after: Part }
interface Part { fixed: Summary; domains: { match: (domain: string) => Tri; aboutRecipient: boolean }[] }

function part(ctx: LinkContext, items: AclItem[]): Part {
  const domains = items.filter((it) => it.name === 'domains').map((it) => {
    const v = (it.value ?? '').trim();
    if (v.includes('$')) {
      const j = judge(ctx, it, '');
      return { match: () => j.tri, aboutRecipient: j.aboutRecipient };
    }
    return { match: domainCondition(ctx, it), aboutRecipient: false };
  });
  return { fixed: summarise(items.filter((it) => it.name !== 'domains').map((it) => judge(ctx, it, ''))), domains };
}

function plan(ctx: LinkContext, statements: AclStatement[]): Plan[] {
  return statements.map((stmt) => {
    const conds = stmt.items.filter((it) => isCondition(it) || it.name === 'endpass');
    const pass = conds.findIndex((it) => it.name === 'endpass');
    const before = pass < 0 ? conds : conds.slice(0, pass);
    const after = pass < 0 ? [] : conds.slice(pass + 1).filter((it) => it.name !== 'endpass');
    return { stmt, verb: stmt.verb.toLowerCase(), endpass: pass >= 0, before: part(ctx, before), after: part(ctx, after) };
  });
}

const merge = (a: Summary, b: Summary): Summary => ({ no: a.no || b.no, allYes: a.allYes && b.allYes, unsureAboutRecipient: a.unsureAboutRecipient || b.unsureAboutRecipient });

/** A part judged for `domain`, folded into `into` (reused: thousands of domains each walk the whole ACL). */
function judgePart(p: Part, domain: string, into: Summary): Summary {
  if (!p.domains.length) return p.fixed;
  into.no = p.fixed.no;
  into.allYes = p.fixed.allYes;
  into.unsureAboutRecipient = p.fixed.unsureAboutRecipient;
  for (const m of p.domains) {
    const tri = m.match(domain);
    if (tri === 'no') into.no = true;
    if (tri !== 'yes') into.allYes = false;
    if (tri === 'unknown' && m.aboutRecipient) into.unsureAboutRecipient = true;
  }
  return into;
}

/**
 * The statement of the RCPT ACL that accepts the unknown user of `domain`, or undefined when
 * it is refused, or that cannot be told.
 */
function acceptsUnknown(plans: Plan[], domain: string): AclStatement | undefined {
  const first: Summary = { no: false, allYes: true, unsureAboutRecipient: false };
  const second: Summary = { ...first };
  for (const p of plans) {
    const before = judgePart(p.before, domain, first);
    const whole = p.endpass ? merge(before, judgePart(p.after, domain, second)) : before;
    const all = triOf(whole);
    const unsure = all === 'unknown' && whole.unsureAboutRecipient;
    switch (p.verb) {
      case 'accept':
        if (all === 'yes') return p.stmt;
        // endpass: past it, a failing condition denies rather than moving on.
        if (p.endpass && triOf(before) === 'yes') return undefined;
        if (all === 'unknown') return undefined;
        break;
      case 'deny': case 'drop': case 'defer':
        if (all === 'yes' || unsure) return undefined;
        break;
      case 'require':
        if (all === 'no' || unsure) return undefined;
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
  const plans = plan(ctx, acl.statements);
  // The router both delivers the domain and verifies it, taking every local part; the routers
  // before it let a local part no one has pass (no account, no alias, no prefix).
  const byStmt = groupDomains(ctx, cyrusRouters(ctx), (c, d) =>
    routerFor(ctx, d, false, NOBODY) === c.router && routerFor(ctx, d, true, NOBODY) === c.router ? acceptsUnknown(plans, d) ?? null : null);
  for (const [stmt, { router, domains: found }] of byStmt) {
    // lmtpd makes a mailbox for whoever it is sent: no user is unknown, nothing bounces.
    if (autocreatesForAnyone(ctx, router.via)) continue;
    const domains = [...found];
    const shown = someOf(domains);
    const them = domains.length > 1 ? 'them' : 'it';
    const dOpt = option(router.router, 'domains')!;
    const dAt = dOpt.valueLoc ?? dOpt.loc;
    const related: Related[] = [{ file: dAt.file, range: dAt.range, message: `router ${router.router.name} takes every local part of ${shown} (verify = recipient passes for all)` }];
    const tcp = router.via.kind === 'tcp';
    const list = dOpt.value!.trim();
    const at = stmt.verbLoc;
    // The reference's statement, in the ACL's own layout, just before this one.
    const indent = indentOf(lineText(ctx, at.file, at.range.start.line));
    const lines = `${indent}deny    domains       = ${list}\n${indent}        !verify       = recipient/callout=random,5s\n\n`;
    const fixes = tcp && !list.includes('\n') ? [fix(`Ask Cyrus first: deny ${list} recipients a callout refuses`, [insertAt(at.file, at.range.start.line, 0, lines)])] : [];
    out.push(finding('link/no-recipient-callout', at.file, at.range,
      `This statement accepts mail from outside for users Cyrus does not have in ${shown}: router ${router.router.name} takes every local part of ${them}, so verify = recipient passes for any, and no recipient callout asks Cyrus before here. The message is accepted, lmtpd refuses the recipient at delivery ("550 5.1.1 User unknown") and Exim bounces it to the sender: backscatter when the sender is forged. ${tcp
        ? `Before this statement, refuse the recipients Cyrus refuses: deny domains = ${list} with !verify = recipient/callout=random,5s.`
        : `Exim calls out only through smtp transports: deliver to lmtpd over TCP (lmtpd -a on loopback) and refuse the recipients a callout refuses, or list Cyrus's users for Exim (local_parts on the router).`}`,
      { related, ...(fixes.length ? { fixes } : {}) }));
  }
  return out;
}
