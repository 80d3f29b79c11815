// exim/acl-verify-inverted: a statement that refuses what verifies. `deny verify = recipient`
// (no "!") turns away every recipient a router accepts (every mailbox Cyrus has, with a
// callout) and lets the ones that fail go on; `require !verify = ...` does the same. Found
// live (Exim 4.96, exim4 -bhc, with Cyrus's lmtpd as the callout target): the mailbox that
// exists gets "550 Callout verification failed ... 250 2.1.5 ok" and the unknown one
// "250 Accepted". Exim reads such a config without a word. Nothing in Exim's test suite
// writes it (no statement there refuses on a verify that passes), so a warning is safe.
//
// Left alone: accept and warn (accepting or logging what fails to verify is a policy), a
// statement with endpass (its conditions after endpass decide otherwise), and verify kinds
// other than recipient and sender.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import type { Range } from '../../text';
import { spansText } from './lists';

/** What each refusing verb does to what its conditions match. */
const DOES: Record<string, string> = {
  deny: 'refuses (550)',
  drop: 'refuses (550) and drops the connection for',
  defer: 'defers (451)',
  discard: 'accepts and throws away the mail of',
  require: 'refuses (550)',
};

/** `recipient` or `sender` when the verify item checks one of them. */
function verifiedThing(it: AclItem): 'recipient' | 'sender' | undefined {
  if (it.name !== 'verify') return undefined;
  const m = /^\s*(recipient|sender)\b/.exec(it.value ?? '');
  return m?.[1] as 'recipient' | 'sender' | undefined;
}

export function checkAclVerifySense(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const acl of cfg.acls) for (const st of acl.statements) {
    const does = Object.hasOwn(DOES, st.verb) ? DOES[st.verb] : undefined;
    if (!does || st.items.some((it) => it.name === 'endpass')) continue;
    for (const it of st.items) {
      const what = verifiedThing(it);
      // require passes on what its conditions match; the other verbs act on it.
      if (!what || it.negated !== (st.verb === 'require')) continue;
      const value = (it.value ?? '').trim();
      const written = `${it.negated ? '!' : ''}verify = ${value}`;
      const meant = `${it.negated ? '' : '!'}verify = ${value}`;
      const whom = what === 'recipient' ? 'every recipient that verifies (a router accepts it and, with a callout, the target server knows it)' : 'every sender that verifies';
      const passes = what === 'recipient' ? 'the recipients that fail' : 'the senders that fail';
      const start = it.nameLoc.range.start;
      const bang = it.negated ? bangOf(cfg, it) : undefined;
      const fixes = !it.negated
        ? !spansText(cfg, it.nameLoc, 'verify') ? [] : [{ title: 'Negate it: !verify', edits: [{ file: it.nameLoc.file, range: { start, end: start }, newText: '!' }], manual: true }]
        : bang ? [{ title: 'Remove the "!"', edits: [{ file: it.nameLoc.file, range: bang, newText: '' }], manual: true }] : [];
      // Which way round was meant is the admin's to say: offered, never applied by --fix.
      const require = st.verb === 'require';
      out.push(finding('exim/acl-verify-inverted', it.nameLoc.file, it.nameLoc.range,
        `This ${st.verb} statement tests ${written}: ${require ? 'it passes only when verification fails, so it' : 'it'} ${does} ${whom}, and ${passes} go on to the next statement. ${require ? `To require that the ${what} verifies, write ${meant} (without "!").` : `To turn away the ${what}s that fail verification, write ${meant}.`}`,
        { fixes }));
    }
  }
  return out;
}

/** Where the "!" of a negated item is written, with the spaces after it (the item's place starts at it, or just after it). */
function bangOf(cfg: EximConfig, it: AclItem): Range | undefined {
  const f = cfg.files.get(it.nameLoc.file);
  if (!f) return undefined;
  const name = f.lines.offsetAt(it.nameLoc.range.start);
  const at = f.text[name] === '!' ? name : f.text[name - 1] === '!' ? name - 1 : -1;
  if (at < 0) return undefined;
  let end = at + 1;
  while (f.text[end] === ' ' || f.text[end] === '\t') end++;
  return { start: f.lines.positionAt(at), end: f.lines.positionAt(end) };
}
