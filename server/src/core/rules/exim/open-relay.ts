// exim/open-relay: the RCPT ACL accepts mail from any host on the Internet for any domain.
// Exim takes such a config without a word, and answers "250 Accepted" to RCPT TO:<x@anywhere>
// from a stranger (seen with exim4 -bh 192.0.2.1): spammers find such servers within hours
// and the machine lands on every block list. Usual causes: an `accept` left at the top for a
// test, a relay list written `!hosts = +relay_from_hosts`, or a relay check removed.
//
// The ACL is walked for an outside client (203.0.113.254, in no host list that names hosts, not
// authenticated) writing to a domain nobody handles, with a sender it forges at will. Only
// a path that certainly gets to an accepting statement counts: a statement that might refuse
// and that the client cannot steer round (a domains, recipients or condition test it cannot
// judge here, a host list needing DNS in a require) ends the walk without a finding, unless
// another of its conditions is one he makes false (a blacklist of senders or hosts he is not
// in; Debian's "too many bad recipients" test, false at his first RCPT). An
// `acl = NAME` condition is true for the stranger when he certainly reaches an accepting
// statement of NAME, walked the same way (exim4 -bh: `accept acl = sub` where sub accepts
// takes his mail); otherwise it is not judged.
//
// Mail taken is relayed only if a router can send it on. When no router may take an address
// at a domain of his choosing to a transport that sends mail elsewhere (smtp, or a pipe,
// which may hand it to another mailer), nothing is relayed: with `verify = recipient` he
// gets "550 Unrouteable address", and without it, his mail stays here (exim4 -bt: every
// router `domains = +local_domains`, or all of them accept into local files). A config
// with no routers at all is taken as a fragment whose routing is not known.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { Acl, AclItem, AclStatement, EximConfig, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { aclCondition } from '../../catalog/exim';
import { makeContext, boolOption, value, type LinkContext } from '../link/context';
import { matchDomain } from '../link/match';
import { outsiderCondition } from '../link/acl-domains';
import { falseAtFirstRcpt } from '../link/unknown-users';
import type { Tri } from '../link/match';
import { aclCallName, aclNameOf, aclsByName } from './acl-where';
import { mainSetting } from './instance-options';

/** A domain no router of any config handles: where a relaying spammer writes. */
const FOREIGN = 'relay-check.invalid';
/**
 * The stranger's address: one no real host list names (192.0.2.1, the link rules' outsider,
 * is written in examples and tests as a host that is listed).
 */
const STRANGER = '203.0.113.254';

/** Conditions about where the mail goes: one of these unjudged may be the relay check itself. */
const ABOUT_RECIPIENT = new Set(['domains', 'recipients', 'condition', 'acl']);
const READS_RECIPIENT = /\$\{?(domain|local_part|address|recipients?|acl_|h_|header_)/;

/** Conditions a stranger can make true as he likes: his sender, local part, pace, TLS. */
const SATISFIABLE = new Set(['senders', 'sender_domains', 'local_parts', 'ratelimit', 'encrypted', 'verify']);

const isCondition = (it: AclItem) => aclCondition(it.name)?.kind === 'condition';

/** Whether an unjudged condition may stand between the stranger and relaying when it holds. */
function mayRefuseWhenTrue(it: AclItem): boolean {
  return ABOUT_RECIPIENT.has(it.name) || READS_RECIPIENT.test(it.value ?? '');
}

/** Whether the stranger cannot be sure to make an unjudged condition hold. */
function mayFail(it: AclItem): boolean {
  if (READS_RECIPIENT.test(it.value ?? '')) return true;
  if (it.name === 'dnslists') return !it.negated;
  if (it.name === 'verify') return /^\s*recipient\b/i.test(it.value ?? '') && it.negated;
  return !SATISFIABLE.has(it.name);
}

/**
 * A list that may match every sender or every host: a `*` item, or a negated one (a list
 * ending in one matches whatever it does not name: "! +relay_from_hosts" takes the stranger).
 */
const MATCHES_ALL = /(^|:)\s*(!|(\*|\*@\*?|0\.0\.0\.0\/0|::\/0)\s*(:|$))/;

/**
 * Whether the stranger can make an unjudged condition false, and so get past a deny that needs
 * it: a list of senders he is not (he forges his own) or of hosts he is not (he sends from
 * another address). Debian's RCPT ACL denies `!acl = acl_local_deny_exceptions` together with
 * `senders` or `hosts` from a blacklist file, which holds the spammers already seen, not him.
 */
function mayAvoid(it: AclItem): boolean {
  const v = it.value ?? '';
  return !it.negated && (it.name === 'senders' || it.name === 'sender_domains' || it.name === 'hosts')
    && !READS_RECIPIENT.test(v) && !MATCHES_ALL.test(v);
}

/**
 * The ACLs by name (Exim refuses two of one name), those being walked (a loop is not
 * followed), and for each `acl =` condition found true, the statement of its ACL that accepts.
 */
interface Walk { ctx: LinkContext; acls: Map<string, Acl>; walking: Set<string>; accepts: Map<AclItem, { acl: string; st: AclStatement }> }

/**
 * An `acl = NAME` condition for the stranger: true when he certainly reaches an accepting
 * statement of NAME (so it accepts, and the condition holds), else not judged. Either answer
 * only ever ends the outer walk or lets him through where he could steer through anyway.
 */
function subAcl(w: Walk, it: AclItem): Tri {
  const name = aclCallName(it.value);
  const statements = name !== undefined ? w.acls.get(name)?.statements : undefined;
  if (!name || !statements || w.walking.has(name)) return 'unknown';
  w.walking.add(name);
  try {
    const st = relayingStatement(w, statements);
    if (!st) return 'unknown';
    w.accepts.set(it, { acl: name, st });
    return it.negated ? 'no' : 'yes';
  } finally {
    w.walking.delete(name);
  }
}

/** The accepting statement a stranger certainly reaches with mail for anywhere, if any. */
function relayingStatement(w: Walk, statements: AclStatement[]): AclStatement | undefined {
  for (const st of statements) {
    // A word Exim does not know (it refuses the config): not judged.
    if (st.items.some((it) => it.name !== 'endpass' && !aclCondition(it.name))) return undefined;
    const pass = st.items.findIndex((it) => it.name === 'endpass');
    const judge = (items: AclItem[]): [AclItem, Tri][] => items.filter(isCondition).map((it) => [it,
      it.name === 'acl' ? subAcl(w, it)
      : it.name === 'condition' && falseAtFirstRcpt(it.value ?? '') ? (it.negated ? 'yes' : 'no')
      : outsiderCondition(w.ctx, it, FOREIGN, STRANGER)]);
    // Conditions after endpass (accept and discard only) decide between this verb and deny:
    // Debian's `accept domains = +relay_to_domains endpass verify = recipient` takes
    // whatever a router sends elsewhere once relay_to_domains is `*` (exim4 -bh: 250).
    const judged = judge(pass < 0 ? st.items : st.items.slice(0, pass));
    const after = pass < 0 ? [] : judge(st.items.slice(pass + 1));
    const unknown = judged.filter(([, t]) => t === 'unknown').map(([it]) => it);
    const no = judged.some(([, t]) => t === 'no');
    const afterHolds = after.every(([, t]) => t === 'yes');
    switch (st.verb) {
      case 'accept':
        if (no) break;
        if (!afterHolds) return undefined;
        if (!unknown.length) return st;
        break;
      // discard answers 250 but throws the recipient away: nothing is relayed.
      case 'discard': case 'deny': case 'drop': case 'defer':
        if (no) break;
        if (!unknown.length) return undefined;
        if (unknown.some(mayRefuseWhenTrue) && !unknown.some(mayAvoid)) return undefined;
        break;
      case 'require':
        if (no || unknown.some(mayFail)) return undefined;
        break;
      case 'warn': break;
      default: return undefined;
    }
  }
  return undefined;
}

/** Transport drivers that keep mail here: a file or mailbox, an LMTP command or socket, a reply of our own. */
const KEEPS_MAIL = new Set(['appendfile', 'lmtp', 'autoreply']);

/**
 * Whether some router may send mail for a domain the stranger picks elsewhere. A redirect
 * router sends nothing itself: the addresses it makes go through these routers again, and
 * its pipes and files come from its data, not from him.
 */
function mayRelay(cfg: EximConfig, ctx: LinkContext): boolean {
  if (!cfg.routers.length) return true;
  const transports = new Map(cfg.transports.map((t) => [t.name, t]));
  return cfg.routers.some((r) => {
    const driver = r.driver?.trim();
    if (driver === 'redirect' || boolOption(r, 'verify_only', false) === true) return false;
    const domains = value(r, 'domains');
    if (domains !== undefined && matchDomain(ctx, domains.trim(), FOREIGN) === 'no') return false;
    const name = value(r, 'transport')?.trim();
    const t = name !== undefined && !name.includes('$') ? transports.get(name) : undefined;
    return !t || !KEEPS_MAIL.has(t.driver?.trim() ?? '');
  });
}

export function checkOpenRelay(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const s: OptionSetting | undefined = mainSetting(cfg, 'acl_smtp_rcpt');
  const name = s && !s.negated ? aclNameOf(s.value) : undefined;
  if (!s?.valueLoc || !name) return [];
  const acls = aclsByName(cfg);
  const statements = acls.get(name)?.statements;
  const advice = 'Accept only your own domains from strangers (require domains = +local_domains : +relay_to_domains before it), or only your own clients (hosts = +relay_from_hosts, authenticated = *).';
  const ctx: LinkContext = { ...makeContext(cfg), otherHostname: true };
  if (!statements) {
    // Inline ACL text: `acl_smtp_rcpt = accept` accepts every recipient.
    if (name !== 'accept' || !mayRelay(cfg, ctx)) return [];
    return [finding('exim/open-relay', s.valueLoc.file, s.valueLoc.range,
      `Open relay: acl_smtp_rcpt = accept takes every recipient from any host, for any domain. Anyone on the Internet can send mail anywhere through this server, and it will be block-listed. Name an ACL instead, one that accepts only your own domains from strangers and relays only for your own clients (hosts = +relay_from_hosts, authenticated = *).`)];
  }
  const w: Walk = { ctx, acls, walking: new Set([name]), accepts: new Map() };
  const st = relayingStatement(w, statements);
  // Whether a router may send his mail on is asked only of an ACL that takes it (a large
  // config has thousands of routers, each with a domain list to match).
  if (!st || !mayRelay(cfg, ctx)) return [];
  const related = [{ file: s.valueLoc.file, range: s.valueLoc.range, message: `acl_smtp_rcpt selects ACL "${name}"` }];
  // Through the ACLs it calls, down to the statement that accepts in each.
  for (let at: AclStatement | undefined = st; at;) {
    const it: AclItem | undefined = at.items.find((i) => w.accepts.has(i));
    const sub: { acl: string; st: AclStatement } | undefined = it ? w.accepts.get(it) : undefined;
    if (!sub) break;
    related.push({ file: sub.st.verbLoc.file, range: sub.st.verbLoc.range, message: `ACL "${sub.acl}" takes the stranger's mail here, so "acl = ${sub.acl}" holds` });
    at = sub.st;
  }
  // A domain list the ACL tests that takes any domain (Debian's relay_to_domains from
  // dc_relay_domains='*'): the domains test is there, its list is what to fix.
  const tested = new Set(statements.flatMap((x) => x.items)
    .filter((it) => it.name === 'domains' && !it.negated)
    .flatMap((it) => [...(it.value ?? '').matchAll(/\+([\w.-]+)/g)].map((m) => m[1])));
  const open = cfg.lists.filter((l) => l.kind === 'domainlist' && tested.has(l.name) && matchDomain(ctx, `+${l.name}`, FOREIGN) === 'yes');
  for (const l of open) related.push({ file: l.valueLoc.file, range: l.valueLoc.range, message: `domain list ${l.name} matches domains this server does not handle` });
  const fixList = open.length
    ? `Domain list ${open.map((l) => l.name).join(', ')} matches any domain: list only the domains this server relays for (on Debian, dc_relay_domains in update-exim4.conf.conf).`
    : advice;
  return [finding('exim/open-relay', st.verbLoc.file, st.verbLoc.range,
    `Open relay: a host anywhere on the Internet, not authenticated, gets here with mail for a domain this server does not handle, and this "${st.verb}" takes it. Anyone can send mail anywhere through this server, and it will be block-listed. ${fixList}`,
    { related })];
}
