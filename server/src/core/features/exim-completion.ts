// Completion in an Exim config: which names fit depends on the section, the driver of the
// instance being edited and the option whose value is being typed.
import type { CheckOptions } from '../options';
import type { LineIndex, Position } from '../text';
import type { EximConfig as EximModel, ListKind } from '../exim/model';
import {
  aclNames, driverKindOfSection, driversOf, expansionNames, lookupOption, lookupTypes, optionsFor,
  whereOfAclOption, type EximOptionInfo,
} from '../catalog/exim';
import type { CompletionEntry } from './types';
import { ACL_VERBS, type EximContext } from './exim-context';
import { contextAt } from './exim-include-context';
import { optionDoc } from './exim-docs';
import { ROUTER_OPTIONS } from './exim-names';
import { ACL_CONDITION_DOCS, ACL_VERB_DOCS, CONDITION_DOCS, ITEM_DOCS, LOOKUP_DOCS, operatorDoc, variableDoc } from './exim-descriptions';
import { TRANSPORT_OPTIONS } from '../rules/exim/names';
import { ACL_LIST_KIND } from '../rules/exim/lists';

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

export function eximCompletion(lines: LineIndex, p: Position, file: string, model: EximModel | undefined, opts: CheckOptions): CompletionEntry[] {
  const ctx = contextAt(lines, p, file, model);
  const replace = ctx.wordRange;
  const before = ctx.before;
  const out: CompletionEntry[] = [];
  const add = (e: CompletionEntry) => out.push({ replace, ...e });

  // Expansion: `${name`, `$name`, `${if cond`.
  const exp = /\$\{?([\w]*)$/.exec(before);
  if (exp && /\$/.test(before)) {
    const braced = /\$\{[\w]*$/.test(before);
    const prefixStart = { line: p.line, character: p.character - exp[1].length };
    const r = { start: prefixStart, end: replace.end };
    if (/\$\{if\s+!?[\w]*$/.test(before)) {
      for (const c of expansionNames('condition', opts.eximVersion)) out.push({ label: c.name, kind: 'condition', detail: 'expansion condition', documentation: CONDITION_DOCS[c.name], replace: r });
      return out;
    }
    if (braced) {
      for (const i of expansionNames('item', opts.eximVersion)) out.push({ label: i.name, kind: 'expansion', detail: 'expansion item ${' + i.name + '{…}}', documentation: ITEM_DOCS[i.name], replace: r });
      for (const o of expansionNames('operator', opts.eximVersion)) out.push({ label: o.name, kind: 'expansion', detail: 'expansion operator ${' + o.name + ':…}', documentation: operatorDoc(o.name), replace: r });
    }
    for (const v of expansionNames('variable', opts.eximVersion)) out.push({ label: v.name, kind: 'variable', detail: 'expansion variable', documentation: variableDoc(v.name), replace: r });
    return out;
  }
  if (/\$\{if\s+!?$/.test(before)) {
    for (const c of expansionNames('condition', opts.eximVersion)) add({ label: c.name, kind: 'condition', detail: 'expansion condition', documentation: CONDITION_DOCS[c.name] });
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

  if (ctx.valueFor) return valueCompletion(ctx, model, opts, add, out);

  if (ctx.section === 'acl') {
    const lone = /^(\s*)!?\w*$/.exec(before);
    const afterVerb = /^\s*(accept|defer|deny|discard|drop|require|warn)\s+!?\w*$/.test(before);
    if (lone && lone[1] === '') return out; // column 0 starts a new ACL's name
    if (lone) for (const v of ACL_VERBS) add({ label: v, kind: 'verb', detail: 'ACL verb', documentation: ACL_VERB_DOCS[v], sortText: (ctx.aclVerb ? '1' : '0') + v });
    if (afterVerb || (lone && ctx.aclVerb)) {
      for (const c of aclNames('condition', opts.eximVersion)) add({ label: c.name, kind: 'condition', detail: 'ACL condition', documentation: ACL_CONDITION_DOCS[c.name], insertText: c.name + ' = ', sortText: '0' + c.name });
      for (const m of aclNames('modifier', opts.eximVersion)) add({ label: m.name, kind: 'modifier', detail: 'ACL modifier', documentation: ACL_CONDITION_DOCS[m.name], insertText: m.name + ' = ', sortText: '0' + m.name });
    }
    return out;
  }

  // Option names (with `no_` forms for booleans).
  const nameM = /^\s*(hide\s+)?(no_|not_)?(\w*)$/.exec(before);
  if (!nameM) return out;
  const scope = scopeOf(ctx);
  if (!scope) return out;
  if (ctx.section !== 'main' && !ctx.instance) return out;
  const negatedPrefix = nameM[2] ?? '';
  const r = { start: { line: p.line, character: p.character - (nameM[2]?.length ?? 0) - nameM[3].length }, end: replace.end };
  const seen = new Set<string>();
  for (const o of optionsFor(scope, opts.eximVersion)) {
    if (seen.has(o.name)) continue;
    seen.add(o.name);
    const isBool = o.valueType === 'bool';
    const detail = `${o.type}${o.default ? `, default ${o.default}` : ''}${o.generic ? ' (generic)' : ''}`;
    const sortText = (o.hidden ? '2' : '0') + o.name;
    if (!negatedPrefix) {
      out.push({ label: o.name, kind: 'option', detail, documentation: optionDoc(o, scope), insertText: isBool ? o.name : o.name + ' = ', replace: r, sortText, deprecated: false });
    }
    if (isBool) out.push({ label: 'no_' + o.name, kind: 'option', detail: `${o.type}: set to false`, documentation: optionDoc(o, scope), replace: r, sortText: '1' + o.name });
  }
  if (ctx.section !== 'main' && !ctx.driver && !negatedPrefix) {
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
  if (ctx.section === 'acl') return ACL_LIST_KIND[v] ?? 'none';
  const o = optionInContext(ctx, v);
  return o ? o.listKind ?? 'none' : undefined;
}

/** In `${if match_domain{…}{+`: the kind of list that condition matches against. */
function listKindOfCondition(before: string): ListKind | 'none' {
  const m = /\b(match_domain|match_address|match_local_part|match_ip)\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{[^{}]*$/.exec(before);
  return m ? LIST_KIND_OF_CONDITION[m[1]] : 'none';
}

function valueCompletion(ctx: EximContext, model: EximModel | undefined, opts: CheckOptions, add: (e: CompletionEntry) => void, out: CompletionEntry[]): CompletionEntry[] {
  const name = ctx.valueFor!;
  const only = /=\s*[\w-]*$/.test(ctx.before);
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
  if (ctx.section === 'acl' && name === 'verify' && only) {
    for (const v of aclNames('verify-type', opts.eximVersion)) add({ label: v.name, kind: 'value', detail: 'verify type' });
    return out;
  }
  if (ctx.section === 'acl' && name === 'control' && only) {
    for (const v of aclNames('control', opts.eximVersion)) add({ label: v.name, kind: 'value', detail: 'control' });
    return out;
  }
  const o = optionInContext(ctx, name);
  if (o && only) {
    if (o.values) for (const v of o.values) add({ label: v, kind: 'value', detail: `${o.name} value` });
    else if (o.valueType === 'bool' || o.valueType === 'expand_bool') for (const v of BOOL_VALUES) add({ label: v, kind: 'value', detail: 'boolean' });
  }
  return out;
}
