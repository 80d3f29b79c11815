// Names defined once and used elsewhere: driver instances, ACLs and named lists must be
// unique; transports and `+name` list references must name something of the right kind.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, ListItem, ListKind, Loc, NamedList, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { lookupOption, eximDriver } from '../../catalog/exim';
import { didYouMean, nearest, replaceFix, runTime, RUN_TIME } from './suggest';
import { ACL_LIST_KIND, HOSTLIST_SWITCHES, KIND_WORD, locOfText, splitList } from './lists';

/** Options that name a transport (routers' generic `transport`, redirect's, the system filter's). */
export const TRANSPORT_OPTIONS = new Set([
  'transport', 'file_transport', 'pipe_transport', 'reply_transport', 'directory_transport', 'shadow_transport',
  'system_filter_directory_transport', 'system_filter_file_transport', 'system_filter_pipe_transport', 'system_filter_reply_transport',
]);

/** Reports the second and later of each name; `group` keeps names of different kinds apart (lists). */
function duplicates<T extends { name: string; nameLoc: Loc }>(items: T[], what: (t: T) => string, out: Finding[], group = (_t: T): string => ''): void {
  // Group, then name: no key string made per item.
  const firsts = new Map<string, Map<string, T>>();
  for (const it of items) {
    const g = group(it);
    let first = firsts.get(g);
    if (!first) firsts.set(g, first = new Map());
    const prev = first.get(it.name);
    if (prev) {
      out.push(finding('exim/duplicate-name', it.nameLoc.file, it.nameLoc.range,
        `There are two ${what(it)} called "${it.name}"; Exim refuses the config. Rename or remove one.`,
        { related: [{ file: prev.nameLoc.file, range: prev.nameLoc.range, message: 'first defined here' }] }));
    } else first.set(it.name, it);
  }
}

/** Where `+name` references occur and what kind of list each place expects. */
export interface ListRefSite { kind: ListKind; ref: string; negated: boolean; loc: Loc }

/** A reference inside an option or ACL value: where it is written is found only if asked (findings are rare). */
class ValueRefSite implements ListRefSite {
  // Declared, not defined, fields: one of these per reference, and field definitions are slow.
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
  get loc(): Loc { return this.at ??= locOfText(this.cfg, this.valueLoc, this.text, this.nth); }
}

/** A reference that is an item of a named list: placed through the item, when asked. */
class ItemRefSite implements ListRefSite {
  declare readonly kind: ListKind;
  declare readonly ref: string;
  declare readonly negated: boolean;
  declare private readonly item: ListItem;
  constructor(kind: ListKind, ref: string, negated: boolean, item: ListItem) {
    this.kind = kind; this.ref = ref; this.negated = negated; this.item = item;
  }
  get loc(): Loc { return this.item.loc; }
}

/** Two rule families ask for the sites of one config; they are found once. */
const sitesOf = new WeakMap<EximConfig, ListRefSite[]>();

export function listRefSites(cfg: EximConfig): ListRefSite[] {
  let out = sitesOf.get(cfg);
  if (!out) sitesOf.set(cfg, out = findListRefSites(cfg));
  return out;
}

function findListRefSites(cfg: EximConfig): ListRefSite[] {
  const out: ListRefSite[] = [];
  for (const l of cfg.lists) {
    for (const it of l.items) if (it.ref !== undefined) out.push(new ItemRefSite(l.kind, it.ref, it.negated, it));
  }
  // The holder's valueLoc is read only for a value with a reference in it.
  const fromValue = (kind: ListKind, holder: { value?: string; valueLoc?: Loc }) => {
    const value = holder.value;
    if (value === undefined || !value.includes('+')) return;
    const loc = holder.valueLoc;
    if (!loc) return;
    let seen: Map<string, number> | undefined;
    for (const it of splitList(value)) {
      if (it.ref === undefined || it.text.includes('$')) continue;
      seen ??= new Map();
      const n = seen.get(it.text) ?? 0;
      seen.set(it.text, n + 1);
      out.push(new ValueRefSite(kind, it.ref, it.negated, cfg, loc, it.text, n));
    }
  };
  const optionSites = (settings: OptionSetting[], scope: string) => {
    for (const s of settings) {
      const info = lookupOption(scope, s.name);
      if (info?.listKind) fromValue(info.listKind, s);
    }
  };
  optionSites(cfg.main, 'main');
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) {
    for (const inst of list) {
      const scope = inst.driver && eximDriver(inst.driver) ? inst.driver : inst.section;
      optionSites(inst.options, scope);
    }
  }
  for (const acl of cfg.acls) {
    for (const st of acl.statements) {
      for (const it of st.items) {
        const kind = ACL_LIST_KIND[it.name];
        if (kind) fromValue(kind, it);
      }
    }
  }
  return out;
}

export function checkNames(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  duplicates(cfg.routers, () => 'routers', out);
  duplicates(cfg.transports, () => 'transports', out);
  duplicates(cfg.authenticators, () => 'authenticators', out);
  duplicates(cfg.acls, () => 'ACLs', out);
  duplicates(cfg.lists, (l: NamedList) => `${KIND_WORD[l.kind]}s`, out, (l) => l.kind);

  // Transports named by routers (and the system filter) must exist, unless expanded.
  const transports = new Set(cfg.transports.map((t) => t.name));
  const transportRefs: OptionSetting[] = [
    ...cfg.main.filter((s) => TRANSPORT_OPTIONS.has(s.name)),
    ...cfg.routers.flatMap((r) => r.options.filter((s) => TRANSPORT_OPTIONS.has(s.name))),
  ];
  for (const s of transportRefs) {
    const v = s.value?.trim();
    if (!v || v.includes('$') || !s.valueLoc || transports.has(v)) continue;
    const guess = nearest(v, transports);
    out.push(finding('exim/undefined-transport', s.valueLoc.file, s.valueLoc.range,
      `"${s.name}" names the transport "${v}", but no transport of that name is defined in "begin transports"; deliveries through this router fail.${didYouMean(guess)}`,
      runTime(guess ? replaceFix(s.valueLoc, guess) : undefined)));
  }

  checkRouterRefs(cfg, out);

  // `+name` references.
  const byKind = new Map<ListKind, Set<string>>();
  for (const l of cfg.lists) {
    let s = byKind.get(l.kind);
    if (!s) byKind.set(l.kind, s = new Set());
    s.add(l.name);
  }
  for (const site of listRefSites(cfg)) {
    if (site.kind === 'hostlist' && HOSTLIST_SWITCHES.has(site.ref)) continue;
    if (byKind.get(site.kind)?.has(site.ref)) continue;
    const other = [...byKind].find(([, names]) => names.has(site.ref))?.[0];
    if (other) {
      out.push(finding('exim/list-kind-mismatch', site.loc.file, site.loc.range,
        `"+${site.ref}" is a ${KIND_WORD[other]}, but a ${KIND_WORD[site.kind]} is needed here; Exim looks for a ${site.kind} "${site.ref}" and fails. Define it with "${site.kind} ${site.ref} = ..." or use a list of the right kind.`, RUN_TIME));
      continue;
    }
    const guess = nearest(site.ref, byKind.get(site.kind) ?? []);
    out.push(finding('exim/undefined-list', site.loc.file, site.loc.range,
      `No ${site.kind} "${site.ref}" is defined, so "+${site.ref}" fails when Exim matches it.${didYouMean(guess && '+' + guess)} Define it with "${site.kind} ${site.ref} = ...".`,
      runTime([...(guess ? replaceFix(site.loc, '+' + guess) : []), defineListFix(cfg, site.kind, site.ref, !guess)])));
  }
  return out;
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
    newText = `${width ? '\n' : ''}${kind} ${name} =\n`;
  }
  return { title: `Define ${kind} ${name}`, edits: [{ file, range: { start: at, end: at }, newText }], ...(preferred ? { preferred } : {}) };
}
