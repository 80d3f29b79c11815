// exim/acl-unreachable: statements after one that always ends its ACL. accept, deny, drop,
// discard and defer end the ACL when all their conditions pass; with no condition at all
// (modifiers only: message, set, control, ...) that is every time, and Exim never gets to
// what follows. Usually a test left in (an `accept` at the top of a RCPT ACL skips every
// relay check) or a statement pasted below the final accept. warn and require go on.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclStatement, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { aclCondition } from '../../catalog/exim';

const ENDING: Record<string, string> = {
  accept: 'accepts', deny: 'denies', drop: 'drops the connection', discard: 'discards the recipients', defer: 'defers',
};

/**
 * A statement that ends the ACL every time: an ending verb with nothing that can fail.
 * (endpass, of Exim's old ACLs, is left alone: it is an error beside most verbs anyway.)
 */
function alwaysEnds(st: AclStatement): boolean {
  return st.verb in ENDING && st.items.every((it) => it.name !== 'endpass' && aclCondition(it.name)?.kind === 'modifier');
}

export function checkAclReach(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const acl of cfg.acls) {
    const i = acl.statements.findIndex(alwaysEnds);
    if (i < 0 || i === acl.statements.length - 1) continue;
    const end = acl.statements[i];
    const next = acl.statements[i + 1];
    const rest = acl.statements.length - i - 2;
    const line = end.verbLoc.range.start.line + 1;
    out.push(finding('exim/acl-unreachable', next.verbLoc.file, next.verbLoc.range,
      `Never reached: the "${end.verb}" at line ${line} has no condition, so it ${ENDING[end.verb]} every time ACL "${acl.name}" gets there, and Exim never runs this statement${rest ? ` or the ${rest} after it` : ''}. Give that "${end.verb}" a condition, or move it below the statements it cuts off.`,
      { related: [{ file: end.verbLoc.file, range: end.verbLoc.range, message: `"${end.verb}" without a condition ends ACL "${acl.name}" here` }] }));
  }
  return out;
}
