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
  const part = callComponents(calls);
  /** A path of calls from `from` to `to` (names after `from`), or undefined; only through `from`'s part. */
  const path = (from: string, to: string): string[] | undefined => {
    const back = new Map<string, string>([[from, '']]);
    const queue = [from];
    for (let q = 0; q < queue.length; q++) {
      for (const c of calls.get(queue[q]) ?? []) {
        if (c.callee === to) {
          const names = [to];
          for (let n = queue[q]; n !== from; n = back.get(n)!) names.unshift(n);
          return names;
        }
        if (back.has(c.callee) || part.get(c.callee) !== part.get(from)) continue;
        back.set(c.callee, queue[q]);
        queue.push(c.callee);
      }
    }
    return undefined;
  };
  for (const [caller, list] of calls) {
    for (const { it, callee } of list) {
      if (callee !== caller && part.get(callee) !== part.get(caller)) continue;
      const back = callee === caller ? [] : path(callee, caller);
      if (!back || !it.valueLoc) continue;
      const at = locOfText(cfg, it.valueLoc, callee);
      const names = [caller, callee, ...back];
      // A loop through hundreds of ACLs is named by its ends, not written out in full.
      const cycle = names.length > 12 ? `${names.slice(0, 6).join(' → ')} → … → ${names.slice(-3).join(' → ')}, ${names.length - 1} calls` : names.join(' → ');
      out.push(finding('exim/acl-loop', at.file, at.range,
        `"acl = ${callee}" calls back into ACL "${caller}" (${cycle}); unless a condition before it stops the loop, Exim gives up after 20 nested calls and fails the condition with "ACL nested too deep: possible loop".`, RUN_TIME));
    }
  }
}

/**
 * The strongly connected parts of the call graph (Tarjan's algorithm, without recursion, so
 * a chain of thousands of calls needs no deep stack): each ACL's part, as a number.
 */
function callComponents(calls: ReadonlyMap<string, readonly { callee: string }[]>): Map<string, number> {
  const index = new Map<string, number>(), low = new Map<string, number>(), part = new Map<string, number>();
  const stack: string[] = [], onStack = new Set<string>();
  let next = 0, parts = 0;
  for (const root of calls.keys()) {
    if (index.has(root)) continue;
    // Each frame: an ACL and how many of its calls have been followed.
    const frames: [string, number][] = [[root, 0]];
    index.set(root, next); low.set(root, next); next++;
    stack.push(root); onStack.add(root);
    while (frames.length) {
      const frame = frames[frames.length - 1];
      const [v, i] = frame;
      const out = calls.get(v) ?? [];
      if (i < out.length) {
        frame[1]++;
        const w = out[i].callee;
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next); next++;
          stack.push(w); onStack.add(w);
          frames.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      if (frames.length) {
        const u = frames[frames.length - 1][0];
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); part.set(w, parts); } while (w !== v);
        parts++;
      }
    }
  }
  return part;
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
