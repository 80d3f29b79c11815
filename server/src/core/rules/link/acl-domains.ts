// The RCPT ACL against the routers to Cyrus: link/callout-needs-tcp (a recipient callout
// for domains delivered over a UNIX socket, which Exim cannot call out to) and
// link/domain-mismatch (the ACL treats other domains as Cyrus's than the routers do).
// Statements of the ACLs the RCPT ACL runs with `acl = NAME` count too, under the
// `domains` conditions that the calling statement checks first.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, AclStatement } from '../../exim/model';
import type { LinkContext } from './context';
import { mainValue, option } from './context';
import { fix, insertAt } from './edits';
import { literalDomains, matchDomain, type Tri } from './match';
import { cyrusRouters, routerDomains, routerFor, type CyrusRouter } from './routing';

/** A statement the RCPT ACL may run, directly or through `acl =` conditions. */
interface RcptStatement {
  stmt: AclStatement;
  /** `domains` conditions the calling statements check before their `acl =`: all must hold to get here. */
  pre: AclItem[];
  /** Whether this statement accepting makes the RCPT ACL accept (an accept called only from accepts). */
  accepts: boolean;
}

/** Bounds the walk through sub-ACLs that call each other many times over. */
const MAX_STATEMENTS = 5000;

function rcptAcl(ctx: LinkContext): RcptStatement[] {
  const name = mainValue(ctx.cfg, 'acl_smtp_rcpt')?.trim();
  if (!name || name.includes('$')) return [];
  const out: RcptStatement[] = [];
  const walk = (aclName: string, pre: AclItem[], accepting: boolean, seen: Set<string>): void => {
    const acl = ctx.cfg.acls?.find((a) => a.name === aclName);
    if (!acl || seen.has(aclName)) return;
    const inside = new Set(seen).add(aclName);
    for (const stmt of acl.statements) {
      if (out.length >= MAX_STATEMENTS) return;
      out.push({ stmt, pre, accepts: accepting && stmt.verb === 'accept' });
      stmt.items.forEach((it, i) => {
        // `acl = NAME arg…`: an expanded name is decided at run time.
        const sub = it.name === 'acl' ? it.value?.trim().split(/\s+/)[0] : undefined;
        if (!sub || sub.includes('$')) return;
        const before = stmt.items.slice(0, i).filter((x) => x.name === 'domains' && x.value !== undefined);
        walk(sub, [...pre, ...before], accepting && stmt.verb === 'accept' && !it.negated, inside);
      });
    }
  };
  walk(name, [], true, new Set());
  return out;
}

function calloutItem(s: RcptStatement): AclItem | undefined {
  return s.stmt.items.find((i) => i.name === 'verify' && /^\s*recipient\b[^]*\/\s*callout\b/i.test(i.value ?? ''));
}

/** The `domains` conditions that must all hold for the statement to apply (its callers' first). */
function domainConds(s: RcptStatement): AclItem[] {
  return [...s.pre, ...s.stmt.items.filter((i) => i.name === 'domains' && i.value !== undefined)];
}

function applies(ctx: LinkContext, s: RcptStatement, domain: string): Tri {
  let r: Tri = 'yes';
  for (const c of domainConds(s)) {
    let m = matchDomain(ctx, c.value!, domain);
    if (c.negated && m !== 'unknown') m = m === 'yes' ? 'no' : 'yes';
    if (m === 'no') return 'no';
    if (m === 'unknown') r = 'unknown';
  }
  return r;
}

function checkCalloutTcp(ctx: LinkContext, acl: RcptStatement[], cyrus: CyrusRouter[], out: Finding[]): void {
  const socketRouters = cyrus.filter((c) => c.via.kind !== 'tcp');
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
      const r = routerFor(ctx, d);
      const c = socketRouters.find((x) => x.router === r);
      if (c) hits.set(c, [...(hits.get(c) ?? []), d]);
    }
    for (const [c, domains] of hits) {
      const at = item.valueLoc ?? item.nameLoc;
      const t = c.via;
      const tAt = t.kind === 'unix' ? t.socketOpt.valueLoc ?? t.socketOpt.loc : t.kind === 'command' ? t.commandOpt.valueLoc ?? t.commandOpt.loc : t.transport.nameLoc;
      out.push(finding('link/callout-needs-tcp', at.file, at.range,
        `This recipient callout cannot reach Cyrus for ${domains.join(', ')}: router ${c.router.name} delivers ${domains.length > 1 ? 'them' : 'it'} through transport ${t.transport.name} (${t.kind === 'unix' ? `lmtp over the UNIX socket ${t.path}` : 'a command'}), and Exim calls out only through smtp transports. The callout is skipped and every recipient is accepted, unknown ones included. Deliver over TCP (smtp transport with protocol = lmtp to lmtpd -a on loopback).`,
        { related: [{ file: tAt.file, range: tAt.range, message: `transport ${t.transport.name} is not an smtp transport` }] }));
    }
  }
}

/** RCPT statements about Cyrus's domains: recipient callouts, and accepts whose domains overlap them. */
function cyrusStatements(ctx: LinkContext, acl: RcptStatement[], routed: string[]): RcptStatement[] {
  return acl.filter((s) => calloutItem(s)
    || (s.accepts && domainConds(s).length > 0 && routed.some((d) => applies(ctx, s, d) === 'yes')));
}

function checkMismatch(ctx: LinkContext, acl: RcptStatement[], cyrus: CyrusRouter[], out: Finding[]): void {
  const withDomains = cyrus.filter((c) => option(c.router, 'domains')?.value !== undefined);
  // A catch-all router to Cyrus takes whatever the ACL lets through.
  if (!withDomains.length || withDomains.length < cyrus.length) return;
  const routed = [...new Set(withDomains.flatMap((c) => routerDomains(ctx, c.router) ?? []))];
  const toCyrus = (d: string): Tri => {
    const answers = withDomains.map((c) => matchDomain(ctx, option(c.router, 'domains')!.value!, d));
    return answers.includes('yes') ? 'yes' : answers.every((a) => a === 'no') ? 'no' : 'unknown';
  };
  const stmts = cyrusStatements(ctx, acl, routed);
  if (!stmts.length) return;
  const mainRouter = withDomains[0].router;
  const rOpt = option(mainRouter, 'domains')!;
  const rAt = rOpt.valueLoc ?? rOpt.loc;
  const routerRel: Related = { file: rAt.file, range: rAt.range, message: `router ${mainRouter.name} sends ${routed.join(', ') || 'these domains'} to Cyrus` };

  // Accepted or verified as Cyrus's, but routed elsewhere.
  const reported = new Set<AclItem>();
  for (const s of stmts) {
    for (const cond of domainConds(s)) {
      if (cond.negated || reported.has(cond)) continue;
      const extra = literalDomains(ctx, cond.value!).filter((d) => applies(ctx, s, d) === 'yes' && toCyrus(d) === 'no');
      if (!extra.length) continue;
      reported.add(cond);
      const at = cond.valueLoc ?? cond.nameLoc;
      const edit = appendItems(rOpt.valueLoc, rOpt.value!, extra);
      out.push(finding('link/domain-mismatch', at.file, at.range,
        `The RCPT ACL ${calloutItem(s) ? 'verifies' : 'accepts'} ${extra.join(', ')} as a Cyrus domain here, but no router sends ${extra.length > 1 ? 'them' : 'it'} to Cyrus (router ${mainRouter.name} has domains = ${rOpt.value!.trim()}): that mail is accepted and then delivered elsewhere or bounced.`,
        { related: [routerRel], ...(edit ? { fixes: [fix(`Add ${extra.join(', ')} to router ${mainRouter.name}'s domains`, [edit])] } : {}) }));
    }
  }

  // Sent to Cyrus, but neither verified nor accepted as Cyrus's by the ACL.
  const covering = stmts.filter((s) => domainConds(s).some((c) => !c.negated));
  if (covering.length < stmts.length) return;
  const missing = routed.filter((d) => stmts.every((s) => applies(ctx, s, d) === 'no'));
  if (!missing.length) return;
  const conds = [...new Set(covering.map((s) => domainConds(s).find((x) => !x.negated)!))];
  const first = conds[0];
  const related: Related[] = conds.map((c) => {
    const at = c.valueLoc ?? c.nameLoc;
    return { file: at.file, range: at.range, message: `the RCPT ACL takes only ${c.value!.trim()} as Cyrus's here` };
  });
  const edits = conds.map((c) => appendItems(c.valueLoc, c.value!, missing));
  out.push(finding('link/domain-mismatch', rAt.file, rAt.range,
    `Router ${mainRouter.name} sends ${missing.join(', ')} to Cyrus, but the RCPT ACL neither verifies nor accepts ${missing.length > 1 ? 'them' : 'it'} as a Cyrus domain (it uses ${first.value!.trim()}): mail from outside for ${missing.length > 1 ? 'them' : 'it'} is refused as relaying, or unknown users are not rejected at RCPT time.`,
    { related, ...(edits.every((e) => e) ? { fixes: [fix(`Add ${missing.join(', ')} to the RCPT ACL's Cyrus domains`, edits as NonNullable<typeof edits[number]>[])] } : {}) }));
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
  checkMismatch(ctx, acl, cyrus, out);
  return out;
}
