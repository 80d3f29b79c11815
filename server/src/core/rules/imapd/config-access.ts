// imapd/config-access: on this machine, the Cyrus user (cyrus-identity.ts) cannot read a file
// of the configuration: one this imapd.conf @includes, or the imapd.conf itself where Cyrus's
// services read it by default (/etc/imapd.conf; a copy elsewhere is only a copy). Master reads
// the configuration as root and starts, but each service reads it again as the Cyrus user and
// exits at once ("can't open configuration file"). Found live (Cyrus 3.6, Debian), with an
// @include in a root-only directory: lmtpd closes each connection without a word and imapd's
// port is soon refused, so Exim's deliveries defer.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { ImapdConf } from '../../cyrus/model';
import type { SourceHost } from '../../host';
import { blockedPaths, describePath, identityText, machineView, needText, readAdvice } from '../../path-access';
import { cyrusIdentity } from './cyrus-identity';

/** Where Cyrus's services read imapd.conf when their cmd names no -C (Debian's and the BSDs'). */
const DEFAULT_CONFIGS = new Set(['/etc/imapd.conf', '/usr/local/etc/imapd.conf']);

const TOP = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function checkImapdConfigAccess(conf: ImapdConf, host: SourceHost): Finding[] {
  if (!host.stat) return [];
  const files: { path: string; file: string; range: typeof TOP; included: boolean }[] = [];
  if (DEFAULT_CONFIGS.has(conf.file)) files.push({ path: conf.file, file: conf.file, range: TOP, included: false });
  for (const s of conf.settings) if (s.kind === 'include' && s.value.startsWith('/')) files.push({ path: s.value, file: s.file, range: s.valueLoc.range, included: true });
  const v = files.length ? machineView(host, (a) => cyrusIdentity(conf, a)) : undefined;
  if (!v) return [];
  return blockedPaths(host, v.id, files, (f) => f.path, 4).map((b) => finding('imapd/config-access', b.item.file, b.item.range,
    `On this machine Cyrus's services run as ${identityText(v.a, v.id)}, and ${describePath(v.a, b.blocked)} does not let them ${needText(b.blocked.need)}, so they cannot read ${b.item.included ? `${b.path}, which this file @includes` : `this file, which they read when they start`}: master starts (it reads the configuration as root), but every service exits as it starts ("can't open configuration file"), so lmtpd closes each connection without a word, the other services stop being served, and Exim's deliveries to Cyrus defer. ${readAdvice(v, b, 'Cyrus')}`));
}
