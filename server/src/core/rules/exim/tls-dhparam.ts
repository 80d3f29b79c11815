// exim/invalid-value (warning): a tls_dhparam Exim cannot use. It takes a file's absolute
// path, "none", "historic", or the name of a prime it carries (std-crypto.c: default,
// ffdhe2048 .. ffdhe8192, ike1 .. ike24, exim.dev.20160529.1-3). Any other word is read only
// when a client asks for TLS, and then every STARTTLS fails ("No standard prime named",
// logged; the client is dropped or goes on in clear text): exim4 -bV and the daemon's start
// say nothing.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { mainSetting, writtenValue } from './instance-options';
import { didYouMean, nearest, replaceWrittenFix, runTime } from './suggest';
import { isMacroName } from './undefined-macro';

const PRIMES = ['default', 'exim.dev.20160529.1', 'exim.dev.20160529.2', 'exim.dev.20160529.3', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096',
  'ffdhe6144', 'ffdhe8192', 'ike1', 'ike14', 'ike15', 'ike16', 'ike17', 'ike18', 'ike2', 'ike22', 'ike23', 'ike24', 'ike5'];
export const WORDS = ['none', 'historic', ...PRIMES];

export function checkTlsDhparam(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const s = mainSetting(cfg, 'tls_dhparam');
  const v = writtenValue(s);
  if (!s?.valueLoc || v === undefined || v === '' || v.startsWith('/') || WORDS.includes(v) || isMacroName(v)) return [];
  const meant = WORDS.find((w) => w === v.toLowerCase()) ?? nearest(v.toLowerCase(), WORDS);
  return [finding('exim/invalid-value', s.valueLoc.file, s.valueLoc.range,
    `tls_dhparam "${v}" is no prime Exim carries, nor a file's absolute path: every STARTTLS fails ("No standard prime named ${v}"), and clients are dropped or send in clear text; exim -bV does not see it. Use a name such as ffdhe3072, "none", or a PEM file's absolute path.${didYouMean(meant)}`,
    runTime(replaceWrittenFix(cfg, s.valueLoc, v, meant)))];
}
