// exim/list-loop: a named list that leads back to itself through `+name` items (`domainlist
// local = a.example : +local`, or two lists naming each other). Exim loads the config
// (exim4 -bV), and matching the list against anything no earlier item matches recurses until
// the process dies: exim4 -bh ends in a segmentation fault at that RCPT, for every kind of
// list, and the client's connection is dropped without a reply.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, ListItem, NamedList } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { componentsOf, loopText, pathWithin } from './cycles';
import { RUN_TIME } from './suggest';

interface Ref { to: string; item: ListItem }

const keyOf = (kind: string, name: string) => `${kind}:${name}`;

export function checkListLoops(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  if (!cfg.lists.length) return [];
  // Exim keeps the first list of a name; a second is exim/duplicate-name's.
  const lists = new Map<string, NamedList>();
  for (const l of cfg.lists) if (!lists.has(keyOf(l.kind, l.name))) lists.set(keyOf(l.kind, l.name), l);
  const refs = new Map<string, Ref[]>();
  for (const [key, l] of lists) {
    const out: Ref[] = [];
    for (const it of l.items) {
      // Past a bare "*" nothing is ever looked at.
      if (it.text === '*' && !it.negated) break;
      if (!it.ref || it.text.includes('$')) continue;
      const to = keyOf(l.kind, it.ref);
      if (lists.has(to)) out.push({ to, item: it });
    }
    if (out.length) refs.set(key, out);
  }
  if (!refs.size) return [];
  const targets = new Map([...refs].map(([k, rs]) => [k, rs.map((r) => r.to)]));
  const next = (n: string) => targets.get(n) ?? [];
  const part = componentsOf(refs.keys(), next);
  const out: Finding[] = [];
  for (const [key, rs] of refs) {
    const l = lists.get(key)!;
    for (const { to, item } of rs) {
      if (to !== key && part.get(to) !== part.get(key)) continue;
      const back = to === key ? [] : pathWithin(to, key, next, part);
      if (!back) continue;
      const names = [key, to, ...back].map((k) => k.slice(k.indexOf(':') + 1));
      const how = to === key ? 'names itself' : `leads back to itself (${loopText(names, 'references')})`;
      out.push(finding('exim/list-loop', item.loc.file, item.loc.range,
        `${l.kind} "${l.name}" ${how}: Exim loads the config, but matching this list against anything no item before this one matches recurses until the process crashes (a segmentation fault), and the client's connection is dropped without a reply. Remove the reference.`, RUN_TIME));
    }
  }
  return out;
}
