// ACL references: `acl_smtp_*` options and `acl =` conditions must name a defined ACL.
// Exim (acl.c) takes a value without spaces as an ACL name when one of that name exists,
// as a file when it starts with "/", and otherwise as the text of an inline ACL: so a
// misspelt name silently becomes a one-line ACL whose "verb" is the name, and fails.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { aclVerb } from '../../catalog/exim';
import { didYouMean, nearest, replaceFix, runTime, RUN_TIME } from './suggest';
import { aclCallName, aclNameOf, SELECTING_OPTIONS } from './acl-where';
import { locOfText } from './lists';
import { componentsOf, loopText, pathWithin } from './cycles';

function resolvesElsewhere(name: string): boolean {
  // A file, or inline ACL text that is just a verb (e.g. `acl_smtp_rcpt = accept`).
  return name.startsWith('/') || aclVerb(name.replace(/:$/, '')) !== undefined;
}

/** The ACL names of a config, made once some value names an ACL. */
class AclNames {
  declare private readonly cfg: EximConfig;
  declare private names: string[] | undefined;
  declare private known: Set<string> | undefined;
  constructor(cfg: EximConfig) { this.cfg = cfg; this.names = undefined; this.known = undefined; }
  has(name: string): boolean { return (this.known ??= new Set(this.list())).has(name); }
  /** In order of definition, for suggestions. */
  list(): string[] { return this.names ??= this.cfg.acls.map((a) => a.name); }
}

export function checkReferences(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const acls = new AclNames(cfg);
  const selecting = SELECTING_OPTIONS;
  for (const s of cfg.main) {
    if (!selecting.has(s.name)) continue;
    const name = aclNameOf(s.value);
    if (name && !acls.has(name) && !resolvesElsewhere(name) && s.valueLoc) undefinedSelected(s, name, acls, out);
  }
  let calls: Map<string, { it: AclItem; callee: string }[]> | undefined;
  for (const a of cfg.acls) {
    for (const st of a.statements) for (const it of st.items) {
      if (it.name !== 'acl') continue;
      const name = aclCallName(it.value);
      if (!name) continue;
      if (acls.has(name)) {
        calls ??= new Map();
        let from = calls.get(a.name);
        if (!from) calls.set(a.name, from = []);
        from.push({ it, callee: name });
      } else if (!resolvesElsewhere(name) && it.valueLoc) undefinedCalled(cfg, it, name, acls, out);
    }
  }
  if (calls) loops(cfg, calls, out);
  return out;
}

/**
 * `acl = NAME` calls that lead back to the ACL they are in. Exim nests ACL calls at most 20
 * deep and then fails the condition with "ACL nested too deep: possible loop" (a 451 in
 * an SMTP ACL); only a condition before the call that stops the loop saves it.
 */
function loops(cfg: EximConfig, calls: ReadonlyMap<string, readonly { it: AclItem; callee: string }[]>, out: Finding[]): void {
  // A call leads back to its caller only within one strongly connected part of the call
  // graph: found once for all calls, not by a search from every call (thousands of ACLs
  // calling one another took seconds).
  const callees = new Map([...calls].map(([caller, list]) => [caller, list.map((c) => c.callee)]));
  const next = (n: string) => callees.get(n) ?? [];
  const part = componentsOf(calls.keys(), next);
  for (const [caller, list] of calls) {
    for (const { it, callee } of list) {
      if (callee !== caller && part.get(callee) !== part.get(caller)) continue;
      const back = callee === caller ? [] : pathWithin(callee, caller, next, part);
      if (!back || !it.valueLoc) continue;
      const at = locOfText(cfg, it.valueLoc, callee);
      out.push(finding('exim/acl-loop', at.file, at.range,
        `"acl = ${callee}" calls back into ACL "${caller}" (${loopText([caller, callee, ...back], 'calls')}); unless a condition before it stops the loop, Exim gives up after 20 nested calls and fails the condition with "ACL nested too deep: possible loop".`, RUN_TIME));
    }
  }
}

function undefinedSelected(s: OptionSetting, name: string, acls: AclNames, out: Finding[]): void {
  const guess = nearest(name, acls.list());
  out.push(finding('exim/undefined-acl', s.valueLoc!.file, s.valueLoc!.range,
    `"${s.name}" names the ACL "${name}", but no ACL of that name is defined in "begin acl"; Exim would read "${name}" as inline ACL text and fail on every message.${didYouMean(guess)}`,
    runTime(guess ? replaceFix(s.valueLoc!, guess) : undefined)));
}

function undefinedCalled(cfg: EximConfig, it: AclItem, name: string, acls: AclNames, out: Finding[]): void {
  const at = locOfText(cfg, it.valueLoc!, name);
  const guess = nearest(name, acls.list());
  out.push(finding('exim/undefined-acl', at.file, at.range,
    `"acl = ${name}" calls an ACL that is not defined in "begin acl"; the condition fails with an error when reached.${didYouMean(guess)}`,
    runTime(guess ? replaceFix(at, guess) : undefined)));
}
