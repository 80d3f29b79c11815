// Typed lookups over the generated Exim fact tables (generated/exim-data.ts). Everything a
// rule, completion or hover needs to know about a name goes through here, so version and
// build-guard policy lives in one place:
//  - `latest` accepts everything present in Exim HEAD, including options behind build
//    guards (Debian may lack a feature; a config is not wrong for using it).
//  - `4.96` accepts what the 4.96 C tables hold; newer names are errors for that target.
import type { EximVersion } from '../options';
import type { ListKind } from '../exim/model';
import { ACL_ROWS, ACL_WHERE_ROWS, DRIVER_ROWS, EXPANSION_ROWS, OPTION_ROWS } from './generated/exim-data';
import { BUILTIN_MACROS } from '../exim/builtin-macros';
import { ownEntry } from '../own';

export type DriverKind = 'router' | 'transport' | 'authenticator';
/** Where an option may be set: a section, or a driver's own options. */
export type OptionScope = 'main' | 'routers' | 'transports' | 'authenticators' | string;

/** How Exim reads an option's value when the config is loaded. */
export type ValueType =
  | 'bool' | 'expand_bool' | 'int' | 'octint' | 'Kint' | 'mkint' | 'fixed' | 'time' | 'timelist'
  | 'uid' | 'gid' | 'expand_uid' | 'expand_gid' | 'uidlist' | 'gidlist' | 'rewrite' | 'string';

export interface Availability {
  inHead: boolean;
  in496: boolean;
  /** Build-time condition around the entry in Exim's C source (e.g. `!DISABLE_TLS`), if any. */
  guard?: string;
  /** In Exim 4.96's source, but under a guard Debian 12's build (the 4.96 target) leaves out. */
  unbuilt496?: boolean;
  /** Of those, one 4.96 had only for a build with an experimental feature turned on. */
  experimental496?: boolean;
}

export interface EximOptionInfo extends Availability {
  name: string;
  /** `main`, `routers`/`transports`/`authenticators` (generic), or a driver name. */
  use: string;
  /** The type as the Exim specification names it, e.g. `host list`, `time`. */
  type: string;
  valueType: ValueType;
  /** Exim's C type without the opt_ prefix; '' for a plain string (or when the C tables lack it). */
  cType: string;
  default: string;
  /** Default in 4.96 when it differs from the latest one. */
  default496?: string;
  /** Whether the value is string-expanded (at the latest version / at 4.96). */
  expanded: boolean;
  expanded496: boolean;
  generic: boolean;
  hidden: boolean;
  /** May be set more than once; the settings accumulate (e.g. `headers_add`). */
  repeatable: boolean;
  precondition: boolean;
  /** Present only in Exim's C option tables, not documented in the specification. */
  undocumented: boolean;
  /** The named-list kind the value is matched as, for list-typed options. */
  listKind?: ListKind;
  /** Values Exim accepts (case as Exim compares), for options with a fixed set. */
  values?: readonly string[];
  /** Of `values`, those added after 4.96. */
  newerValues?: readonly string[];
}

export function availableIn(a: Availability, version: EximVersion): boolean {
  return version === 'latest' ? a.inHead : a.in496;
}

/** A short phrase saying which versions have a name, for messages. */
export function versionNote(a: Availability, version: EximVersion = '4.96'): string {
  // Why the 4.96 target lacks it says nothing about current Exim.
  if (version === '4.96' && a.experimental496) return 'experimental in Exim 4.96: only in builds that turn the feature on, which Debian 12\'s does not';
  if (version === '4.96' && a.unbuilt496) return `Debian 12's Exim 4.96 is built without ${a.guard}`;
  // In 4.96's source counts as in 4.96 here, built by Debian or not.
  const in496 = a.in496 || !!a.unbuilt496;
  if (a.inHead && !in496) return 'added after Exim 4.96';
  if (!a.inHead && in496) return 'removed after Exim 4.96';
  return '';
}

/** Whether the option's value is expanded in the target: some options became expandable strings after 4.96. */
export function isExpanded(o: EximOptionInfo, version: EximVersion): boolean {
  return version === '4.96' ? o.expanded496 : o.expanded;
}

/** Option types whose value Exim reads as a (possibly quoted) string. */
const STRING_TYPES = new Set<ValueType>(['string', 'uid', 'gid', 'expand_uid', 'expand_gid', 'uidlist', 'gidlist', 'rewrite']);
/** Whether Exim reads the option's value as a string, so a quoted one is dequoted; elsewhere a quote is part of the value. */
export function readsQuotes(o: EximOptionInfo, version: EximVersion): boolean {
  return STRING_TYPES.has(effectiveType(o, version));
}

/** The type Exim applies for the target (a plain value: this runs for every setting). */
export function effectiveType(o: EximOptionInfo, version: EximVersion): ValueType {
  const expanded = isExpanded(o, version);
  // A boolean that became expandable later (hosts_randomize: opt_bool in 4.96) is a plain
  // boolean for the older target.
  if (o.valueType === 'expand_bool' && !expanded) return 'bool';
  // Plain strings documented as numbers are read as numbers unless expanded (module options
  // have their modules' types: valueTypeOf).
  if (o.valueType === 'string' && o.cType === '' && !expanded) {
    if (o.type === 'integer') return 'int';
    if (o.type === 'time') return 'time';
    if (o.type === 'fixed-point') return 'fixed';
  }
  return o.valueType;
}

const cell = (r: readonly string[], i: number) => r[i] ?? '';
/** The generated rows are "~"-joined strings (smaller in the bundle); split them once. */
const rows = (list: readonly string[]): string[][] => list.map((r) => r.split('~'));

const LIST_KINDS: Record<string, ListKind> = {
  'host list': 'hostlist', 'domain list': 'domainlist', 'address list': 'addresslist', 'local part list': 'localpartlist',
};

// Fixed value sets, checked against the Exim source: smtp.c compares `protocol`
// case-insensitively with lmtp/smtps (anything else silently means smtp, almost always a typo);
// manualroute.c's host_find_failed/host_all_ignored table; iplookup.c's udp/tcp;
// appendfile.c's create_file (or an absolute path); route.c's self words, where `reroute:`
// is a prefix for the domain to reroute to; readconf.c's syslog_facility table, compared
// case-insensitively and with or without `log_` before the name.
// smtp.c learnt `submissions` after 4.96.
const NEWER_ENUMS: Record<string, readonly string[]> = { 'smtp.protocol': ['submissions'] };
const ENUMS: Record<string, readonly string[]> = {
  'smtp.protocol': ['smtp', 'lmtp', 'smtps', 'submissions'],
  'manualroute.host_find_failed': ['ignore', 'decline', 'defer', 'fail', 'freeze', 'pass'],
  'manualroute.host_all_ignored': ['decline', 'defer', 'fail', 'freeze', 'pass'],
  'iplookup.protocol': ['udp', 'tcp'],
  'appendfile.create_file': ['anywhere', 'belowhome', 'inhome'],
  'routers.self': ['freeze', 'defer', 'send', 'pass', 'fail', 'reroute:'],
  'main.syslog_facility': ['mail', 'user', 'news', 'uucp', 'local0', 'local1', 'local2', 'local3', 'local4',
    'local5', 'local6', 'local7', 'daemon'],
};

// Options a lookup or misc module reads (opt_lookup_module / opt_misc_module in readconf.c
// at HEAD; plain entries of readconf.c's table in 4.96): the types of the modules' own
// tables, the same in both. Every other module option is a string. sqlite_lock_timeout is
// documented as a time but read as an integer (of seconds): Exim 4.96 refuses "5s".
const MODULE_TYPES: Record<string, ValueType> = {
  sqlite_lock_timeout: 'int', ldap_version: 'int', ldap_start_tls: 'bool', dkim_verify_minimal: 'bool',
};

function valueTypeOf(cType: string, specType: string, name: string): ValueType {
  switch (cType) {
    case 'lookup_module': case 'misc_module': return MODULE_TYPES[name] ?? 'string';
    case 'bool': case 'bool_verify': case 'bool_set': return 'bool';
    case 'expand_bool': return 'expand_bool';
    case 'int': return 'int';
    case 'mkint': return 'mkint';
    case 'Kint': return 'Kint';
    case 'octint': return 'octint';
    case 'fixed': return 'fixed';
    case 'time': return 'time';
    case 'timelist': return 'timelist';
    case 'uid': case 'gid': case 'expand_uid': case 'expand_gid': case 'uidlist': case 'gidlist': case 'rewrite':
      return cType;
    // Read by a function of its own: smtp_receive_timeout, the only one, keeps a value
    // starting with "$" to expand and reads any other as a time.
    case 'func':
      return specType === 'time' ? 'time' : 'string';
    case '':
      // Options missing from the C tables at HEAD: fall back to the documented type.
      if (specType === 'boolean') return 'bool';
      return 'string';
    default:
      return 'string';
  }
}

/** The predefined macros of Debian 12's Exim 4.96, the 4.96 target's build. */
const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTIN_MACROS.map(([n]) => n));
/** Whether Debian 12's 4.96 build predefines `macro` (`_HAVE_GNUTLS`, `_OPT_MAIN_…`, `_DRIVER_…`). */
export function built496(macro: string): boolean {
  return BUILTIN_NAMES.has(macro);
}
/**
 * ACL and expansion names carry only their C guard; these guards have a feature macro
 * (`_HAVE_…`) a build predefines when it has the feature. Guards not listed are not judged.
 */
const GUARD_MACRO: Record<string, string> = {
  EXIM_HAVE_DMARC: '_HAVE_DMARC', EXIM_HAVE_SPF: '_HAVE_SPF', SUPPORT_I18N: '_HAVE_I18N', SUPPORT_DANE: '_HAVE_DANE',
  SUPPORT_SRS: '_HAVE_SRS', WITH_CONTENT_SCAN: '_HAVE_CONTENT_SCANNING', '!DISABLE_DKIM': '_HAVE_DKIM',
  '!DISABLE_EVENT': '_HAVE_EVENT', '!DISABLE_PRDR': '_HAVE_PRDR', '!DISABLE_TLS': '_HAVE_TLS', '!DISABLE_TLS_RESUME': '_HAVE_TLS_RESUME',
};
/** Whether Debian's 4.96 build leaves out a name's guarded feature (DMARC there). */
function unbuiltGuard496(in496: boolean, guard: string | undefined): boolean {
  const macro = guard ? GUARD_MACRO[guard] : undefined;
  return in496 && !!macro && !BUILTIN_NAMES.has(macro);
}

/** Exim predefines `_OPT_…` for each option it has. */
function builtIn496(use: string, name: string): boolean {
  const u = use.toUpperCase(), n = name.toUpperCase();
  return [`_OPT_${u}_${n}`, `_OPT_ROUTER_${u}_${n}`, `_OPT_TRANSPORT_${u}_${n}`, `_OPT_AUTHENTICATOR_${u}_${n}`].some((m) => BUILTIN_NAMES.has(m));
}

function toOption(r: readonly string[]): EximOptionInfo {
  const flags = cell(r, 4);
  const use = cell(r, 1);
  const name = cell(r, 0);
  const type = cell(r, 2);
  const cType = cell(r, 5);
  let valueType = valueTypeOf(cType, type, name);
  // Some options are stored as strings but must read as numbers unless expanded.
  if (valueType === 'string' && cType === '' && !flags.includes('e')) {
    if (type === 'integer') valueType = 'int';
    else if (type === 'time') valueType = 'time';
  }
  // Every field set, in one order, in one literal (undefined where absent): rules read
  // these on every setting, and options built in several shapes made those reads slow.
  const guard = cell(r, 6);
  // A build-guarded option Debian's 4.96 lacks (DMARC, Redis lookups, …) is not in the 4.96 target.
  const experimental496 = flags.includes('x');
  const unbuilt496 = experimental496 || (flags.includes('6') && guard !== '' && !builtIn496(use, name));
  const info: EximOptionInfo = {
    name, use, type, valueType, cType,
    default: cell(r, 3),
    default496: r[7],
    expanded: flags.includes('e'),
    expanded496: flags.includes('E'),
    generic: flags.includes('g'),
    hidden: flags.includes('H'),
    repeatable: flags.includes('r'),
    precondition: flags.includes('p'),
    undocumented: flags.includes('c'),
    inHead: flags.includes('h'),
    in496: flags.includes('6') && !unbuilt496,
    guard: guard ? guard : undefined,
    unbuilt496,
    experimental496,
    listKind: LIST_KINDS[type],
    values: ENUMS[`${use}.${name}`],
    newerValues: NEWER_ENUMS[`${use}.${name}`],
  };
  return info;
}

const OPTIONS = new Map<string, Map<string, EximOptionInfo>>();
/** Each option name to the one string the maps above are keyed by. */
const OPTION_NAMES = new Map<string, string>();
for (const r of rows(OPTION_ROWS)) {
  const o = toOption(r);
  let m = OPTIONS.get(o.use);
  if (!m) OPTIONS.set(o.use, m = new Map());
  const name = OPTION_NAMES.get(o.name) ?? o.name;
  OPTION_NAMES.set(name, name);
  o.name = name;
  m.set(name, o);
}

/**
 * The catalog's own string for an option name (any scope), or `name` itself when no
 * option has it. A parser that keeps this string makes every later lookup of the name
 * cheaper (its hash is known and it compares by identity) and shares one string for all
 * the settings of an option.
 */
export function optionName(name: string): string {
  return OPTION_NAMES.get(name) ?? name;
}

/** Every option name (any scope, any version), as optionName gives it. */
export function optionNames(): IterableIterator<string> {
  return OPTION_NAMES.keys();
}

// ---- drivers and lookups -------------------------------------------------------------

export interface EximDriverInfo extends Availability {
  name: string;
  kind: DriverKind | 'lookup';
  /** For lookups: single-key / query-style, as Exim classifies it. */
  lookupStyle?: string;
}

const DRIVERS = new Map<string, EximDriverInfo>();
const LOOKUPS = new Map<string, EximDriverInfo>();
for (const r of rows(DRIVER_ROWS)) {
  const flags = cell(r, 2);
  const name = cell(r, 0), kind = cell(r, 1) as EximDriverInfo['kind'];
  // Exim predefines `_DRIVER_<KIND>_<NAME>` for each driver it is built with: Debian 12's
  // 4.96 (the 4.96 target) has no gsasl, heimdal_gssapi or queuefile, and no redis, lmdb,
  // oracle, whoson, ... lookups ("unknown lookup type").
  const experimental496 = flags.includes('x');
  const macro = cell(r, 3);
  // Lookups are known by their family's `_HAVE_LOOKUP_…` (LOOKUP_LSEARCH for wildlsearch too).
  const built = kind === 'lookup' ? !macro || BUILTIN_NAMES.has(`_HAVE_${macro}`) : BUILTIN_NAMES.has(`_DRIVER_${kind.toUpperCase()}_${name.toUpperCase()}`);
  const unbuilt496 = experimental496 || (flags.includes('6') && !built);
  const info: EximDriverInfo = {
    name, kind, inHead: flags.includes('h'), in496: flags.includes('6') && !unbuilt496,
    guard: cell(r, 3) || undefined, lookupStyle: cell(r, 4) || undefined, unbuilt496, experimental496,
  };
  (info.kind === 'lookup' ? LOOKUPS : DRIVERS).set(info.name, info);
}

const SECTION_OF: Record<DriverKind, 'routers' | 'transports' | 'authenticators'> = {
  router: 'routers', transport: 'transports', authenticator: 'authenticators',
};
const KIND_OF: Record<string, DriverKind> = { routers: 'router', transports: 'transport', authenticators: 'authenticator' };

export function driverKindOfSection(section: string): DriverKind | undefined {
  return KIND_OF[section];
}

/** A router/transport/authenticator driver by name (any version). */
export function eximDriver(name: string, kind?: DriverKind): EximDriverInfo | undefined {
  const d = DRIVERS.get(name);
  return d && (!kind || d.kind === kind) ? d : undefined;
}

export function driversOf(kind: DriverKind, version: EximVersion = 'latest'): EximDriverInfo[] {
  return [...DRIVERS.values()].filter((d) => d.kind === kind && availableIn(d, version));
}

/** A lookup type as written, without its options, `partial…-` and `*`/`*@`: the name Exim looks up. */
export function lookupBaseName(written: string): string {
  return writtenLookupType(written).base;
}

/** A lookup type as written, taken apart: `partial2-lsearch*@,ret=key`. */
export interface WrittenLookupType {
  /** The type without its options (`partial2-lsearch*@`). */
  name: string;
  /** The base type (`lsearch`). */
  base: string;
  /** Whether it asks for partial matching, and for `*` or `*@` defaults. */
  partial: boolean;
  defaults: boolean;
  /** What follows the first "," (`ret=key`), or "". */
  options: string;
}

export function writtenLookupType(written: string): WrittenLookupType {
  const t = written.trim();
  const comma = t.indexOf(',');
  const name = comma < 0 ? t : t.slice(0, comma);
  const partial = /^partial\d*(\([^)]*\))?-?/.exec(name)?.[0];
  const rest = partial === undefined ? name : name.slice(partial.length);
  const star = /\*@?$/.exec(rest);
  return { name, base: star ? rest.slice(0, star.index) : rest, partial: partial !== undefined, defaults: !!star, options: comma < 0 ? '' : t.slice(comma + 1) };
}

/**
 * A lookup type as written before `{` or `;` in a lookup: accepts Exim's decorations
 * `partial-`, `partialN-`, `*`, `*@` and `,options` and returns the base type.
 */
export function eximLookupType(written: string): EximDriverInfo | undefined {
  return LOOKUPS.get(lookupBaseName(written));
}

/**
 * Whether a file lookup's file, written out, is not an absolute path: the specification
 * wants one, and Exim opens any other relative to its working directory. A name starting
 * with "@" is an abstract socket, not a file.
 */
export function relativeLookupFile(info: EximDriverInfo, file: string): boolean {
  return !!info.lookupStyle?.includes('absolute file') && file !== '' && !file.startsWith('/') && !file.startsWith('@');
}

export function lookupTypes(version: EximVersion = 'latest'): EximDriverInfo[] {
  return [...LOOKUPS.values()].filter((d) => availableIn(d, version));
}

// ---- options -------------------------------------------------------------------------

/**
 * An option as settable in `scope` — a section name, or a driver name for a driver's own
 * options plus the generic options of its kind — regardless of version. Use
 * `availableIn` to test it against the target, or `eximOption` to do both at once.
 */
export function lookupOption(scope: OptionScope, name: string): EximOptionInfo | undefined {
  return optionsOfScope(scope)?.get(name);
}

/**
 * The options settable in `scope` by name, as lookupOption reads them (undefined for no
 * such scope): for a caller that looks up every setting of one owner.
 */
export function optionsOfScope(scope: OptionScope): ReadonlyMap<string, EximOptionInfo> | undefined {
  let m = SCOPED.get(scope);
  if (!m) {
    // Only real scopes are remembered: a config may name any driver.
    if (!OPTIONS.has(scope) && !DRIVERS.has(scope)) return undefined;
    SCOPED.set(scope, m = scopedOptions(scope));
  }
  return m;
}

/** Per scope, its own options over its kind's generic ones: one map lookup per option read. */
const SCOPED = new Map<string, ReadonlyMap<string, EximOptionInfo>>();
const NO_OPTIONS: ReadonlyMap<string, EximOptionInfo> = new Map();

function scopedOptions(scope: string): ReadonlyMap<string, EximOptionInfo> {
  const own = OPTIONS.get(scope);
  const d = DRIVERS.get(scope);
  const generic = d && d.kind !== 'lookup' ? OPTIONS.get(SECTION_OF[d.kind]) : undefined;
  if (!generic) return own ?? NO_OPTIONS;
  const out = new Map(generic);
  for (const [k, v] of own ?? []) out.set(k, v);
  return out;
}

/** The option if it exists in `scope` for the target version; undefined otherwise. */
export function eximOption(scope: OptionScope, name: string, version: EximVersion = 'latest'): EximOptionInfo | undefined {
  const o = lookupOption(scope, name);
  return o && availableIn(o, version) ? o : undefined;
}

/**
 * Every option settable in `scope` for the version (generic ones included for a driver),
 * hidden options last. For completion and did-you-mean.
 */
export function optionsFor(scope: OptionScope, version: EximVersion = 'latest'): EximOptionInfo[] {
  const out: EximOptionInfo[] = [...(OPTIONS.get(scope)?.values() ?? [])];
  const d = DRIVERS.get(scope);
  if (d && d.kind !== 'lookup') {
    const own = new Set(out.map((o) => o.name));
    for (const o of OPTIONS.get(SECTION_OF[d.kind])?.values() ?? []) if (!own.has(o.name)) out.push(o);
  }
  return out.filter((o) => availableIn(o, version)).sort((a, b) => Number(a.hidden) - Number(b.hidden) || (a.name < b.name ? -1 : 1));
}

// ---- ACLs ----------------------------------------------------------------------------

export type AclNameKind = 'verb' | 'condition' | 'modifier' | 'control' | 'verify-type' | 'callout-option';

export interface AclNameInfo extends Availability {
  name: string;
  kind: AclNameKind;
  /** ACL_WHERE tokens (e.g. `rcpt`, `data`) where it may be used; undefined = everywhere. */
  allowedIn?: readonly string[];
  expanded: boolean;
  /** Takes `/option` suffixes. */
  hasOptions: boolean;
}

const ACL_NAMES = new Map<AclNameKind, Map<string, AclNameInfo>>();
for (const r of rows(ACL_ROWS)) {
  const flags = cell(r, 3);
  const guard = cell(r, 4) || undefined;
  const experimental496 = flags.includes('x');
  const unbuilt496 = experimental496 || unbuiltGuard496(flags.includes('6'), guard);
  const info: AclNameInfo = {
    name: cell(r, 0), kind: cell(r, 1) as AclNameKind,
    inHead: flags.includes('h'), in496: flags.includes('6') && !unbuilt496, unbuilt496, experimental496,
    expanded: flags.includes('e'), hasOptions: flags.includes('o'),
    allowedIn: cell(r, 2) ? cell(r, 2).split(',') : undefined, guard,
  };
  let m = ACL_NAMES.get(info.kind);
  if (!m) ACL_NAMES.set(info.kind, m = new Map());
  m.set(info.name, info);
}

/**
 * Where Exim 4.96's acl.c forbids otherwise than HEAD's, whose bitmaps the catalog's
 * allowedIn holds: 4.96 refuses "encrypted" in the HELO ACL ("cannot test encrypted
 * condition in EHLO or HELO ACL") and takes it in the connect ACL, HEAD the other way round
 * (checked with Exim 4.96's -bh, every condition and control in each SMTP ACL).
 */
const ALLOWED_IN_496: Record<string, { add: readonly string[]; drop: readonly string[] }> = {
  'condition encrypted': { add: ['connect'], drop: ['helo'] },
};
const allowed496 = new Map<AclNameInfo, readonly string[]>();

/** Where a name may be used, for the target Exim; undefined = everywhere. */
export function aclAllowedIn(info: AclNameInfo, version: EximVersion): readonly string[] | undefined {
  const head = info.allowedIn;
  const diff = version === '4.96' && head ? ALLOWED_IN_496[`${info.kind} ${info.name}`] : undefined;
  if (!diff) return head;
  let out = allowed496.get(info);
  if (!out) allowed496.set(info, out = [...head!.filter((w) => !diff.drop.includes(w)), ...diff.add]);
  return out;
}

export function aclNames(kind: AclNameKind, version: EximVersion = 'latest'): AclNameInfo[] {
  return [...(ACL_NAMES.get(kind)?.values() ?? [])].filter((a) => availableIn(a, version));
}
export function aclVerb(name: string): AclNameInfo | undefined { return ACL_NAMES.get('verb')?.get(name); }
/** An ACL condition or modifier (the things after a verb), any version. */
export function aclCondition(name: string): AclNameInfo | undefined {
  return ACL_NAMES.get('condition')?.get(name) ?? ACL_NAMES.get('modifier')?.get(name);
}
export function aclControl(name: string): AclNameInfo | undefined { return ACL_NAMES.get('control')?.get(name); }
export function verifyType(name: string): AclNameInfo | undefined { return ACL_NAMES.get('verify-type')?.get(name); }
export function calloutOption(name: string): AclNameInfo | undefined { return ACL_NAMES.get('callout-option')?.get(name); }

const WHERE_TO_OPTIONS = new Map<string, string[]>();
const OPTION_TO_WHERE = new Map<string, string>();
for (const r of rows(ACL_WHERE_ROWS)) {
  const opts = cell(r, 1) ? cell(r, 1).split(',') : [];
  WHERE_TO_OPTIONS.set(cell(r, 0), opts);
  for (const o of opts) OPTION_TO_WHERE.set(o, cell(r, 0));
}

/** The main options (`acl_smtp_rcpt`, …) that select the ACL run at `where`. */
export function aclOptionsForWhere(where: string): readonly string[] { return WHERE_TO_OPTIONS.get(where) ?? []; }
/** The ACL_WHERE token an `acl_smtp_*`/`acl_not_smtp*` option selects, e.g. `acl_smtp_rcpt` → `rcpt`. */
export function whereOfAclOption(option: string): string | undefined { return OPTION_TO_WHERE.get(option); }
export function aclSelectingOptions(): string[] { return [...OPTION_TO_WHERE.keys()]; }

// ---- expansions ----------------------------------------------------------------------

export type ExpansionKind = 'item' | 'operator' | 'condition' | 'variable';

export interface ExpansionNameInfo extends Availability {
  name: string;
  kind: ExpansionKind;
  /** For variables: how Exim stores it (stringptr, int, misc_module, …). */
  vtype?: string;
}

const EXPANSION = new Map<ExpansionKind, Map<string, ExpansionNameInfo>>();
const FAMILIES: { pattern: string; info: Availability }[] = [];
for (const r of rows(EXPANSION_ROWS)) {
  const flags = cell(r, 2);
  const guard = cell(r, 3) || undefined;
  const experimental496 = flags.includes('x');
  const unbuilt496 = experimental496 || unbuiltGuard496(flags.includes('6'), guard);
  const avail: Availability = { inHead: flags.includes('h'), in496: flags.includes('6') && !unbuilt496, guard, unbuilt496, experimental496 };
  const kind = cell(r, 1);
  if (kind === 'variable-family') { FAMILIES.push({ pattern: cell(r, 0), info: avail }); continue; }
  const info: ExpansionNameInfo = {
    name: cell(r, 0), kind: kind as ExpansionKind, inHead: avail.inHead, in496: avail.in496, guard: avail.guard, unbuilt496, experimental496,
    vtype: cell(r, 4) || undefined,
  };
  let m = EXPANSION.get(info.kind);
  if (!m) EXPANSION.set(info.kind, m = new Map());
  m.set(info.name, info);
}

export function expansionNames(kind: ExpansionKind, version: EximVersion = 'latest'): ExpansionNameInfo[] {
  return [...(EXPANSION.get(kind)?.values() ?? [])].filter((a) => availableIn(a, version));
}
export function expansionItem(name: string): ExpansionNameInfo | undefined { return EXPANSION.get('item')?.get(name); }
export function expansionCondition(name: string): ExpansionNameInfo | undefined { return EXPANSION.get('condition')?.get(name); }

/**
 * An operator `${name:...}`, found as expand.c finds it: a name of the table of operators
 * with "_" in them (`from_utf8`, `time_eval`, …), else the part before the first "_" in
 * the main table, the rest being its argument: `l_3`, `s_1_2`, `h_2_3` (the short forms
 * of length, substr, hash), `nh_5`, `sha2_256`, `listnamed_d`, `quote_mysql` (whose
 * argument must be a lookup type). What each operator makes of its argument is
 * `operatorArgProblem`'s business.
 */
export function expansionOperator(name: string): ExpansionNameInfo | undefined {
  const m = EXPANSION.get('operator');
  const direct = m?.get(name);
  if (direct) return direct;
  const cut = name.indexOf('_');
  if (cut <= 0) return undefined;
  const base = name.slice(0, cut);
  if (base === 'quote') {
    const lk = LOOKUPS.get(name.slice(cut + 1));
    return lk ? { name, kind: 'operator', inHead: lk.inHead, in496: lk.in496, ...(lk.guard ? { guard: lk.guard } : {}) } : undefined;
  }
  return m?.get(base);
}

/** The numeric arguments expand.c reads after "_" for these operators: optional "-" only for substr. */
const NUMERIC_ARGS: Record<string, RegExp> = {
  length: /^\d*$/, l: /^\d*$/,
  substr: /^-?(\d+(_\d+)?)?$/, s: /^-?(\d+(_\d+)?)?$/,
  hash: /^(\d+(_\d+)?)?$/, h: /^(\d+(_\d+)?)?$/, nhash: /^(\d+(_\d+)?)?$/, nh: /^(\d+(_\d+)?)?$/,
};

/** The digest lengths sha2 (and sha256, which shares its code) and sha3 take after "_" (expand.c compares them as strings). */
const HASH_VARIANTS: Record<string, readonly string[]> = { sha2: ['256', '384', '512'], sha256: ['256', '384', '512'], sha3: ['224', '256', '384', '512'] };

/** Why Exim fails an operator's glued-on argument (`${h_subject:}`), or undefined. */
export function operatorArgProblem(name: string): string | undefined {
  // Alone, these take no numbers at all: length, substr, hash and nhash are items first
  // (expand.c looks items up before operators: "Not enough arguments for 'length'"), and
  // the short forms have nothing to read ("missing values after h").
  if (Object.hasOwn(NUMERIC_ARGS, name)) {
    const item = name.length > 2;
    return `"\${${name}:" needs its numbers after "_" (e.g. \${${name}_3:...})${item ? `, or the item form \${${name}{3}{...}}` : ''}; as it stands Exim fails ("${item ? `Not enough arguments for '${name}'` : `missing values after ${name}`}").${name === 'h' ? ' To insert a header, write $h_name: without braces.' : ''}`;
  }
  if (EXPANSION.get('operator')?.has(name)) return undefined;
  // listnamed_d, _h, _a, _l: Exim reads only the letter after "_".
  if (name.startsWith('listnamed_') && !/^[adhl]/.test(name.slice(10))) {
    return `"\${${name}:" has a suffix Exim does not know: listnamed takes _d, _h, _a or _l (domain, host, address, local part list), or none; as it stands Exim fails ("bad suffix on "list" operator").`;
  }
  const cut = name.indexOf('_');
  const variants = cut > 0 ? ownEntry(HASH_VARIANTS, name.slice(0, cut)) : undefined;
  if (variants && !variants.includes(name.slice(cut + 1))) {
    const family = name.startsWith('sha3') ? 'sha3' : 'sha2';
    return `"\${${name}:" asks for a ${family} variant Exim does not have: it takes ${variants.map((v) => `_${v}`).join(', ')} or nothing after "${name.slice(0, cut)}"; as it stands Exim fails ("unrecognised ${family} variant").`;
  }
  const re = cut > 0 ? ownEntry(NUMERIC_ARGS, name.slice(0, cut)) : undefined;
  if (!re || re.test(name.slice(cut + 1))) return undefined;
  const base = name.slice(0, cut);
  const header = base === 'h' ? ` To insert a header, write $${name}: without braces.` : '';
  return `"\${${name}:" is the ${base} operator, and what follows "_" must be numbers (e.g. \${${base}_3:...}); Exim fails with "non-digit after underscore".${header}`;
}

/**
 * How many `{...}` arguments an expansion item takes, where Exim counts them plainly (its
 * "Not enough arguments for 'tr' (min is 3)", "Too many arguments", "missing '{' for ..."
 * or, past the yes/no strings some items take, "curly-bracket problem in conditional yes/no
 * parsing"): checked one count at a time with Exim 4.96's -be (-bV for dlfunc, readsocket,
 * certextract and sort). Items not here (lookup, if, listextract, ...) read their arguments
 * in ways a count does not capture.
 */
const ITEM_ARGS: Record<string, readonly [number, number]> = {
  acl: [1, 10], authresults: [1, 1], env: [1, 3], extract: [2, 5], filter: [2, 2], map: [2, 2], reduce: [3, 3],
  hash: [2, 3], nhash: [2, 3], length: [2, 2], substr: [2, 3], hmac: [3, 3], imapfolder: [1, 3], listquote: [2, 2],
  prvs: [2, 3], prvscheck: [2, 3], readfile: [1, 2], run: [1, 3], sg: [3, 3], tr: [3, 3], srs_encode: [3, 3],
  dlfunc: [2, 10], readsocket: [2, 5], certextract: [2, 4], sort: [3, 3],
};

/** Why Exim fails an item given `count` arguments in braces, or undefined. */
export function itemArgProblem(name: string, count: number): string | undefined {
  const n = Object.hasOwn(ITEM_ARGS, name) ? ITEM_ARGS[name] : undefined;
  if (!n || (count >= n[0] && count <= n[1])) return undefined;
  const takes = n[0] === n[1] ? `${n[0]}` : `${n[0]} to ${n[1]}`;
  return `"\${${name}" takes ${takes} {argument}${n[1] > 1 ? 's' : ''}; ${count} ${count === 1 ? 'is' : 'are'} given.`;
}

/** Variable families Exim recognises by pattern rather than by table entry. */
const FAMILY_RES: [RegExp, string][] = [
  [/^acl_c(\d|_)[A-Za-z0-9_]*$/, 'acl_c*'],
  [/^acl_m(\d|_)[A-Za-z0-9_]*$/, 'acl_m*'],
  [/^r_[A-Za-z0-9_]+$/, 'r_*'],
  [/^auth[1-4]$/, 'auth1..auth4'],
  [/^regex[1-9]$/, 'regex1..regex9'],
  [/^(header|h)_\S*$/, 'header_* / h_*'],
  [/^(rheader|rh)_\S*$/, 'rheader_* / rh_*'],
  [/^(bheader|bh)_\S*$/, 'bheader_* / bh_*'],
  [/^(lheader|lh)_\S*$/, 'lheader_* / lh_*'],
  [/^\d+$/, '0..9'],
];

/** The variable as Exim knows it (table entry or family), or undefined. `acl_c0`, `h_subject:`… count. */
export function expansionVariable(name: string): ExpansionNameInfo | undefined {
  const v = EXPANSION.get('variable')?.get(name);
  if (v) return v;
  for (const [re, family] of FAMILY_RES) {
    if (re.test(name)) {
      const f = FAMILIES.find((x) => x.pattern === family);
      return { name, kind: 'variable', ...(f?.info ?? { inHead: true, in496: true }) };
    }
  }
  return undefined;
}

export function variableFamilies(): { pattern: string }[] { return FAMILIES.map((f) => ({ pattern: f.pattern })); }

// ---- links into the specification ----------------------------------------------------

const SPEC = 'https://www.exim.org/exim-html-current/doc/html/spec_html/';
// Chapters of the current specification: main options, generic router/transport options,
// each driver's chapter, ACLs and string expansions.
const CHAPTER: Record<string, string> = {
  main: 'ch-main_configuration.html',
  routers: 'ch-generic_options_for_routers.html',
  transports: 'ch-generic_options_for_transports.html',
  authenticators: 'ch-smtp_authentication.html',
  accept: 'ch-the_accept_router.html', dnslookup: 'ch-the_dnslookup_router.html', ipliteral: 'ch-the_ipliteral_router.html',
  iplookup: 'ch-the_iplookup_router.html', manualroute: 'ch-the_manualroute_router.html', queryprogram: 'ch-the_queryprogram_router.html',
  redirect: 'ch-the_redirect_router.html',
  appendfile: 'ch-the_appendfile_transport.html', autoreply: 'ch-the_autoreply_transport.html', lmtp: 'ch-the_lmtp_transport.html',
  pipe: 'ch-the_pipe_transport.html', smtp: 'ch-the_smtp_transport.html', queuefile: 'ch-queuefile_transport.html',
  cram_md5: 'ch-the_cram_md5_authenticator.html', cyrus_sasl: 'ch-the_cyrus_sasl_authenticator.html',
  dovecot: 'ch-the_dovecot_authenticator.html', external: 'ch-the_external_authenticator.html',
  gsasl: 'ch-the_gsasl_authenticator.html', heimdal_gssapi: 'ch-the_heimdal_gssapi_authenticator.html',
  plaintext: 'ch-the_plaintext_authenticator.html', spa: 'ch-the_spa_authenticator.html', tls: 'ch-the_tls_authenticator.html',
  acl: 'ch-access_control_lists.html',
  expansion: 'ch-string_expansions.html',
  lookup: 'ch-file_and_database_lookups.html',
};

/**
 * A link into the Exim specification: the chapter for a section, driver, `acl`,
 * `expansion` or `lookup`, with an anchor for an option when one is given. The spec's
 * option anchors are not stable across releases, so the chapter is the reliable part.
 */
export function specUrl(scope: string, option?: string): string {
  const ch = ownEntry(CHAPTER, scope) ?? ownEntry(CHAPTER, lookupOption(scope, option ?? '')?.use ?? '') ?? 'index.html';
  return SPEC + ch + (option ? `#option_${encodeURIComponent(option)}` : '');
}
