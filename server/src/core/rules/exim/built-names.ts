// Names a selecting value may build at run time. Where every branch is plain text
// (`transport = remote_smtp${if eq{…}{…}{_dkim}}`) the names it can give are exactly known
// (remote_smtp, remote_smtp_dkim); where some part is open (`acl_rcpt_$local_part`, a
// lookup), the word written right before it starts the names it may give, and the word
// right after it ends them. Such a name is used though nothing names it whole, and a
// rename cannot follow it.
import type { ExpansionNode } from '../../exim/expansion';
import type { AclItem, EximConfig, Loc, OptionSetting } from '../../exim/model';
import { TRANSPORT_OPTIONS } from './names';
import { SELECTING_OPTIONS } from './acl-where';

/** `name` as a whole word (not inside a longer run of letters, digits and `_`). */
export function wholeWord(name: string): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`);
}

/** A value that may build a name, and how: the whole name, or the part it shares. */
export interface BuiltBy { option: string; value: string; loc: Loc; part: string; at: 'whole' | 'start' | 'end' }

interface Source { option: string; value: string; loc: () => Loc }

/** More results than this and a value counts as open. */
const MAX_RESULTS = 64;

/**
 * Every string `nodes` can expand to, when each part is text or an ${if} choosing between
 * texts, with how many pieces of text make it; else undefined.
 */
function results(nodes: ExpansionNode[]): { text: string; pieces: number }[] | undefined {
  let out = [{ text: '', pieces: 0 }];
  for (const n of nodes) {
    let these: { text: string; pieces: number }[] | undefined;
    if (n.kind === 'text') these = [{ text: n.text, pieces: n.text.trim() ? 1 : 0 }];
    else if (n.kind === 'item' && n.name === 'if') {
      const branches = n.args.slice(1);
      these = branches.length < 2 ? [{ text: '', pieces: 0 }] : [];
      for (const b of branches) {
        const r = results(b);
        if (!r) return undefined;
        these.push(...r);
      }
    }
    if (!these) return undefined;
    out = out.flatMap((a) => these!.map((b) => ({ text: a.text + b.text, pieces: a.pieces + b.pieces })));
    if (out.length > MAX_RESULTS) return undefined;
  }
  return out;
}

const WORD_END = /(?<![A-Za-z0-9_])[A-Za-z0-9_]+$/;
const WORD_START = /^[A-Za-z0-9_]+/;

export class BuiltNames {
  /** Whole names, and whether the value joins it from pieces (one piece is a plain reference, which a rename follows). */
  private readonly whole = new Map<string, Source & { joined: boolean }>();
  private readonly starts = new Map<string, Source>();
  private readonly ends = new Map<string, Source>();
  add(option: string, value: string | undefined, tree: () => ExpansionNode[] | undefined, loc: () => Loc): void {
    if (!value?.includes('$')) return;
    const nodes = tree();
    if (!nodes) return;
    const src = { option, value, loc };
    const all = results(nodes);
    if (all) {
      for (const r of all) {
        const name = r.text.trim();
        const had = this.whole.get(name);
        if (name && (!had || (!had.joined && r.pieces > 1))) this.whole.set(name, { ...src, joined: r.pieces > 1 });
      }
      return;
    }
    // Open: the word written right before each part that is not plain text, and right after it.
    this.openParts(nodes, src);
  }
  private openParts(nodes: ExpansionNode[], src: Source): void {
    nodes.forEach((n, i) => {
      if (n.kind === 'text') return;
      if (n.kind === 'item' && n.name === 'if') {
        if (n.args.slice(1).every((b) => results(b) !== undefined)) return;
        for (const b of n.args.slice(1)) this.openParts(b, src);
      }
      const before = nodes[i - 1], after = nodes[i + 1];
      const start = before?.kind === 'text' ? WORD_END.exec(before.text)?.[0] : undefined;
      const end = after?.kind === 'text' ? WORD_START.exec(after.text)?.[0] : undefined;
      if (start && !this.starts.has(start)) this.starts.set(start, src);
      if (end && !this.ends.has(end)) this.ends.set(end, src);
    });
  }
  /** The first value found that may build `name` from pieces (a whole name given as one piece is a reference). */
  by(name: string): BuiltBy | undefined {
    const w = this.whole.get(name);
    if (w?.joined) return { option: w.option, value: w.value, loc: w.loc(), part: name, at: 'whole' };
    const p = this.partOf(name);
    return p && { option: p.src.option, value: p.src.value, loc: p.src.loc(), part: p.part, at: p.at };
  }
  has(name: string): boolean {
    return this.whole.has(name) || this.partOf(name) !== undefined;
  }
  /** The start or end that `name` shares with what some value may build. */
  private partOf(name: string): { part: string; src: Source; at: 'start' | 'end' } | undefined {
    for (const [part, src] of this.starts) if (name.length > part.length && name.startsWith(part)) return { part, src, at: 'start' };
    for (const [part, src] of this.ends) if (name.length > part.length && name.endsWith(part)) return { part, src, at: 'end' };
    return undefined;
  }
}

/** A value that selects a transport or an ACL by name. */
export type Selecting = OptionSetting | AclItem;

/**
 * The values that select a transport (the transport options of the main section, routers
 * and transports) or an ACL (the acl_smtp_* options and `acl =` conditions).
 */
export function selectingValues(cfg: EximConfig, kind: 'transport' | 'acl'): Selecting[] {
  if (kind === 'transport') return [...cfg.main, ...cfg.routers.flatMap((r) => r.options), ...cfg.transports.flatMap((t) => t.options)].filter((s) => TRANSPORT_OPTIONS.has(s.name));
  return [...cfg.main.filter((s) => SELECTING_OPTIONS.has(s.name)), ...cfg.acls.flatMap((a) => a.statements.flatMap((st) => st.items.filter((it) => it.name === 'acl')))];
}

/** Where a selecting value is written: a setting's whole line, a condition's value. */
export const selectingLoc = (o: Selecting): Loc => 'section' in o ? o.loc : o.valueLoc ?? o.nameLoc;

/** The transport or ACL names the selecting values may build. */
export function builtNames(cfg: EximConfig, kind: 'transport' | 'acl'): BuiltNames {
  const built = new BuiltNames();
  for (const o of selectingValues(cfg, kind)) built.add(o.name, o.value, () => o.expansion, () => selectingLoc(o));
  return built;
}
