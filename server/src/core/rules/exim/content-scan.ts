// exim/scanner-unset: an ACL `malware` condition with no `av_scanner` in the main section.
// Exim then asks its built-in default, Sophie on /var/run/sophie, a scanner hardly any system
// still runs: the connection fails and the condition defers, so every message the statement
// scans is answered 451 (seen with exim4 -bh: "malware acl condition: sophie /var/run/sophie :
// unable to connect to UNIX socket"). Debian's data ACL ships the statement commented out
// with a note to set av_scanner first; uncommenting only the statement is the usual slip.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { mainSetting } from './instance-options';

/** Values that switch the scan off (spec: "false", "0" or "no", or an empty list). */
const OFF = new Set(['', 'false', '0', 'no']);

export function checkContentScan(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (mainSetting(cfg, 'av_scanner')) return out;
  for (const acl of cfg.acls) {
    for (const st of acl.statements) {
      for (const it of st.items) {
        if (it.name !== 'malware' || it.value === undefined) continue;
        const [first, ...options] = it.value.split('/').map((s) => s.trim());
        if (OFF.has(first.toLowerCase())) continue;
        const deferOk = options.includes('defer_ok');
        out.push(finding('exim/scanner-unset', it.nameLoc.file, it.nameLoc.range,
          `ACL "${acl.name}" scans for malware, but av_scanner is not set, so Exim asks its built-in default, Sophie on /var/run/sophie; unless that runs here, ${deferOk ? 'the scan fails and, with defer_ok, every message passes unscanned' : 'the scan fails and every message this statement scans gets 451 ("unable to connect to UNIX socket (/var/run/sophie)")'}. Set av_scanner in the main section to the scanner you run, e.g. av_scanner = clamd:/var/run/clamav/clamd.ctl for ClamAV.`));
      }
    }
  }
  return out;
}
