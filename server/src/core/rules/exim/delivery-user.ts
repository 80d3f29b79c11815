// Users Exim loads the config with and then will not deliver as, so every delivery (or every
// address a router handles) defers, as exim4 -odf shows:
// - root, on the build's fixed_never_users (FIXED_NEVER_USERS=root in Exim's default build
//   and Debian's), or a user never_users names ("User 0 set for t transport is on the
//   fixed_never_users list");
// - a router's numeric user without a group: a number has no passwd entry to bring one
//   ("user set without group for r router"). A transport's is refused at load (driver-init).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given } from './instance-options';
import { splitList } from './lists';
import { RUN_TIME } from './suggest';
import { numericUser } from './driver-init';

const isRoot = (u: string) => u === 'root' || /^0+$/.test(u);

export function checkDeliveryUsers(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  let never: string[] = [];
  for (const s of cfg.main) if (s.name === 'never_users') never = !s.negated && s.value && !s.value.includes('$') ? splitList(s.value).map((i) => i.text.trim()) : [];
  const transports = new Map(cfg.transports.map((t) => [t.name, t]));
  const check = (inst: DriverInstance, via?: DriverInstance) => {
    const s = given(inst, 'user');
    const u = s?.value?.trim();
    // A quoted name keeps white space Exim then cannot find (the options rule says so).
    if (!s || !u || u !== s.value || u.includes('$')) return;
    const t = via ?? inst;
    const at = s.valueLoc ?? s.nameLoc;
    const through = via ? `through transport ${via.name} (which sets no user of its own)` : 'through it';
    if (isRoot(u)) {
      const list = never.some(isRoot) ? 'never_users' : 'fixed_never_users';
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${describe(inst)}, user = ${u}: Exim never delivers as root (root is on fixed_never_users in Exim's default build and Debian's), so every delivery ${through} defers ("User 0 set for ${t.name} transport is on the ${list} list"). Give it an unprivileged user.`, RUN_TIME));
    } else if (never.includes(u)) {
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${describe(inst)}, user = ${u}, a user never_users names: Exim never delivers as it, so every delivery ${through} defers ("User ... set for ${t.name} transport is on the never_users list"). Use another user, or take it off never_users.`, RUN_TIME));
    }
  };
  for (const t of cfg.transports) check(t);
  for (const r of cfg.routers) {
    const user = given(r, 'user');
    if (user?.value && numericUser(user.value) && !given(r, 'group')) {
      const at = user.valueLoc ?? user.nameLoc;
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${describe(r)}, "user" is the number ${user.value.trim()} and no "group" is set: a number has no passwd entry to take the group from, so every address the router handles defers ("user set without group for ${r.name} router"). Set "group", or give the user by name.`, RUN_TIME));
      continue;
    }
    // The router's user is the delivery's only when its transport sets none.
    const t = transports.get(given(r, 'transport')?.value?.trim() ?? '');
    if (t && !given(t, 'user')) check(r, t);
  }
  return out;
}
