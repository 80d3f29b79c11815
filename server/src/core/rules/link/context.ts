// What every link rule reads: the Exim model, the paired Cyrus files, and facts derived
// once (lmtpd listeners, the transports that reach Cyrus, the routers that use them).
import type { DriverInstance, EximConfig, ListKind, NamedList, OptionSetting } from '../../exim/model';
import type { CyrusConf, ImapdConf, LmtpListener } from '../../cyrus/model';
import { lmtpListeners } from '../../cyrus/facts';
import type { SourceHost } from '../../host';
import type { Related } from '../../diagnostic';
import type { LineIndex } from '../../text';
import { mainSetting, mainValue, on } from '../exim/instance-options';

export interface LinkContext {
  cfg: EximConfig;
  cyrus?: CyrusConf;
  imapd?: ImapdConf;
  host?: SourceHost;
  /** lmtpd services master really runs. */
  listeners: LmtpListener[];
  /** lmtpd services master disables because it cannot use their listen= (cyrus/invalid-value says why). */
  disabled: LmtpListener[];
  /** Undefined when not set: Exim then uses the machine's name, which we cannot know. */
  primaryHostname?: string;
  /**
   * Only for asking "what if": with primary_hostname unset, take the machine's name to be
   * none of the domains asked about, so `@` matches none of them.
   */
  otherHostname?: boolean;
  lists: Map<string, NamedList>;
  /** disable_ipv6 is set: Exim finds no IPv6 address for any host, not even one written as an address. */
  ipv6Off: boolean;
  /** Transports reached from some router, or every transport when there are no routers. */
  used: Set<string>;
  /** imapd.conf files other than the paired one that a Cyrus program reads (-C), by path; undefined when unreadable. */
  otherImapd: Map<string, ImapdConf | undefined>;
}

/** Options a router names transports in. */
const TRANSPORT_OPTIONS = ['transport', 'file_transport', 'pipe_transport', 'reply_transport', 'directory_transport'];

export function makeContext(cfg: EximConfig, cyrus?: CyrusConf, imapd?: ImapdConf, host?: SourceHost): LinkContext {
  const lists = new Map<string, NamedList>();
  // Exim keeps the first definition of a name; a duplicate is reported elsewhere.
  for (const l of cfg.lists ?? []) if (!lists.has(`${l.kind}:${l.name}`)) lists.set(`${l.kind}:${l.name}`, l);
  const used = new Set<string>();
  const routers = cfg.routers ?? [];
  if (!routers.length) for (const t of cfg.transports ?? []) used.add(t.name);
  for (const r of routers) {
    for (const o of r.options ?? []) {
      if (!TRANSPORT_OPTIONS.includes(o.name) || o.negated || !o.value) continue;
      const v = o.value.trim();
      if (!v.includes('$')) { used.add(v); continue; }
      // An expanded name may pick any transport it mentions.
      for (const t of cfg.transports ?? []) if (v.includes(t.name)) used.add(t.name);
    }
  }
  const all = cyrus ? lmtpListeners(cyrus) : [];
  return {
    cfg, cyrus, imapd, host,
    // A listen= master cannot resolve (a service name missing from /etc/services, a socket
    // path too long) makes it skip the service: nothing listens there.
    listeners: all.filter((l) => !l.entry.listenProblem),
    disabled: all.filter((l) => l.entry.listenProblem),
    primaryHostname: primaryHostnameOf(cfg),
    ipv6Off: on(mainSetting(cfg, 'disable_ipv6')) === true,
    lists, used, otherImapd: new Map(),
  };
}

// Shared with the Exim rules, which read main settings the same way.
export { mainSetting, mainValue };

/** primary_hostname as set (the last setting), lower-cased; undefined when unset or expanded. */
export function primaryHostnameOf(cfg: Partial<EximConfig> | undefined): string | undefined {
  const v = cfg && mainValue(cfg, 'primary_hostname');
  return v && !v.includes('$') ? v.trim().toLowerCase() : undefined;
}

export function namedList(ctx: LinkContext, kind: ListKind, name: string): NamedList | undefined {
  return ctx.lists.get(`${kind}:${name}`);
}

/** The setting Exim uses: the last one of that name. */
export function option(d: DriverInstance, name: string): OptionSetting | undefined {
  let found: OptionSetting | undefined;
  for (const o of d.options ?? []) if (o.name === name) found = o;
  return found;
}

/** The value of a set, not negated option. */
export function value(d: DriverInstance, name: string): string | undefined {
  const o = option(d, name);
  return o && !o.negated ? o.value : undefined;
}

/**
 * A boolean option: bare `name` is true, `no_name` false, `name = yes/no/true/false` as
 * written. Undefined when it is an expansion (known only at run time).
 */
export function boolOption(d: DriverInstance, name: string, dflt: boolean): boolean | undefined {
  const o = option(d, name);
  if (!o) return dflt;
  if (o.value === undefined) return !o.negated;
  const v = o.value.trim().toLowerCase();
  let b: boolean | undefined;
  if (['true', 'yes'].includes(v)) b = true;
  else if (['false', 'no'].includes(v)) b = false;
  if (b === undefined) return undefined;
  return o.negated ? !b : b;
}

/** Where the edit helpers read a file's lines: a link context, or an Exim config alone. */
export type FileTexts = Pick<LinkContext, 'cfg'> & Partial<Pick<LinkContext, 'cyrus' | 'imapd' | 'otherImapd'>>;

/** A line of any file of the pairing, for copying its indentation into a fix. */
export function lineText(ctx: FileTexts, file: string, line: number): string {
  return fileLines(ctx, file)?.lineText(line) ?? '';
}

export function fileLines(ctx: FileTexts, file: string): LineIndex | undefined {
  const f = ctx.cfg.files?.get(file);
  if (f) return f.lines;
  if (ctx.cyrus?.file === file) return ctx.cyrus.lines;
  for (const conf of [ctx.imapd, ...(ctx.otherImapd?.values() ?? [])]) {
    const f = conf?.files.find((x) => x.path === file);
    if (f) return f.lines;
  }
  return undefined;
}

/** Names for a message: all of a few, else the first five and how many more (a hosting router may have thousands). */
export function someOf(names: readonly string[], max = 5): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

export function indentOf(text: string): string {
  return /^[ \t]*/.exec(text)?.[0] ?? '';
}

/** A listener as users write it: `127.0.0.1:2003 (service lmtp)`. */
export function describeListener(l: LmtpListener): string {
  const e = l.endpoint;
  const where = e.kind === 'unix' ? e.path
    : `${e.host === undefined ? '*' : e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
  return `${where} (service ${l.entry.name}${l.authRequired ? ', without -a' : ''})`;
}

export function listenerSummary(ctx: LinkContext): string {
  const off = ctx.disabled.length
    ? ` Master disables ${ctx.disabled.map((l) => `lmtpd (service ${l.entry.name})`).join(', ')}: it cannot use ${ctx.disabled.length > 1 ? 'their' : 'its'} listen=${ctx.disabled.length > 1 ? ' values' : ''}.`
    : '';
  if (!ctx.listeners.length) return `cyrus.conf runs no lmtpd service at all.${off}`;
  return `cyrus.conf has lmtpd on ${ctx.listeners.map(describeListener).join(', ')}.${off}`;
}

/** Where a disabled lmtpd would have listened, for `related`. */
export function disabledRelated(ctx: LinkContext): Related[] {
  return ctx.disabled.map((l) => ({ file: l.endpoint.loc.file, range: l.endpoint.loc.range,
    message: `master disables lmtpd (service ${l.entry.name}): ${l.entry.listenProblem!.message}` }));
}
