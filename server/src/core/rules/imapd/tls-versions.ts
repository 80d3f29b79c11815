// imapd/invalid-value (warning): tls_versions words Cyrus does not see. Cyrus 3.6 turns each
// TLS version on only when the value contains "tls1_0", "tls1_1", "tls1_2" or "tls1_3"
// (strstr in imap/tls.c); any other word is read past. So OpenSSL's or Exim's spelling
// ("TLSv1.2 TLSv1.3") turns every version off, and every TLS handshake fails (imapd -s drops
// the client, STARTTLS fails); a single such word turns that version off alone.
import { finding, type Finding } from '../../diagnostic';
import type { ImapdConf } from '../../cyrus/model';

const VERSIONS = ['tls1_0', 'tls1_1', 'tls1_2', 'tls1_3'];
/** A word meant as a TLS version, written another way: TLSv1.2, tls1.2, TLS1_2, SSLv1.3 ... */
const OTHER_SPELLING = /^(?:tls|ssl)v?1[._-]?([0-3])$/i;

export function checkTlsVersions(conf: ImapdConf): Finding[] {
  const out: Finding[] = [];
  for (const s of conf.settings) {
    if (s.kind !== 'option' || s.option !== 'tls_versions') continue;
    const words = s.value.split(/[\s,:;]+/).filter(Boolean);
    const seen = words.filter((w) => VERSIONS.some((v) => w.includes(v)));
    const unseen = words.filter((w) => !seen.includes(w));
    if (!unseen.length) continue;
    const meant = (w: string) => { const m = OTHER_SPELLING.exec(w); return m ? `tls1_${m[1]}` : undefined; };
    const all = words.map((w) => seen.includes(w) ? w : meant(w));
    const fixed = all.every((w) => w !== undefined) ? [...new Set(all)].join(' ') : undefined;
    const named = unseen.map((w) => `"${w}"`).join(', ');
    const effect = seen.length
      ? `so only ${seen.join(' ')} ${seen.length === 1 ? 'is' : 'are'} on`
      : 'so every TLS version is off and every TLS handshake fails (imapd -s drops the client, STARTTLS fails)';
    out.push(finding('imapd/invalid-value', s.file, s.valueLoc.range,
      `Cyrus looks for tls1_0, tls1_1, tls1_2 and tls1_3 in ${s.rawName} and reads past ${named}, ${effect}.${fixed ? ` Write ${fixed}.` : seen.length ? ` Remove ${named}, or write each version as tls1_N.` : ' Write the versions as tls1_2 tls1_3.'}`,
      { severity: 'warning', ...(fixed ? { fixes: [{ title: `Write ${fixed}`, preferred: true, edits: [{ file: s.file, range: s.valueLoc.range, newText: fixed }] }] } : {}) }));
  }
  return out;
}
