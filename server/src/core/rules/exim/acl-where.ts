// Which SMTP stages (ACL_WHERE tokens) each ACL runs at: from the `acl_smtp_*` options
// that name it, passed on through `acl = NAME` calls.
import type { Acl, EximConfig } from '../../exim/model';
import { aclSelectingOptions, whereOfAclOption } from '../../catalog/exim';

/** The ACLs by name, the first of each (Exim refuses a second of one name anyway). */
export function aclsByName(cfg: EximConfig): Map<string, Acl> {
  const out = new Map<string, Acl>();
  for (const a of cfg.acls) if (!out.has(a.name)) out.set(a.name, a);
  return out;
}

/** The ACL name an `acl_smtp_*` value or `acl =` condition refers to, if it is a plain name. */
export function aclNameOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!v || v.includes('$') || /\s/.test(v)) return undefined;
  return v;
}

/** First word of an `acl =` condition: the ACL name; the rest are its arguments. */
export function aclCallName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const end = v.search(/\s/);
  const first = end < 0 ? v : v.slice(0, end);
  return first && !first.includes('$') ? first : undefined;
}

export interface AclUse { where: string; option: string }

/** The main options that select an ACL (`acl_smtp_rcpt`, …): fixed, so made once. */
export const SELECTING_OPTIONS: ReadonlySet<string> = new Set(aclSelectingOptions());

export function aclWheres(cfg: EximConfig): Map<string, AclUse[]> {
  const uses = new Map<string, AclUse[]>();
  if (!cfg.acls.length) return uses;
  const defined = new Set<string>();
  for (const a of cfg.acls) defined.add(a.name);
  const selecting = SELECTING_OPTIONS;
  const add = (acl: string, use: AclUse) => {
    const list = uses.get(acl);
    if (!list) { uses.set(acl, [use]); return true; }
    for (const u of list) if (u.where === use.where) return false;
    list.push(use);
    return true;
  };
  for (const s of cfg.main) {
    if (!selecting.has(s.name)) continue;
    const name = aclNameOf(s.value);
    const where = whereOfAclOption(s.name);
    if (name && where && defined.has(name)) add(name, { where, option: s.name });
  }
  // Calls: ACL -> ACLs it calls with `acl =`; only ACLs that call any are entered.
  let calls: Map<string, string[]> | undefined;
  for (const a of cfg.acls) {
    let callees: string[] | undefined;
    for (const st of a.statements) for (const it of st.items) {
      if (it.name !== 'acl') continue;
      const callee = aclCallName(it.value);
      if (callee && defined.has(callee)) (callees ??= []).push(callee);
    }
    // A later ACL of the same name replaces an earlier one's calls.
    if (callees) (calls ??= new Map()).set(a.name, callees);
    else calls?.delete(a.name);
  }
  if (!calls) return uses;
  const queue = [...uses.keys()];
  while (queue.length) {
    const from = queue.shift()!;
    for (const callee of calls.get(from) ?? []) {
      let grew = false;
      for (const u of uses.get(from) ?? []) grew = add(callee, u) || grew;
      if (grew) queue.push(callee);
    }
  }
  return uses;
}
