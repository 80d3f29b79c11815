// exim/acl-fake-answer: `control = fakereject` or `fakedefer` with no condition before it
// in its statement. These controls are for trying a new rejection rule out on the mail it
// would catch: Exim keeps (and delivers) the message but tells the client it was refused.
// With nothing in front of it, every message that gets there is answered so. Found by the
// runtime mutation harness (a `warn control = fakedefer` in the RCPT ACL: every DATA got
// 450, so every client sends its message again and each copy is kept) and live (Exim 4.96,
// exim4 -bs: "550 Your message has been rejected but is being kept for evaluation", and the
// message is on the queue).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { aclCondition } from '../../catalog/exim';

/** Verbs after which a statement's controls take effect for the mail that gets there. */
const GOING_ON = new Set(['accept', 'warn', 'require']);

export function checkAclFakeAnswers(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const acl of cfg.acls) for (const st of acl.statements) {
    if (!GOING_ON.has(st.verb)) continue;
    for (const it of st.items) {
      if (aclCondition(it.name)?.kind === 'condition' || it.name === 'endpass') break;
      const fake = it.name === 'control' && /^\s*(fakedefer|fakereject)\b/.exec(it.value ?? '')?.[1];
      if (!fake || !it.valueLoc) continue;
      const answer = fake === 'fakereject'
        ? 'told "550 Your message has been rejected but is being kept for evaluation"'
        : 'told "450 ... being kept for evaluation", so it sends the message again, and each copy is kept';
      out.push(finding('exim/acl-fake-answer', it.valueLoc.file, it.valueLoc.range,
        `control = ${fake} with no condition before it in this ${st.verb} statement: every message that gets here is kept and delivered, yet its client is ${answer}. The control is for trying a rejection rule out: put it in a statement with that rule's conditions (warn with the conditions a deny would have), or remove it.`));
    }
  }
  return out;
}
