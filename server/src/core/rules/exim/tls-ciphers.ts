// tls_require_ciphers in OpenSSL's syntax for the 4.96 target, whose build (Debian 12's)
// uses GnuTLS: GnuTLS reads the value as a priority string, which starts with one of its
// keywords (NORMAL, SECURE128, PFS, ...), and refuses anything else. `exim -bV` takes the
// config, but the daemon does not start ("tls_require_ciphers invalid:
// gnutls_priority_init(HIGH:!aNULL) failed at offset 0"; exim4 -bdf, with the certificate
// and key in place). An smtp transport's, where Exim is the client, makes every TLS session
// fail, and Exim delivers in clear text instead ("delivering unencrypted ... (not in
// hosts_require_tls)"; a delivery with exim4 -odf to an Exim offering STARTTLS), or defers
// where TLS is required. Only the first word is judged: what may follow is GnuTLS's long list.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { GNUTLS_496 } from './main-values';
import { describe, given, mainSetting, writtenValue } from './instance-options';
import type { OptionSetting } from '../../exim/model';
import { RUN_TIME } from './suggest';

/** The keywords a GnuTLS priority string starts with (SYSTEM and @names read the system's own file, and are not judged). */
const FIRST = /^(NORMAL|PERFORMANCE|LEGACY|PFS|SECURE|SECURE128|SECURE192|SECURE256|SUITEB128|SUITEB192|NONE|SYSTEM|@.*)$/i;

/** The first word of a written-out tls_require_ciphers GnuTLS refuses, or undefined. */
function refused(s: OptionSetting | undefined): string | undefined {
  const v = writtenValue(s)?.trim();
  const first = v?.split(':')[0];
  return first && !FIRST.test(first) ? first : undefined;
}

function message(first: string, value: string, then: string): string {
  return `Debian 12's Exim 4.96 is built with GnuTLS, which reads tls_require_ciphers as a priority string starting with one of its keywords (NORMAL, PERFORMANCE, SECURE128, SECURE256, PFS, ...), not "${first}"${/[!+-]|HIGH|MEDIUM|aNULL|EECDH|EDH/.test(value) ? ' (this is OpenSSL\'s cipher list syntax)' : ''}: ${then} Write e.g. NORMAL:-VERS-TLS1.0:-VERS-TLS1.1.`;
}

export function checkTlsCiphers(cfg: EximConfig, opts: CheckOptions): Finding[] {
  if (opts.eximVersion !== '4.96' || !GNUTLS_496) return [];
  const out: Finding[] = [];
  const s = mainSetting(cfg, 'tls_require_ciphers');
  const first = refused(s);
  if (s && first) {
    out.push(finding('exim/invalid-value', s.valueLoc!.file, s.valueLoc!.range, message(first, s.value!,
      'exim -bV takes the config, but the daemon refuses to start ("tls_require_ciphers invalid: gnutls_priority_init(...) failed").'), RUN_TIME));
  }
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'smtp') continue;
    const ts = given(t, 'tls_require_ciphers');
    const tf = refused(ts);
    if (!ts || !tf) continue;
    out.push(finding('exim/invalid-value', ts.valueLoc!.file, ts.valueLoc!.range, message(tf, ts.value!,
      `every TLS session of ${describe(t)} fails, and Exim delivers in clear text instead ("delivering unencrypted"), or defers to hosts in hosts_require_tls.`), RUN_TIME));
  }
  return out;
}
