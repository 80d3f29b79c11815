// exim/router-empty-sender: a router's `senders` list that never matches the empty sender,
// in a router that verifies senders, while an ACL asks for `verify = sender`. Exim routes a
// sender address to verify it with $sender_address set to <> (verify.c: as a bounce to that
// address would be routed), so the router is passed by, and so is every bounce to its
// addresses. Only an empty item matches the empty sender (a regex or a whole-address lookup
// may); at the end of a list the answer is yes only after a negated item (match.c), so
// `senders = ! +blocked_senders` matches it and `senders = ! +blocked_senders : *` does not.
// Found by the runtime mutation harness and live (Exim 4.96, exim4 -bh): with the second, a
// local user's own address fails sender verification ("Unknown user"), 550 to every RCPT.
//
// Left alone: routers that are unseen or do not verify senders (no_verify, verify_sender =
// false), lists built at run time or holding a regex or a whole-address lookup (they may
// match <>; a list written with \N or $ is not read at all), configs whose ACLs do not
// verify senders, and routers followed by one that may take the same addresses from the
// empty sender: Exim goes on to it (exim4 -bt -f '<>': a smarthost router for one sender,
// `senders = someone@example.org`, then a dnslookup router for every domain it serves).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig, NamedList } from '../../exim/model';
import { splitList } from '../../exim/lists';
import type { CheckOptions } from '../../options';
import { describe, given, on, writtenValue } from './instance-options';
import { verifiesSenders } from '../link/routing';
import { makeContext, value, type LinkContext } from '../link/context';
import { matchDomain, plainDomainNames } from '../link/match';

type Tri = 'yes' | 'no' | 'unknown';

/** Whether an address list matches the empty address; `lists` by name, `seen` against loops. */
function matchesEmpty(value: string, lists: Map<string, NamedList>, seen: Set<string>): Tri {
  const items = splitList(value).items;
  let lastNegated = false;
  for (const it of items) {
    const body = it.text.replace(/^!\s*/, '').trim();
    let m: Tri;
    if (body === '') m = 'yes';
    else if (body.startsWith('+')) {
      const l = lists.get(body.slice(1));
      if (!l || seen.has(l.name) || /[$\\]/.test(l.value)) m = 'unknown';
      else m = matchesEmpty(l.value, lists, new Set(seen).add(l.name));
    } else if (body.startsWith('^') || /^[\w-]+\*?@?;/.test(body) || body.startsWith('/') || body.includes('$')) m = 'unknown';
    else m = 'no';
    if (m === 'unknown') return 'unknown';
    if (m === 'yes') return it.negated ? 'no' : 'yes';
    lastNegated = it.negated;
  }
  return lastNegated ? 'yes' : 'no';
}

/**
 * Whether two routers' `domains` may both match some domain (no list: every domain). Only
 * certain answers part them: a list and its negation (`! +local_domains`, `+local_domains`),
 * or plain names the other list does not match.
 */
function mayShareDomains(ctx: LinkContext, a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  const x = a.replace(/\s+/g, ''), y = b.replace(/\s+/g, '');
  const single = (l: string) => !l.includes(':') && !l.startsWith('<');
  if (single(x) && single(y) && (x === `!${y}` || y === `!${x}`)) return false;
  const only = (names: ReadonlySet<string> | undefined, other: string) => names !== undefined && [...names].every((d) => matchDomain(ctx, other, d) === 'no');
  return !only(plainDomainNames(ctx, a.trim()), b.trim()) && !only(plainDomainNames(ctx, b.trim()), a.trim());
}

/** Whether a router after `r` may take an address `r` takes from the empty sender, verifying it as a sender. */
function laterTakesEmptySender(cfg: EximConfig, ctx: LinkContext, r: DriverInstance, lists: Map<string, NamedList>): boolean {
  const domains = value(r, 'domains');
  return cfg.routers.slice(cfg.routers.indexOf(r) + 1).some((later) => {
    if (verifiesSenders(later) === false) return false;
    const s = writtenValue(given(later, 'senders'));
    if (s !== undefined && matchesEmpty(s, lists, new Set()) === 'no') return false;
    return mayShareDomains(ctx, domains, value(later, 'domains'));
  });
}

export function checkRouterSenders(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (!cfg.routers.some((r) => given(r, 'senders'))) return out;
  const aclVerifiesSenders = cfg.acls.some((a) => a.statements.some((st) => st.items.some((it) => it.name === 'verify' && /^\s*sender\b/.test(it.value ?? ''))));
  if (!aclVerifiesSenders) return out;
  const lists = new Map<string, NamedList>();
  for (const l of cfg.lists) if (l.kind === 'addresslist' && !lists.has(l.name)) lists.set(l.name, l);
  let ctx: LinkContext | undefined;
  for (const r of cfg.routers) {
    const s = given(r, 'senders');
    const v = writtenValue(s);
    if (!s?.valueLoc || v === undefined) continue;
    if (r.options.some((o) => o.name === 'unseen' && on(o) !== false)) continue;
    if (verifiesSenders(r) !== true) continue;
    if (matchesEmpty(v, lists, new Set()) !== 'no') continue;
    if (laterTakesEmptySender(cfg, ctx ??= makeContext(cfg), r, lists)) continue;
    out.push(finding('exim/router-empty-sender', s.valueLoc.file, s.valueLoc.range,
      `In ${describe(r)}, senders = ${v.trim()} never matches the empty sender, and Exim routes an address with an empty sender both to verify it as a sender (verify = sender in the ACLs) and to deliver a bounce to it: this router is passed by each time, and no router after it takes these addresses. A sender whose address only this router handles fails verification (550 "Sender verify failed"), and bounces to such addresses go astray. Let the empty sender through: end the list with a negated item (senders = ! +blocked_senders matches everyone else, <> included), or put an empty item first (senders = <; ; ...).`));
  }
  return out;
}
