// imapd/invalid-value (warning): sasl_pwcheck_method words libsasl does not know. Cyrus hands
// the value to libsasl, which tries each word it knows in turn (auxprop, saslauthd, pwcheck,
// authdaemond, alwaystrue: lib/checkpw.c) and skips the others; with none it knows, every
// plain-text password check fails ("unknown password verifier(s)"): IMAP LOGIN and AUTHENTICATE
// PLAIN or LOGIN are refused for every user (seen with Cyrus 3.6 and libsasl 2.1.28). The usual
// slip is "sasldb", which is an auxprop plugin: sasl_pwcheck_method: auxprop with
// sasl_auxprop_plugin: sasldb. And sasl_auxprop_plugin naming a misspelt plugin ("sasldb2",
// after the file): libsasl asks no plugin, finds no password, and refuses every login.
// Only names close to the plugins libsasl ships (sasldb, sql, ldapdb) are judged: a site may
// install others.
import { finding, type Finding } from '../../diagnostic';
import type { ImapdConf } from '../../cyrus/model';
import { distanceWithin } from '../../edit-distance';

const METHODS = ['auxprop', 'saslauthd', 'pwcheck', 'authdaemond', 'alwaystrue'];
/** Auxprop plugins written where a method goes. */
const PLUGINS = ['sasldb', 'sql', 'ldapdb'];

export function checkSaslPwcheck(conf: ImapdConf): Finding[] {
  const out: Finding[] = [];
  for (const s of conf.settings) {
    if (s.kind === 'sasl' && s.option === 'sasl_auxprop_plugin') { auxpropPlugins(s, out); continue; }
    if (s.kind !== 'sasl' || s.option !== 'sasl_pwcheck_method') continue;
    const words = s.value.split(/\s+/).filter(Boolean);
    const known = words.filter((w) => METHODS.includes(w.toLowerCase()));
    const unknown = words.filter((w) => !METHODS.includes(w.toLowerCase()));
    if (!unknown.length) continue;
    const plugin = unknown.find((w) => PLUGINS.includes(w.toLowerCase()));
    const advice = plugin ? ` "${plugin}" is an auxprop plugin: write sasl_pwcheck_method: auxprop and sasl_auxprop_plugin: ${plugin.toLowerCase()}.` : ' Use auxprop (with sasl_auxprop_plugin) or saslauthd.';
    const effect = known.length
      ? `libsasl skips ${unknown.length === 1 ? 'it' : 'them'} and checks passwords with ${known.join(' then ')} only.`
      : 'with no method it knows, libsasl fails every plain-text password check ("unknown password verifier"): IMAP LOGIN and AUTHENTICATE PLAIN or LOGIN are refused for every user.';
    const fixes = plugin && !known.length && words.length === 1 ? [{ title: 'Write auxprop (and set sasl_auxprop_plugin)', preferred: true, edits: [{ file: s.file, range: s.valueLoc.range, newText: 'auxprop' }] }] : undefined;
    out.push(finding('imapd/invalid-value', s.file, s.valueLoc.range,
      `${s.rawName} names ${unknown.map((w) => `"${w}"`).join(', ')}, no password check method libsasl knows (auxprop, saslauthd, pwcheck, authdaemond): ${effect}${advice}`,
      { severity: 'warning', ...(fixes ? { fixes } : {}) }));
  }
  return out;
}

/** A plugin name one or two edits from one libsasl ships: that one. */
function shipped(word: string): string | undefined {
  const w = word.toLowerCase();
  return PLUGINS.includes(w) ? undefined : PLUGINS.find((p) => distanceWithin(w, p, 2) <= 2);
}

function auxpropPlugins(s: ImapdConf['settings'][number], out: Finding[]): void {
  const words = s.value.split(/\s+/).filter(Boolean);
  const typos = words.map((w) => ({ w, meant: shipped(w) })).filter((x) => x.meant !== undefined);
  if (!typos.length) return;
  const others = words.filter((w) => !typos.some((t) => t.w === w));
  const effect = others.length ? `libsasl asks only ${others.join(' then ')} for passwords` : 'libsasl asks no plugin, finds no password, and refuses every login (IMAP LOGIN, AUTHENTICATE PLAIN, LOGIN, CRAM-MD5 ...)';
  const fixed = words.map((w) => shipped(w) ?? w).join(' ');
  out.push(finding('imapd/invalid-value', s.file, s.valueLoc.range,
    `${s.rawName} names ${typos.map((t) => `"${t.w}"`).join(', ')}, no auxprop plugin libsasl has (it has ${PLUGINS.join(', ')}): ${effect}. Did you mean "${fixed}"?`,
    { severity: 'warning', fixes: [{ title: `Write ${fixed}`, preferred: true, edits: [{ file: s.file, range: s.valueLoc.range, newText: fixed }] }] }));
}
