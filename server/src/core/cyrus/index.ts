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
export { parseListen, loadServiceTable } from './endpoint';
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
  // File, then code, to a count: no key string joined per finding.
  const count = new Map<string, Map<string, number>>();
  /** Each file and code in the order first met. */
  const met: { file: string; code: string; byCode: Map<string, number> }[] = [];
  const out: Finding[] = [];
  for (const f of list) {
    let byCode = count.get(f.file);
    if (!byCode) count.set(f.file, byCode = new Map());
    const n = (byCode.get(f.code) ?? 0) + 1;
    byCode.set(f.code, n);
    if (n === 1) met.push({ file: f.file, code: f.code, byCode });
    if (n <= MAX_FINDINGS_PER_CODE) out.push(f);
  }
  for (const { file, code, byCode } of met) {
    const n = byCode.get(code)!;
    if (n <= MAX_FINDINGS_PER_CODE) continue;
    const first = out.find((f) => f.file === file && f.code === code)!;
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
