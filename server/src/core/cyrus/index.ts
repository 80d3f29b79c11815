// Public face of the Cyrus model: load and check cyrus.conf and imapd.conf. Readers live
// beside this file; the rules under rules/cyrus and rules/imapd.
import type { Finding } from '../diagnostic';
import type { SourceHost } from '../host';
import type { CheckOptions } from '../options';
import { runCyrusRules } from '../rules/cyrus';
import { runImapdRules } from '../rules/imapd';
import { parseCyrusConf } from './cyrusconf-parser';
import { loadServiceTable } from './endpoint';
import { parseImapdConf } from './imapd-parser';
import type { CyrusConf, ImapdConf } from './model';

export type * from './model';
export { lmtpListeners, imapdFacts, imapdSetting } from './facts';
export { parseListen, loadServiceTable, WELL_KNOWN_PORTS } from './endpoint';
export { parseCommand, exitsAtStart, CYRUS_PROGRAMS } from './programs';

/**
 * Reads a cyrus.conf (service names resolved through the host's /etc/services; each
 * `-C FILE` looked for through the host). Never throws.
 */
export function loadCyrusConf(file: string, _opts: CheckOptions, host: SourceHost): CyrusConf {
  const conf = parseCyrusConf(file, host.readFile(file) ?? '', loadServiceTable(host));
  const seen = new Map<string, boolean>();
  for (const e of conf.entries) {
    const cf = e.cmd?.configFile;
    if (!cf || !cf.startsWith('/')) continue;
    let readable = seen.get(cf);
    if (readable === undefined) seen.set(cf, readable = host.readFile(cf) !== undefined);
    if (!readable) e.cmd!.configUnreadable = true;
  }
  return conf;
}

/** Past this many findings of one code in one file, the rest are summed up in one finding. */
export const MAX_FINDINGS_PER_CODE = 500;

function capped(list: Finding[]): Finding[] {
  const count = new Map<string, number>();
  const out: Finding[] = [];
  for (const f of list) {
    const k = f.file + '\0' + f.code;
    const n = (count.get(k) ?? 0) + 1;
    count.set(k, n);
    if (n <= MAX_FINDINGS_PER_CODE) out.push(f);
  }
  for (const [k, n] of count) {
    if (n <= MAX_FINDINGS_PER_CODE) continue;
    const first = out.find((f) => f.file + '\0' + f.code === k)!;
    out.push({ ...first, fixes: undefined, related: undefined, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `${n - MAX_FINDINGS_PER_CODE} more ${first.code} findings in this file are not shown.` });
  }
  return out;
}

export function checkCyrusConf(c: CyrusConf, opts: CheckOptions): Finding[] {
  return capped(runCyrusRules(c, opts));
}

/** Reads an imapd.conf and the files it `@include`s. Never throws. */
export function loadImapdConf(file: string, _opts: CheckOptions, host: SourceHost): ImapdConf {
  return parseImapdConf(file, host);
}

/** With the cyrus.conf that goes with it, service-prefixed names are checked against its entries. */
export function checkImapdConf(c: ImapdConf, opts: CheckOptions, cyrus?: CyrusConf): Finding[] {
  return capped(runImapdRules(c, opts, cyrus));
}
