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
import { definedLists } from './names';
import { RUN_TIME } from './suggest';

interface Ref { to: string; item: ListItem }

const keyOf = (kind: string, name: string) => `${kind}:${name}`;

export function checkListLoops(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  if (!cfg.lists.length) return [];
  // Each list Exim keeps (the first of a name; a second is exim/duplicate-name's), and the
  // lists of its kind its `+name` items name.
  const refs = new Map<string, { list: NamedList; to: Ref[] }>();
  for (const [kind, names] of definedLists(cfg)) {
    for (const [name, l] of names) {
      const out: Ref[] = [];
      for (const it of l.items) {
        // Past a bare "*" nothing is ever looked at.
        if (it.text === '*' && !it.negated) break;
        if (it.ref && !it.text.includes('$') && names.has(it.ref)) out.push({ to: keyOf(kind, it.ref), item: it });
      }
      if (out.length) refs.set(keyOf(kind, name), { list: l, to: out });
    }
  }
  if (!refs.size) return [];
  const targets = new Map([...refs].map(([k, r]) => [k, r.to.map((x) => x.to)]));
  const next = (n: string) => targets.get(n) ?? [];
  const part = componentsOf(refs.keys(), next);
  const out: Finding[] = [];
  for (const [key, { list: l, to: rs }] of refs) {
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
