// The RCPT ACL against the routers to Cyrus: link/callout-needs-tcp (a recipient callout
// for domains delivered over a UNIX socket, which Exim cannot call out to) and
// link/domain-mismatch (the ACL treats other domains as Cyrus's than the routers do).
// Statements of the ACLs the RCPT ACL runs with `acl = NAME` count too, under the
// conditions that the calling statement checks first.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, AclStatement, DriverInstance } from '../../exim/model';
import { aclCondition } from '../../catalog/exim';
import type { LinkContext } from './context';
import { mainValue, option, someOf } from './context';
import { fix, insertAt, manualFix } from './edits';
import { domainMatcher, literalDomains, matchDomain, matchHost, negate, type Tri } from './match';
import { cyrusRouters, groupDomains, routerDomains, routerFor, routerTakes, type CyrusRouter } from './routing';

/** A statement the RCPT ACL may run, directly or through `acl =` conditions. */
export interface RcptStatement {
  stmt: AclStatement;
  /** `domains` conditions the calling statements check before their `acl =`: all must hold to get here. */
  pre: AclItem[];
  /** The calling statements' other conditions before their `acl =`. */
  preOther: AclItem[];
  /** Whether this statement accepting makes the RCPT ACL accept (an accept called only from accepts). */
  accepts: boolean;
}

export const isCondition = (it: AclItem) => aclCondition(it.name)?.kind === 'condition';

/** Bounds the walk through sub-ACLs that call each other many times over. */
const MAX_STATEMENTS = 5000;

export function rcptAcl(ctx: LinkContext): RcptStatement[] {
  const name = mainValue(ctx.cfg, 'acl_smtp_rcpt')?.trim();
  if (!name || name.includes('$')) return [];
  const out: RcptStatement[] = [];
  const walk = (aclName: string, pre: AclItem[], preOther: AclItem[], accepting: boolean, seen: Set<string>): void => {
    const acl = ctx.cfg.acls?.find((a) => a.name === aclName);
    if (!acl || seen.has(aclName)) return;
    const inside = new Set(seen).add(aclName);
    for (const stmt of acl.statements) {
      if (out.length >= MAX_STATEMENTS) return;
      out.push({ stmt, pre, preOther, accepts: accepting && stmt.verb === 'accept' });
      stmt.items.forEach((it, i) => {
        // `acl = NAME arg…`: an expanded name is decided at run time.
        const sub = it.name === 'acl' ? it.value?.trim().split(/\s+/)[0] : undefined;
        if (!sub || sub.includes('$')) return;
        const before = stmt.items.slice(0, i);
        const domains = before.filter((x) => x.name === 'domains' && x.value !== undefined);
        const other = before.filter((x) => x.name !== 'domains' && isCondition(x));
        walk(sub, [...pre, ...domains], [...preOther, ...other], accepting && stmt.verb === 'accept' && !it.negated, inside);
      });
    }
  };
  walk(name, [], [], true, new Set());
  return out;
}

/** The statement's `verify = recipient/…callout…` item, if it has one. */
export function calloutItem(s: RcptStatement): AclItem | undefined {
  return s.stmt.items.find((i) => i.name === 'verify' && /^\s*recipient\b[^]*\/\s*callout\b/i.test(i.value ?? ''));
}

/** `verify = recipient…`: holds for every address the routers can deliver. */
/** A `verify = recipient…` item, either way round (`!verify` too). */
export const isRecipientVerify = (it: AclItem) => it.name === 'verify' && /^\s*recipient\b/i.test(it.value ?? '');
const verifiesRecipient = (it: AclItem) => isRecipientVerify(it) && !it.negated;

/**
 * The conditions besides `domains` that decide whether the statement applies (its callers'
 * first), recipient verification aside. A statement with any is about some mail only (one
 * local part, some hosts or senders): it does not say which domains are Cyrus's.
 */
function restrictions(s: RcptStatement): AclItem[] {
  const callout = calloutItem(s);
  return [...s.preOther, ...s.stmt.items].filter((it) => isCondition(it) && it.name !== 'domains' && it !== callout && !verifiesRecipient(it));
}

/** Conditions that depend only on the SMTP session or the sender, when written out (no expansion). */
export const SESSION_CONDITIONS = new Set(['hosts', 'senders', 'sender_domains', 'authenticated', 'encrypted', 'verify']);

/**
 * The conditions checked before the callout that may leave some Cyrus recipients out (which
 * recipients or local parts, a `condition` or sub-ACL, anything expanded at run time), so
 * the callout may run for some of their recipients only, or never.
 */
function calloutLimits(s: RcptStatement, callout: AclItem): AclItem[] {
  const before = s.stmt.items.slice(0, s.stmt.items.indexOf(callout));
  return [...s.preOther, ...before].filter((it) => isCondition(it) && it.name !== 'domains' && !verifiesRecipient(it)
    && (!SESSION_CONDITIONS.has(it.name) || (it.value ?? '').includes('$')));
}

/** The `domains` conditions that must all hold for the statement to apply (its callers' first). */
export function domainConds(s: RcptStatement): AclItem[] {
  return [...s.pre, ...s.stmt.items.filter((i) => i.name === 'domains' && i.value !== undefined)];
}

export function applies(ctx: LinkContext, s: RcptStatement, domain: string): Tri {
  let r: Tri = 'yes';
  for (const c of domainConds(s)) {
    let m = matchDomain(ctx, c.value!, domain);
    if (c.negated) m = negate(m);
    if (m === 'no') return 'no';
    if (m === 'unknown') r = 'unknown';
  }
  return r;
}

/**
 * An LMTP transport whose own `hosts` all name a port (`127.0.0.1::2003`). Exim 4.96 delivers
 * there, but a recipient callout takes each item whole as a host name ("no IP address found
 * for host 127.0.0.1:2003", skipped), so with no plain host left it cannot call out at all:
 * every recipient gets "451 Could not complete recipient verify callout" (accepted
 * unverified with defer_ok). A manualroute router's hosts are another matter: the router
 * looks them up with their ports, and the callout uses those (hostsOpt is then unset).
 */
function portedHosts(c: CyrusRouter): boolean {
  const t = c.via;
  return t.kind === 'tcp' && !!t.hostsOpt && t.hosts.length > 0 && t.hosts.every((h) => h.port !== undefined);
}

function checkCalloutTcp(ctx: LinkContext, acl: RcptStatement[], cyrus: CyrusRouter[], out: Finding[]): void {
  const socketRouters = cyrus.filter((c) => c.via.kind !== 'tcp' || portedHosts(c));
  if (!socketRouters.length) return;
  for (const s of acl) {
    const item = calloutItem(s);
    if (!item) continue;
    const hits = new Map<CyrusRouter, string[]>();
    const candidates = new Set<string>();
    for (const c of socketRouters) for (const d of routerDomains(ctx, c.router) ?? []) candidates.add(d);
    for (const cond of domainConds(s)) if (!cond.negated) for (const d of literalDomains(ctx, cond.value!)) candidates.add(d);
    for (const d of candidates) {
      if (applies(ctx, s, d) !== 'yes') continue;
      // Verification skips no_verify routers and runs verify_only ones: delivery's router may not be the callout's.
      const r = routerFor(ctx, d, true);
      const c = socketRouters.find((x) => x.router === r);
      if (c) hits.set(c, [...(hits.get(c) ?? []), d]);
    }
    const limits = calloutLimits(s, item);
    for (const [c, domains] of hits) {
      const at = item.valueLoc ?? item.nameLoc;
      const t = c.via;
      if (t.kind === 'tcp') {
        const hAt = t.hostsOpt!.valueLoc ?? t.hostsOpt!.loc;
        const written = t.hosts.map((h) => `${h.name}::${h.port}`).join(', ');
        out.push(finding('link/callout-host-port', at.file, at.range,
          `This recipient callout cannot reach Cyrus for ${someOf(domains)}: router ${c.router.name} delivers ${domains.length > 1 ? 'them' : 'it'} through transport ${t.transport.name}, whose hosts all name their own port (${written}). Deliveries use that port, but Exim's callout takes each item whole as a host name ("no IP address found for host ${t.hosts[0].name}:${t.hosts[0].port}") and skips it, so with no host left every recipient there is answered "451 Could not complete recipient verify callout"${limits.length ? ' (where the callout runs)' : ''}. Write the host alone in hosts and the port in the transport's port option.`,
          { related: [{ file: hAt.file, range: hAt.range, message: `transport ${t.transport.name}'s hosts name their own ports` }], ...(limits.length ? { severity: 'information' as const } : {}) }));
        continue;
      }
      const tAt = t.kind === 'unix' ? t.socketOpt.valueLoc ?? t.socketOpt.loc : t.commandOpt.valueLoc ?? t.commandOpt.loc;
      const how = `router ${c.router.name} delivers ${domains.length > 1 ? 'them' : 'it'} through transport ${t.transport.name} (${t.kind === 'unix' ? `lmtp over the UNIX socket ${t.path}` : 'a command'}), and Exim calls out only through smtp transports`;
      const related: Related[] = [{ file: tAt.file, range: tAt.range, message: `transport ${t.transport.name} is not an smtp transport` }];
      if (limits.length) {
        // Which recipients it runs for is decided by those conditions: maybe none.
        for (const l of limits) {
          const lAt = l.valueLoc ?? l.nameLoc;
          related.push({ file: lAt.file, range: lAt.range, message: `the callout runs only where ${l.negated ? '!' : ''}${l.name} holds` });
        }
        out.push(finding('link/callout-needs-tcp', at.file, at.range,
          `This recipient callout runs only when its ${limits.map((l) => `${l.negated ? '!' : ''}${l.name}`).join(' and ')} condition${limits.length > 1 ? 's hold' : ' holds'} (for some recipients, or none); for recipients in ${someOf(domains)} it then cannot reach Cyrus: ${how}. It is skipped for them and they are accepted, unknown ones included. If it is meant for Cyrus's recipients, deliver over TCP (smtp transport with protocol = lmtp to lmtpd -a on loopback).`,
          { severity: 'information', related }));
        continue;
      }
      out.push(finding('link/callout-needs-tcp', at.file, at.range,
        `This recipient callout cannot reach Cyrus for ${someOf(domains)}: ${how}. The callout is skipped and every recipient is accepted, unknown ones included. Deliver over TCP (smtp transport with protocol = lmtp to lmtpd -a on loopback).`,
        { related }));
    }
  }
}

/**
 * Which domains a router other than the Cyrus ones takes: 'yes' when one certainly does
 * (the first router to decide is not a Cyrus router), 'unknown' when one may (for some local
 * parts, or as decided at run time), 'no' when none would.
 */
function takenElsewhere(ctx: LinkContext, cyrus: Set<DriverInstance>, domain: string): Tri {
  const first = routerFor(ctx, domain);
  if (first) return cyrus.has(first) ? 'no' : 'yes';
  const others = (ctx.cfg.routers ?? []).filter((r) => !cyrus.has(r)).map((r) => routerTakes(ctx, r, domain));
  return others.every((t) => t === 'no') ? 'no' : 'unknown';
}

/** The machine's own names: the local-domains list, which local routers handle, has them. */
function ownName(ctx: LinkContext, domain: string): boolean {
  return domain === 'localhost' || domain === ctx.primaryHostname;
}

/** Returns the Cyrus domains it reports the ACL as not taking (checkNotAccepted says no more of them). */
function checkMismatch(ctx: LinkContext, acl: RcptStatement[], cyrus: CyrusRouter[], out: Finding[]): Set<string> {
  const none = new Set<string>();
  const withDomains = cyrus.filter((c) => option(c.router, 'domains')?.value !== undefined);
  // A catch-all router to Cyrus takes whatever the ACL lets through.
  if (!withDomains.length || withDomains.length < cyrus.length) return none;
  const routed = [...new Set(withDomains.flatMap((c) => routerDomains(ctx, c.router) ?? []))];
  const toCyrus = (d: string): Tri => {
    const answers = withDomains.map((c) => matchDomain(ctx, option(c.router, 'domains')!.value!, d));
    return answers.includes('yes') ? 'yes' : answers.every((a) => a === 'no') ? 'no' : 'unknown';
  };
  const cyrusSet = new Set(cyrus.map((c) => c.router));
  // Statements that accept (or verify) mail for any recipient of the domains they list: the
  // ones that say which domains the ACL takes, as opposed to one for postmaster or for
  // some hosts only.
  const stmts = acl.filter((s) => (calloutItem(s) || (s.accepts && domainConds(s).length > 0 && routed.some((d) => applies(ctx, s, d) === 'yes')))
    && !restrictions(s).length);
  if (!stmts.length) return none;
  const accepted = (s: RcptStatement) => [...new Set(domainConds(s).filter((c) => !c.negated)
    .flatMap((c) => literalDomains(ctx, c.value!)))].filter((d) => applies(ctx, s, d) === 'yes');
  // The ACL's Cyrus statements: those that take Cyrus's domains because they are Cyrus's.
  // One that also takes domains another router handles, or this machine's own names, is a
  // statement for local or relayed mail in general, which happens to include Cyrus's.
  const cyrusOwn = stmts.filter((s) => domainConds(s).some((c) => !c.negated) && accepted(s).every((d) =>
    toCyrus(d) === 'yes' || (takenElsewhere(ctx, cyrusSet, d) !== 'yes' && !ownName(ctx, d))));
  const mainRouter = withDomains[0].router;
  const rOpt = option(mainRouter, 'domains')!;
  const rAt = rOpt.valueLoc ?? rOpt.loc;
  const routerRel: Related = { file: rAt.file, range: rAt.range, message: `router ${mainRouter.name} sends ${someOf(routed) || 'these domains'} to Cyrus` };

  // Accepted or verified as Cyrus's, but routed elsewhere.
  const reported = new Set<AclItem>();
  for (const s of cyrusOwn) {
    for (const cond of domainConds(s)) {
      if (cond.negated || reported.has(cond)) continue;
      const extra = literalDomains(ctx, cond.value!).filter((d) => applies(ctx, s, d) === 'yes' && toCyrus(d) === 'no');
      if (!extra.length) continue;
      reported.add(cond);
      const at = cond.valueLoc ?? cond.nameLoc;
      const edit = appendItems(rOpt.valueLoc, rOpt.value!, extra);
      // Widening the Cyrus router is a plain fix only when no other router would take these
      // domains: otherwise it moves mail (for some addresses at least) from that router to Cyrus.
      const moves = extra.filter((d) => takenElsewhere(ctx, cyrusSet, d) !== 'no');
      const title = `Add ${someOf(extra)} to router ${mainRouter.name}'s domains`;
      const fixes = !edit ? [] : moves.length
        ? [manualFix(`${title} (other routers may now take mail for ${someOf(moves)}: it would go to Cyrus instead)`, [edit])]
        : [fix(title, [edit])];
      out.push(finding('link/domain-mismatch', at.file, at.range,
        `The RCPT ACL ${calloutItem(s) ? 'verifies' : 'accepts'} ${someOf(extra)} as a Cyrus domain here, but no router sends ${extra.length > 1 ? 'them' : 'it'} to Cyrus (router ${mainRouter.name} has domains = ${rOpt.value!.trim()}): that mail is accepted and then delivered elsewhere or bounced.${moves.length ? ' Add it to the Cyrus router only if Cyrus is meant to take all of its mail, or take it out of this list.' : ''}`,
        { related: [routerRel], ...(fixes.length ? { fixes } : {}) }));
    }
  }

  // Sent to Cyrus, but neither verified nor accepted as Cyrus's by the ACL.
  const covering = stmts.filter((s) => domainConds(s).some((c) => !c.negated));
  if (covering.length < stmts.length) return none;
  const missing = routed.filter((d) => stmts.every((s) => applies(ctx, s, d) === 'no'));
  if (!missing.length) return none;
  // The list to extend: the Cyrus statements' own, else every accepting one's.
  const owners = cyrusOwn.length ? cyrusOwn : covering;
  const conds = [...new Set(owners.map((s) => domainConds(s).find((x) => !x.negated)!))];
  const first = conds[0];
  const related: Related[] = conds.map((c) => {
    const at = c.valueLoc ?? c.nameLoc;
    return { file: at.file, range: at.range, message: `the RCPT ACL takes only ${c.value!.trim()} as Cyrus's here` };
  });
  const edits = conds.map((c) => appendItems(c.valueLoc, c.value!, missing));
  out.push(finding('link/domain-mismatch', rAt.file, rAt.range,
    `Router ${mainRouter.name} sends ${someOf(missing)} to Cyrus, but the RCPT ACL neither verifies nor accepts ${missing.length > 1 ? 'them' : 'it'} as a Cyrus domain (it uses ${first.value!.trim()}): mail from outside for ${missing.length > 1 ? 'them' : 'it'} is refused as relaying, or unknown users are not rejected at RCPT time.`,
    { related, ...(edits.every((e) => e) ? { fixes: [fix(`Add ${someOf(missing)} to the RCPT ACL's Cyrus domains`, edits as NonNullable<typeof edits[number]>[])] } : {}) }));
  return new Set(missing);
}

/** Where an ordinary outside client connects from: a documentation address, in no host list. */
const OUTSIDER = '192.0.2.1';

/**
 * How an ACL condition fares for mail to `domain` from an ordinary outside host at
 * `address` (in no host list that names hosts, not authenticated), with a sender and a
 * recipient that verify. Anything else (local parts, lookups, DNS lists, sub-ACLs …) is unknown.
 */
export function outsiderCondition(ctx: LinkContext, it: AclItem, domain: string, address = OUTSIDER): Tri {
  const v = (it.value ?? '').trim();
  let r: Tri = 'unknown';
  if (it.name === 'domains') r = matchDomain(ctx, v, domain);
  // An empty list (`hosts = :`) matches only mail submitted locally, without SMTP.
  else if (it.name === 'hosts') r = v.split(':').every((x) => !x.trim()) ? 'no' : matchHost(ctx, v, address, [address]);
  else if (it.name === 'authenticated') r = 'no';
  else if (it.name === 'verify' && /^(recipient|sender)\b/i.test(v)) r = 'yes';
  return it.negated ? negate(r) : r;
}

/** A `[!]domains = list` condition as a test of one domain at a time, for asking it of many. */
export function domainCondition(ctx: LinkContext, it: AclItem): (domain: string) => Tri {
  const m = domainMatcher(ctx, (it.value ?? '').trim());
  return it.negated ? (d) => negate(m(d)) : m;
}

/**
 * Where the RCPT ACL's own statements (its sub-ACLs unknown) take mail to `domain` from an
 * outside host: accepted, maybe (it depends on what we cannot know), or certainly refused,
 * with the statement that refuses it (none: the ACL ends, which denies).
 */
function outsiderFate(ctx: LinkContext, domain: string): { fate: 'accepted' | 'maybe' | 'refused'; at?: AclStatement } {
  const plan = outsiderPlan(ctx);
  if (!plan) return { fate: 'maybe' };
  for (const { stmt, verb, fixed, domains } of plan) {
    // No array per statement and domain: thousands of domains each walk the whole ACL.
    let all = fixed;
    for (let i = 0; all !== 'no' && i < domains.length; i++) {
      const r = domains[i](domain);
      if (r !== 'yes') all = r;
    }
    switch (verb) {
      case 'accept': case 'discard':
        if (all === 'yes') return { fate: 'accepted' };
        if (all === 'unknown') return { fate: 'maybe' };
        break;
      // Where a refusal is uncertain, going on looks for a way in: refused either way.
      case 'deny': case 'drop': case 'defer':
        if (all === 'yes') return { fate: 'refused', at: stmt };
        break;
      case 'require':
        if (all === 'no') return { fate: 'refused', at: stmt };
        break;
      case 'warn': break;
      default: return { fate: 'maybe' };
    }
  }
  return { fate: 'refused' };
}

/** Conditions folded as a statement folds them: any no is no, all yes is yes, else unknown. */
function allOf(ts: Tri[]): Tri {
  return ts.includes('no') ? 'no' : ts.every((t) => t === 'yes') ? 'yes' : 'unknown';
}

interface OutsiderStep { stmt: AclStatement; verb: string; fixed: Tri; domains: ((d: string) => Tri)[] }

/**
 * Per check: the RCPT ACL's statements, each with its conditions as outsiderCondition judges
 * them, those about the domain as matchers (undefined: no RCPT ACL to walk). A Cyrus router
 * may have thousands of domains, each walked through the ACL.
 */
const outsiderPlans = new WeakMap<LinkContext, { plan: OutsiderStep[] | undefined }>();

function outsiderPlan(ctx: LinkContext): OutsiderStep[] | undefined {
  const known = outsiderPlans.get(ctx);
  if (known) return known.plan;
  const name = mainValue(ctx.cfg, 'acl_smtp_rcpt')?.trim();
  const acl = name && !name.includes('$') ? ctx.cfg.acls?.find((a) => a.name === name) : undefined;
  const plan = acl?.statements.map((stmt) => {
    const conds = stmt.items.filter(isCondition);
    const domains = conds.filter((it) => it.name === 'domains').map((it) => domainCondition(ctx, it));
    return { stmt, verb: stmt.verb.toLowerCase(), fixed: allOf(conds.filter((it) => it.name !== 'domains').map((it) => outsiderCondition(ctx, it, ''))), domains };
  });
  outsiderPlans.set(ctx, { plan });
  return plan;
}

/**
 * Cyrus's domains that the RCPT ACL accepts from no outside host: a `require domains =`
 * ("relay not permitted"), a deny, or the end of the ACL refuses mail for them. When the ACL
 * verifies them first (a callout, or verify = recipient), the refusal comes after the
 * callout passes: existing mailboxes are refused. When it does not, the Cyrus domains were
 * left out of the domains the ACL takes (Debian's ACL takes +local_domains and
 * +relay_to_domains only, and a Cyrus domain list added beside them is in neither). Found
 * live (Exim 4.96, Debian's conf.d with a Cyrus router and transport added): RCPT from
 * outside for a Cyrus domain gets "550 relay not permitted".
 */
function checkNotAccepted(ctx: LinkContext, acl: RcptStatement[], cyrus: CyrusRouter[], said: Set<string>, out: Finding[]): void {
  const withDomains = cyrus.filter((c) => option(c.router, 'domains')?.value !== undefined);
  if (!withDomains.length) return;
  const verifies = acl.filter((s) => s.stmt.items.some(isRecipientVerify));
  // Without primary_hostname, `@` (in Debian's local_domains) is the machine's name, known
  // only where Exim runs: a domain refused unless it is that name is reported as such.
  const guess: LinkContext | undefined = ctx.primaryHostname === undefined ? { ...ctx, otherHostname: true } : undefined;
  const unlessHostname = new Set<string>();
  // One key per refusing statement and per whether a recipient check comes first: each
  // domain's fate is worked out once (a Cyrus router may have thousands).
  const keys = new Map<AclStatement | undefined, { stmt: AclStatement | undefined; verified: boolean }[]>();
  const keyOf = (stmt: AclStatement | undefined, verified: boolean) => {
    let k = keys.get(stmt);
    if (!k) keys.set(stmt, k = [{ stmt, verified: false }, { stmt, verified: true }]);
    return k[verified ? 1 : 0];
  };
  const byKey = groupDomains(ctx, withDomains, (c, d) => {
    if (said.has(d) || routerFor(ctx, d) !== c.router) return null;
    let f = outsiderFate(ctx, d);
    let sure = true;
    if (f.fate !== 'refused' && guess) {
      f = outsiderFate(guess, d);
      sure = false;
    }
    if (f.fate !== 'refused') return null;
    const end = f.at ? acl.findIndex((s) => s.stmt === f.at) : acl.length;
    const verified = verifies.some((s) => acl.indexOf(s) < end && applies(ctx, s, d) === 'yes');
    // A domain refused only if @ is not it, and verified first: the first case's message
    // would claim too much, and the second's is not this one's.
    if (verified && !sure) return null;
    if (!sure) unlessHostname.add(d);
    return keyOf(f.at, verified);
  });
  for (const [{ stmt, verified }, { router, domains: found }] of byKey) {
    const domains = [...found];
    const rOpt = option(router.router, 'domains')!;
    const rAt = rOpt.valueLoc ?? rOpt.loc;
    const them = domains.length > 1 ? 'them' : 'it';
    const msg = stmt?.items.find((it) => it.name === 'message')?.value?.trim();
    const where = stmt ? `the ${stmt.verb} statement here refuses ${them}${msg ? ` ("${msg}")` : ''}` : `the ACL ends without accepting ${them}, which denies`;
    const related: Related[] = stmt ? [{ file: stmt.verbLoc.file, range: stmt.verbLoc.range, message: `mail from outside for ${someOf(domains)} is refused here` }] : [];
    out.push(finding('link/domain-mismatch', rAt.file, rAt.range, verified
      ? `Router ${router.router.name} sends ${someOf(domains)} to Cyrus and the RCPT ACL verifies ${them}, but none of its statements accepts ${them} from other hosts: ${where}. Mail from outside for ${them} is refused, existing mailboxes included. Accept ${them} after the recipient check (for example accept domains = ${rOpt.value!.trim()}).`
      : `Router ${router.router.name} sends ${someOf(domains)} to Cyrus, but the RCPT ACL accepts ${them} from no other host${unlessText(domains.filter((d) => unlessHostname.has(d)))}: ${where}. Mail from outside for ${them} never reaches Cyrus. Add ${them} to the domains the ACL takes (for example to local_domains: domainlist local_domains = ... : ${rOpt.value!.trim()}), unless Cyrus is meant to get mail for ${them} from your own hosts and users only.`,
      { related }));
  }
}

/** The domains that are refused unless one is the machine's own name, which `@` stands for. */
function unlessText(domains: string[]): string {
  if (!domains.length) return '';
  return ` (unless ${domains.length > 1 ? `one of ${someOf(domains)}` : domains[0]} is this machine's own name: primary_hostname is not set, so Exim uses the machine's name, and @ in a domain list stands for it)`;
}

/** Appends items to a one-line, colon-separated list as written. */
function appendItems(loc: { file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } } | undefined, value: string, items: string[]) {
  if (!loc || loc.range.start.line !== loc.range.end.line || /^\s*</.test(value) || value.includes('$')) return undefined;
  return insertAt(loc.file, loc.range.end.line, loc.range.end.character, items.map((d) => ` : ${d}`).join(''));
}

export function checkAclDomains(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  const acl = rcptAcl(ctx);
  const cyrus = cyrusRouters(ctx);
  if (!acl.length || !cyrus.length) return out;
  checkCalloutTcp(ctx, acl, cyrus, out);
  const said = checkMismatch(ctx, acl, cyrus, out);
  checkNotAccepted(ctx, acl, cyrus, said, out);
  return out;
}
