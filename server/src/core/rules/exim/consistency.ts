// Whole-instance checks Exim makes when it loads the config, beyond single option values:
// options a driver needs or refuses together, routers that need (or must not have) a
// transport, authenticators sharing a public name, limits on values it checks at
// start-up, and the shape of retry rules and their error types.
import { append } from '../../append';
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { eximDriver } from '../../catalog/exim';
import { checkRetryRules } from './retry';
import { checkRetryErrors } from './retry-error';
import { strtolDigits } from './values';
import { checkDriverInit } from './driver-init';
import { bothSet, cap, describe, given, isSet, kindOf, mainSetting, on, onOpt, opt } from './instance-options';
import { ownEntry } from '../../own';

/**
 * Pairs of options of which a driver's init function (routers/*.c, transports/*.c) needs
 * exactly one, or allows at most one, with the words Exim uses.
 */
const EXACTLY_ONE: Record<string, [string, string]> = {
  lmtp: ['command', 'socket'], redirect: ['data', 'file'], manualroute: ['route_list', 'route_data'],
};
const AT_MOST_ONE: Record<string, [string, string][]> = {
  appendfile: [['file', 'directory']],
};
/** route.c: these routers must have a transport unless verify_only is set; these must not have one. */
const NEEDS_TRANSPORT = new Set(['accept', 'dnslookup', 'ipliteral']);
const NO_TRANSPORT = new Set(['redirect', 'iplookup']);

function checkDriverOptions(inst: DriverInstance, out: Finding[]): void {
  const drv = inst.driver;
  if (drv === undefined || !eximDriver(drv, kindOf(inst))) return;
  checkDriverInit(inst, out);
  const pair = ownEntry(EXACTLY_ONE, drv);
  if (pair) {
    const a = given(inst, pair[0]), b = given(inst, pair[1]);
    if (!a && !b) {
      out.push(finding('exim/invalid-value', inst.nameLoc.file, inst.nameLoc.range,
        `In ${describe(inst)}, one of "${pair[0]}" or "${pair[1]}" must be set; Exim refuses the config.`));
    } else if (a && b) bothSet(describe(inst), a, b, out);
  }
  const atMostOne = ownEntry(AT_MOST_ONE, drv);
  if (atMostOne) {
    for (const [x, y] of atMostOne) {
      const a = given(inst, x), b = given(inst, y);
      if (a && b) bothSet(describe(inst), a, b, out);
    }
  }
  if (inst.section !== 'routers') return;
  const transport = given(inst, 'transport');
  if (NEEDS_TRANSPORT.has(drv) && !transport && on(opt(inst, 'verify_only')) === false) {
    out.push(finding('exim/invalid-value', inst.nameLoc.file, inst.nameLoc.range,
      `${cap(describe(inst))} has no "transport"; Exim refuses the config, because this router needs one unless it is verify_only.`));
  }
  if (NO_TRANSPORT.has(drv) && transport) {
    out.push(finding('exim/invalid-value', transport.nameLoc.file, transport.nameLoc.range,
      `${cap(describe(inst))} may not have a "transport"; Exim refuses the config. ${drv === 'redirect'
        ? 'A redirect router hands its addresses to other routers; use file_transport, pipe_transport or reply_transport for deliveries it makes itself.'
        : 'Remove it.'}`));
  }
}

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

/** A second authenticator of one side with the public name `name` (one alone has no other to clash with). */
function samePublicName(a: DriverInstance, pn: OptionSetting | undefined, name: string, side: 'server' | 'client',
  seen: Map<string, DriverInstance>, table: Record<string, string | true>, out: Finding[]): void {
  if (!role(a, table)) return;
  const prev = seen.get(name);
  if (prev) {
    const at = pn?.valueLoc ?? a.nameLoc;
    out.push(finding('exim/duplicate-name', at.file, at.range,
      `The ${side} authenticators "${prev.name}" and "${a.name}" have the same public name ${name}; Exim refuses the config. Give one a different public_name.`,
      { related: [{ file: prev.nameLoc.file, range: prev.nameLoc.range, message: `"${prev.name}" is defined here` }] }));
  } else seen.set(name, a);
}

/**
 * readconf.c refuses local_sender_retain while local_from_check is on ("both local_from_check
 * and local_sender_retain are set; this combination is not allowed", exim4 -bV), and
 * local_from_check is on unless turned off.
 */
function localSenderRetain(cfg: EximConfig, out: Finding[]): void {
  const retain = mainSetting(cfg, 'local_sender_retain');
  if (!retain || on(retain) !== true) return;
  const check = mainSetting(cfg, 'local_from_check');
  if (check && on(check) !== true) return;
  out.push(finding('exim/invalid-value', retain.nameLoc.file, retain.nameLoc.range,
    `local_sender_retain is set while local_from_check is ${check ? 'on' : 'on (its default)'}, and Exim refuses that combination ("this combination is not allowed"). Add "no_local_from_check", or remove local_sender_retain.`,
    check ? { related: [{ file: check.nameLoc.file, range: check.nameLoc.range, message: 'local_from_check is turned on here' }] } : {}));
}

export function checkConsistency(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];

  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) for (const inst of list) checkDriverOptions(inst, out);

  localSenderRetain(cfg, out);

  for (const r of cfg.routers) {
    // redirect.c refuses unseen that is true, or an expansion (it cannot know what that gives).
    const unseen = opt(r, 'unseen'), oneTime = onOpt(r, 'one_time');
    if (oneTime && unseen && (on(unseen) === true || unseen.value?.includes('$'))) {
      out.push(finding('exim/invalid-value', oneTime.nameLoc.file, oneTime.nameLoc.range,
        `In router "${r.name}", "unseen" may not be used together with "one_time"; Exim refuses the config. Remove one of them.`,
        { related: [{ file: unseen.nameLoc.file, range: unseen.nameLoc.range, message: 'unseen is set here' }] }));
    }
  }

  if (cfg.authenticators.length > 1) {
    const servers = new Map<string, DriverInstance>(), clients = new Map<string, DriverInstance>();
    for (const a of cfg.authenticators) {
      const pn = opt(a, 'public_name');
      if (pn?.value?.includes('$')) continue;
      const name = (pn?.value?.trim() || a.name).toUpperCase();
      samePublicName(a, pn, name, 'server', servers, SERVER_WHEN, out);
      samePublicName(a, pn, name, 'client', clients, CLIENT_WHEN, out);
    }
  }

  const lhn = cfg.main.find((s) => s.name === 'localhost_number');
  const problem = lhn?.value !== undefined && !lhn.value.includes('$') ? localhostNumberProblem(lhn.value) : undefined;
  if (lhn && problem) {
    const at = lhn.valueLoc ?? lhn.loc;
    out.push(finding('exim/invalid-value', at.file, at.range, problem));
  }

  append(append(out, checkRetryErrors(cfg)), checkRetryRules(cfg));
  return out;
}

/**
 * Exim expands localhost_number when it loads the config and reads the result as C's
 * strtol does (decimal, 0x hex, 0 octal, nothing but space after it), at most 16.
 */
function localhostNumberProblem(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\s*$/.exec(v);
  if (!m) return `localhost_number must be a number (at most 16), not "${v}"; Exim refuses the config.`;
  return m[1] !== '-' && strtolDigits(m[2], false) > 16n ? `localhost_number may be at most 16 (got ${v}); Exim refuses the config.` : undefined;
}
