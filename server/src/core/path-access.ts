// Whether a process may get to a path on this machine, as the kernel decides it from the
// owner, group and mode of each directory on the way and of the path itself. Read through the
// host's optional `stat`: a host without it (tests' fixtures, a config from elsewhere) knows
// nothing of this machine, and the rules that ask stay silent.
import type { PathStat, SourceHost } from './host';
import { type Accounts, groupName, readAccounts, userName } from './unix-accounts';

/** A process's user, its group and every group it holds (its group among them). */
export interface Identity { uid: number; gid: number; groups: Set<number> }

/** What a path must allow, as rwx bits: 4 read, 2 write, 1 search, 3 write and search (make files in a directory). */
export type Need = 1 | 2 | 3 | 4;

/** Whether `id` may do `need` to a path with `st`. */
export function allowed(id: Pick<Identity, 'uid' | 'groups'>, st: PathStat, need: number): boolean {
  if (id.uid === 0) return true;
  const bits = st.uid === id.uid ? st.mode >> 6 : id.groups.has(st.gid) ? st.mode >> 3 : st.mode;
  return (bits & need) === need;
}

export interface Step { path: string; st: PathStat; need: number }

/**
 * Each directory on the way to `target` (searched), then `target` itself (`last` asked of
 * it), as far as they exist here: a missing piece ends the walk, so what is not on this
 * machine is never called closed.
 */
export function stepsTo(host: SourceHost, target: string, last: Need): Step[] {
  const steps: Step[] = [];
  if (!host.stat) return steps;
  const parts = target.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const p = '/' + parts.slice(0, i + 1).join('/');
    const st = host.stat(p);
    if (!st) break;
    const isLast = i === parts.length - 1;
    if (!isLast && st.kind !== 'directory') break;
    steps.push({ path: p, st, need: isLast ? last : 1 });
  }
  return steps;
}

/** The first step on the way to `target` that `id` may not take, with every step seen. */
export function blockedStep(host: SourceHost, id: Pick<Identity, 'uid' | 'groups'>, target: string, last: Need): { blocked?: Step; steps: Step[] } {
  const steps = stepsTo(host, target, last);
  return { blocked: steps.find((s) => !allowed(id, s.st, s.need)), steps };
}

export const modeText = (m: number) => '0' + m.toString(8).padStart(3, '0');

/** "/x (owner root, group ssl-cert, mode 0710)". */
export function describePath(a: Accounts, s: Step): string {
  return `${s.path} (owner ${userName(a, s.st.uid)}, group ${groupName(a, s.st.gid)}, mode ${modeText(s.st.mode)})`;
}

export function needText(need: number): string {
  return need === 1 ? 'search it' : need === 2 ? 'write to it' : need === 3 ? 'make files in it' : 'read it';
}

/**
 * When membership of the blocking path's group would let `id` through every step (its group
 * bits allow and nothing else stops it): that group, for advice such as "add the user to it".
 */
export function helpingGroup(id: Pick<Identity, 'uid' | 'groups'>, blocked: Step, steps: Step[]): number | undefined {
  const withGroup = { uid: id.uid, groups: new Set([...id.groups, blocked.st.gid]) };
  return steps.every((s) => allowed(withGroup, s.st, s.need)) ? blocked.st.gid : undefined;
}

/** "user Debian-exim and group Debian-exim (and ssl-cert, from /etc/group)". */
export function identityText(a: Accounts, id: Identity & { name: string }): string {
  const more = [...id.groups].filter((g) => g !== id.gid).map((g) => groupName(a, g));
  return `user ${id.name} and group ${groupName(a, id.gid)}${more.length ? ` (and ${more.join(', ')}, from /etc/group)` : ''}`;
}

/** A process as the rules about this machine see it: its identity and the accounts that name it. */
export interface MachineView<I extends Identity> { a: Accounts; id: I }

/** Undefined when the host knows nothing of this machine (no stat, no /etc/passwd) or who the process is. */
export function machineView<I extends Identity>(host: SourceHost, identify: (a: Accounts) => I | undefined): MachineView<I> | undefined {
  if (!host.stat) return undefined;
  const a = readAccounts(host);
  const id = a && identify(a);
  return a && id ? { a, id } : undefined;
}

export interface BlockedPath<T> { item: T; path: string; blocked: Step; steps: Step[] }

/** Each distinct path of `items` that `id` cannot get to (doing `need` to the path itself), with the step that stops it. */
export function blockedPaths<T>(host: SourceHost, id: Identity, items: readonly T[], pathOf: (t: T) => string | undefined, need: Need): BlockedPath<T>[] {
  const out: BlockedPath<T>[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const p = pathOf(item);
    if (!p || seen.has(p)) continue;
    seen.add(p);
    const { blocked, steps } = blockedStep(host, id, p, need);
    if (blocked) out.push({ item, path: p, blocked, steps });
  }
  return out;
}

/**
 * What to do about a file the process must read: join the group that would let it in (and
 * restart `server`, whose processes take their groups when it starts), else open the
 * blocking path to the process's own group; `otherwise` is added to the latter.
 */
export function readAdvice(v: MachineView<Identity & { name: string }>, b: BlockedPath<unknown>, server: string, otherwise = ''): string {
  const { a, id } = v;
  const g = helpingGroup(id, b.blocked, b.steps);
  if (g !== undefined) return `Add ${id.name} to group ${groupName(a, g)} (adduser ${id.name} ${groupName(a, g)}) and restart ${server}: it takes the groups /etc/group gives ${id.name}.`;
  return `Let ${id.name} read it (for example, give ${b.blocked.path} the group ${groupName(a, id.gid)} with group read${b.blocked.st.kind === 'directory' ? ' and search' : ''} permission)${otherwise}.`;
}
