// exim/lookup-file-access: on this machine, Exim's daemon cannot read a file that an ACL
// reads: a list item's lookup file (`lsearch;/etc/exim4/domains`) or a file item
// (`/etc/exim4/relay_hosts`, whose lines are items) in the ACL's own condition or in a
// named list it uses (followed through lists that use lists), or a `${lookup}` in an ACL
// condition or in such a named list (a list is expanded when it is used); the same files of
// the routers when an ACL verifies recipients; and a `${lookup}` file in a routed smtp
// transport's hosts. The process serving the connection runs as the Exim user with its /etc/group
// groups (tls-files.ts). Exim treats a list's file it cannot open as fatal (match.c and
// verify.c: LOG_PANIC_DIE); a failed `${lookup}` fails its condition's test, and the ACL
// defers (451).
// Found live (Exim 4.96, Debian, exim4 -bh, which runs as Debian-exim): with the file in a
// root-only directory the RCPT gets no answer at all and the process exits ("failed to open
// ... for linear search: Permission denied (euid=102 egid=109)"), and the same with the file
// missing ("No such file or directory"); readable, the RCPT is accepted. The routers' lists
// and lookups are read by the same process when an ACL verifies a recipient (routerCandidates);
// elsewhere they are read as other users too (routing for delivery runs as root), which is
// not judged. A missing file is reported only when its directory is on this machine
// and anyone may search it: a config written for another machine names directories that
// are not here, and a directory we may not search may hold the file.
// An ACL read from a file (`acl_smtp_rcpt = /etc/exim4/rcpt.acl`, `acl = /path`) is opened
// by the same process the first time the ACL runs; one it cannot open fails that ACL with an
// error: 451 to the command it answers (exim4 -bh: 'failed to open ACL file "...": Permission
// denied', and "No such file or directory" for one that is not there, which is reported too
// when its directory is on this machine).
// A file Exim asks about before it opens it is not opened when missing: the branch of
// `${if exists{F}..}` taken only when F is there, the conditions after `condition =
// ${if exists{F}{1}{0}}` in one ACL statement, a router's condition after require_files = F
// (exim4 -bh: no 451 for any of them with F missing; one F may not read still fails).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, ListKind, Loc } from '../../exim/model';
import { lookupTypeOf, plainText, type ExpansionNode } from '../../exim/expansion';
import type { Range } from '../../text';
import type { SourceHost } from '../../host';
import { aclCondition, eximLookupType } from '../../catalog/exim';
import { blockedPaths, describePath, identityText, machineView, needText, readAdvice } from '../../path-access';
import * as path from 'node:path';
import { eximDaemonIdentity } from './tls-files';
import { within } from './expansion';
import { parseExpansion } from '../../exim/expansion-parser';
import { aclCallName, SELECTING_OPTIONS } from './acl-where';
import { aclListKind, locOfText, occurrencesOf, splitList } from './lists';
import { lookupItem } from './list-lookups';
import { verifiesRecipients } from '../link/routing';

/**
 * The file a list item makes Exim open, with how to name it: a file lookup's (absolute), or
 * the file of a file item (`/etc/exim4/relay_hosts`, whose lines are further items).
 */
function listFileOf(kind: ListKind, text: string): { what: string; file: string } | undefined {
  const t = text.trim().replace(/^!\s*/, '');
  if (t.startsWith('/')) return t.includes('$') ? undefined : { what: `the file ${t} (the list reads its items from it)`, file: t };
  const l = lookupItem(kind, t);
  if (!l) return undefined;
  const info = eximLookupType(l.type);
  const file = l.rest.trim();
  if (!info?.lookupStyle?.includes('absolute file') || !file.startsWith('/')) return undefined;
  return { what: `the ${info.name} file ${file}`, file };
}

/** A lookup file Exim's daemon opens, where it is written, when, and what a failure does. */
interface Candidate {
  what: string; file: string; at: () => Loc; where: string; effect: string; runs?: string;
  /** Exim asks whether the file exists before it opens it (`${if exists{F}..}`, require_files): a missing one is skipped. */
  tested?: boolean;
}

const DIES = 'the process serving the connection dies there';
const PASSED_BY = 'the condition cannot be tested, so Exim passes the router by and the routers after it get the address (one only this router knows is then refused: "Unknown user" or "Unrouteable address")';
const HOSTS_FAIL = 'Exim cannot work out the hosts: every delivery through the transport defers, and a recipient callout through it is not made (the RCPT passes unchecked)';
const ROUTING_DEFERS = 'routing the address defers, and Exim answers "451 Temporary local problem"';
const DEFERS = 'the condition cannot be tested and Exim answers "451 Temporary local problem" each time the ACL gets there';

/** The file an `exists{F}` condition tests, when F is written out. */
function existsFile(n: ExpansionNode | undefined): string | undefined {
  if (n?.kind !== 'condition' || n.name !== 'exists' || !n.args[0]?.length) return undefined;
  return plainText(n.args[0])?.trim() || undefined;
}

/**
 * Files an expansion asks `exists` about before the branch that is only expanded when they
 * are there: `${if exists{F}{A}{B}}` guards A, `${if !exists{F}{A}{B}}` guards B, and in
 * `and{{exists{F}}{C}}` C is tested only once F is found (and stops at the first false).
 */
function withGuard(guarded: ReadonlySet<string>, file: string | undefined): ReadonlySet<string> {
  return file && !guarded.has(file) ? new Set([...guarded, file]) : guarded;
}

/**
 * `${lookup{key}TYPE{/file}...}` items of an expansion, with the file written out, and
 * whether Exim has found the file there (`exists`) before it gets to the lookup.
 */
function* expansionLookups(nodes: readonly ExpansionNode[], guarded: ReadonlySet<string> = new Set()): Generator<{ what: string; file: string; range: Range; guarded: boolean }> {
  for (const n of nodes) {
    if (n.kind === 'item') {
      if (n.name === 'lookup' && n.options && n.args.length >= 2) {
        const arg = n.args[1];
        const info = eximLookupType(lookupTypeOf(n));
        const file = arg.length ? plainText(arg)?.trim() : undefined;
        if (info?.lookupStyle?.includes('absolute file') && file?.startsWith('/')) {
          yield { what: `the ${info.name} file ${file}`, file, range: { start: arg[0].range.start, end: arg[arg.length - 1].range.end }, guarded: guarded.has(file) };
        }
      }
      if (n.name === 'if' && n.args.length >= 2) {
        const cond = n.args[0].length === 1 ? n.args[0][0] : undefined;
        const tested = existsFile(cond);
        yield* expansionLookups(n.args[0], guarded);
        const negated = cond?.kind === 'condition' && cond.negated;
        for (let i = 1; i < n.args.length; i++) yield* expansionLookups(n.args[i], withGuard(guarded, (i === 1) !== negated ? tested : undefined));
        continue;
      }
      for (const a of n.args) yield* expansionLookups(a, guarded);
    } else if (n.kind === 'operator') yield* expansionLookups(n.arg, guarded);
    else if (n.kind === 'condition') {
      let g = guarded;
      for (const a of n.args) {
        yield* expansionLookups(a, g);
        if (n.name === 'and' && !n.negated && a.length === 1 && !(a[0].kind === 'condition' && a[0].negated)) g = withGuard(g, existsFile(a[0]));
      }
    }
  }
}

const ACL_FILE_FAILS = 'Exim answers "451 Temporary local problem" each time it would run that ACL';

/**
 * ACLs read from a file (acl.c: a name without spaces that no ACL of the config has and that
 * starts with "/"): `acl_smtp_rcpt = /etc/exim4/rcpt.acl`, or `acl = /etc/exim4/check.acl`.
 * Exim opens the file the first time the ACL runs, in the process serving the connection.
 */
function aclFiles(cfg: EximConfig): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (file: string | undefined, where: string, at: Loc | undefined) => {
    if (!file?.startsWith('/') || file.includes('$') || seen.has(file) || !at) return;
    seen.add(file);
    out.push({ what: `the ACL file ${file}`, file, at: () => at, where, effect: ACL_FILE_FAILS });
  };
  for (const s of cfg.main) {
    if (!s.negated && SELECTING_OPTIONS.has(s.name) && s.value && !/\s/.test(s.value.trim())) add(s.value.trim(), `${s.name} selects it`, s.valueLoc);
  }
  for (const acl of cfg.acls) for (const st of acl.statements) for (const it of st.items) {
    if (it.name !== 'acl') continue;
    const callee = aclCallName(it.value);
    if (callee?.startsWith('/')) add(callee, `ACL "${acl.name}" calls it (acl = ${(it.value ?? '').trim()})`, it.valueLoc);
  }
  return out;
}

/**
 * Files missing from a directory that is on this machine: the path is wrong, or the file was
 * never put there. Exim fails to open them as it fails for one it may not read.
 */
function missingFiles(host: SourceHost, files: Candidate[], out: Finding[]): void {
  for (const c of files) {
    if (c.tested || host.stat!(c.file)) continue;
    const dir = path.posix.dirname(c.file);
    const st = host.stat!(dir);
    // Only in a directory anyone may search: in another, the file may be there and out of
    // the checker's sight.
    if (st?.kind !== 'directory' || !(st.mode & 0o001)) continue;
    const loc = c.at();
    const why = c.effect === ACL_FILE_FAILS
      ? `${c.where}: ${ACL_FILE_FAILS} ('failed to open ACL file "${c.file}": No such file or directory'). Put the ACL there`
      : `Exim's daemon opens ${c.what} when ${c.where}: ${c.effect} ("failed to open ${c.file} ...: No such file or directory")${c.effect === DIES ? ', the client gets no answer, and its mail is held up' : ''}. Put the file there`;
    out.push(finding('exim/lookup-file-access', loc.file, loc.range,
      `There is no ${c.file} on this machine (its directory ${dir} is here), and ${why}, or correct the path.`));
  }
}

/**
 * The files found so far, each at the first place that names it (blockedPaths looks at each
 * path once, so later places are not built: a large config names the same few files
 * thousands of times), and the named lists still to read, with where each was reached from.
 */
class Found {
  readonly out: Candidate[];
  readonly reached = new Map<string, string>();
  readonly queue: string[] = [];
  private readonly named = new Set<string>();
  /** Files so far named only where Exim has tested that they exist: kept unless a place that does not test names them. */
  private readonly testedOnly = new Map<string, Candidate>();

  constructor(private readonly cfg: EximConfig, start: Candidate[]) { this.out = [...start]; }

  first(file: string): boolean {
    if (this.named.has(file)) return false;
    this.named.add(file);
    this.testedOnly.delete(file);
    return true;
  }

  /** A candidate at a place where Exim tests the file exists first, unless the file is named elsewhere. */
  private tested(c: Candidate): void {
    if (!this.named.has(c.file) && !this.testedOnly.has(c.file)) this.testedOnly.set(c.file, { ...c, tested: true });
  }

  /** Every candidate: those named where Exim does not test for them first, then the others. */
  all(): Candidate[] { return [...this.out, ...this.testedOnly.values()]; }

  reach(name: string, where: string): void {
    if (this.reached.has(name)) return;
    this.reached.set(name, where);
    this.queue.push(name);
  }

  /**
   * A list value's file items and lookup files, and the named lists it uses; `where` is built
   * only when something is found. `guarded`: files an earlier condition found to exist.
   */
  listValue(kind: ListKind, value: string, valueLoc: Loc, where: () => string, guarded?: ReadonlySet<string>): void {
    const items = splitList(value);
    items.forEach((item, k) => {
      const ref = /^!?\s*\+(\S+)$/.exec(item.text.trim())?.[1];
      if (ref) return this.reached.has(ref) ? undefined : this.reach(ref, where());
      const l = listFileOf(kind, item.text);
      if (!l || this.named.has(l.file)) return;
      const c: Candidate = { ...l, where: where(), effect: DIES, at: () => {
        let nth = 0;
        for (let j = 0; j < k; j++) nth += occurrencesOf(items[j].text, item.text);
        return locOfText(this.cfg, valueLoc, item.text, nth);
      } };
      if (guarded?.has(l.file)) this.tested(c);
      else if (this.first(l.file)) this.out.push(c);
    });
  }

  /** The `${lookup}` files of an expansion written in `file`. */
  lookups(tree: readonly ExpansionNode[] | undefined, file: string, where: string, effect: string, runs?: string, guarded?: ReadonlySet<string>): void {
    for (const l of expansionLookups(tree ?? [], guarded)) {
      if (this.named.has(l.file)) continue;
      const c: Candidate = { what: l.what, file: l.file, at: () => ({ file, range: l.range }), where, effect, runs };
      if (l.guarded) this.tested(c);
      else if (this.first(l.file)) this.out.push(c);
    }
  }
}

/**
 * Files a condition is false without (`condition = ${if exists{F}{yes}{no}}`): the
 * conditions after it in the same statement are not tested when F is missing.
 */
function requiredBy(value: string | undefined, tree: () => readonly ExpansionNode[] | undefined): string[] {
  if (!value?.includes('exists')) return [];
  const t = tree();
  if (t?.length !== 1 || t[0].kind !== 'item' || t[0].name !== 'if') return [];
  const [cond, , no] = t[0].args;
  if (cond?.length !== 1 || cond[0].kind !== 'condition' || cond[0].negated) return [];
  // What the false branch gives must read as false: nothing, "", 0, no or false.
  const otherwise = no === undefined ? '' : plainText(no)?.trim().toLowerCase();
  if (otherwise === undefined || !['', '0', 'no', 'false'].includes(otherwise)) return [];
  const c = cond[0];
  if (c.name === 'exists') return [existsFile(c)].filter((f): f is string => !!f);
  if (c.name !== 'and') return [];
  return c.args.map((a) => a.length === 1 && !(a[0].kind === 'condition' && a[0].negated) ? existsFile(a[0]) : undefined).filter((f): f is string => !!f);
}

/** The kind of list a router's precondition matches against. */
const ROUTER_LIST_KIND: Record<string, ListKind> = { domains: 'domainlist', local_parts: 'localpartlist', senders: 'addresslist' };

/**
 * Files the routers open while the process serving a connection verifies a recipient
 * (`verify = recipient` in an ACL): their domains, local_parts and senders lists, and a
 * `${lookup}` in condition or address_data. Found live (Exim 4.96, exim4 -bh): a local_parts
 * file missing or only root may read, the process dies at the RCPT; a condition's lookup
 * file, the router is passed by ("550 Unknown user" from a later router); address_data's, 451.
 */
function routerCandidates(cfg: EximConfig, found: Found): void {
  let verify: string | undefined;
  for (const acl of cfg.acls) for (const st of acl.statements) for (const it of st.items) {
    if (verify === undefined && it.name === 'verify' && /^\s*recipient\b/.test(it.value ?? '')) verify = acl.name;
  }
  if (verify === undefined) return;
  const why = `to verify a recipient (ACL "${verify}" asks for verify = recipient)`;
  for (const r of cfg.routers) {
    if (verifiesRecipients(r) === false) continue;
    for (const s of r.options) {
      const kind = Object.hasOwn(ROUTER_LIST_KIND, s.name) ? ROUTER_LIST_KIND[s.name] : undefined;
      if (kind && !s.negated && s.value && s.valueLoc && /[;+/]/.test(s.value)) {
        let said: string | undefined;
        found.listValue(kind, s.value, s.valueLoc, () => said ??= `router ${r.name} checks ${s.name} = ${s.value!.trim()} ${why}`);
      }
    }
    // Exim tests require_files after the lists and before condition, whatever the order they
    // are written in; a file it finds missing passes the router by before condition reads it,
    // and a lookup in require_files that fails defers the router.
    const requires = r.options.find((o) => o.name === 'require_files' && !o.negated && o.value);
    const present = new Set<string>();
    if (requires?.value) {
      for (const item of splitList(requires.value)) {
        const f = item.text.trim().replace(/^\+/, '');
        if (f.startsWith('/') && !f.includes('$')) present.add(f);
      }
      if (requires.value.includes('lookup') && requires.valueLoc) {
        found.lookups(requires.expansion, requires.valueLoc.file, `router ${r.name} expands require_files ${why}`, ROUTING_DEFERS);
      }
    }
    for (const name of ['condition', 'address_data']) {
      const s = r.options.find((o) => o.name === name);
      if (!s?.value?.includes('lookup') || !s.valueLoc) continue;
      found.lookups(s.expansion, s.valueLoc.file, `router ${r.name} expands ${s.name} ${why}`, s.name === 'condition' ? PASSED_BY : ROUTING_DEFERS, undefined, present);
    }
  }
}

/**
 * `${lookup}` files in an smtp transport's hosts: remote deliveries and callouts run as the
 * Exim user. Found live (Exim 4.96): the file missing or only root may read, the callout is
 * not made (an unknown user is accepted) and every delivery defers. Only transports a
 * router names, and not those with a user or group of their own (they may run as another).
 */
function transportCandidates(cfg: EximConfig, found: Found): void {
  const used = new Set<string>();
  for (const r of cfg.routers) for (const o of r.options) if (o.name === 'transport' && o.value) used.add(o.value.trim());
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'smtp' || !used.has(t.name) || t.options.some((o) => o.name === 'user' || o.name === 'group')) continue;
    for (const s of t.options) {
      if ((s.name !== 'hosts' && s.name !== 'fallback_hosts') || !s.value?.includes('lookup') || !s.valueLoc) continue;
      found.lookups(s.expansion, s.valueLoc.file, `transport ${t.name} expands ${s.name} to deliver or make a callout`, HOSTS_FAIL, 'when it delivers over SMTP or makes a callout');
    }
  }
}

export function checkLookupFileAccess(cfg: EximConfig, host: SourceHost): Finding[] {
  if (!host.stat) return [];
  const files = aclFiles(cfg);
  if (!cfg.acls.length && !files.length && !cfg.transports.length) return [];
  const found = new Found(cfg, files);
  // Named lists matter only when one of them names a file: otherwise "+name" leads to none.
  const listsNameFiles = cfg.lists.some((l) => l.value.includes('/'));
  const values = new Map<string, Set<string>>();
  for (const acl of cfg.acls) for (const st of acl.statements) {
    // Conditions are tested in order, and the first false one ends the statement: after
    // `condition = ${if exists{F}{1}{0}}` a missing F is never opened.
    let guarded: Set<string> | undefined;
    for (const it of st.items) {
      // Every file here is named by an absolute path: a value without "/" names none, and one
      // without "lookup" holds no ${lookup} (the others are not parsed).
      if (!it.value || (!it.value.includes('/') && !(listsNameFiles && it.value.includes('+')))) continue;
      const required = it.name === 'condition' ? requiredBy(it.value, () => it.expansion) : [];
      // A condition met before names nothing new (each file and list is taken at its first
      // place); one met after a test for its file may still name it untested elsewhere.
      if (!guarded) {
        let met = values.get(it.name);
        if (!met) values.set(it.name, met = new Set());
        if (met.has(it.value)) continue;
        met.add(it.value);
      }
      if (it.value.includes('lookup') && it.valueLoc && aclCondition(it.name)?.kind === 'condition') {
        found.lookups(it.expansion, it.valueLoc.file, `ACL "${acl.name}" tests ${it.name}`, DEFERS, undefined, guarded);
      }
      for (const f of required) (guarded ??= new Set()).add(f);
      const kind = aclListKind(it.name);
      if (!kind || !it.valueLoc || !/[;+/]/.test(it.value)) continue;
      // Said only where something is found: most conditions name no file and reach no new list.
      let said: string | undefined;
      found.listValue(kind, it.value, it.valueLoc, () => said ??= `ACL "${acl.name}" checks ${it.name} = ${it.value!.trim()}`, guarded);
    }
  }
  routerCandidates(cfg, found);
  transportCandidates(cfg, found);
  const { reached, queue, out: named } = found;
  const lists = new Map<string, EximConfig['lists'][number]>();
  if (queue.length) for (const l of cfg.lists) lists.set(l.name, l);
  for (let q = 0; q < queue.length; q++) {
    const name = queue[q];
    const l = lists.get(name);
    if (!l) continue;
    // The list is expanded as a whole when it is used: a ${lookup} in it that fails defers.
    if (l.value.includes('lookup') && l.value.includes('/')) {
      found.lookups(parseExpansion(l.value, within(l.valueLoc.range, l.value.length)), l.valueLoc.file, `${reached.get(name)!}, which uses ${l.kind} ${l.name}`, DEFERS);
    }
    for (const it of l.items) {
      if (it.ref) found.reach(it.ref, reached.get(name)!);
      else {
        const f = listFileOf(l.kind, it.text);
        if (f && found.first(f.file)) named.push({ ...f, where: `${reached.get(name)!}, which uses ${l.kind} ${l.name}`, effect: DIES, at: () => it.loc });
      }
    }
  }
  const candidates = found.all();
  const out: Finding[] = [];
  missingFiles(host, candidates, out);
  const present = candidates.filter((c) => host.stat!(c.file));
  const v = present.length ? machineView(host, (a) => eximDaemonIdentity(cfg, a)) : undefined;
  if (!v) return out;
  for (const b of blockedPaths(host, v.id, present, (c) => c.file, 4)) {
    // A directory Exim may not search hides the file from its exists test as well.
    if (b.item.tested && b.blocked.path !== b.item.file) continue;
    const { what, file, effect } = b.item;
    const loc = b.item.at();
    out.push(finding('exim/lookup-file-access', loc.file, loc.range,
      `On this machine Exim's daemon runs as ${identityText(v.a, v.id)} ${b.item.runs ?? 'when it serves a connection'}, and ${describePath(v.a, b.blocked)} does not let it ${needText(b.blocked.need)}, so it cannot open ${what}, which it reads when ${b.item.where}: ${effect} (${effect === ACL_FILE_FAILS ? `'failed to open ACL file "${file}": Permission denied'` : `"failed to open ${file} ...: Permission denied"`})${effect === DIES ? ', the client gets no answer, and its mail is held up' : ''}. ${readAdvice(v, b, 'Exim')}`));
  }
  return out;
}
