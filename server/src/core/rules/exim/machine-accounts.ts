// exim/invalid-value, on this machine: a user or group name Exim looks up when it reads the
// config (exim_user, trusted_users, never_users, a router's or transport's user when not
// expanded, a redirect router's owners ...) that this machine does not have. Exim refuses the
// whole config (exim4 -bV: "user exim was not found"), so the daemon does not start and
// nothing is delivered. Typical: a config from another system (exim_user = exim, mailnull)
// on Debian, whose Exim user is Debian-exim; found on real-world configs of that kind.
// Judged only where Exim is installed here: a config edited on another machine names that
// machine's users. Names no system can have are values.ts's, for any machine.
import { finding, type Finding } from '../../diagnostic';
import type { EximConfig, OptionSetting } from '../../exim/model';
import type { SourceHost } from '../../host';
import { effectiveType, eximDriver, lookupOption, type OptionScope } from '../../catalog/exim';
import { readAccounts, DEBIAN_EXIM_USER, type Accounts } from '../../unix-accounts';
import { locOfText, splitList } from './lists';
import { isMacroName } from './undefined-macro';

/** Where the common packagings put the Exim binary. */
const EXIM_BINARIES = ['/usr/sbin/exim4', '/usr/sbin/exim', '/usr/exim/bin/exim', '/usr/local/sbin/exim', '/usr/local/bin/exim'];

function eximInstalled(host: SourceHost): boolean {
  return EXIM_BINARIES.some((f) => host.stat!(f)?.kind === 'file');
}

export function checkEximAccounts(cfg: EximConfig, host: SourceHost): Finding[] {
  if (!host.stat) return [];
  const out: Finding[] = [];
  let a: Accounts | null | undefined;
  const accounts = () => a === undefined ? (a = eximInstalled(host) ? readAccounts(host) ?? null : null) : a;
  const judge = (s: OptionSetting, scope: OptionScope) => {
    if (s.negated || !s.value?.trim() || !s.valueLoc) return;
    const info = lookupOption(scope, s.name);
    if (!info) return;
    // Which options take users and groups is the same in every version.
    const type = effectiveType(info, 'latest');
    if (type !== 'uid' && type !== 'gid' && type !== 'expand_uid' && type !== 'expand_gid' && type !== 'uidlist' && type !== 'gidlist') return;
    const v = s.value.trim();
    // An expanded one starting with "$" is looked up at run time; lists are expanded first.
    if (v.includes('$') || v.includes('\\') || v.includes('"')) return;
    const acc = accounts();
    if (!acc) return;
    const what = type.includes('uid') ? 'user' : 'group';
    const names = type.endsWith('list') ? splitList(v).map((it) => it.text.trim()) : [v];
    for (const name of names) {
      // Numbers need no account; names no system has (white space, capitals) are values.ts's.
      if (!name || /^\d+$/.test(name) || /[\s\x00-\x1f\x7f]/.test(name) || isMacroName(name)) continue;
      if (what === 'user' ? acc.users.has(name) : acc.groups.has(name)) continue;
      const loc = type.endsWith('list') ? locOfText(cfg, s.valueLoc, name, 0) : s.valueLoc;
      out.push(finding('exim/invalid-value', loc.file, loc.range,
        `There is no ${what} "${name}" on this machine, where Exim is installed: Exim looks up each ${what} name of ${s.name} when it reads the config, and refuses the config ("${what} ${name} was not found"), so the daemon does not start and nothing is delivered. Create the ${what}, or name one this machine has${hint(acc, what, name)}.`));
    }
  };
  for (const s of cfg.main) judge(s, 'main');
  for (const list of [cfg.routers, cfg.transports]) for (const inst of list) {
    const kind = inst.section === 'routers' ? 'router' : 'transport';
    const drv = inst.driver !== undefined ? eximDriver(inst.driver, kind) : undefined;
    for (const s of inst.options) judge(s, drv ? drv.name : inst.section);
  }
  return out;
}

/** Debian's Exim user under the names other systems give theirs, or the name in another case. */
function hint(a: Accounts, what: 'user' | 'group', name: string): string {
  const names = what === 'user' ? a.users : a.groups;
  if (/^(exim|mail|mailnull)$/.test(name) && names.has(DEBIAN_EXIM_USER)) return ` (Debian's Exim ${what} is ${DEBIAN_EXIM_USER})`;
  // Account names are case-sensitive; another letter would be a guess (vmail is not mail).
  const lower = name.toLowerCase();
  for (const n of names.keys()) if (n.toLowerCase() === lower) return ` (did you mean "${n}"?)`;
  return '';
}
