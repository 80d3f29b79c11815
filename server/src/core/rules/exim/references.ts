// ACL references: `acl_smtp_*` options and `acl =` conditions must name a defined ACL.
// Exim (acl.c) takes a value without spaces as an ACL name when one of that name exists,
// as a file when it starts with "/", and otherwise as the text of an inline ACL: so a
// misspelt name silently becomes a one-line ACL whose "verb" is the name, and fails.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { aclVerb } from '../../catalog/exim';
import { didYouMean, nearest, replaceFix, runTime } from './suggest';
import { aclCallName, aclNameOf, SELECTING_OPTIONS } from './acl-where';
import { locOfText } from './lists';

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
  for (const a of cfg.acls) {
    for (const st of a.statements) for (const it of st.items) {
      if (it.name !== 'acl') continue;
      const name = aclCallName(it.value);
      if (name && !acls.has(name) && !resolvesElsewhere(name) && it.valueLoc) undefinedCalled(cfg, it, name, acls, out);
    }
  }
  return out;
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
