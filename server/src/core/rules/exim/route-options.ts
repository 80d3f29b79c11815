// exim/invalid-value (warning): a word after the hosts of a manualroute rule that is no
// routing option and no transport's name. Exim reads each word as the start of byname,
// bydns, randomize, no_randomize, ipv4_prefer or ipv4_only, or of a transport's name (a
// prefix is enough: manualroute.c compares only the word's length), and defers every
// address the rule routes on any other ("unknown routing option or transport name",
// exim4 -bt).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, writtenValue } from './instance-options';
import { locOfText, ruleWords } from './lists';
import { didYouMean, nearest, RUN_TIME } from './suggest';

const ROUTE_OPTIONS = ['byname', 'bydns', 'randomize', 'no_randomize', 'ipv4_prefer', 'ipv4_only'];

export function checkRouteOptions(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const transports = cfg.transports.map((t) => t.name);
  const known = [...ROUTE_OPTIONS, ...transports];
  for (const r of cfg.routers) {
    if (r.driver?.trim() !== 'manualroute') continue;
    for (const name of ['route_list', 'route_data']) {
      const s = given(r, name);
      const v = writtenValue(s);
      if (!s?.valueLoc || !v || /^\s*</.test(v)) continue;
      const rules = name === 'route_list' ? v.split(';') : [v];
      for (const rule of rules) {
        for (const w of ruleWords(rule).slice(name === 'route_list' ? 2 : 1)) {
          if (known.some((k) => k.startsWith(w))) continue;
          const at = locOfText(cfg, s.valueLoc, w);
          out.push(finding('exim/invalid-value', at.file, at.range,
            `In ${describe(r)}, "${w}" after the hosts in ${name} is no routing option (byname, bydns, randomize, no_randomize, ipv4_prefer, ipv4_only) and no transport's name: Exim defers every address the rule routes ("unknown routing option or transport name").${didYouMean(nearest(w, known))}`, RUN_TIME));
        }
      }
    }
  }
  return out;
}
