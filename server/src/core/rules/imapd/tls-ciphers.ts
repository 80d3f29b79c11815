// imapd/invalid-value (warning): tls_ciphers written as a GnuTLS priority string (as Exim's
// tls_require_ciphers is on Debian), where Cyrus hands the value to OpenSSL's
// SSL_CTX_set_cipher_list (imap/tls.c). OpenSSL knows none of GnuTLS's keywords, finds no
// cipher, and Cyrus's TLS engine does not start: every TLS handshake fails ("cannot load
// cipher list", seen with imapd -s). Judged only when every item is GnuTLS's: a list with
// one OpenSSL name in it loads.
import { finding, type Finding } from '../../diagnostic';
import type { ImapdConf } from '../../cyrus/model';

const BASE = /^(NORMAL|PERFORMANCE|LEGACY|PFS|SECURE|SECURE128|SECURE192|SECURE256|SUITEB128|SUITEB192|NONE)$/;
/** GnuTLS's own items: a base keyword, a %flag, or +/- with one of its groups (VERS-, CTYPE-, SIGN-, GROUP-, CURVE-, COMP-). */
const GNUTLS_ITEM = /^(?:%[A-Z_0-9]+|[+-](?:VERS|CTYPE|SIGN|GROUP|CURVE|COMP)-[A-Z0-9.-]+)$/;

export function checkTlsCiphers(conf: ImapdConf): Finding[] {
  const out: Finding[] = [];
  for (const s of conf.settings) {
    if (s.kind !== 'option' || (s.option !== 'tls_ciphers' && s.option !== 'tls_cipher_list')) continue;
    const items = s.value.split(/[:\s,]+/).filter(Boolean);
    if (!items.length || !BASE.test(items[0]) || !items.slice(1).every((i) => BASE.test(i) || GNUTLS_ITEM.test(i))) continue;
    out.push(finding('imapd/invalid-value', s.file, s.valueLoc.range,
      `${s.rawName} "${s.value}" is a GnuTLS priority string (as Exim's tls_require_ciphers is on Debian), but Cyrus gives it to OpenSSL, which finds no cipher in it: Cyrus's TLS does not start, and every TLS handshake fails ("cannot load cipher list"). Write an OpenSSL cipher list, such as HIGH:!aNULL:!MD5, or remove the line for OpenSSL's default.`,
      { severity: 'warning' }));
  }
  return out;
}
