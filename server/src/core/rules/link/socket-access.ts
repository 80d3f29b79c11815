// link/socket-permission: on this machine, the process Exim runs an lmtp transport in
// cannot reach Cyrus's UNIX socket (a directory on the way it may not search, or the socket
// it may not write), so every delivery defers ("Failed to connect to socket ...:
// Permission denied"); or a pipe running Cyrus's deliver, whose deliver then cannot reach
// its lmtpsocket and exits 78, which bounces the message (under an lmtp transport running
// deliver -l, the delivery defers). deliver also stops when it may not read its imapd.conf.
// Debian's /run/cyrus/socket is cyrus:mail 0750.
// Who that process is follows deliver.c's findugid: the transport's user and group, else
// the router's, else the Exim user and group (Debian-exim on Debian). Exim drops the
// supplementary groups it was started with and adds a user's only with initgroups, so
// putting Debian-exim in group mail does not help by itself.
// Found live (Exim 4.96, Cyrus 3.6): a transport without user or group defers with
// "Permission denied" on a socket in a cyrus:mail 0750 directory, and delivers once the
// directory's group is the Exim group; a process with gid mail connects where one with
// Debian-exim's gid does not; a deliver pipe without user or group bounces ("returned 78").
import * as path from 'node:path';
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, OptionSetting } from '../../exim/model';
import { allowed, modeText, needText, stepsTo, type Identity as Process } from '../../path-access';
import { type Accounts, DEBIAN_EXIM_USER, findGroup, findUser, groupName, groupsOf, readAccounts, userName } from '../../unix-accounts';
import type { LinkContext } from './context';
import { boolOption, option, value } from './context';
import { fixedMainValue } from '../exim/instance-options';
import { fix, insertOptionLine, manualFix, replaceAt } from './edits';
import { cyrusRouters, type CyrusTransport } from './routing';
import { deliverSocket } from './listeners';
import { DEFAULT_IMAPD_CONF, deliverArgs } from './program-config';

interface Identity extends Process {
  /** Why it is this identity, for the message. */
  why: string;
  initgroups: boolean;
  /** A user name whose supplementary groups Exim leaves out (no initgroups). */
  user?: string;
}

/** A fixed (unexpanded) value of an option, or undefined; null when set to an expansion. */
function fixed(d: DriverInstance, name: string): string | null | undefined {
  const v = value(d, name)?.trim();
  if (!v) return undefined;
  return v.includes('$') ? null : v;
}

/**
 * A driver's group: its `group`, else, when `user` is a name, that user's (readconf sets
 * both from the passwd entry); `from` says which. Undefined when neither is known.
 */
function driverGroup(a: Accounts, user: string | undefined, group: string | undefined, what: string): { gid?: number; from: string } | undefined {
  if (group) return { gid: findGroup(a, group), from: `${what}'s group ${group}` };
  if (user && !/^\d+$/.test(user)) return { gid: a.users.get(user)?.gid, from: `user ${user}'s group` };
  return undefined;
}

/** The user and group Exim runs the transport as for addresses from router `r` (deliver.c's findugid); undefined when not known here. */
function identityOf(ctx: LinkContext, a: Accounts, t: DriverInstance, r: DriverInstance): Identity | undefined {
  const tUser = fixed(t, 'user'), tGroup = fixed(t, 'group'), rUser = fixed(r, 'user'), rGroup = fixed(r, 'group');
  if (tUser === null || tGroup === null || rUser === null || rGroup === null) return undefined;
  let group = driverGroup(a, tUser, tGroup, `transport ${t.name}`) ?? driverGroup(a, rUser, rGroup, `router ${r.name}`);
  if (group && group.gid === undefined) return undefined;
  let user: ReturnType<typeof findUser>, why: string, initgroups: boolean;
  if (tUser) {
    user = findUser(a, tUser);
    why = `its user is ${tUser}`;
    initgroups = boolOption(t, 'initgroups', false) === true;
  } else if (rUser) {
    user = findUser(a, rUser);
    why = `router ${r.name} sets user ${rUser}`;
    initgroups = boolOption(r, 'initgroups', false) === true;
  } else {
    // check_local_user makes each recipient's own account the user: not one identity.
    if (boolOption(r, 'check_local_user', false) !== false) return undefined;
    const eu = fixedMainValue(ctx.cfg, 'exim_user'), eg = fixedMainValue(ctx.cfg, 'exim_group');
    if (eu === null || eg === null) return undefined;
    user = findUser(a, eu ?? DEBIAN_EXIM_USER);
    why = `neither it nor router ${r.name} sets a user, so it runs as the Exim user${eu ? ` (exim_user = ${eu})` : ''}`;
    initgroups = false;
    group ??= eg ? { gid: findGroup(a, eg), from: `exim_group = ${eg}` } : driverGroup(a, eu ?? DEBIAN_EXIM_USER, undefined, 'exim');
  }
  if (!user || group?.gid === undefined) return undefined;
  const gid = group.gid;
  const groups = initgroups && user.user ? groupsOf(a, user.user, gid) : new Set([gid]);
  return { uid: user.uid, gid, groups, why: `${why}, with ${group.from}`, initgroups, user: user.user?.name };
}

/** A deliver pipe's lmtpsocket, when it can be known, with the option to point at. */
function deliverTarget(ctx: LinkContext, via: Extract<CyrusTransport, { kind: 'command' }>): { path: string; at: OptionSetting; deliver: true } | undefined {
  const d = deliverSocket(ctx, via);
  return d && { path: d.path, at: via.commandOpt, deliver: true };
}

/**
 * deliver reads its imapd.conf (-C, else /etc/imapd.conf) as the transport's user before it
 * connects: when that user may not read it, deliver stops at once ("can't open configuration
 * file ...: Permission denied", live). Reported here; true when it was.
 */
function unreadableConfig(ctx: LinkContext, a: Accounts, id: Identity, via: Extract<CyrusTransport, { kind: 'command' }>, router: DriverInstance, out: Finding[]): boolean {
  const host = ctx.host!;
  const file = deliverArgs(via.command).configFile ?? DEFAULT_IMAPD_CONF;
  if (!path.isAbsolute(file) || file.includes('$')) return false;
  const steps = stepsTo(host, file, 4);
  if (steps.length && steps[steps.length - 1].path !== file) return false;
  const blocked = steps.find((s) => !allowed(id, s.st, s.need));
  if (!blocked) return false;
  const t = via.transport;
  const st = blocked.st;
  const lmtpDriver = (t.driver ?? '').trim() === 'lmtp';
  const at = via.commandOpt.valueLoc ?? via.commandOpt.nameLoc;
  out.push(finding('link/socket-permission', at.file, at.range,
    `Exim runs transport ${t.name} as user ${userName(a, id.uid)} and group ${groupName(a, id.gid)} (${id.why}), and Cyrus's deliver, which it runs with them, reads ${file}${file === DEFAULT_IMAPD_CONF ? ' (no -C)' : ''}; on this machine ${blocked.path} (owner ${userName(a, st.uid)}, group ${groupName(a, st.gid)}, mode ${modeText(st.mode)}) does not let them ${needText(blocked.need)}: deliver stops at once ("can't open configuration file ${file}: Permission denied")${lmtpDriver ? ', so every delivery to Cyrus defers' : ' and exits 78, which the pipe transport takes for a failure, so every message to Cyrus bounces'}. Give the transport a user or group that may read it (user = cyrus), or make ${blocked.path} readable to ${groupName(a, id.gid)}.`,
    { related: [{ file: router.nameLoc.file, range: router.nameLoc.range, message: `router ${router.name} hands Cyrus's mail to transport ${t.name}` }] }));
  return true;
}

export function checkSocketAccess(ctx: LinkContext): Finding[] {
  const host = ctx.host;
  if (!host?.stat) return [];
  const routers = cyrusRouters(ctx).filter((c) => c.via.kind === 'unix' || c.via.kind === 'command');
  if (!routers.length) return [];
  const a = readAccounts(host);
  if (!a) return [];
  const out: Finding[] = [];
  const done = new Set<DriverInstance>();
  for (const c of routers) {
    const via = c.via;
    // An lmtp transport connects itself; a pipe runs Cyrus's deliver, which connects to its
    // lmtpsocket as the same user and group, exits 78 when it cannot, and the pipe transport
    // takes that for a failure: the message bounces.
    const target = via.kind === 'unix' ? { path: via.path, at: via.socketOpt, deliver: false }
      : via.kind === 'command' ? deliverTarget(ctx, via) : undefined;
    if (!target) continue;
    const t = via.transport;
    if (done.has(t) || !path.isAbsolute(target.path)) continue;
    const id = identityOf(ctx, a, t, c.router);
    if (!id) continue;
    if (via.kind === 'command' && unreadableConfig(ctx, a, id, via, c.router, out)) { done.add(t); continue; }
    const steps = stepsTo(host, target.path, 2);
    const blocked = steps.find((s) => !allowed(id, s.st, s.need));
    if (!blocked) continue;
    done.add(t);
    const who = `user ${userName(a, id.uid)} and group ${groupName(a, id.gid)}`;
    const st = blocked.st;
    const doing = blocked.need === 1 ? 'search it' : 'write to it (connect)';
    const member = !id.initgroups && id.user && a.groupByGid.get(st.gid)?.members.includes(id.user)
      ? ` ${id.user} is a member of group ${groupName(a, st.gid)} in /etc/group, but Exim runs deliveries without supplementary groups unless initgroups is set.`
      : '';
    // Running as the blocking path's group lets the process through, when its group bits do and nothing else stops it.
    const asGroup = { uid: id.uid, groups: new Set([st.gid]) };
    const groupWorks = !id.initgroups && allowed(asGroup, st, blocked.need) && steps.every((s) => allowed(asGroup, s.st, s.need));
    const gName = groupName(a, st.gid);
    const groupOpt = option(t, 'group');
    const fixes = groupWorks
      // Replacing a group someone set is theirs to weigh.
      ? [groupOpt?.valueLoc ? manualFix(`Set group = ${gName} on transport ${t.name}`, [replaceAt(groupOpt.valueLoc, gName)])
        : fix(`Set group = ${gName} on transport ${t.name}`, [insertOptionLine(ctx, t, `group = ${gName}`, target.at)], true)]
      : [];
    const advice = groupWorks
      ? `Set group = ${gName} on the transport (the group ${blocked.path} lets in), or change the permissions of ${blocked.path} on this machine.`
      : `Give the transport a user or group ${blocked.path} lets in${st.uid ? ` (user = ${userName(a, st.uid)})` : ''}, or change the permissions of ${blocked.path} on this machine.`;
    const at = target.at.valueLoc ?? target.at.nameLoc;
    const related: Related[] = [{ file: c.router.nameLoc.file, range: c.router.nameLoc.range, message: `router ${c.router.name} hands Cyrus's mail to transport ${t.name}` }];
    const lmtpDriver = (t.driver ?? '').trim() === 'lmtp';
    const outcome = target.deliver
      ? `Cyrus's deliver, which it runs with them, cannot reach lmtpd's socket ${target.path} (its lmtpsocket): deliver exits 78 ${lmtpDriver
        ? 'with "connect failed: Permission denied", which Exim reads as a malformed LMTP response, so every delivery to Cyrus defers.'
        : '("couldn\'t connect to lmtpd: Permission denied"), which the pipe transport takes for a failure, so every message to Cyrus bounces.'}`
      : `every delivery to Cyrus defers ("Failed to connect to socket ${target.path}: Permission denied").`;
    out.push(finding('link/socket-permission', at.file, at.range,
      `Exim runs transport ${t.name} as ${who} (${id.why}), and on this machine ${blocked.path} (owner ${userName(a, st.uid)}, group ${gName}, mode ${modeText(st.mode)}) does not let them ${doing}: ${outcome}${member} ${advice}`,
      { related, fixes }));
  }
  return out;
}
