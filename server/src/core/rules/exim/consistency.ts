// Whole-instance checks Exim makes when it loads the config, beyond single option values:
// router option pairs it refuses, authenticators sharing a public name, limits on values
// it checks at start-up, and the shape of retry rules.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';

const opt = (inst: DriverInstance, name: string): OptionSetting | undefined => inst.options.find((o) => o.name === name);
const isSet = (s: OptionSetting | undefined) => s !== undefined && (s.value === undefined ? !s.negated : s.value.trim() !== '');

// Which options make an authenticator a server or a client, per driver (auths/*.c init functions).
const SERVER_WHEN: Record<string, string | true> = {
  plaintext: 'server_condition', external: 'server_condition', cram_md5: 'server_secret', cyrus_sasl: true,
  dovecot: 'server_socket', spa: 'server_password', heimdal_gssapi: true,
};
const CLIENT_WHEN: Record<string, string> = {
  plaintext: 'client_send', external: 'client_send', cram_md5: 'client_secret', spa: 'client_username',
};

function role(a: DriverInstance, table: Record<string, string | true>): boolean {
  const w = a.driver ? table[a.driver] : undefined;
  return w === true || (typeof w === 'string' && isSet(opt(a, w)));
}

const RETRY_RULE = /^[FGH]\s*,\s*([0-9]+[wdhms])+\s*,\s*([0-9]+[wdhms])+(\s*,\s*[0-9]+(\.[0-9]*)?)?$/;

export function checkConsistency(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];

  for (const r of cfg.routers) {
    const unseen = opt(r, 'unseen'), oneTime = opt(r, 'one_time');
    if (isSet(unseen) && oneTime && !oneTime.negated && oneTime.value?.trim().toLowerCase() !== 'false' && oneTime.value?.trim().toLowerCase() !== 'no') {
      out.push(finding('exim/invalid-value', oneTime.nameLoc.file, oneTime.nameLoc.range,
        `In router "${r.name}", "unseen" may not be used together with "one_time"; Exim refuses the config. Remove one of them.`,
        { related: [{ file: unseen!.nameLoc.file, range: unseen!.nameLoc.range, message: 'unseen is set here' }] }));
    }
  }

  const servers = new Map<string, DriverInstance>(), clients = new Map<string, DriverInstance>();
  for (const a of cfg.authenticators) {
    const pn = opt(a, 'public_name');
    if (pn?.value?.includes('$')) continue;
    const name = (pn?.value?.trim() || a.name).toUpperCase();
    for (const [side, seen, table] of [['server', servers, SERVER_WHEN], ['client', clients, CLIENT_WHEN]] as const) {
      if (!role(a, table)) continue;
      const prev = seen.get(name);
      if (prev) {
        const at = pn?.valueLoc ?? a.nameLoc;
        out.push(finding('exim/duplicate-name', at.file, at.range,
          `The ${side} authenticators "${prev.name}" and "${a.name}" have the same public name ${name}; Exim refuses the config. Give one a different public_name.`,
          { related: [{ file: prev.nameLoc.file, range: prev.nameLoc.range, message: `"${prev.name}" is defined here` }] }));
      } else seen.set(name, a);
    }
  }

  const lhn = cfg.main.find((s) => s.name === 'localhost_number');
  if (lhn?.value && /^\s*\d+\s*$/.test(lhn.value) && Number(lhn.value) > 16) {
    const at = lhn.valueLoc ?? lhn.loc;
    out.push(finding('exim/invalid-value', at.file, at.range, `localhost_number may be at most 16 (got ${lhn.value.trim()}); Exim refuses the config.`));
  }

  for (const r of cfg.retry) {
    for (const rule of r.rules.split(';').map((x) => x.trim()).filter(Boolean)) {
      if (RETRY_RULE.test(rule) || rule.includes('$')) continue;
      const at = r.rulesLoc ?? r.loc;
      out.push(finding('exim/invalid-value', at.file, at.range,
        `Bad retry rule parameters "${rule}": each rule is F,<cutoff>,<interval> or G/H,<cutoff>,<interval>,<multiplier>, e.g. F,2h,15m; G,16h,1h,1.5.`));
      break;
    }
  }
  return out;
}
