// $local_part_data and $domain_data, the clean copies Exim 4.94 and later want in file names
// and commands, are set by the router that takes the address: $local_part_data by
// check_local_user or a local_parts item that matches, $domain_data by a domains item that
// matches (the item, a lookup's data, or a regex as written). A router without them leaves
// the variable empty, and the transport builds its file or command from nothing: seen with
// exim4 -odf, every address of such a router went to one file, /var/mail/ plus "" (and a
// local_parts list of negated items only, `! root`, matches no item, so sets nothing).
import type { Finding, Related } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { reachingVariable } from '../../exim/taint';
import { splitList } from './lists';
import { describe, given, on, opt, routersByTransport } from './instance-options';
import { RUN_TIME } from './suggest';

/** Where an empty value sends mail somewhere it should not go. */
const USED: Record<string, readonly string[]> = { appendfile: ['file', 'directory'], pipe: ['command'], autoreply: ['file', 'once'] };

/** Whether the router certainly leaves the variable empty: no item of its list can match (or no list). */
function leavesEmpty(r: DriverInstance, variable: 'local_part_data' | 'domain_data'): boolean {
  if (variable === 'local_part_data' && on(opt(r, 'check_local_user')) !== false) return false;
  const list = given(r, variable === 'local_part_data' ? 'local_parts' : 'domains');
  if (!list) return true;
  const v = list.value ?? '';
  // An expansion may give anything; otherwise only negated items means none sets it.
  if (v.includes('$')) return false;
  return splitList(v).every((it) => it.negated);
}

export function checkDataVariables(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const routersOf = routersByTransport(cfg.routers);
  for (const t of cfg.transports) {
    const routers = routersOf.get(t.name);
    const names = USED[t.driver?.trim() ?? ''];
    if (!routers || !names) continue;
    for (const name of names) {
      const s = given(t, name);
      if (!s?.expansion) continue;
      for (const variable of ['local_part_data', 'domain_data'] as const) {
        const v = reachingVariable(s.expansion, (n) => n === variable);
        const empty = v ? routers.filter((r) => leavesEmpty(r, variable)) : [];
        if (!v || !empty.length) continue;
        const lacks = variable === 'local_part_data'
          ? 'neither check_local_user nor a local_parts item that can match (negated items, such as ! root, match none)'
          : 'no domains item that can match (negated items match none)';
        const add = variable === 'local_part_data' ? 'check_local_user or local_parts' : 'domains';
        const who = empty.length === 1 ? `router ${empty[0].name}` : `routers ${empty.map((r) => r.name).join(', ')}`;
        const related: Related[] = empty.map((r) => ({ file: r.nameLoc.file, range: r.nameLoc.range, message: `router ${r.name} hands addresses to ${t.name} with $${variable} empty` }));
        out.push(finding('exim/invalid-value', s.valueLoc?.file ?? s.nameLoc.file, v.range,
          `In ${describe(t)}, "${name}" is built from $${variable}, but ${who} ${empty.length === 1 ? 'has' : 'have'} ${lacks}, so it is empty there: every address ${empty.length === 1 ? 'it takes' : 'they take'} gets the same ${name}. Add ${add} to the router, or build the ${name} from a lookup.`, { ...RUN_TIME, related }));
      }
    }
  }
  return out;
}
