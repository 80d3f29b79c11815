// exim/acl-never-accepts: an ACL that an acl_smtp_* (or acl_not_smtp*) option selects, with no
// statement that can accept. Exim runs its statements, and when none of them ends the ACL it
// reaches the end, where the answer is "deny": 550 Administrative prohibition to every
// connection, sender, recipient or message (seen with exim4 -bh, Exim 4.96, for a connect ACL
// of one conditional deny and for an empty MAIL ACL). The usual cause is an ACL written as a
// list of things to refuse, or of warn statements that add headers, without the final accept
// the refusals were meant to fall through to.
//
// Left alone: ACLs with a statement that ends them every time (a bare `deny` or `defer` says
// the refusal is meant), and the options where refusing everything is a policy an admin
// chooses (VRFY, EXPN, ETRN, AUTH, STARTTLS) or whose answer Exim ignores (QUIT).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { Acl, AclStatement, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { aclCondition } from '../../catalog/exim';
import { aclNameOf } from './acl-where';
import { ownEntry } from '../../own';

/** What Exim turns away when the ACL an option selects never accepts. */
const REFUSED: Record<string, string> = {
  acl_smtp_connect: 'every connection',
  acl_smtp_helo: 'every HELO and EHLO',
  acl_smtp_mail: 'every sender (MAIL FROM)',
  acl_smtp_rcpt: 'every recipient (RCPT TO)',
  acl_smtp_predata: 'every DATA command',
  acl_smtp_data: 'every message',
  acl_smtp_data_prdr: 'every recipient of a PRDR message',
  acl_smtp_mime: 'every message with a MIME part',
  acl_smtp_dkim: 'every DKIM-signed message',
  acl_not_smtp: 'every message submitted on the command line',
  acl_not_smtp_mime: 'every MIME message submitted on the command line',
  acl_not_smtp_start: 'every message submitted on the command line',
};

const ACCEPTING = new Set(['accept', 'discard']);
const ENDING = new Set(['accept', 'deny', 'drop', 'discard', 'defer']);

/** A statement whose verb ends the ACL and which has nothing that can fail. */
function endsEveryTime(st: AclStatement): boolean {
  return ENDING.has(st.verb) && st.items.every((it) => it.name !== 'endpass' && aclCondition(it.name)?.kind === 'modifier');
}

export function checkAclAccepts(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  if (!cfg.acls.length) return [];
  // A later ACL of the same name is the one Exim uses.
  const byName = new Map<string, Acl>();
  for (const a of cfg.acls) byName.set(a.name, a);
  const out: Finding[] = [];
  const reported = new Set<Acl>();
  for (const s of cfg.main) {
    const refused = ownEntry(REFUSED, s.name);
    if (!refused || !s.valueLoc) continue;
    const acl = byName.get(aclNameOf(s.value) ?? '');
    if (!acl || reported.has(acl)) continue;
    if (acl.statements.some((st) => ACCEPTING.has(st.verb) || endsEveryTime(st))) continue;
    reported.add(acl);
    const last = acl.statements[acl.statements.length - 1];
    const indent = ' '.repeat(last ? last.verbLoc.range.start.character : 2);
    const at = last ? last.loc : acl.loc;
    const n = acl.statements.length;
    const what = n === 0 ? 'it has no statements' : n === 1 ? 'its one statement does not accept' : `none of its ${n} statements accepts`;
    out.push(finding('exim/acl-never-accepts', acl.nameLoc.file, acl.nameLoc.range,
      `ACL "${acl.name}" never accepts: ${what}, and at its end Exim denies. As ${s.name} it refuses ${refused} with "550 Administrative prohibition". End it with "accept" (after the statements that refuse).`,
      {
        related: [{ file: s.valueLoc.file, range: s.valueLoc.range, message: `${s.name} selects ACL "${acl.name}"` }],
        fixes: [{
          title: 'End the ACL with "accept"',
          edits: [{ file: at.file, range: { start: at.range.end, end: at.range.end }, newText: `\n${indent}accept` }],
        }],
      }));
  }
  return out;
}
