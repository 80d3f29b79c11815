// Who Cyrus's services run as on this machine: master starts as root and become_cyrus() takes
// the Cyrus user (cyrus_user, else the build's: `cyrus` on Debian) and group (cyrus_group,
// else the user's own), with the groups /etc/group gives that user (initgroups).
// (CYRUS_USER and CYRUS_GROUP in master's environment win over both; a config cannot show them.)
import type { ImapdConf } from '../../cyrus/model';
import { imapdSetting } from '../../cyrus/facts';
import type { Identity } from '../../path-access';
import { type Accounts, findGroup, groupsOf } from '../../unix-accounts';

/** The build's Cyrus user when cyrus_user is not set (Debian's, and the usual one). */
const CYRUS_USER = 'cyrus';

export function cyrusIdentity(conf: ImapdConf, a: Accounts): (Identity & { name: string }) | undefined {
  const u = imapdSetting(conf, 'cyrus_user')?.value || CYRUS_USER;
  const user = a.users.get(u);
  if (!user) return undefined;
  const g = imapdSetting(conf, 'cyrus_group')?.value;
  const gid = g ? findGroup(a, g) : user.gid;
  if (gid === undefined) return undefined;
  return { uid: user.uid, gid, groups: groupsOf(a, user, gid), name: user.name };
}
