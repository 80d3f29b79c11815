// Facts about Cyrus 3.6 and the newest Cyrus: imapd.conf options and cyrus.conf arguments.
// Data comes from generated/cyrus-data.ts (scripts/gen-cyrus-catalog.mjs).
import type { CyrusVersion } from '../options';
import { CYRUS_CONF_ARGS, IMAPD_OPTIONS, type OptionRow } from './generated/cyrus-data';

export type ImapdType = 'STRING' | 'INT' | 'SWITCH' | 'ENUM' | 'STRINGLIST' | 'BITFIELD' | 'DURATION' | 'BYTESIZE';

export interface ImapdOptionInfo {
  name: string;
  type: ImapdType;
  /** As the catalog gives it: `NULL` for none; may contain `{configdirectory}`. */
  default: string;
  /** Values an ENUM, STRINGLIST or BITFIELD accepts (aliases included). */
  allowed: string[];
  /** Alias → preferred spelling (Cyrus accepts the alias with a warning). */
  aliases: Map<string, string>;
  /** DURATION/BYTESIZE: the unit a bare number is in ('' = seconds or bytes). */
  unit: string;
  deprecatedSince?: string;
  replacedBy?: string;
  lastModified: string;
  /** Documented but not a real option (a name pattern such as `partition-name`, or a SASL option). */
  docOnly: boolean;
  inLatest: boolean;
  in36: boolean;
}

function info(r: OptionRow, version: CyrusVersion): ImapdOptionInfo {
  const [name, flags, lastModified, type, dflt, allowed, unit, dep, repl, at36] = r;
  const v = version === '3.6' && at36 ? { type: at36[0], dflt: at36[1], allowed: at36[2], dep: at36[3], repl: at36[4] }
    : { type, dflt, allowed, dep, repl };
  const values: string[] = [];
  const aliases = new Map<string, string>();
  for (const word of v.allowed.split(/\s+/).filter(Boolean)) {
    const [preferred, ...alts] = word.split('=');
    values.push(preferred, ...alts);
    for (const a of alts) aliases.set(a, preferred);
  }
  return {
    name, type: v.type as ImapdType, default: v.dflt, allowed: values, aliases,
    unit: version === '3.6' && v.type !== type ? '' : unit,
    deprecatedSince: v.dep || undefined, replacedBy: v.repl || undefined, lastModified,
    docOnly: flags.includes(version === '3.6' ? 'D' : 'd'),
    inLatest: flags.includes('h'), in36: flags.includes('6'),
  };
}

/** Row index by name: one lookup answers a name that is no option (most names that are not). */
const indexByName = new Map<string, number>(IMAPD_OPTIONS.map((r, i) => [r[0], i]));
/**
 * Per version, by row index: the option, or null when the row is not a real option of that
 * version; built on first use. Indexed by row, so only catalog names are ever kept.
 */
const unbuilt = () => new Array<ImapdOptionInfo | null | undefined>(IMAPD_OPTIONS.length).fill(undefined);
const cache: Record<CyrusVersion, (ImapdOptionInfo | null | undefined)[]> = { latest: unbuilt(), '3.6': unbuilt() };

/** A real option of that Cyrus version (not a documentation-only pattern), by lower-case name. */
export function imapdOption(name: string, version: CyrusVersion): ImapdOptionInfo | undefined {
  const i = indexByName.get(name);
  return i === undefined ? undefined : optionAt(i, version);
}

/** A real option in any version we target (one lookup, where imapdOption would take two). */
export function isImapdOption(name: string): boolean {
  const i = indexByName.get(name);
  return i !== undefined && (optionAt(i, 'latest') ?? optionAt(i, '3.6')) !== undefined;
}

function optionAt(i: number, version: CyrusVersion): ImapdOptionInfo | undefined {
  const c = cache[version];
  let out = c[i];
  if (out === undefined) {
    const r = IMAPD_OPTIONS[i];
    out = null;
    if (r[1].includes(version === '3.6' ? '6' : 'h')) {
      const o = info(r, version);
      if (!o.docOnly) out = o;
    }
    c[i] = out;
  }
  return out ?? undefined;
}

/** Any version's entry, documentation-only ones included (for messages such as "only in 3.6"). */
export function imapdOptionAnyVersion(name: string): ImapdOptionInfo | undefined {
  const i = indexByName.get(name);
  if (i === undefined) return undefined;
  const r = IMAPD_OPTIONS[i];
  return info(r, r[1].includes('h') ? 'latest' : '3.6');
}

/** Every real option of that version, sorted by name. */
export function imapdOptions(version: CyrusVersion): ImapdOptionInfo[] {
  return IMAPD_OPTIONS.map((r) => imapdOption(r[0], version)).filter((i): i is ImapdOptionInfo => !!i);
}

export type CyrusConfArgType = 'string' | 'integer' | 'switch';

export interface CyrusConfArgInfo {
  section: string;
  name: string;
  type: CyrusConfArgType;
  /** Master's default when the argument is absent. */
  default: string;
  required: boolean;
  /** For `proto`: the values master knows. */
  allowed: string[];
  inLatest: boolean;
  in36: boolean;
}

const confArgs: CyrusConfArgInfo[] = CYRUS_CONF_ARGS.map(([section, name, type, dflt, required, allowed, flags]) => ({
  section, name, type: type as CyrusConfArgType, default: dflt, required: required === 1,
  allowed: type === 'switch' ? [] : allowed.split(/\s+/).filter(Boolean),
  inLatest: flags.includes('h'), in36: flags.includes('6'),
}));

export const CYRUS_SECTIONS = ['START', 'SERVICES', 'EVENTS', 'DAEMON'] as const;

/** Every argument name master reads in some section and version. */
export const CYRUS_CONF_ARG_NAMES: readonly string[] = [...new Set(confArgs.map((a) => a.name))];

/** Arguments master reads in a section (upper-case name), for that version. */
const argsCache = new Map<string, CyrusConfArgInfo[]>();
export function cyrusConfArgs(section: string, version: CyrusVersion): CyrusConfArgInfo[] {
  const k = section + ':' + version;
  let v = argsCache.get(k);
  if (!v) argsCache.set(k, v = confArgs.filter((a) => a.section === section && (version === '3.6' ? a.in36 : a.inLatest)));
  return v;
}

/** Per version, section to name to argument, built on first use. */
const argByName: Record<CyrusVersion, Map<string, ReadonlyMap<string, CyrusConfArgInfo>>> = { latest: new Map(), '3.6': new Map() };

/** Name to argument for a section and version (a rule looks each entry's arguments up in one). */
export function cyrusConfArgTable(section: string, version: CyrusVersion): ReadonlyMap<string, CyrusConfArgInfo> {
  const byVersion = argByName[version === '3.6' ? '3.6' : 'latest'];
  let m = byVersion.get(section);
  if (!m) {
    const t = new Map<string, CyrusConfArgInfo>();
    // The first of a name wins, as the linear search it replaces did.
    for (const a of cyrusConfArgs(section, version)) if (!t.has(a.name)) t.set(a.name, a);
    byVersion.set(section, m = t);
  }
  return m;
}

export function cyrusConfArg(section: string, name: string, version: CyrusVersion): CyrusConfArgInfo | undefined {
  return cyrusConfArgTable(section, version).get(name);
}

/** The argument in any version (to say "needs a newer Cyrus" rather than "unknown"). */
export function cyrusConfArgAnyVersion(section: string, name: string): CyrusConfArgInfo | undefined {
  return confArgs.find((a) => a.section === section && a.name === name);
}

/**
 * Options of older Cyrus releases (2.x to 3.4 `lib/imapoptions`, and `newsspool`, which
 * Debian's packaged imapd.conf still sets) that no longer exist. Cyrus ignores them.
 */
export const RETIRED_IMAPD_OPTIONS: ReadonlySet<string> = new Set([
  'berkeley_cachesize', 'berkeley_locks_max', 'berkeley_txns_max', 'expunge_days', 'internaldate_heuristic',
  'outbox_sendlater', 'sphinx_pidfile', 'sphinx_socket', 'sphinx_text_excludes_odd_headers', 'sync_compress',
  'tls_compression', 'tls_require_cert', 'user_folder_limit', 'newsspool',
]);
