// link/no-retry-rule: no retry rule applies to mail for Cyrus, so Exim takes Cyrus's
// everyday temporary answers as permanent and bounces the message at once ("retry timeout
// exceeded"): lmtpd's 452 to RCPT when a mailbox is over quota, or no lmtpd listening while
// master restarts. Exim has no built-in rule: an empty or missing retry section means no
// retries at all.
// Found live (Exim 4.96, Cyrus 3.6): the pattern is matched against the address for a RCPT
// 4xx, so `localhost *` does not cover it and `example.com *` does; for a refused connection
// the host name is tried, then the domain. The error type must cover the failure: `quota`
// is appendfile's and does not cover lmtpd's 452, `rcpt_4xx` and `rcpt_45x` do, `rcpt_451`
// does not; `refused` and `refused_A` cover a refused connection, `refused_MX` does not. Over
// a UNIX socket the failure has no type of its own: only `*` covers it. A rule with
// `senders =` applies only to the senders it names.
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, RetryRule } from '../../exim/model';
import type { LinkContext } from './context';
import { fix, insertLine, manualFix } from './edits';
import { cyrusRouters, routerDomains, type CyrusRouter } from './routing';
import { matchDomain, type Tri } from './match';

/** Exim's own default rule, which Debian's configuration also has. */
export const DEFAULT_RETRY_RULE = '*   *   F,2h,15m; G,16h,1h,1.5; F,4d,6h';

/** A failure of Cyrus's that Exim retries only when a rule says so. */
interface Failure {
  what: string;
  /** Whether a rule's error type covers it. */
  covers(error: string): boolean;
  /** The names a rule's pattern is tried on, in turn; undefined stands for a domain we cannot name. */
  names(c: CyrusRouter, domain: string | undefined): (string | undefined)[];
}

const OVER_QUOTA: Failure = {
  what: 'lmtpd answers RCPT with 452 (a mailbox over quota)',
  covers: (e) => e === '*' || /^rcpt_4(xx|5x|52)$/.test(e),
  names: (_c, d) => [d],
};

const NOT_LISTENING: Failure = {
  what: 'lmtpd is not there to connect to (master restarting)',
  covers: (e) => e === '*',
  names: (_c, d) => [d],
};

/** A pipe to `deliver` fails with an exit code: only `*` covers it. */
const DELIVER_TEMPFAIL: Failure = {
  what: 'deliver exits with a temporary failure (a mailbox over quota, lmtpd not there)',
  covers: (e) => e === '*',
  names: (_c, d) => [d],
};

const REFUSED: Failure = {
  ...NOT_LISTENING,
  covers: (e) => e === '*' || e === 'refused' || (e.startsWith('refused_') && 'a'.startsWith(e.slice(8))),
  // A host error tries each rule on the host's name first, then on the address's domain.
  names: (c, d) => [...(c.via.kind === 'tcp' ? c.via.hosts.map((h) => h.name) : []), d],
};

/** Whether a retry pattern matches every address of `domain` (or host `domain`). */
function patternMatches(ctx: LinkContext, pattern: string, name: string | undefined): Tri {
  let p = pattern.trim();
  if (/^\*(@\*)?$/.test(p)) return 'yes';
  // Regexes, lookups, expansions, named lists, negations: what they match is not written here.
  if (!p || /[$;:]|^[\^+!<@]/.test(p)) return 'unknown';
  const at = p.lastIndexOf('@');
  if (at >= 0) {
    // A rule for some local parts covers only those users.
    if (p.slice(0, at) !== '*') return 'no';
    p = p.slice(at + 1);
  }
  return name === undefined ? 'unknown' : matchDomain(ctx, p, name);
}

type Outcome = 'retried' | 'unknown' | 'bounced';

/** What the first rule that applies to `failure` for mail to `domain` does with it. */
function outcome(ctx: LinkContext, rules: readonly RetryRule[], failure: Failure, c: CyrusRouter, domain: string | undefined): { result: Outcome; senders: boolean } {
  let senders = false;
  for (const r of rules) {
    if (!failure.covers(r.error.toLowerCase())) continue;
    const m = failure.names(c, domain).map((n) => patternMatches(ctx, r.pattern, n));
    if (!m.includes('yes')) {
      if (m.includes('unknown')) return { result: 'unknown', senders };
      continue;
    }
    if (r.senders !== undefined && r.senders.trim() !== '*') { senders = true; continue; }
    // A rule without times is a deliberate "do not retry" for what it matches.
    return { result: r.rules.trim() ? 'retried' : 'unknown', senders };
  }
  return { result: 'bounced', senders };
}

function retrySection(cfg: EximConfig) {
  return (cfg.sections ?? []).find((s) => s.name === 'retry');
}

export function checkRetryRules(ctx: LinkContext): Finding[] {
  const routers = cyrusRouters(ctx);
  if (!routers.length) return [];
  const rules = ctx.cfg.retry ?? [];
  const bounced = new Map<Failure, Set<string>>();
  const hit: CyrusRouter[] = [];
  let senders = false;
  for (const c of routers) {
    const domains: (string | undefined)[] = routerDomains(ctx, c.router)?.slice() ?? [undefined];
    const failures = c.via.transport.driver?.trim() === 'pipe' ? [DELIVER_TEMPFAIL] : [OVER_QUOTA, c.via.kind === 'tcp' ? REFUSED : NOT_LISTENING];
    let any = false;
    for (const f of failures) {
      for (const d of domains) {
        const o = outcome(ctx, rules, f, c, d);
        senders ||= o.senders;
        if (o.result !== 'bounced') continue;
        const key = f === REFUSED ? NOT_LISTENING : f;
        if (!bounced.has(key)) bounced.set(key, new Set());
        bounced.get(key)!.add(d ?? `the domains router ${c.router.name} takes`);
        any = true;
      }
    }
    if (any) hit.push(c);
  }
  if (!hit.length) return [];

  const section = retrySection(ctx.cfg);
  const domains = [...new Set([...bounced.values()].flatMap((s) => [...s]))];
  const shown = domains.length > 5 ? `${domains.slice(0, 5).join(', ')} and ${domains.length - 5} more` : domains.join(', ');
  const when = [...bounced.keys()].map((f) => f.what).join(', or when ');
  const cause = !rules.length
    ? (section ? 'The retry section has no rules' : 'There is no retry section')
    : senders ? `Only retry rules limited to some senders (senders =) apply to mail for Cyrus (${shown})`
      : `None of the retry rules applies to mail for Cyrus (${shown})`;
  const related: Related[] = hit.map((c) => ({ file: c.router.nameLoc.file, range: c.router.nameLoc.range, message: `router ${c.router.name} delivers to Cyrus through transport ${c.via.transport.name}` }));
  const at = section?.loc ?? hit[0].router.nameLoc;
  // After the last rule, so that every rule written keeps its precedence.
  const last = rules[rules.length - 1];
  const edit = last ? insertLine(ctx, last.loc.file, last.loc.range.end.line + 1, DEFAULT_RETRY_RULE)
    : section ? insertLine(ctx, section.loc.file, section.loc.range.end.line + 1, `\n${DEFAULT_RETRY_RULE}`)
    : ctx.cfg.files?.has(ctx.cfg.root) ? insertLine(ctx, ctx.cfg.root, Number.MAX_SAFE_INTEGER, `\nbegin retry\n\n${DEFAULT_RETRY_RULE}`) : undefined;
  return [finding('link/no-retry-rule', at.file, at.range,
    `${cause}, so Exim retries nothing there: when ${when}, it takes the temporary error as permanent and bounces the message at once ("retry timeout exceeded"). Add a retry rule that covers them, such as Exim's default "${DEFAULT_RETRY_RULE}"${rules.length ? ' after the others' : ''}.`,
    // After rules someone wrote, the new one also retries mail they leave out: a change to weigh.
    { related, ...(edit ? { fixes: [rules.length ? manualFix(`Add the retry rule "${DEFAULT_RETRY_RULE}" after the others`, [edit]) : fix(`Add the retry rule "${DEFAULT_RETRY_RULE}"`, [edit], true)] } : {}) })];
}
