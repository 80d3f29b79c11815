// Completion in an Exim config: which names fit depends on the section, the driver of the
// instance being edited and the option whose value is being typed.
import type { CheckOptions } from '../options';
import type { LineIndex, Position, Range } from '../text';
import type { EximConfig as EximModel, ListKind } from '../exim/model';
import type { LmtpListener } from '../cyrus/model';
import {
  aclNames, driverKindOfSection, driversOf, expansionNames, lookupOption, lookupTypes, optionsFor,
  whereOfAclOption, type EximOptionInfo,
} from '../catalog/exim';
import type { CompletionEntry } from './types';
import { ACL_VERBS, logicalStart, type EximContext } from './exim-context';
import { conditionPrefixAt, expansionForms } from './exim-signature';
import { contextAt } from './exim-include-context';
import { optionDoc } from './exim-docs';
import { ROUTER_OPTIONS } from './exim-names';
import { ACL_CONDITION_DOCS, ACL_VERB_DOCS, CONDITION_DOCS, ITEM_DOCS, LOOKUP_DOCS, operatorDoc, variableDoc } from './exim-descriptions';
import { TRANSPORT_OPTIONS } from '../rules/exim/names';
import { aclListKind } from '../rules/exim/lists';
import { CANONS, HASHES } from '../rules/exim/dkim-signing';
import { WORDS as DH_WORDS } from '../rules/exim/tls-dhparam';
import { logSelectorNames } from '../catalog/exim-log-selectors';
import { ownEntry } from '../own';

/** The list each `match_*` expansion condition matches its second argument as. */
const LIST_KIND_OF_CONDITION: Record<string, ListKind> = {
  match_domain: 'domainlist', match_address: 'addresslist', match_local_part: 'localpartlist', match_ip: 'hostlist',
};
const DIRECTIVES = ['.include', '.include_if_exists', '.ifdef', '.ifndef', '.elifdef', '.elifndef', '.else', '.endif'];
const SECTIONS = ['acl', 'routers', 'transports', 'authenticators', 'retry', 'rewrite', 'local_scan'];
const BOOL_VALUES = ['true', 'false', 'yes', 'no'];

function scopeOf(ctx: EximContext): string | undefined {
  if (ctx.section === 'main') return 'main';
  if (ctx.section === 'routers' || ctx.section === 'transports' || ctx.section === 'authenticators') return ctx.driver ?? ctx.section;
  return undefined;
}

/** The option info for the option being set at the cursor, in its section/driver. */
export function optionInContext(ctx: EximContext, name: string): EximOptionInfo | undefined {
  const scope = scopeOf(ctx);
  return scope ? lookupOption(scope, name) : undefined;
}

/** A condition's detail: how it is written, when it takes arguments. */
function conditionDetail(name: string): string {
  const form = expansionForms('condition', name)[0];
  return form ? `expansion condition ${form}` : 'expansion condition';
}

/**
 * `listeners`: the lmtpd services of the paired cyrus.conf, offered where a transport says
 * where it delivers (`port`, `hosts`, `socket`).
 */
export function eximCompletion(lines: LineIndex, p: Position, file: string, model: EximModel | undefined, opts: CheckOptions, listeners: readonly LmtpListener[] = []): CompletionEntry[] {
  // What is typed before the cursor is read on the logical line: right after a continued
  // line's break it may be the end of a word on the line above ("$message_exim_id\" then
  // the cursor), which no edit of this line can complete without eating the break.
  return completionAt(lines, p, file, model, opts, listeners).filter((e) => !e.replace || (e.replace.start.line === p.line && e.replace.start.character >= 0));
}

function completionAt(lines: LineIndex, p: Position, file: string, model: EximModel | undefined, opts: CheckOptions, listeners: readonly LmtpListener[]): CompletionEntry[] {
  const ctx = contextAt(lines, p, file, model);
  const replace = ctx.wordRange;
  const before = ctx.before;
  const out: CompletionEntry[] = [];
  const add = (e: CompletionEntry) => out.push({ replace, ...e });

  // Nothing expands between \N and \N, nor after a backslash-escaped `$`.
  if (inLiteral(before)) return out;

  // The name of a condition: after `${if `, in and/or's `{…}`, in forall's second argument.
  const condPrefix = conditionPrefixAt(before);
  if (condPrefix !== undefined) {
    const r = { start: { line: p.line, character: Math.max(0, p.character - condPrefix.length) }, end: replace.end };
    for (const c of expansionNames('condition', opts.eximVersion)) out.push({ label: c.name, kind: 'condition', detail: conditionDetail(c.name), documentation: CONDITION_DOCS[c.name], replace: r });
    return out;
  }
  // Expansion: `${name`, `$name`, `${if cond`.
  const exp = /\$\{?([\w-]*)$/.exec(before);
  if (exp && !escaped(before, exp.index)) {
    const braced = /\$\{[\w-]*$/.test(before);
    const prefixStart = { line: p.line, character: p.character - exp[1].length };
    const r = { start: prefixStart, end: replace.end };
    if (braced) {
      for (const i of expansionNames('item', opts.eximVersion)) out.push({ label: i.name, kind: 'expansion', detail: 'expansion item ' + (expansionForms('item', i.name)[0] ?? '${' + i.name + '{…}}'), documentation: ITEM_DOCS[i.name], replace: r });
      for (const o of expansionNames('operator', opts.eximVersion)) out.push({ label: o.name, kind: 'expansion', detail: 'expansion operator ${' + o.name + ':…}', documentation: operatorDoc(o.name), replace: r });
    }
    out.push(...variables(exp[1], lines, model, opts, r));
    return out;
  }
  // `${if def:name}`: a variable's name without its `$`.
  const def = /\$\{if\s+!?\s*def:([\w-]*)$/.exec(before);
  if (def) {
    const r = { start: { line: p.line, character: p.character - def[1].length }, end: replace.end };
    out.push(...variables(def[1], lines, model, opts, r));
    return out;
  }
  if (/\$\{if\s+!?$/.test(before)) {
    for (const c of expansionNames('condition', opts.eximVersion)) add({ label: c.name, kind: 'condition', detail: conditionDetail(c.name), documentation: CONDITION_DOCS[c.name] });
    return out;
  }
  // A lookup type after `${lookup{key}`.
  if (/\$\{lookup\{[^}]*\}\s*[\w-]*$/.test(before)) {
    for (const l of lookupTypes(opts.eximVersion)) add({ label: l.name, kind: 'lookup', detail: `${l.lookupStyle ?? ''} lookup`.trim(), documentation: LOOKUP_DOCS[l.name] });
    return out;
  }

  // Directives and `begin`.
  if (/^\s*\.\w*$/.test(before)) {
    const dot = before.lastIndexOf('.');
    const r = { start: { line: p.line, character: p.character - (before.length - dot) }, end: replace.end };
    for (const d of DIRECTIVES) out.push({ label: d, kind: 'keyword', detail: 'configuration directive', replace: r });
    return out;
  }
  if (/^\s*begin\s+\w*$/.test(before)) {
    for (const s of SECTIONS) add({ label: s, kind: 'section', detail: 'section' });
    return out;
  }

  // log_selector: `+name` adds to the default logging, `-name` takes away.
  if (ctx.section === 'main' && ctx.valueFor === 'log_selector') {
    const sel = /[\s=]([+-]?)(\w*)$/.exec(before);
    if (!sel) return out;
    const r = { start: { line: p.line, character: p.character - sel[2].length }, end: replace.end };
    for (const name of logSelectorNames(opts.eximVersion)) {
      if (sel[1]) out.push({ label: name, kind: 'value', detail: `log_selector: ${sel[1] === '+' ? 'log' : 'do not log'} ${name}`, replace: r });
      else for (const sign of ['+', '-']) out.push({ label: sign + name, kind: 'value', detail: `log_selector: ${sign === '+' ? 'log' : 'do not log'} ${name}`, replace: r, sortText: (sign === '+' ? '0' : '1') + name });
    }
    return out;
  }

  // `+name` of a named list: in a list-typed value, or in the list argument of `${if match_*{…}{`.
  const plus = /(^|[\s:;!={])\+[\w-]*$/.exec(before);
  if (plus && (ctx.valueFor || plus[1] === '{')) {
    const kind = plus[1] === '{' ? listKindOfCondition(before) : listKindFor(ctx);
    if (kind === 'none') return out;
    for (const l of model?.lists ?? []) {
      if (kind && l.kind !== kind) continue;
      add({ label: l.name, kind: 'list', detail: `${l.kind} ${l.name}`, documentation: '```exim\n' + `${l.kind} ${l.name} = ${l.value}` + '\n```' });
    }
    return out;
  }

  if (ctx.valueFor) return valueCompletion(ctx, model, opts, add, out, listeners);

  if (ctx.section === 'acl') {
    // Exim takes blanks between `!` and the name (`! verify = …`).
    const lone = /^(\s*)(?:!\s*)?\w*$/.exec(before);
    const afterVerb = /^\s*(accept|defer|deny|discard|drop|require|warn)\s+(?:!\s*)?\w*$/.test(before);
    // Column 0 mostly starts a new ACL's name; Exim takes a verb there too, so one being typed is offered.
    // A name with "=" after it is a condition or modifier, wherever it starts (Exim reads
    // `domains = …` at column 0 as one of the statement above).
    const named = !!ctx.aclVerb && /^\s*=/.test(lines.lineText(p.line).slice(replace.end.character));
    const conditions = () => {
      const insert = (n: string) => named ? n : n + ' = ';
      for (const c of aclNames('condition', opts.eximVersion)) add({ label: c.name, kind: 'condition', detail: 'ACL condition', documentation: ACL_CONDITION_DOCS[c.name], insertText: insert(c.name), sortText: '0' + c.name });
      for (const m of aclNames('modifier', opts.eximVersion)) add({ label: m.name, kind: 'modifier', detail: 'ACL modifier', documentation: ACL_CONDITION_DOCS[m.name], insertText: insert(m.name), sortText: '0' + m.name });
    };
    if (lone && lone[1] === '') {
      const typed = before.trim();
      if (!ctx.instance || typed.startsWith('!') || (!typed && !named)) return out;
      if (named) conditions();
      else for (const v of ACL_VERBS) if (v.startsWith(typed)) add({ label: v, kind: 'verb', detail: 'ACL verb', documentation: ACL_VERB_DOCS[v] });
      return out;
    }
    if (lone && !named) for (const v of ACL_VERBS) add({ label: v, kind: 'verb', detail: 'ACL verb', documentation: ACL_VERB_DOCS[v], sortText: (ctx.aclVerb ? '1' : '0') + v });
    if (afterVerb || (lone && ctx.aclVerb)) conditions();
    return out;
  }

  // Option names (with `no_` forms for booleans).
  const nameM = /^\s*(hide\s+)?(no_|not_)?(\w*)$/.exec(before);
  if (!nameM) return out;
  // readconf.c knows a driver's own options only after its `driver =` line: above it, the
  // generic options of the section are all Exim takes.
  const aboveDriver = ctx.driverLine !== undefined && logicalStart(lines, p.line) < ctx.driverLine;
  const scope = aboveDriver ? ctx.section : scopeOf(ctx);
  if (!scope) return out;
  if (ctx.section !== 'main' && !ctx.instance) return out;
  const negatedPrefix = nameM[2] ?? '';
  const r = { start: { line: p.line, character: p.character - (nameM[2]?.length ?? 0) - nameM[3].length }, end: replace.end };
  const seen = new Set<string>();
  for (const o of optionsFor(scope, opts.eximVersion)) {
    if (seen.has(o.name)) continue;
    seen.add(o.name);
    // `no_` clears an expandable boolean too (`no_more`, `no_unseen`).
    const isBool = o.valueType === 'bool' || o.valueType === 'expand_bool';
    const detail = `${o.type}${o.default ? `, default ${o.default}` : ''}${o.generic ? ' (generic)' : ''}`;
    const sortText = (o.hidden ? '2' : '0') + o.name;
    if (!negatedPrefix) {
      out.push({ label: o.name, kind: 'option', detail, documentation: optionDoc(o, scope), insertText: isBool ? o.name : o.name + ' = ', replace: r, sortText, deprecated: false });
    }
    if (isBool) out.push({ label: 'no_' + o.name, kind: 'option', detail: `${o.type}: set to false`, documentation: optionDoc(o, scope), replace: r, sortText: '1' + o.name });
  }
  if (ctx.section !== 'main' && !ctx.driver && !negatedPrefix && !seen.has('driver')) {
    out.push({ label: 'driver', kind: 'option', detail: 'the driver this instance uses', insertText: 'driver = ', replace: r, sortText: '00driver' });
  }
  if (ctx.section === 'main' && !negatedPrefix) {
    for (const k of ['domainlist', 'hostlist', 'addresslist', 'localpartlist']) out.push({ label: k, kind: 'keyword', detail: 'named list definition', insertText: k + ' ', replace: r, sortText: '3' + k });
  }
  return out;
}

/**
 * The list kind a value takes `+name` of; 'none' where `+` is not a list reference (e.g.
 * the smtp transport's `hosts`, a plain list of hosts to connect to, where a lone `+`
 * starts a randomised group); undefined when the option is not known.
 */
function listKindFor(ctx: EximContext): ListKind | 'none' | undefined {
  const v = ctx.valueFor!;
  if (v === 'domainlist' || v === 'hostlist' || v === 'addresslist' || v === 'localpartlist') return v;
  if (ctx.section === 'acl') return aclListKind(v) ?? 'none';
  const o = optionInContext(ctx, v);
  return o ? o.listKind ?? 'none' : undefined;
}

/** In `${if match_domain{…}{+`: the kind of list that condition matches against. */
function listKindOfCondition(before: string): ListKind | 'none' {
  const m = /\b(match_domain|match_address|match_local_part|match_ip)\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{[^{}]*$/.exec(before);
  return m ? ownEntry(LIST_KIND_OF_CONDITION, m[1]) ?? 'none' : 'none';
}

function valueCompletion(ctx: EximContext, model: EximModel | undefined, opts: CheckOptions, add: (e: CompletionEntry) => void, out: CompletionEntry[], listeners: readonly LmtpListener[]): CompletionEntry[] {
  const name = ctx.valueFor!;
  const only = /=\s*[\w-]*$/.test(ctx.before);
  if (ctx.section === 'transports' && listeners.length && destinationValues(ctx, name, listeners, add)) return out;
  if (name === 'driver') {
    const kind = driverKindOfSection(ctx.section);
    if (kind) for (const d of driversOf(kind, opts.eximVersion)) add({ label: d.name, kind: 'driver', detail: `${kind} driver` });
    return out;
  }
  if (TRANSPORT_OPTIONS.has(name) && (ctx.section === 'routers' || ctx.section === 'transports' || ctx.section === 'main')) {
    for (const t of model?.transports ?? []) {
      if (ctx.section === 'transports' && t.name === ctx.instance?.name) continue; // a shadow of itself
      add({ label: t.name, kind: 'transport', detail: `transport (driver ${t.driver ?? '?'})` });
    }
    return out;
  }
  if (ROUTER_OPTIONS.has(name) && ctx.section === 'routers') {
    // route.c: pass_router must name a router after this one; redirect_router any router.
    const routers = model?.routers ?? [];
    const here = routers.find((r) => r.name === ctx.instance?.name);
    for (const r of routers) {
      if (r === here || (name === 'pass_router' && here && r.order <= here.order)) continue;
      add({ label: r.name, kind: 'router', detail: `router (driver ${r.driver ?? '?'})` });
    }
    return out;
  }
  if ((ctx.section === 'main' && whereOfAclOption(name)) || (ctx.section === 'acl' && name === 'acl')) {
    for (const a of model?.acls ?? []) add({ label: a.name, kind: 'acl', detail: 'ACL' });
    return out;
  }
  if (ctx.section === 'acl' && name === 'verify') return verifyCompletion(ctx, opts, add, out);
  if (ctx.section === 'acl' && name === 'control' && only) {
    for (const v of aclNames('control', opts.eximVersion)) add({ label: v.name, kind: 'value', detail: 'control' });
    return out;
  }
  const o = optionInContext(ctx, name);
  if (o && only) {
    const values = o.values ?? MORE_VALUES[`${o.use}.${o.name}`];
    if (values) for (const v of values) add({ label: v, kind: 'value', detail: `${o.name} value` });
    else if (o.valueType === 'bool' || o.valueType === 'expand_bool') for (const v of BOOL_VALUES) add({ label: v, kind: 'value', detail: 'boolean' });
  }
  return out;
}

/**
 * Where the paired Cyrus's lmtpd listens, for the transport option being written: an smtp
 * transport's `port` and `hosts` (a wildcard listen is reached on 127.0.0.1; IPv6 addresses,
 * which a colon list would split, are left out), an lmtp transport's `socket`. True when
 * the option is one of those (the catalog has nothing else to offer there).
 */
function destinationValues(ctx: EximContext, name: string, listeners: readonly LmtpListener[], add: (e: CompletionEntry) => void): boolean {
  const driver = ctx.driver;
  const seen = new Set<string>();
  const offer = (label: string, l: LmtpListener) => {
    if (seen.has(label)) return;
    seen.add(label);
    add({ label, kind: 'value', detail: `Cyrus lmtpd, service ${l.entry.name}${l.authRequired ? ' (without -a: it demands AUTH)' : ''}`, sortText: '0' + label });
  };
  if (driver === 'smtp' && (name === 'port' || name === 'hosts')) {
    for (const l of listeners) {
      const e = l.endpoint;
      if (e.kind !== 'tcp') continue;
      if (name === 'port') offer(String(e.port), l);
      else if (e.host === undefined || e.host === '*' || e.host === '0.0.0.0') offer('127.0.0.1', l);
      else if (!e.host.includes(':')) offer(e.host, l);
    }
    return true;
  }
  if (driver === 'lmtp' && name === 'socket') {
    for (const l of listeners) if (l.endpoint.kind === 'unix') offer(l.endpoint.path, l);
    return true;
  }
  return false;
}

/**
 * Values of string options the catalog leaves open (it lists only what its rules check):
 * offered, never enforced. `self` is route.c's list; `reroute:` takes a domain
 * (or `rewrite:` and a domain).
 */
const MORE_VALUES: Record<string, readonly string[]> = {
  'routers.self': ['freeze', 'defer', 'fail', 'pass', 'send', 'reroute:'],
  'smtp.dkim_canon': CANONS,
  'smtp.dkim_hash': HASHES,
  // Exim takes only these two for strict (dkim_transport.c); anything else is not strict.
  'smtp.dkim_strict': ['true', 'false'],
  // A PEM file's absolute path is the other choice.
  'main.tls_dhparam': DH_WORDS,
};

/** What `verify = type/…` may say after its type, per acl.c: the options of sender, recipient and header_sender verification. */
const VERIFY_OPTIONS: Record<string, string> = {
  callout: 'verify by a callout to the next hop (30 s time-out)',
  'callout=': 'a callout with options (a time-out, defer_ok, random, use_sender, …)',
  defer_ok: 'accept when verification is deferred',
  no_details: 'do not give the details of a failed verification in the SMTP response',
  success_on_redirect: 'a redirect router\'s success counts as verified',
};

/** `verify = ` a type; `type/` its options; `callout=` the callout's options. */
function verifyCompletion(ctx: EximContext, opts: CheckOptions, add: (e: CompletionEntry) => void, out: CompletionEntry[]): CompletionEntry[] {
  const v = /=\s*([\w-]*)((?:\/[^/]*)*)$/.exec(ctx.before);
  if (!v) return out;
  if (!v[2]) {
    for (const t of aclNames('verify-type', opts.eximVersion)) add({ label: t.name, kind: 'value', detail: 'verify type' });
    return out;
  }
  const type = v[1];
  const last = v[2].slice(v[2].lastIndexOf('/') + 1);
  if (/^callout\s*=/.test(last)) {
    // Comma-separated: `callout=30s,defer_ok,mailfrom=…`.
    if (!/(^callout\s*=|,)\s*[\w-]*$/.test(last)) return out;
    for (const c of aclNames('callout-option', opts.eximVersion)) {
      if (c.name === 'mailfrom' && type !== 'header_sender') continue; // acl.c refuses it elsewhere
      add({ label: c.hasOptions ? `${c.name}=` : c.name, kind: 'value', detail: 'callout option' });
    }
    return out;
  }
  if (!/^[\w-]*$/.test(last)) return out;
  if (['sender', 'recipient', 'header_sender'].includes(type) || type.startsWith('sender=')) {
    for (const [label, detail] of Object.entries(VERIFY_OPTIONS)) add({ label, kind: 'value', detail });
  } else if (type === 'reverse_host_lookup') {
    add({ label: 'defer_ok', kind: 'value', detail: VERIFY_OPTIONS.defer_ok });
  }
  return out;
}

/** Whether the cursor is between `\N` and `\N`, where nothing is expanded. */
function inLiteral(before: string): boolean {
  let n = 0;
  for (let i = before.indexOf('\\N'); i >= 0; i = before.indexOf('\\N', i + 2)) if (!escaped(before, i)) n++;
  return n % 2 === 1;
}

/** Whether the character at `i` is escaped by an odd run of backslashes before it. */
function escaped(text: string, i: number): boolean {
  let k = 0;
  while (i - k - 1 >= 0 && text[i - k - 1] === '\\') k++;
  return k % 2 === 1;
}

/** Headers worth offering after `$h_` and its kin. */
const COMMON_HEADERS = ['subject', 'from', 'to', 'cc', 'reply-to', 'sender', 'message-id', 'date', 'received', 'return-path', 'content-type', 'list-id'];
const HEADER_PREFIXES: [string, string][] = [
  ['h_', 'a header, decoded ($h_name:)'], ['header_', 'a header, decoded ($header_name:)'],
  ['rh_', 'a header, raw'], ['bh_', 'a header, without charset conversion'], ['lh_', 'a header, every instance as a list item'],
];

/**
 * Variables: the catalog's, the numbered families ($auth1…, $acl_c0…), the config's own
 * $acl_c_… / $acl_m_… (set somewhere with `set`), and header forms.
 */
function variables(typed: string, lines: LineIndex, model: EximModel | undefined, opts: CheckOptions, replace: Range): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const v = (label: string, documentation = variableDoc(label), detail = 'expansion variable', insertText?: string) => out.push({ label, kind: 'variable', detail, documentation, replace, ...(insertText ? { insertText } : {}) });
  for (const x of expansionNames('variable', opts.eximVersion)) v(x.name);
  for (let i = 1; i <= 4; i++) v(`auth${i}`);
  for (let i = 0; i <= 9; i++) { v(`acl_c${i}`); v(`acl_m${i}`); }
  const own = new Set<string>();
  for (const a of model?.acls ?? []) for (const st of a.statements) for (const it of st.items) if (it.varName && /^acl_[cm]_/.test(it.varName)) own.add(it.varName);
  // The file as typed, too: the model may be older than the line just written.
  for (let l = 0; l < lines.lineCount; l++) {
    const m = /\bset\s+(acl_[cm]_\w+)\s*=/.exec(lines.lineText(l));
    if (m) own.add(m[1]);
  }
  for (const name of [...own].sort()) v(name, variableDoc(name), 'ACL variable set in this configuration');
  const header = HEADER_PREFIXES.find(([pre]) => typed.startsWith(pre));
  if (header) {
    for (const h of COMMON_HEADERS) v(`${header[0]}${h}:`, variableDoc(`${header[0]}${h}`), header[1]);
  } else {
    for (const [pre, detail] of HEADER_PREFIXES) v(pre, variableDoc(`${pre}x`), detail);
  }
  return out;
}
