// exim/invalid-value (warning): a manualroute router's ignore_target_hosts matches a host
// that a rule of its route_list (or its route_data) writes as an address. Exim looks such a
// host up "by name" with the ignore list (rf_lookup_hostlist.c), so an ignored one is a
// host not found, and host_find_failed decides: freeze (the default: the message is frozen),
// defer or fail the address, whatever other hosts the rule has; with ignore, the host is
// dropped, and when none is left host_all_ignored decides (defer by default). Found live
// (Exim 4.96): ignore_target_hosts = 127.0.0.0/8 copied from dnslookup onto a manualroute
// router to Cyrus on 127.0.0.1, and every callout got 451 and every delivery deferred
// ('lookup of host "127.0.0.1" failed in ... router'). Names are this machine's resolver's
// to answer, and are left alone.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import { splitList } from '../../exim/lists';
import { isStrictIPv4, isStrictIPv6 } from '../../exim/ip-address';
import type { CheckOptions } from '../../options';
import { makeContext, type LinkContext } from '../link/context';
import { matchHost } from '../link/match';
import { hostItem } from '../../lmtp/discover';
import { describe, given, writtenValue } from './instance-options';
import { locOfText, occurrencesOf } from './lists';
import { hostLists } from './ports';
import { RUN_TIME } from './suggest';

/** What host_find_failed (and, for all hosts dropped, host_all_ignored) does to the address. */
const OUTCOME: Record<string, string> = {
  freeze: 'freezes each message routed here',
  defer: 'defers every address routed here',
  fail: 'fails (bounces) every address routed here',
};

const mode = (r: DriverInstance, name: string, dflt: string) => (writtenValue(given(r, name)) ?? dflt).trim().toLowerCase();

export function checkIgnoredHosts(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  let ctx: LinkContext | undefined;
  for (const r of cfg.routers) {
    if (r.driver?.trim() !== 'manualroute') continue;
    const ignore = given(r, 'ignore_target_hosts');
    const ignored = writtenValue(ignore);
    if (!ignore?.valueLoc || !ignored || ignored.includes('$')) continue;
    const failed = mode(r, 'host_find_failed', 'freeze');
    const allIgnored = mode(r, 'host_all_ignored', 'defer');
    for (const name of ['route_list', 'route_data']) {
      const s = given(r, name);
      const v = writtenValue(s);
      if (!s?.valueLoc || !v || v.includes('$')) continue;
      const lists = hostLists(name, v);
      lists.forEach((list, k) => {
        const hosts = splitList(list.replace(/^"|"$/g, '')).items.map((it) => hostItem(it.text)?.host ?? it.text.trim());
        const c = ctx ??= makeContext(cfg);
        const hit = hosts.filter((h) => (isStrictIPv4(h) || isStrictIPv6(h)) && matchHost(c, ignored, h, [h]) === 'yes');
        if (!hit.length) return;
        // With host_find_failed = ignore the hosts are dropped: only all of them going matters.
        const how = failed === 'ignore' ? (hit.length === hosts.length ? allIgnored : undefined) : failed;
        const outcome = how && Object.hasOwn(OUTCOME, how) ? OUTCOME[how] : undefined;
        if (!outcome) return;
        const option = failed === 'ignore' ? 'host_all_ignored' : 'host_find_failed';
        // Which occurrence of the text it is: an earlier rule may give the same hosts.
        let nth = 0;
        for (let j = 0; j < k; j++) nth += occurrencesOf(lists[j], list);
        const at = locOfText(cfg, s.valueLoc!, list, nth);
        out.push(finding('exim/invalid-value', at.file, at.range,
          `In ${describe(r)}, ignore_target_hosts (${ignored!.trim()}) matches ${hit.length > 1 ? `the hosts ${hit.join(', ')}` : `the host ${hit[0]}`} that ${name} gives here: ${failed === 'ignore' ? `Exim drops ${hit.length > 1 ? 'them' : 'it'}, which leaves no host` : 'Exim counts an ignored host as not found'}, and as ${option} is ${how}${given(r, option) ? '' : ' (the default)'} it ${outcome} (${failed === 'ignore' ? `'lookup failed for all hosts in ${r.name} router'` : `'lookup of host "${hit[0]}" failed in ${r.name} router'`}). Take ${hit.length > 1 ? 'these hosts' : 'this host'} out of ignore_target_hosts, or remove it from this router (on a dnslookup router it keeps DNS answers that point at this machine away).`,
          { ...RUN_TIME, related: [{ file: ignore!.valueLoc!.file, range: ignore!.valueLoc!.range, message: `ignore_target_hosts of ${r.name}` }] }));
      });
    }
  }
  return out;
}
