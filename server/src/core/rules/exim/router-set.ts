// exim/invalid-value (warning): a router's `set` item whose variable is no router variable.
// Each ";"-separated item is "r_name = value" (route.c, set_router_vars); on any other name
// Exim logs "bad router variable name" and the router fails the address, and Exim 4.96 then
// completes the message without delivering or bouncing it: the mail is lost (exim4 -odf).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given } from './instance-options';
import { locOfText } from './lists';
import { RUN_TIME } from './suggest';

export function checkRouterSet(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const r of cfg.routers) {
    const s = given(r, 'set');
    if (!s?.value || !s.valueLoc || s.negated) continue;
    for (const item of s.value.split(';')) {
      const name = item.split('=')[0].trim();
      if (!item.trim() || name.includes('$') || /^r_./.test(name)) continue;
      const at = locOfText(cfg, s.valueLoc, item.trim());
      const acl = /^acl_[cm]/.test(name) ? ' (ACL variables are set in ACLs; a router sets its own)' : '';
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${describe(r)}, set names the variable "${name}", which is no router variable${acl}: Exim logs "bad router variable name", the router fails the address, and Exim 4.96 completes the message without delivering or bouncing it, so the mail is lost. Name it r_ and a name (set = r_${name.replace(/^(acl_[cm]_?|r_?)/, '') || 'name'} = ...).`, RUN_TIME));
    }
  }
  return out;
}
