// Tainted data where Exim 4.94 and later refuse it, found where the value is written out
// (exim/taint.ts says what counts as tainted). Each seen with exim4 -odf: the config loads,
// then an appendfile file or directory named from it defers every delivery ("Tainted
// '/var/mail/alice' (file or directory name for t transport) not permitted") unless
// create_file is belowhome or a directory it lies in (then it is taken as clean), a pipe command
// argument built from it fails it for good ("Tainted arg 1 for t transport command": the
// message bounces; with use_shell the whole line goes to the shell and is not checked), and
// a redirect router's file named from it defers the address ("Tainted name ... for file read
// not permitted"), and so does an autoreply's file or once file, while its log is then
// never written ("Tainted filename ..."; an lmtp socket, require_files and
// transport_home_directory take it). A lookup's file is the expansion rule's.
// $local_part_prefix and $local_part_suffix are tainted only after a router whose option
// has a wildcard (exim/taint.ts); a surely tainted variable beside one is the one named.
import type { Finding, Fix, TextEdit } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance, ListKind, OptionSetting } from '../../exim/model';
import type { EximConfig } from '../../exim/model';
import type { ExpansionNode } from '../../exim/expansion';
import type { CheckOptions } from '../../options';
import { isAffixVariable, isTaintedVariable, reachingVariable, taintSource } from '../../exim/taint';
import { TRANSPORT_OPTIONS } from './names';
import { runsDeliver } from '../link/program-config';
import { describe, given, on, opt, routersByTransport } from './instance-options';
import { splitList } from './lists';
import { runTime } from './suggest';

const CLEAN_INSTEAD = 'Use $local_part_data or $domain_data (set when the router\'s local_parts, domains or check_local_user matched the address), $home, or a lookup\'s result instead.';

export function checkTaint(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const routersOf = routersByTransport(cfg.routers);
  const others = otherTransportUses(cfg);
  const tainted = (inst: DriverInstance, name: string, out: Finding[], message: (source: string) => string) => {
    const routers = inst.section === 'transports' ? routersOf.get(inst.name) ?? [] : [inst];
    // Who cuts the prefix off is known only when the routers' `transport =` are all there is.
    const known = inst.section !== 'transports' || (routers.length > 0 && !others.any && !others.names.has(inst.name));
    report(cfg, inst, name, routers, known ? (v) => wildcardRouter(routers, v) !== undefined : () => true,
      out, (v) => message(describeSource(v, known ? wildcardRouter(routers, v) : undefined)));
  };
  for (const t of cfg.transports) {
    const driver = t.driver?.trim();
    // create_file = belowhome or a directory: a name below it is taken as clean (appendfile.c).
    // (Anything but anywhere and inhome: a value written with a macro may well be a directory.)
    const create = given(t, 'create_file')?.value?.trim();
    const below = create !== undefined && create !== 'anywhere' && create !== 'inhome';
    if (driver === 'appendfile' && !below) {
      for (const name of ['file', 'directory']) {
        tainted(t, name, out, (src) => `In ${describe(t)}, "${name}" is built from ${src}: Exim refuses a tainted file name, so every delivery through it defers ("Tainted '...' (file or directory name for ${t.name} transport) not permitted"). ${CLEAN_INSTEAD}`);
      }
    } else if (driver === 'autoreply') {
      for (const [name, what] of [['file', 'file'], ['once', 'once file']]) {
        tainted(t, name, out, (src) => `In ${describe(t)}, "${name}" is built from ${src}: Exim refuses a tainted file name, so every delivery through it defers ("Tainted '...' (${what} for ${t.name} transport) not permitted"). ${CLEAN_INSTEAD}`);
      }
      tainted(t, 'log', out, (src) => `In ${describe(t)}, "log" is built from ${src}: Exim sends the reply but never writes the log ("Tainted filename '...'" in its main log). ${CLEAN_INSTEAD}`);
    } else if (driver === 'pipe' && on(opt(t, 'use_shell')) === false) {
      // Named only as a pipe_transport: each "|command" address brings its own command and
      // the transport's is not run, unless force_command (exim4 -odf: an alias's pipe
      // delivers past "command = $address_pipe ${lc:$local_part}", which fails with it).
      const uses = others.names.get(t.name);
      const onlyPipes = !routersOf.has(t.name) && !others.any && !!uses && [...uses].every((o) => PIPE_TRANSPORT_OPTIONS.has(o));
      if (onlyPipes && on(opt(t, 'force_command')) === false) continue;
      // Cyrus's deliver is given the recipient: LMTP hands it over without a command line.
      const deliver = runsDeliver(given(t, 'command')?.value ?? '') ? ' Or hand the mail to Cyrus over LMTP (an smtp transport with protocol = lmtp, or an lmtp transport on lmtpd\'s socket), which passes the address without a command line.' : '';
      tainted(t, 'command', out, (src) => `In ${describe(t)}, an argument of the command is built from ${src}: Exim will not run the command with it, so every delivery through it fails and the message bounces ("Tainted arg ... for ${t.name} transport command"). ${CLEAN_INSTEAD}${deliver}`);
    }
  }
  for (const r of cfg.routers) {
    if (r.driver?.trim() !== 'redirect') continue;
    tainted(r, 'file', out, (src) => `In ${describe(r)}, "file" is built from ${src}: Exim will not read a file named by it, so every address the router handles defers ("Tainted name '...' for file read not permitted"). ${CLEAN_INSTEAD}`);
  }
  return out;
}

/**
 * Transports named otherwise than by a router's `transport =` (a redirect's pipe_transport, a
 * shadow, the system filter's), and whether one is named by an expansion (it may be any).
 */
function otherTransportUses(cfg: EximConfig): { names: Map<string, Set<string>>; any: boolean } {
  const names = new Map<string, Set<string>>();
  let any = false;
  const settings = [...cfg.main, ...cfg.routers.flatMap((r) => r.options)];
  for (const s of settings) {
    if (!s || !TRANSPORT_OPTIONS.has(s.name) || s.value === undefined) continue;
    const v = s.value.trim();
    if (v.includes('$')) any = true;
    else if (s.name !== 'transport') names.set(v, (names.get(v) ?? new Set()).add(s.name));
  }
  return { names, any };
}

const PIPE_TRANSPORT_OPTIONS = new Set(['pipe_transport', 'system_filter_pipe_transport']);

const affixOption = (variable: string) => variable.startsWith('local_part_prefix') ? 'local_part_prefix' : 'local_part_suffix';

/**
 * The first of `routers` after which $local_part_prefix or $local_part_suffix (or its _v) may
 * be tainted: one with a wildcard in the matching option (or a value we cannot read).
 */
function wildcardRouter(routers: readonly DriverInstance[], variable: string): DriverInstance | undefined {
  return routers.find((r) => /[*$]/.test(given(r, affixOption(variable))?.value ?? ''));
}

/** The tainted variable and why it is: `router` cut it with a wildcard, when that is known. */
function describeSource(variable: string, router: DriverInstance | undefined): string {
  if (!isAffixVariable(variable)) return `$${variable}, which comes from the message and is tainted`;
  const option = affixOption(variable);
  return router
    ? `$${variable}, which the wildcard (\`*\`) in the ${option} of router "${router.name}" takes from the address, and which is tainted`
    : `$${variable}, which is tainted where the router that hands the address over has a wildcard (\`*\`) in its ${option} (a fixed one is clean; which router that is cannot be told here)`;
}

function report(cfg: EximConfig, inst: DriverInstance, name: string, routers: readonly DriverInstance[], affixTainted: (variable: string) => boolean, out: Finding[], message: (variable: string) => string): void {
  const s: OptionSetting | undefined = given(inst, name);
  const v = s?.expansion && taintSource(s.expansion, affixTainted);
  if (!s || !v) return;
  const fix = dataFix(cfg, s, routers, affixTainted);
  out.push(finding('exim/invalid-value', s.valueLoc?.file ?? s.nameLoc.file, v.range, message(v.name), runTime(fix && [fix])));
}

type Variable = Extract<ExpansionNode, { kind: 'variable' }>;

function variables(nodes: readonly ExpansionNode[], out: Variable[] = []): Variable[] {
  for (const n of nodes) {
    if (n.kind === 'variable') out.push(n);
    else if (n.kind === 'operator') variables(n.arg, out);
    else if (n.kind === 'item' || n.kind === 'condition') for (const a of n.args) variables(a, out);
  }
  return out;
}

/**
 * $local_part and $domain replaced by $local_part_data and $domain_data, when every router
 * that hands addresses over sets those to the same text: check_local_user, or a list of
 * plain names (through named lists) that does not end in a negated item (a list that does
 * matches the rest with no item, so sets nothing). Then the value is the same, and clean.
 * Not offered when another tainted variable would be left, or a name is not written where
 * the tree places it (a macro, a continued line).
 */
function dataFix(cfg: EximConfig, s: OptionSetting, routers: readonly DriverInstance[], affixTainted: (variable: string) => boolean): Fix | undefined {
  const nodes = s.expansion!;
  const left = (n: string) => isTaintedVariable(n) && n !== 'local_part' && n !== 'domain' && (!isAffixVariable(n) || affixTainted(n));
  if (!routers.length || reachingVariable(nodes, left)) return undefined;
  const targets = variables(nodes).filter((v) => v.name === 'local_part' || v.name === 'domain');
  const kinds = new Set(targets.map((v) => v.name as 'local_part' | 'domain'));
  if (![...kinds].every((k) => routers.every((r) => dataIsValue(cfg, r, k)))) return undefined;
  const file = s.valueLoc?.file ?? s.nameLoc.file;
  const src = cfg.files.get(file);
  if (!src) return undefined;
  const edits: TextEdit[] = [];
  for (const v of targets) {
    const a = src.lines.offsetAt(v.nameRange.start), b = src.lines.offsetAt(v.nameRange.end);
    if (src.text.slice(a, b) !== v.name) return undefined;
    edits.push({ file, range: v.nameRange, newText: `${v.name}_data` });
  }
  const names = [...kinds].map((k) => `$${k}_data`).join(' and ');
  return { title: `Use ${names}, which ${routers.length === 1 ? `router ${routers[0].name} sets` : 'the routers set'} to the same text`, edits, preferred: true };
}

function dataIsValue(cfg: EximConfig, r: DriverInstance, kind: 'local_part' | 'domain'): boolean {
  if (kind === 'local_part' && on(opt(r, 'check_local_user')) === true) return true;
  const list = given(r, kind === 'local_part' ? 'local_parts' : 'domains')?.value;
  const items = list === undefined ? undefined : plainItems(cfg, list, kind === 'local_part' ? 'localpartlist' : 'domainlist', new Set());
  return !!items?.length && !items[items.length - 1].negated && items.every((it) => it.negated || /^[A-Za-z0-9._-]+$/.test(it.text));
}

/** A list's items, named lists followed; undefined when one cannot be followed. */
function plainItems(cfg: EximConfig, value: string, kind: ListKind, seen: Set<string>): { text: string; negated: boolean }[] | undefined {
  if (value.includes('$')) return undefined;
  const out: { text: string; negated: boolean }[] = [];
  for (const it of splitList(value)) {
    if (!it.ref) { out.push(it); continue; }
    const l = cfg.lists.find((x) => x.kind === kind && x.name === it.ref);
    if (it.negated || !l || seen.has(l.name)) return undefined;
    const inner = plainItems(cfg, l.value ?? '', kind, new Set(seen).add(l.name));
    if (!inner) return undefined;
    out.push(...inner);
  }
  return out;
}
