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
export { parseCommand, CYRUS_PROGRAMS } from './programs';

/** Reads a cyrus.conf (service names resolved through the host's /etc/services). Never throws. */
export function loadCyrusConf(file: string, _opts: CheckOptions, host: SourceHost): CyrusConf {
  return parseCyrusConf(file, host.readFile(file) ?? '', loadServiceTable(host));
}

export function checkCyrusConf(c: CyrusConf, opts: CheckOptions): Finding[] {
  return runCyrusRules(c, opts);
}

/** Reads an imapd.conf and the files it `@include`s. Never throws. */
export function loadImapdConf(file: string, _opts: CheckOptions, host: SourceHost): ImapdConf {
  return parseImapdConf(file, host);
}

/** With the cyrus.conf that goes with it, service-prefixed names are checked against its entries. */
export function checkImapdConf(c: ImapdConf, opts: CheckOptions, cyrus?: CyrusConf): Finding[] {
  return runImapdRules(c, opts, cyrus);
}
