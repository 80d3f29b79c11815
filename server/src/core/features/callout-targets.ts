// Where an LMTP callout can go: the shared discovery (the CLI uses it too) plus where to
// show a "Run LMTP callout" lens — the transport's or the service's name.
import * as path from 'node:path';
import type { EximConfig as EximModel } from '../exim/model';
import type { CyrusConf } from '../cyrus';
import type { SourceHost } from '../host';
import { cyrusCalloutTargets, eximCalloutTargets, type CalloutCandidate } from '../lmtp/discover';
import type { CalloutTarget, CodeLensEntry } from './types';

/**
 * The command a lens runs unless the editor names its own: the server's, which asks the
 * editor nothing it cannot answer (recipients come from the settings) and reports the
 * outcome with window/showMessage, so the lens works in any LSP client.
 */
export const CALLOUT_LENS_COMMAND = 'eximCyrus.calloutReport';

function toTarget(c: CalloutCandidate, what: string, origin: CalloutTarget['origin']): CalloutTarget {
  const t = c.target;
  return {
    label: c.name,
    description: `${what} → ${c.label}${c.authRequired ? ' (lmtpd without -a: demands AUTH over TCP)' : ''}`,
    target: c.label,
    ...(t.kind === 'tcp' ? { host: t.host, port: t.port } : { socket: t.path }),
    origin,
  };
}

export function eximTargets(m: EximModel, host?: SourceHost): CalloutTarget[] {
  return eximCalloutTargets(m, host).candidates.map((c) => {
    const inst = m.transports.find((t) => t.name === c.name);
    return toTarget(c, `${inst?.driver ?? ''} transport`.trim(), inst?.nameLoc);
  });
}

export function cyrusTargets(conf: CyrusConf): CalloutTarget[] {
  return cyrusCalloutTargets(conf).candidates.map((c) => {
    const entry = conf.entries.find((e) => e.name === c.name && String(e.section).toUpperCase() === 'SERVICES');
    return toTarget(c, 'cyrus.conf lmtpd', entry?.nameLoc);
  });
}

export function calloutLenses(targets: CalloutTarget[], file: string, command = CALLOUT_LENS_COMMAND): CodeLensEntry[] {
  return targets.filter((t) => t.origin && path.resolve(t.origin.file) === path.resolve(file)).map((t) => ({
    range: t.origin!.range, title: 'Run LMTP callout', command, args: [{ target: t.target, label: t.label }],
  }));
}
