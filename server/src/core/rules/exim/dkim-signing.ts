// exim/invalid-value (warning): DKIM signing words of an smtp transport that Exim reads only
// as it signs a message, and then gets wrong without refusing anything (dkim.c and
// dkim_transport.c in 4.96; each seen with exim4 -odf delivering to an Exim on loopback):
// - dkim_hash other than sha1, sha256 or sha512 (compared case-sensitively): "DKIM:
//   unrecognised hashname", and every message goes out unsigned;
// - dkim_canon other than relaxed or simple: logged, and signed with relaxed
//   ("relaxed/relaxed", as other signers write it, is no value here);
// - dkim_strict other than 1 or true (in any case): not strict, so a message that cannot be
//   signed goes out unsigned instead of being deferred; "yes" is the usual slip.
// - dkim_private_key that is neither an absolute path nor a key: Exim reads a file only when
//   the value starts with "/", and takes anything else as the key itself. Debian's 4.96 then
//   crashes as it signs (SIGSEGV, writing into the config's read-only copy of the value):
//   every delivery through the transport defers and the message is frozen (exim4 -odf).
//   0, false or empty mean "do not sign", on purpose.
// - dkim_timestamps written as a time ("1w"): Exim reads it with strtoul, so seconds, and
//   "1w" is 1: each signature expires a second after it is made (x= is t= + 1), and
//   receivers find it expired.
// Values with an expansion are left alone: they are known only per message.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, writtenValue } from './instance-options';
import { didYouMean, nearest, replaceWrittenFix, runTime } from './suggest';
import { isMacroName } from './undefined-macro';

export const HASHES = ['sha256', 'sha512', 'sha1'] as const;
export const CANONS = ['relaxed', 'simple'] as const;

export function checkDkimSigning(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'smtp') continue;
    hash(cfg, t, out);
    canon(cfg, t, out);
    strict(cfg, t, out);
    privateKey(cfg, t, out);
    timestamps(cfg, t, out);
  }
  return out;
}

/** A warning on `name`'s value, with a fix to `to` where the value is written as it stands. */
function report(cfg: EximConfig, t: DriverInstance, name: string, message: string, to: string | undefined, out: Finding[]): void {
  const s = given(t, name)!;
  const at = s.valueLoc!;
  out.push(finding('exim/invalid-value', at.file, at.range, message, runTime(replaceWrittenFix(cfg, at, s.value!, to))));
}

function hash(cfg: EximConfig, t: DriverInstance, out: Finding[]): void {
  const v = writtenValue(given(t, 'dkim_hash'));
  if (v === undefined || (HASHES as readonly string[]).includes(v)) return;
  const to = HASHES.find((h) => h === v.toLowerCase().replace(/-/g, '')) ?? nearest(v.toLowerCase(), HASHES);
  report(cfg, t, 'dkim_hash', `In ${describe(t)}, dkim_hash "${v}" is no hash Exim signs with (sha256, sha512 or sha1, in lower case): it logs "DKIM: unrecognised hashname" and sends every message unsigned.${didYouMean(to)}`, to, out);
}

function canon(cfg: EximConfig, t: DriverInstance, out: Finding[]): void {
  const v = writtenValue(given(t, 'dkim_canon'));
  if (v === undefined || (CANONS as readonly string[]).includes(v)) return;
  // "relaxed/relaxed": Exim takes one method for header and body alike.
  const lower = v.toLowerCase();
  const to = CANONS.find((c) => lower === c || lower === `${c}/${c}`) ?? nearest(lower, CANONS);
  report(cfg, t, 'dkim_canon', `In ${describe(t)}, dkim_canon "${v}" is neither relaxed nor simple (one word, in lower case, for header and body alike): Exim logs "unknown canonicalization method" and signs with relaxed.${didYouMean(to)}`, to, out);
}

function strict(cfg: EximConfig, t: DriverInstance, out: Finding[]): void {
  const v = writtenValue(given(t, 'dkim_strict'))?.trim();
  // 0, false and their kin mean "not strict", which is what they say.
  if (v === undefined || /^(1|true|0|false|no|off|)$/i.test(v)) return;
  report(cfg, t, 'dkim_strict', `In ${describe(t)}, dkim_strict "${v}" does not make signing strict: Exim takes only "1" or "true" for that, so a message it cannot sign goes out unsigned instead of being deferred.`, 'true', out);
}

function privateKey(cfg: EximConfig, t: DriverInstance, out: Finding[]): void {
  const v = writtenValue(given(t, 'dkim_private_key'))?.trim();
  if (v === undefined || v.startsWith('/') || /^(0|false|)$/.test(v) || v.includes('-----BEGIN') || isMacroName(v)) return;
  report(cfg, t, 'dkim_private_key', `In ${describe(t)}, dkim_private_key "${v}" is not an absolute path, so Exim takes it as the key itself rather than a file's name, and Exim 4.96 crashes signing with it (SIGSEGV): every delivery through the transport defers and the message is frozen. Give the key file's absolute path.`, undefined, out);
}

const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

function timestamps(cfg: EximConfig, t: DriverInstance, out: Finding[]): void {
  const v = writtenValue(given(t, 'dkim_timestamps'))?.trim();
  if (v === undefined || v === '' || /^\d+$/.test(v) || isMacroName(v)) return;
  const read = /^\d+/.exec(v)?.[0] ?? '0';
  // A time as Exim writes times elsewhere (1w, 2d12h): its seconds are what was meant.
  const parts = /^(?:\d+[wdhms])+$/.test(v) ? [...v.matchAll(/(\d+)([wdhms])/g)] : [];
  const meant = parts.length ? String(parts.reduce((n, m) => n + Number(m[1]) * UNIT_SECONDS[m[2]], 0)) : undefined;
  report(cfg, t, 'dkim_timestamps', `In ${describe(t)}, dkim_timestamps "${v}" is read as ${read} second${read === '1' ? '' : 's'} (Exim takes a plain number of seconds here, not a time): each signature expires ${read} second${read === '1' ? '' : 's'} after it is made, and receivers find it expired.${meant ? ` Write ${meant} for ${v}.` : ' Write the seconds.'}`, meant, out);
}
