// This machine's users and groups, read from /etc/passwd and /etc/group through the host (as
// getpwnam and getgrnam find them on a machine without NSS modules), for rules about which
// process may open what here.
import type { SourceHost } from './host';

export interface UnixUser { name: string; uid: number; gid: number }
export interface UnixGroup { name: string; gid: number; members: string[] }

export interface Accounts {
  users: Map<string, UnixUser>;
  groups: Map<string, UnixGroup>;
  userByUid: Map<number, UnixUser>;
  groupByGid: Map<number, UnixGroup>;
}

/**
 * The Exim user when exim_user is not set is the build's: only Debian's (and Ubuntu's) is
 * known by name. Elsewhere (exim, mail, mailnull) rules about it stay silent.
 */
export const DEBIAN_EXIM_USER = 'Debian-exim';

let last: { passwd: string; group: string; accounts: Accounts } | undefined;

/** Undefined when this host has no /etc/passwd to read. */
export function readAccounts(host: SourceHost): Accounts | undefined {
  const passwd = host.readFile('/etc/passwd');
  if (passwd === undefined) return undefined;
  const group = host.readFile('/etc/group') ?? '';
  if (last && last.passwd === passwd && last.group === group) return last.accounts;
  const accounts: Accounts = { users: new Map(), groups: new Map(), userByUid: new Map(), groupByGid: new Map() };
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || !/^\d+$/.test(f[2]) || !/^\d+$/.test(f[3])) continue;
    const u = { name: f[0], uid: Number(f[2]), gid: Number(f[3]) };
    // The first entry of a name or number is the one the C library returns.
    if (!accounts.users.has(u.name)) accounts.users.set(u.name, u);
    if (!accounts.userByUid.has(u.uid)) accounts.userByUid.set(u.uid, u);
  }
  for (const line of group.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2])) continue;
    const g = { name: f[0], gid: Number(f[2]), members: (f[3] ?? '').trim().split(',').filter(Boolean) };
    if (!accounts.groups.has(g.name)) accounts.groups.set(g.name, g);
    if (!accounts.groupByGid.has(g.gid)) accounts.groupByGid.set(g.gid, g);
  }
  last = { passwd, group, accounts };
  return accounts;
}

/** A user as Exim reads one: a number, or a name looked up. */
export function findUser(a: Accounts, v: string): { uid: number; user?: UnixUser } | undefined {
  if (/^\d+$/.test(v)) return { uid: Number(v), user: a.userByUid.get(Number(v)) };
  const user = a.users.get(v);
  return user && { uid: user.uid, user };
}

export function findGroup(a: Accounts, v: string): number | undefined {
  return /^\d+$/.test(v) ? Number(v) : a.groups.get(v)?.gid;
}

/** The groups initgroups(name, gid) gives: gid, and each group that lists the user as a member. */
export function groupsOf(a: Accounts, user: UnixUser, gid: number): Set<number> {
  const out = new Set([gid]);
  for (const g of a.groups.values()) if (g.members.includes(user.name)) out.add(g.gid);
  return out;
}

export const userName = (a: Accounts, uid: number) => a.userByUid.get(uid)?.name ?? String(uid);
export const groupName = (a: Accounts, gid: number) => a.groupByGid.get(gid)?.name ?? String(gid);
