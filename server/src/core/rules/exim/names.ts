// Names defined once and used elsewhere: driver instances, ACLs and named lists must be
// unique; transports and `+name` list references must name something of the right kind.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, AclStatement, DriverInstance, EximConfig, ListKind, Loc, NamedList, OptionSetting, RewriteRule } from '../../exim/model';
import { walkExpansion } from '../../exim/expansion-parser';
import { plainText, type ExpansionNode } from '../../exim/expansion';
import type { Range } from '../../text';
import type { CheckOptions } from '../../options';
import { eximDriver, optionsOfScope, type EximOptionInfo } from '../../catalog/exim';
import { didYouMean, nearest, replaceFix, runTime, RUN_TIME } from './suggest';
import { aclListKind, HOSTLIST_SWITCHES, KIND_WORD, locOfText, occurrencesOf, routeListPatterns, spansText, splitList, type ValueItem } from './lists';
import { FirstByName } from './first-by-name';
import { endsInBackslash } from '../../text';

/** Options that name a transport (routers' generic `transport`, redirect's, the system filter's). */
export const TRANSPORT_OPTIONS = new Set([
  'transport', 'file_transport', 'pipe_transport', 'reply_transport', 'directory_transport', 'shadow_transport',
  'system_filter_directory_transport', 'system_filter_file_transport', 'system_filter_pipe_transport', 'system_filter_reply_transport',
]);

/**
 * Reports the second and later of each name. Returns the first of each name, or undefined
 * for fewer than two items (nothing to compare, and most configs have at most one
 * authenticator or no ACLs).
 */
function duplicates<T extends { name: string; nameLoc: Loc }>(items: readonly T[], what: string, out: Finding[]): FirstByName<T> | undefined {
  if (items.length < 2) return undefined;
  const first = new FirstByName<T>();
  for (const it of items) {
    const prev = first.get(it.name);
    if (prev) duplicate(it, prev, what, out);
    else first.add(it);
  }
  return first;
}

function duplicate(it: { name: string; nameLoc: Loc }, prev: { nameLoc: Loc }, what: string, out: Finding[]): void {
  out.push(finding('exim/duplicate-name', it.nameLoc.file, it.nameLoc.range,
    `There are two ${what} called "${it.name}"; Exim refuses the config. Rename or remove one.`,
    { related: [{ file: prev.nameLoc.file, range: prev.nameLoc.range, message: 'first defined here' }] }));
}

/**
 * In an address list, `local@+name` (`*@+local_domains`) matches the domain against the
 * named domain list: Exim logs "unknown named domain list" for none of that name, and the
 * item fails (a 451 in an ACL; a rewrite rule that never applies). Regular expressions and
 * `@@` lookups aside.
 */
const DOMAIN_PART_REF = /^[^@^]*@\+([A-Za-z0-9_]+)$/;
function domainPartRef(kind: ListKind, text: string): string | undefined {
  return kind === 'addresslist' && text.charCodeAt(0) !== 64 /* @ */ ? DOMAIN_PART_REF.exec(text)?.[1] : undefined;
}

/** A `+name` reference: what kind of list the place expects, and where it is written. */
export interface ListRefSite { kind: ListKind; ref: string; negated: boolean; loc: Loc }

/** A reference inside an option or ACL value: where it is written is found only if asked. */
class ValueRefSite implements ListRefSite {
  // Declared, not defined, fields: field definitions are slow.
  declare readonly kind: ListKind;
  declare readonly ref: string;
  declare readonly negated: boolean;
  declare private readonly cfg: EximConfig;
  declare private readonly valueLoc: Loc;
  declare private readonly text: string;
  declare private readonly nth: number;
  declare private at: Loc | undefined;
  constructor(kind: ListKind, ref: string, negated: boolean, cfg: EximConfig, valueLoc: Loc, text: string, nth: number) {
    this.kind = kind; this.ref = ref; this.negated = negated; this.cfg = cfg; this.valueLoc = valueLoc; this.text = text; this.nth = nth; this.at = undefined;
  }
  get loc(): Loc {
    if (this.at) return this.at;
    const item = locOfText(this.cfg, this.valueLoc, this.text, this.nth);
    // `*@+name`: the reference is the item's domain part.
    return this.at = this.text.charCodeAt(0) === 43 /* + */ ? item : locOfText(this.cfg, item, '+' + this.ref);
  }
}

/**
 * What the `+name` references of a config name. Every reference counts as a use of its
 * name (the unused rule); only those that name no list of the kind expected become sites
 * (the names rule), so no object is made per reference.
 */
export interface ListRefs {
  /** The first list of each name, by kind, in the order the kinds first appear. */
  defined: ReadonlyMap<ListKind, ReadonlyMap<string, NamedList>>;
  /** Lists of a kind and name defined before, in reading order. */
  again: NamedList[];
  /** The names referenced, by the kind of list expected. */
  used: ReadonlyMap<ListKind, ReadonlySet<string>>;
  /** References to no list of the kind expected (host-list switches aside), in reading order. */
  unresolved: ListRefSite[];
  /** `${listnamed:name}` written out where no list of that name (and kind) is defined. */
  unnamed: ListNamedSite[];
}

/**
 * Two rule families read the references of one config: the first finds them and leaves
 * them here, the second takes them away, so nothing stays on the model after a check.
 */
const refsOf = new WeakMap<EximConfig, ListRefs>();

export interface ListNamedSite { name: string; kind?: ListKind; file: string; range: Range }
/** The lists `${listnamed:name}` searches, in Exim's order (expand_listnamed), and its suffixes. */
const LISTNAMED_ORDER: readonly ListKind[] = ['addresslist', 'domainlist', 'hostlist', 'localpartlist'];
const LISTNAMED_KIND: Record<string, ListKind> = { a: 'addresslist', d: 'domainlist', h: 'hostlist', l: 'localpartlist' };
/** The kind of list each list-matching condition takes as its second argument. */
const MATCH_CONDITION_KIND: Record<string, ListKind> = { match_domain: 'domainlist', match_ip: 'hostlist', match_address: 'addresslist', match_local_part: 'localpartlist' };
const LISTNAMED_WORD: Record<ListKind, string> = { addresslist: 'address', domainlist: 'domain', hostlist: 'host', localpartlist: 'localpart' };

/** The references, kept for `takeListRefs` when there are lists to find unused. */
function listRefs(cfg: EximConfig): ListRefs {
  let refs = refsOf.get(cfg);
  if (!refs) {
    refs = findListRefs(cfg);
    if (cfg.lists.length) refsOf.set(cfg, refs);
  }
  return refs;
}

/** The references an earlier `listRefs` left for this check, if any (nothing is found or taken). */
export function peekListRefs(cfg: EximConfig): ListRefs | undefined {
  return refsOf.get(cfg);
}

/** The references, left by an earlier `listRefs` or found now; none is kept. */
export function takeListRefs(cfg: EximConfig): ListRefs {
  const refs = refsOf.get(cfg);
  if (!refs) return findListRefs(cfg);
  refsOf.delete(cfg);
  return refs;
}

// For a config without named lists (most of them): nothing defined, and no uses to record.
const NO_DEFINED: ReadonlyMap<ListKind, Map<string, NamedList>> = new Map();
const NO_USED: ReadonlyMap<ListKind, Set<string>> = new Map();

/** The first list of each name, by kind (the one Exim keeps); the later ones go to `again`. */
export function definedLists(cfg: EximConfig, again: NamedList[] = []): Map<ListKind, Map<string, NamedList>> {
  const defined = new Map<ListKind, Map<string, NamedList>>();
  for (const l of cfg.lists) {
    let names = defined.get(l.kind);
    if (!names) defined.set(l.kind, names = new Map());
    if (!names.has(l.name)) names.set(l.name, l);
    else again.push(l);
  }
  return defined;
}

function findListRefs(cfg: EximConfig): ListRefs {
  const f = new ListRefFinder(cfg);
  for (const l of cfg.lists) if (l.items.length) f.fromList(l);
  f.optionSites(cfg.main, 'main');
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) {
    for (const inst of list) {
      const scope = inst.driver && eximDriver(inst.driver) ? inst.driver : inst.section;
      f.optionSites(inst.options, scope);
    }
  }
  for (const acl of cfg.acls) f.aclSites(acl.statements);
  f.rewriteSites(cfg.rewrite);
  f.expansionSites(cfg);
  return { defined: f.defined, again: f.again, used: f.used ?? NO_USED, unresolved: f.unresolved, unnamed: f.unnamed };
}

/** One search for the references of a config: one small method per kind of place. */
class ListRefFinder {
  declare readonly cfg: EximConfig;
  declare readonly again: NamedList[];
  declare readonly defined: ReadonlyMap<ListKind, ReadonlyMap<string, NamedList>>;
  /** Uses matter only to find unused lists. */
  declare readonly used: Map<ListKind, Set<string>> | undefined;
  declare readonly unresolved: ListRefSite[];
  declare readonly unnamed: ListNamedSite[];
  constructor(cfg: EximConfig) {
    const hasLists = cfg.lists.length > 0;
    this.cfg = cfg;
    this.again = [];
    this.defined = hasLists ? definedLists(cfg, this.again) : NO_DEFINED;
    this.used = hasLists ? new Map() : undefined;
    this.unresolved = [];
    this.unnamed = [];
  }

  /** Records a use (kind, then name: no key string per reference); whether it names a list of its kind. */
  use(kind: ListKind, ref: string): boolean {
    const used = this.used;
    if (used) {
      let names = used.get(kind);
      if (!names) used.set(kind, names = new Set());
      names.add(ref);
    }
    return (kind === 'hostlist' && HOSTLIST_SWITCHES.has(ref)) || this.defined.get(kind)?.has(ref) === true;
  }

  fromList(l: NamedList): void {
    for (const it of l.items) {
      const ref = it.ref ?? domainPartRef(l.kind, it.text);
      if (ref === undefined) continue;
      const kind = it.ref === undefined ? 'domainlist' : l.kind;
      const cfg = this.cfg;
      if (!this.use(kind, ref)) this.unresolved.push({ kind, ref, negated: it.negated, get loc() { return kind === l.kind ? it.loc : locOfText(cfg, it.loc, '+' + ref); } });
    }
  }

  /** A rewrite rule's pattern is one address-list item (`+name`, or `*@+name` for a domain list). */
  rewriteSites(rules: readonly RewriteRule[]): void {
    for (const r of rules) {
      const p = r.pattern;
      if (!p.includes('+')) continue;
      const own = /^\+([A-Za-z0-9_]+)$/.exec(p)?.[1];
      const ref = own ?? domainPartRef('addresslist', p);
      if (ref === undefined) continue;
      const kind = own === undefined ? 'domainlist' : 'addresslist';
      if (!this.use(kind, ref)) this.unresolved.push(new ValueRefSite(kind, ref, false, this.cfg, r.loc, p, 0));
    }
  }

  optionSites(settings: OptionSetting[], scope: string): void {
    let options: ReadonlyMap<string, EximOptionInfo> | undefined | null = null;
    for (const s of settings) {
      // Only a value with "+" in it can hold a reference: the option is looked up for those.
      if (!s.value?.includes('+')) continue;
      if (options === null) options = optionsOfScope(scope);
      const info = options?.get(s.name);
      if (info?.listKind) this.fromValue(info.listKind, s);
      else if (s.name === 'route_list') this.fromItems('domainlist', routeListPatterns(s.value), s);
    }
  }

  aclSites(statements: readonly AclStatement[]): void {
    for (const st of statements) {
      for (const it of st.items) {
        const kind = aclListKind(it.name);
        if (kind) this.fromValue(kind, it);
      }
    }
  }

  fromValue(kind: ListKind, holder: { value?: string; valueLoc?: Loc }): void {
    const value = holder.value;
    if (value === undefined || !value.includes('+')) return;
    this.fromItems(kind, splitList(value), holder);
  }

  private fromItems(kind: ListKind, items: readonly ValueItem[], holder: { valueLoc?: Loc }): void {
    // The holder's Loc is read once a reference is found: a value with none is left alone.
    let loc: Loc | undefined;
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (it.text.includes('$')) continue;
      const ref = it.ref ?? domainPartRef(kind, it.text);
      if (ref === undefined) continue;
      if (!(loc ??= holder.valueLoc)) return;
      const refKind = it.ref === undefined ? 'domainlist' : kind;
      if (!this.use(refKind, ref)) this.unresolvedInValue(refKind, ref, items, k, loc);
    }
  }

  /**
   * `${listnamed:name}` and `${listnamed_d:name}` (a, d, h, l) with the name written out: a
   * use of the list, or, with none of that name, an expansion that fails ("... is not a
   * named list"). And the lists of `${if match_domain{..}{+name}}` and its kin, read as the
   * list conditions' (an unknown one fails the expansion: "unknown named domain list",
   * exim4 -bh). Only values with one of the words in them are parsed for it.
   */
  expansionSites(cfg: EximConfig): void {
    const holders: (OptionSetting | AclItem)[] = [];
    const add = (h: OptionSetting | AclItem) => { const v = h.value; if (v && (v.includes('listnamed') || v.includes('match_'))) holders.push(h); };
    for (const s of cfg.main) add(s);
    for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) for (const inst of list) for (const s of inst.options) add(s);
    for (const acl of cfg.acls) for (const st of acl.statements) for (const it of st.items) add(it);
    for (const h of holders) {
      const file = h.valueLoc?.file;
      if (!file) continue;
      for (const n of walkExpansion(h.expansion ?? [])) {
        if (n.kind === 'condition' && n.args.length === 2 && Object.hasOwn(MATCH_CONDITION_KIND, n.name)) {
          const arg = n.args[1];
          const text = arg.length ? plainText(arg) : undefined;
          if (text?.includes('+')) this.fromItems(MATCH_CONDITION_KIND[n.name], splitList(text), { valueLoc: { file, range: { start: arg[0].range.start, end: arg[arg.length - 1].range.end } } });
          continue;
        }
        if (n.kind !== 'operator' || !/^listnamed(_|$)/.test(n.name)) continue;
        const name = plainText(n.arg)?.trim().replace(/^\+/, '');
        const suffix = n.name.slice('listnamed_'.length, 'listnamed_'.length + 1);
        const kinds = suffix ? (Object.hasOwn(LISTNAMED_KIND, suffix) ? [LISTNAMED_KIND[suffix]] : []) : LISTNAMED_ORDER;
        if (!name || !kinds.length || !/^[A-Za-z0-9_]+$/.test(name)) continue;
        const found = kinds.find((k) => this.defined.get(k)?.has(name));
        if (found) this.use(found, name);
        else this.unnamed.push({ name, kind: suffix ? kinds[0] : undefined, file, range: n.range });
      }
    }
  }

  private unresolvedInValue(kind: ListKind, ref: string, items: readonly ValueItem[], k: number, loc: Loc): void {
    const it = items[k];
    // Which occurrence of its text in the value it is, for placing it: an earlier item may
    // be the same or hold it (`*@+name : +name`).
    let nth = 0;
    for (let j = 0; j < k; j++) nth += occurrencesOf(items[j].text, it.text);
    this.unresolved.push(new ValueRefSite(kind, ref, it.negated, this.cfg, loc, it.text, nth));
  }
}

export function checkNames(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  duplicates(cfg.routers, 'routers', out);
  const transports = duplicates(cfg.transports, 'transports', out);
  duplicates(cfg.authenticators, 'authenticators', out);
  duplicates(cfg.acls, 'ACLs', out);
  const refs = listRefs(cfg);
  const byKind = refs.defined;
  // Lists of different kinds may share a name.
  for (const l of refs.again) duplicate(l, byKind.get(l.kind)!.get(l.name)!, `${KIND_WORD[l.kind]}s`, out);

  // Transports named by routers (and the system filter) must exist, unless expanded.
  for (const s of cfg.main) if (TRANSPORT_OPTIONS.has(s.name)) transportRef(cfg, s, transports, out);
  for (const r of cfg.routers) for (const s of r.options) if (TRANSPORT_OPTIONS.has(s.name)) transportRef(cfg, s, transports, out);
  for (const t of cfg.transports) for (const s of t.options) if (s.name === 'shadow_transport') transportRef(cfg, s, transports, out, true);

  checkRouterRefs(cfg, out);

  // `+name` references.
  for (const site of refs.unresolved) unresolvedRef(cfg, site, byKind, out);
  for (const site of refs.unnamed) {
    out.push(finding('exim/undefined-list', site.file, site.range,
      `"\${listnamed${site.kind ? '_' + site.kind[0] : ''}:${site.name}}" names no ${site.kind ? KIND_WORD[site.kind] : 'named list'}: Exim fails when it expands this value ("${site.name}" is not a ${site.kind ? LISTNAMED_WORD[site.kind] + ' ' : ''}named list). Define the list, or name one that is.`, RUN_TIME));
  }
  return out;
}

/**
 * An option naming a transport: `transports` holds the first of each name when there are two or
 * more. A transport's shadow_transport is looked up only after each delivery (deliver.c): a
 * missing one copies nothing and says so in the panic log, and the delivery stands.
 */
function transportRef(cfg: EximConfig, s: OptionSetting, transports: FirstByName<DriverInstance> | undefined, out: Finding[], shadow = false): void {
  // As written: white space kept inside quotes is part of the name Exim looks for (" t1" is not t1).
  const v = s.value;
  const named = (n: string) => transports ? transports.get(n) !== undefined : cfg.transports[0]?.name === n;
  // A router's own transport: what its ${if} can give (verifying an address looks it up too).
  if (v?.includes('$') && s.valueLoc && !shadow && s.section === 'routers' && s.name === 'transport') return expandedTransportRef(cfg, s, named, transports, out);
  if (!v?.trim() || v.includes('$') || named(v) || !s.valueLoc) return;
  const spaced = v !== v.trim() && named(v.trim());
  const guess = spaced ? v.trim() : nearest(v, transports ? transports.names() : cfg.transports.map((t) => t.name));
  out.push(finding('exim/undefined-transport', s.valueLoc.file, s.valueLoc.range,
    shadow && !spaced
      ? `shadow_transport names the transport "${v}", but no transport of that name is defined: deliveries through this transport go ahead, but Exim copies none of them to the shadow and logs "shadow transport "${v}" not found" to the panic log each time.${didYouMean(guess)}`
      : spaced
      ? `"${s.name}" names the transport "${v}", white space and all (the quotes keep it): no transport has that name, so Exim defers every address this router takes ("transport "${v}" not found"). Remove the white space.${didYouMean(guess)}`
      : `"${s.name}" names the transport "${v}", but no transport of that name is defined in "begin transports"; deliveries through this router fail.${didYouMean(guess)}`,
    runTime(guess ? replaceFix(s.valueLoc, guess) : undefined)));
}

/**
 * The names an `${if}` (nested or not) can give, written out as plain text: the branches of
 * `transport = ${if eq{$domain}{example.com}{cyrus_ltcp}{cyrus_other}}`. Anything else (a
 * lookup, a variable) is decided at run time and gives nothing here.
 */
function* ifBranches(nodes: readonly ExpansionNode[]): Generator<{ text: string; range: Range }> {
  const n = nodes.length === 1 ? nodes[0] : undefined;
  if (n?.kind === 'item' && n.name === 'if') {
    for (const arg of n.args.slice(1)) yield* ifBranches(arg);
    return;
  }
  const text = plainText(nodes);
  if (text && nodes.length) yield { text, range: { start: nodes[0].range.start, end: nodes[nodes.length - 1].range.end } };
}

/**
 * A transport option written as an `${if}`: a branch naming no transport defers every
 * address that takes it. Found live (Exim 4.96): with `{cyrus_ltcp}{cyrus_other}` and no
 * cyrus_other, the RCPT of an address taking that branch gets "451 Temporary local problem".
 */
function expandedTransportRef(cfg: EximConfig, s: OptionSetting, named: (n: string) => boolean, transports: FirstByName<DriverInstance> | undefined, out: Finding[]): void {
  const tree = s.expansion;
  if (!tree || !s.valueLoc) return;
  const n = tree.length === 1 ? tree[0] : undefined;
  if (n?.kind !== 'item' || n.name !== 'if') return;
  for (const b of ifBranches(tree)) {
    // Names only: text with white space or punctuation is not one, and Exim's answer to it is another matter.
    if (!/^[A-Za-z0-9_-]+$/.test(b.text) || named(b.text)) continue;
    const guess = nearest(b.text, transports ? transports.names() : cfg.transports.map((t) => t.name));
    const at = { file: s.valueLoc.file, range: b.range };
    out.push(finding('exim/undefined-transport', at.file, at.range,
      `"${s.name}" can expand to "${b.text}" (a branch of its \${if}), but no transport of that name is defined in "begin transports": every address that takes this branch is deferred ('transport "${b.text}" not found in ... router'), and verifying it at RCPT answers "451 Temporary local problem".${didYouMean(guess)}`,
      runTime(guess && spansText(cfg, at, b.text) ? replaceFix(at, guess) : undefined)));
  }
}

const article = (w: string) => `${/^[aeiou]/.test(w) ? 'an' : 'a'} ${w}`;

/** What Exim reads as a list's name when it defines one (readconf: letters, digits, "_"). */
const LIST_NAME = /^[A-Za-z0-9_]+$/;

/** A `+name` reference to no list of the kind expected: one of another kind, or none. */
function unresolvedRef(cfg: EximConfig, site: ListRefSite, byKind: ReadonlyMap<ListKind, ReadonlyMap<string, NamedList>>, out: Finding[]): void {
  const other = [...byKind].find(([, names]) => names.has(site.ref))?.[0];
  if (other) {
    out.push(finding('exim/list-kind-mismatch', site.loc.file, site.loc.range,
      `"+${site.ref}" is ${article(KIND_WORD[other])}, but ${article(KIND_WORD[site.kind])} is needed here; Exim looks for a ${site.kind} "${site.ref}" and fails. Define it with "${site.kind} ${site.ref} = ..." or use a list of the right kind.`, RUN_TIME));
    return;
  }
  const guess = nearest(site.ref, byKind.get(site.kind)?.keys() ?? []);
  if (!LIST_NAME.test(site.ref)) {
    // No list can have this name, so no definition is offered (it would not load).
    const joined = /\s/.test(site.ref) ? ' Does a "\\" at the end of a line join the next line onto it?' : '';
    out.push(finding('exim/undefined-list', site.loc.file, site.loc.range,
      `No ${site.kind} can be called "${site.ref}" (a list name is letters, digits and "_"), so "+${site.ref}" fails when Exim matches it.${joined}${didYouMean(guess && '+' + guess)}`,
      runTime(guess ? replaceFix(site.loc, '+' + guess) : undefined)));
    return;
  }
  out.push(finding('exim/undefined-list', site.loc.file, site.loc.range,
    `No ${site.kind} "${site.ref}" is defined, so "+${site.ref}" fails when Exim matches it.${didYouMean(guess && '+' + guess)} Define it with "${site.kind} ${site.ref} = ...".`,
    runTime([...(guess ? replaceFix(site.loc, '+' + guess) : []), defineListFix(cfg, site.kind, site.ref, !guess)])));
}

/**
 * `redirect_router` and `pass_router` name another router. Exim looks the name up when it
 * loads the config (route.c, set_router), literally — the value is not expanded — and
 * refuses the config when there is none; `pass_router` must also name a router after its own.
 */
function checkRouterRefs(cfg: EximConfig, out: Finding[]): void {
  // The first router of a name is the one Exim finds.
  const order = new Map<string, number>();
  cfg.routers.forEach((r, i) => { if (!order.has(r.name)) order.set(r.name, i); });
  cfg.routers.forEach((r, i) => {
    for (const s of r.options) {
      if ((s.name !== 'pass_router' && s.name !== 'redirect_router') || s.value === undefined || !s.valueLoc) continue;
      const v = s.value.trim();
      const at = order.get(v);
      if (at !== undefined && (s.name === 'redirect_router' || at > i)) continue;
      if (at !== undefined) {
        const target = cfg.routers[at];
        out.push(finding('exim/undefined-router', s.valueLoc.file, s.valueLoc.range,
          `"pass_router" must name a router after "${r.name}", but "${v}" ${at === i ? 'is this router itself' : 'comes before it'}; Exim refuses the config.`,
          { related: [{ file: target.nameLoc.file, range: target.nameLoc.range, message: `"${v}" is defined here` }] }));
        continue;
      }
      const candidates = s.name === 'pass_router' ? cfg.routers.slice(i + 1).map((x) => x.name) : [...order.keys()];
      const guess = nearest(v, candidates);
      const why = v.includes('$') ? ' (the value is not expanded)' : '';
      out.push(finding('exim/undefined-router', s.valueLoc.file, s.valueLoc.range,
        `"${s.name}" names the router "${v}"${why}, but no router of that name is defined in "begin routers"; Exim refuses the config.${didYouMean(guess)}`,
        guess ? { fixes: replaceFix(s.valueLoc, guess) } : {}));
    }
  });
}

/**
 * A fix that defines the missing list, empty, just before the first `begin` line (named
 * lists belong to the main section), for the user to fill in.
 */
function defineListFix(cfg: EximConfig, kind: ListKind, name: string, preferred: boolean): Fix {
  const begin = cfg.sections.find((s) => s.name !== 'main');
  const file = begin?.loc.file ?? cfg.files.keys().next().value ?? cfg.root;
  let at = begin?.loc.range.start;
  let newText = `${kind} ${name} =\n\n`;
  if (!at) {
    // No `begin` line: append to the main section, that is, the end of the file.
    const lines = cfg.files.get(file)?.lines;
    const last = lines ? lines.lineCount - 1 : 0;
    const width = lines?.lineText(last).length ?? 0;
    at = { line: last, character: width };
    // A last line that ends in "\" would take the definition in as its continuation: a
    // blank line between ends it.
    const continued = (l: number) => l >= 0 && endsInBackslash(lines?.lineText(l) ?? '');
    const gap = width ? (continued(last) ? '\n\n' : '\n') : continued(last - 1) ? '\n' : '';
    newText = `${gap}${kind} ${name} =\n`;
  }
  return { title: `Define ${kind} ${name}`, edits: [{ file, range: { start: at, end: at }, newText }], ...(preferred ? { preferred } : {}) };
}
