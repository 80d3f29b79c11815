// exim/invalid-value (warning): a word after the hosts of a manualroute rule that is no
// routing option and no transport's name. Exim reads each word as the start of byname,
// bydns, randomize, no_randomize, ipv4_prefer or ipv4_only, or of a transport's name (a
// prefix is enough: manualroute.c compares only the word's length), and defers every
// address the rule routes on any other ("unknown routing option or transport name",
// exim4 -bt).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, writtenValue } from './instance-options';
import { locOfText, ruleWords, spansText } from './lists';
import { didYouMean, nearest, runTime, RUN_TIME } from './suggest';

const ROUTE_OPTIONS = ['byname', 'bydns', 'randomize', 'no_randomize', 'ipv4_prefer', 'ipv4_only'];

export function checkRouteOptions(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const transports = cfg.transports.map((t) => t.name);
  const known = [...ROUTE_OPTIONS, ...transports];
  for (const r of cfg.routers) {
    if (r.driver?.trim() !== 'manualroute') continue;
    quotedSemicolons(cfg, r, out);
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

/**
 * A route_list rule whose quoted hosts hold a single ";": Exim splits route_list into rules
 * at every single ";" (string_nextinlist: a doubled one stands for itself), quotes or not, so
 * `* "<; 192.0.2.1 ; 192.0.2.2"` is three rules, the first with the host "<, and each
 * address it routes defers (exim4 -bt: "lookup failed for all hosts"). Doubled, `;;`, they
 * stay in the hosts and Exim routes to both.
 */
function quotedSemicolons(cfg: EximConfig, r: DriverInstance, out: Finding[]): void {
  const s = given(r, 'route_list');
  const v = writtenValue(s);
  if (!s?.valueLoc || !v || /^\s*</.test(v) || !v.includes('"')) return;
  let quoted = false, broken = false, fixed = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\' && quoted) { fixed += c + (v[i + 1] ?? ''); i++; continue; }
    if (c === '"') quoted = !quoted;
    if (c === ';' && v[i + 1] === ';') { fixed += ';;'; i++; continue; }
    if (c === ';' && quoted) { broken = true; fixed += ';;'; continue; }
    fixed += c;
  }
  if (!broken) return;
  const fixes = spansText(cfg, s.valueLoc, v) ? [{ title: 'Double each ";" inside the quotes', edits: [{ file: s.valueLoc.file, range: s.valueLoc.range, newText: fixed }] }] : undefined;
  out.push(finding('exim/invalid-value', s.valueLoc.file, s.valueLoc.range,
    `In ${describe(r)}, a ";" inside the quoted hosts of route_list ends the rule there: Exim splits route_list into rules at every single ";", quotes or not, so the hosts are cut apart into rules of their own, their lookups fail, and the addresses they route defer ("lookup failed for all hosts"). Double each ";" inside the quotes (";;"), or separate the hosts with ":".`,
    runTime(fixes)));
}
