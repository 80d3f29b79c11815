// The "/" options after a verify type, as acl_verify (acl.c, Exim 4.96) reads them when the
// ACL runs: a type that takes none, an option its type does not know, quota for anything
// but a recipient, "callout" not followed by "=", mailfrom outside header_sender, use_sender
// with use_postmaster. Each fails the ACL with an error (451 at RCPT, even in warn). The
// callout sub-options themselves are acl.ts's. Names are compared without regard to case,
// as Exim compares them.

/** Types whose value is the type alone ("this verify item has no options"). */
const NO_OPTIONS = new Set(['certificate', 'helo', 'header_syntax', 'header_names_ascii']);
/** Types whose options are those of address verification. */
const ADDRESS_TYPES = new Set(['sender', 'recipient', 'header_sender']);
const ADDRESS_WORDS = new Set(['defer_ok', 'no_details', 'success_on_redirect', 'callout_defer_ok', 'check_postmaster']);

export interface VerifyOptionProblem { text: string; message: string }

/** What Exim refuses in `verify = <v>` after its type; `v` is trimmed and holds no expansion. */
export function verifyOptionProblems(v: string): VerifyOptionProblem[] {
  // "//" is a "/" inside an item: left alone.
  if (!v.includes('/') || v.includes('//')) return [];
  const [first, ...rest] = v.split('/').map((s) => s.trim());
  const type = (/^sender\s*=/i.test(first) ? 'sender' : first).toLowerCase();
  const options = rest.filter(Boolean);
  if (!options.length) return [];
  if (NO_OPTIONS.has(type)) {
    return [{ text: options[0], message: `"verify = ${type}" takes no options, so Exim fails the ACL with an error when it gets here ("this verify item has no options"). Remove "/${options.join('/')}".` }];
  }
  const unknown = (o: string, known: string) => ({ text: o, message: `"verify = ${type}" has no option "${o}" (${known}), so Exim fails the ACL with an error when it gets here ("unknown option ... in ACL condition").` });
  if (type === 'not_blind') return options.filter((o) => o.toLowerCase() !== 'case_insensitive').map((o) => unknown(o, 'it takes only case_insensitive'));
  if (!ADDRESS_TYPES.has(type)) return [];
  const out: VerifyOptionProblem[] = [];
  for (const o of options) {
    const lower = o.toLowerCase();
    if (ADDRESS_WORDS.has(lower)) continue;
    if (lower.startsWith('callout')) {
      const after = o.slice(7).trimStart();
      if (after && after[0] !== '=') out.push({ text: o, message: `"${o}" in "verify = ${type}": Exim expects "=" after "callout" (callout=30s,defer_ok, ...) and fails the ACL with an error when it gets here.` });
      else if (type !== 'header_sender' && /(^|[=,]\s*)mailfrom\s*=/i.test(after)) {
        out.push({ text: 'mailfrom', message: `The callout option "mailfrom" is allowed only for verify = header_sender; with "verify = ${type}" Exim fails the ACL with an error when it gets here. Use postmaster_mailfrom, or remove it.` });
      }
      if (/(^|[=,]\s*)use_sender\b/i.test(after) && /(^|[=,]\s*)use_postmaster\b/i.test(after)) {
        out.push({ text: 'use_postmaster', message: `A callout may use the sender or the postmaster as its MAIL FROM, not both: with use_sender and use_postmaster Exim fails the ACL with an error when it gets here. Keep one.` });
      }
      continue;
    }
    if (lower.startsWith('quota')) {
      if (type !== 'recipient') out.push({ text: o, message: `"quota" checks a recipient's mailbox: with "verify = ${type}" Exim fails the ACL with an error when it gets here ("can only verify quota of recipient").` });
      continue;
    }
    out.push(unknown(o, 'it takes defer_ok, no_details, success_on_redirect, callout=... and, for a recipient, quota'));
  }
  return out;
}
