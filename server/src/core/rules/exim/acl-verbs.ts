// exim/acl-syntax (warning): a verb the ACL an option selects may not end with. Exim loads such
// a config, and meets the verb only when its statement ends the ACL (acl.c, acl_check), each
// seen with exim4 -bh (Exim 4.96):
// - the QUIT and not-QUIT ACLs may not fail: deny, defer, discard or drop whose conditions
//   hold, or a require whose conditions fail, stops the ACL with an error ("ACL for QUIT
//   returned ERROR: QUIT or not-QUIT toplevel ACL may not fail"), in the main and panic logs;
//   the statements after it never run (the client still gets its 221);
// - discard belongs to the ACLs of a message (MAIL, RCPT, MIME, DKIM, DATA, PRDR, non-SMTP):
//   elsewhere, PREDATA included, Exim logs '"discard" verb not allowed in connection ACL'
//   (to the panic log) and answers 451 (a connect ACL: to the connection);
// - drop in the MAILAUTH ACL is an error in the same way (451 to the MAIL command).
// Only the ACL the option names: in one that `acl =` calls, the verb's result is the
// condition's, which is another matter. There, discard is the one to watch: a nested ACL that
// ends with it (or with an accept or discard whose `acl =` does) is allowed only under accept
// or discard, and under any other verb, warn included, Exim fails the statement with an error
// ('nested ACL returned "discard" for "require" command') and answers 451.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { Acl, AclItem, AclStatement, EximConfig } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { aclCondition, whereOfAclOption } from '../../catalog/exim';
import { aclCallName, aclNameOf, aclsByName, SELECTING_OPTIONS } from './acl-where';
import { RUN_TIME } from './suggest';

/** Where discard may end an ACL: those of a message, PREDATA aside. */
const DISCARD_OK = new Set(['rcpt', 'mail', 'mime', 'dkim', 'data', 'prdr', 'notsmtp']);
const QUIT = new Set(['quit', 'notquit']);
const FAILING = new Set(['deny', 'defer', 'discard', 'drop', 'require']);

interface Selection { option: string; where: string }

type Certain = boolean | undefined;

/**
 * What an ACL that `acl =` calls certainly returns, as the condition's value: true when it
 * accepts, false when it denies, undefined when that depends on what it tests. Only
 * statements without conditions decide (warn and a bare require go on); the end denies.
 */
function certainAcl(name: string, acls: Map<string, Acl>, seen: Set<string>): Certain {
  const acl = acls.get(name);
  if (!acl || seen.has(name)) return undefined;
  seen.add(name);
  for (const st of acl.statements) {
    if (st.verb === 'warn') continue;
    if (st.items.some(isCondition)) return undefined;
    if (st.verb === 'accept') return true;
    if (st.verb === 'deny') return false;
    if (st.verb !== 'require') return undefined;
  }
  return false;
}

const isCondition = (it: AclItem): boolean => aclCondition(it.name)?.kind === 'condition';

/** A condition's value when it is certain: an `acl =` calling an ACL whose answer is fixed, with `!` applied. */
function certainCondition(it: AclItem, acls: Map<string, Acl>): Certain {
  if (it.name !== 'acl') return undefined;
  const callee = aclCallName(it.value);
  const v = callee === undefined || callee !== it.value?.trim() ? undefined : certainAcl(callee, acls, new Set());
  return v === undefined ? undefined : it.negated ? !v : v;
}

function quitProblem(st: AclStatement, s: Selection, acls: Map<string, Acl>): string | undefined {
  const conds = st.items.filter(isCondition);
  const conditional = conds.length > 0;
  // A require with nothing to test, or whose every test certainly passes, passes every time
  // (a `require !acl = x` whose x always denies, as Exim's own test suite writes); a
  // refusal with a test that certainly fails never refuses.
  const values = conds.map((it) => certainCondition(it, acls));
  if (st.verb === 'require' && values.every((v) => v === true)) return undefined;
  if (st.verb !== 'require' && values.some((v) => v === false)) return undefined;
  const when = !conditional ? 'each time it is reached' : st.verb === 'require' ? 'when its conditions fail' : 'when its conditions hold';
  const log = s.where === 'quit' ? 'ACL for QUIT returned ERROR' : 'ACL for not-QUIT returned ERROR';
  return `"${st.verb}" in the ACL that ${s.option} selects: that ACL may not fail, so ${when}, Exim stops the ACL with an error ("${log}: QUIT or not-QUIT toplevel ACL may not fail", main and panic logs) and runs none of the statements after it. Use warn for what should be logged or done at ${s.where === 'quit' ? 'QUIT' : 'a dropped connection'}.`;
}

export function checkAclVerbs(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  nestedDiscards(cfg, out);
  const selected = new Map<string, Selection[]>();
  for (const s of cfg.main) {
    if (s.negated || !SELECTING_OPTIONS.has(s.name)) continue;
    const name = aclNameOf(s.value);
    const where = whereOfAclOption(s.name);
    if (!name || !where) continue;
    const list = selected.get(name);
    if (list) list.push({ option: s.name, where }); else selected.set(name, [{ option: s.name, where }]);
  }
  if (!selected.size) return out;
  const acls = aclsByName(cfg);
  for (const acl of cfg.acls) {
    const uses = selected.get(acl.name);
    if (!uses) continue;
    for (const st of acl.statements) {
      if (!FAILING.has(st.verb)) continue;
      const message = verbProblem(st, uses, acls);
      if (message) out.push(finding('exim/acl-syntax', st.verbLoc.file, st.verbLoc.range, message, RUN_TIME));
    }
  }
  return out;
}

function verbProblem(st: AclStatement, uses: Selection[], acls: Map<string, Acl>): string | undefined {
  const quit = uses.find((u) => QUIT.has(u.where));
  if (quit) return quitProblem(st, quit, acls);
  if (st.verb === 'discard') {
    const bad = uses.find((u) => !DISCARD_OK.has(u.where));
    if (bad) return `"discard" is not allowed in the ACL that ${bad.option} selects (only in those of a message: MAIL, RCPT, MIME, DKIM, DATA, PRDR, non-SMTP): when its conditions hold, Exim logs '"discard" verb not allowed' to the panic log and answers 451${bad.where === 'connect' ? ' to the connection' : ''}. Use deny or drop to refuse, or move the statement to the RCPT ACL.`;
  }
  if (st.verb === 'drop' && uses.some((u) => u.where === 'mailauth')) {
    return `"drop" is not allowed in the ACL that acl_smtp_mailauth selects: when its conditions hold, Exim logs '"drop" verb not allowed' to the panic log and answers the MAIL command 451 instead of dropping the connection. Use deny.`;
  }
  return undefined;
}

/**
 * The discard statement an ACL may end with, its own or one of an ACL it calls from an accept
 * or discard (whose discard it passes on); undefined when it has none. Loops end the search.
 */
function discardIn(name: string, acls: Map<string, Acl>, seen: Set<string>): AclStatement | undefined {
  const acl = acls.get(name);
  if (!acl || seen.has(name)) return undefined;
  seen.add(name);
  for (const st of acl.statements) {
    if (st.verb === 'discard') return st;
    if (st.verb !== 'accept') continue;
    for (const it of st.items) {
      const callee = it.name === 'acl' ? aclCallName(it.value) : undefined;
      const found = callee !== undefined ? discardIn(callee, acls, seen) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function nestedDiscards(cfg: EximConfig, out: Finding[]): void {
  const acls = aclsByName(cfg);
  const memo = new Map<string, AclStatement | undefined>();
  for (const acl of cfg.acls) for (const st of acl.statements) {
    if (st.verb === 'accept' || st.verb === 'discard') continue;
    for (const it of st.items) {
      const callee = it.name === 'acl' ? aclCallName(it.value) : undefined;
      if (callee === undefined || !acls.has(callee)) continue;
      if (!memo.has(callee)) memo.set(callee, discardIn(callee, acls, new Set()));
      const d = memo.get(callee);
      if (!d) continue;
      out.push(finding('exim/acl-syntax', it.nameLoc.file, it.nameLoc.range,
        `ACL "${callee}" can end with "discard", which a nested ACL may return only to accept or discard: when it does, Exim fails this "${st.verb}" with an error ('nested ACL returned "discard" for "${st.verb}" command') and answers 451. Call it from accept or discard, or have it deny instead.`,
        { ...RUN_TIME, related: [{ file: d.verbLoc.file, range: d.verbLoc.range, message: 'the discard it can end with' }] }));
    }
  }
}
