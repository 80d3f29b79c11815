// tls_require_ciphers in OpenSSL's syntax for the 4.96 target, whose build (Debian 12's)
// uses GnuTLS: GnuTLS reads the value as a priority string, which starts with one of its
// keywords (NORMAL, SECURE128, PFS, ...), and refuses anything else. `exim -bV` takes the
// config, but the daemon does not start ("tls_require_ciphers invalid:
// gnutls_priority_init(HIGH:!aNULL) failed at offset 0"; exim4 -bdf, with the certificate
// and key in place). Only the first word is judged: what may follow it is GnuTLS's long list.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { built496 } from '../../catalog/exim';
import { mainSetting, writtenValue } from './instance-options';
import { RUN_TIME } from './suggest';

const GNUTLS_496 = built496('_HAVE_GNUTLS');
/** The keywords a GnuTLS priority string starts with (SYSTEM and @names read the system's own file, and are not judged). */
const FIRST = /^(NORMAL|PERFORMANCE|LEGACY|PFS|SECURE|SECURE128|SECURE192|SECURE256|SUITEB128|SUITEB192|NONE|SYSTEM|@.*)$/i;

export function checkTlsCiphers(cfg: EximConfig, opts: CheckOptions): Finding[] {
  if (opts.eximVersion !== '4.96' || !GNUTLS_496) return [];
  const s = mainSetting(cfg, 'tls_require_ciphers');
  const v = writtenValue(s)?.trim();
  if (!s || !v) return [];
  const first = v.split(':')[0];
  if (FIRST.test(first)) return [];
  const at = s.valueLoc!;
  return [finding('exim/invalid-value', at.file, at.range,
    `Debian 12's Exim 4.96 is built with GnuTLS, which reads tls_require_ciphers as a priority string starting with one of its keywords (NORMAL, PERFORMANCE, SECURE128, SECURE256, PFS, ...), not "${first}"${/[!+-]|HIGH|MEDIUM|aNULL|EECDH|EDH/.test(v) ? ' (this is OpenSSL\'s cipher list syntax)' : ''}: exim -bV takes the config, but the daemon refuses to start ("tls_require_ciphers invalid: gnutls_priority_init(...) failed"). Write e.g. NORMAL:-VERS-TLS1.0:-VERS-TLS1.1.`, RUN_TIME)];
}
