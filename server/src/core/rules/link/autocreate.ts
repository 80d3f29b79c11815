// link/cyrus-autocreate-any-user: lmtpd makes an INBOX for any user it is sent mail for, and
// Exim's RCPT ACL asks Cyrus with a recipient callout, which then never refuses anyone. In
// lmtpd (Cyrus 3.6, lmtpd.c verify_user) a recipient with no mailbox is autocreated at RCPT
// time when autocreate_post is on and autocreate_quota is not negative, for every user that
// autocreate_users (default "anyone") lets in: so the callout's own random address gets a
// mailbox too. Found live (Exim 4.96, Cyrus 3.6): with both set, nobody@example.com passes
// RCPT (250) where it got "550 Mailbox unknown" before; with the fix and Cyrus restarted,
// Exim's callout cache still holds the domain as taking anything (the random address was
// accepted) until its db/callout files go.
//
// Left alone: autocreate without a recipient callout (then every address is a user by
// design, and link/no-recipient-callout is silent too: lmtpd refuses no one at delivery),
// and autocreate_users limited to some users or groups.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import { imapdSetting } from '../../cyrus/facts';
import { parseSwitch } from '../../cyrus/values';
import type { LinkContext } from './context';
import { calloutItem, rcptAcl } from './acl-domains';
import { reachedListeners } from './listeners';
import { listenerConfig } from './program-config';
import { deadReason } from './reach';
import { cyrusTransports, sendsRcpt, type CyrusTransport } from './routing';
import type { ImapdSetting, LmtpListener } from '../../cyrus/model';

/** The autocreate_post setting that makes lmtpd behind `l` create an INBOX for anyone, if it does. */
function autocreatePost(ctx: LinkContext, l: LmtpListener): { post: ImapdSetting; quota: ImapdSetting } | undefined {
  const conf = listenerConfig(ctx, l).imapd;
  if (!conf) return undefined;
  const svc = l.entry.name;
  const post = imapdSetting(conf, 'autocreate_post', svc) ?? imapdSetting(conf, 'createonpost', svc);
  const quota = imapdSetting(conf, 'autocreate_quota', svc) ?? imapdSetting(conf, 'autocreatequota', svc);
  const users = imapdSetting(conf, 'autocreate_users', svc);
  if (!post || parseSwitch(post.value) !== true || !quota || !/^\s*\d/.test(quota.value)) return undefined;
  if (users && users.value.trim().toLowerCase() !== 'anyone') return undefined;
  return { post, quota };
}

/** Whether every lmtpd the transport reaches makes a mailbox for any recipient: no recipient is unknown there. */
export function autocreatesForAnyone(ctx: LinkContext, t: CyrusTransport): boolean {
  if (!sendsRcpt(t)) return false;
  const live = reachedListeners(ctx, t).filter((l) => !deadReason(l));
  return live.length > 0 && live.every((l) => autocreatePost(ctx, l));
}

export function checkAutocreate(ctx: LinkContext): Finding[] {
  const out: Finding[] = [];
  if (!ctx.cyrus) return out;
  const callout = rcptAcl(ctx).map(calloutItem).find((it) => it !== undefined);
  if (!callout) return out;
  const seen = new Set<ImapdSetting>();
  for (const t of cyrusTransports(ctx)) {
    if (!sendsRcpt(t)) continue;
    for (const l of reachedListeners(ctx, t)) {
      if (deadReason(l)) continue;
      const found = autocreatePost(ctx, l);
      if (!found || seen.has(found.post)) continue;
      const { post, quota } = found;
      const svc = l.entry.name;
      seen.add(post);
      const loc = callout.valueLoc ?? callout.nameLoc;
      out.push(finding('link/cyrus-autocreate-any-user', post.file, post.valueLoc.range,
        `lmtpd (service ${svc}) makes an INBOX for any user it is sent mail for (${post.rawName}: ${post.value}, with ${quota.rawName}: ${quota.value}), at RCPT time: so Exim's recipient callout never refuses anyone, every local part of the Cyrus domains is accepted, and each mistyped or guessed address (and each random address the callout tries) gets a mailbox. If only the users you create should get mail, turn ${post.rawName} off and restart Cyrus (${quota.rawName} still makes a user's INBOX at their first login), or name who may have one in autocreate_users; then remove Exim's callout cache (the db/callout files in its spool directory), which holds these domains as taking any address for up to a week.`,
        {
          related: [{ file: loc.file, range: loc.range, message: 'the recipient callout that lmtpd then never refuses' }],
          // A policy turned off: only when the user picks it, never by --fix.
          fixes: [{ title: `Set ${post.rawName}: no`, edits: [{ file: post.file, range: post.valueLoc.range, newText: 'no' }], manual: true }],
        }));
    }
  }
  return out;
}
