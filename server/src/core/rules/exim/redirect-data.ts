// A redirect router's data that starts with a special item: only :blackhole:, :defer:,
// :fail:, :include: and :unknown: are (lower case, exactly). Anything else between colons
// Exim takes for an address, fails to parse, and defers every address the router handles
// (exim4 -bt: 'error in redirect data: missing or malformed local part ... in ":fial: gone"').
// :fail: and :defer: are refused the same way without allow_fail and allow_defer.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, on, opt } from './instance-options';
import { locOfText } from './lists';
import { didYouMean, nearest, replaceFix, runTime, RUN_TIME } from './suggest';

const SPECIAL = [':blackhole:', ':defer:', ':fail:', ':include:', ':unknown:'];

export function checkRedirectData(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const r of cfg.routers) {
    if (r.driver?.trim() !== 'redirect') continue;
    const s = given(r, 'data');
    const m = s?.value ? /^\s*(:[^:\s]*:)/.exec(s.value) : null;
    if (!s || !m || m[1].includes('$')) continue;
    const loc = s.valueLoc ?? s.nameLoc;
    const at = locOfText(cfg, loc, m[1]);
    // :fail: and :defer: need the router's leave (exim4 -bt: '":fail: gone" is not permitted').
    const needs = m[1] === ':fail:' ? 'allow_fail' : m[1] === ':defer:' ? 'allow_defer' : undefined;
    if (needs && on(opt(r, needs)) === false) {
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${describe(r)}, "${m[1]}" needs "${needs}" on the router: without it Exim defers every address the router handles ("${m[1]} ... is not permitted"). Set ${needs}.`, RUN_TIME));
      continue;
    }
    if (SPECIAL.includes(m[1])) continue;
    const guess = nearest(m[1].toLowerCase(), SPECIAL) ?? (SPECIAL.includes(m[1].toLowerCase()) ? m[1].toLowerCase() : undefined);
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(r)}, "${m[1]}" is not one of redirect's special items (${SPECIAL.join(', ')}, in lower case): Exim takes it for an address and defers every address the router handles ("error in redirect data").${didYouMean(guess)}`,
      runTime(guess ? replaceFix(at, guess) : undefined)));
  }
  return out;
}
