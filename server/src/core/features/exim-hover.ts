// Hover in an Exim config: what a name is and, for names the config defines, its definition.
import * as path from 'node:path';
import type { CheckOptions } from '../options';
import { containsPos, type LineIndex, type Position } from '../text';
import type { EximConfig as EximModel, OptionSetting } from '../exim/model';
import {
  aclCondition, aclVerb, eximDriver, eximLookupType, expansionCondition, expansionItem, expansionOperator, expansionVariable,
  driverKindOfSection, specUrl, versionNote, lookupOption,
} from '../catalog/exim';
import { expansionForms } from './exim-signature';
import { ACL_CONDITION_DOCS, ACL_VERB_DOCS, CONDITION_DOCS, ITEM_DOCS, LOOKUP_DOCS, operatorDoc, variableDoc } from './exim-descriptions';
import type { HoverInfo } from './types';
import { contextAt } from './exim-include-context';
import { optionDoc } from './exim-docs';
import { namedBy, occurrenceAt, sameEntity } from './exim-names';
import { macroLines } from './exim-macro-lines';
import { ownEntry } from '../own';

const where = (file: string, line: number) => `${path.basename(file)}:${line + 1}`;
const code = (s: string) => '```exim\n' + s + '\n```';

function definitionHover(m: EximModel, file: string, p: Position): HoverInfo | undefined {
  const hit = occurrenceAt(m, path.resolve(file), p);
  if (!hit) return undefined;
  const { kind, name } = hit.occ;
  const range = hit.occ.range;
  if (kind === 'list') {
    const l = m.lists.find((x) => x.name === name);
    if (!l) return { markdown: `Named list \`${name}\` is not defined.`, range };
    return { markdown: `${code(`${l.kind} ${l.name} = ${l.value}`)}\nDefined at ${where(l.nameLoc.file, l.nameLoc.range.start.line)}`, range };
  }
  if (kind === 'transport' || kind === 'router' || kind === 'authenticator') {
    const list = kind === 'transport' ? m.transports : kind === 'router' ? m.routers : m.authenticators;
    const inst = list.find((x) => x.name === name);
    if (!inst) return { markdown: `No ${kind} named \`${name}\` is defined.`, range };
    const body = [`${inst.name}:`, ...inst.options.slice(0, 12).map((o) => `  ${o.negated ? 'no_' : ''}${o.name}${o.rawValue !== undefined ? ` = ${o.rawValue}` : ''}`)];
    if (inst.options.length > 12) body.push('  …');
    return { markdown: `**${kind}** \`${name}\`${inst.driver ? ` (driver \`${inst.driver}\`)` : ''}\n\n${code(body.join('\n'))}\nDefined at ${where(inst.nameLoc.file, inst.nameLoc.range.start.line)}`, range };
  }
  if (kind === 'acl') {
    const a = m.acls.find((x) => x.name === name);
    if (!a) return { markdown: `No ACL named \`${name}\` is defined.`, range };
    const verbs = a.statements.map((s) => s.verb).join(', ');
    return { markdown: `**ACL** \`${name}\`: ${a.statements.length} statement${a.statements.length === 1 ? '' : 's'}${verbs ? ` (${verbs})` : ''}\n\nDefined at ${where(a.nameLoc.file, a.nameLoc.range.start.line)}`, range };
  }
  const mac = m.macros.get(name);
  if (!mac) {
    // Defined only where Exim does not read: a branch of .ifdef that is skipped.
    const skipped = macroLines(m).filter((l) => l.kind === 'define' && l.name === name);
    if (!skipped.length) return { markdown: `Macro \`${name}\` is not defined.`, range };
    return { markdown: `Macro \`${name}\` is not defined where Exim reads: its definition${skipped.length === 1 ? ' is' : 's are'} in a skipped .ifdef branch (${skipped.map((l) => where(l.file, l.range.start.line)).join(', ')}).`, range };
  }
  const origin = mac.origin === 'define' ? ' (from -D / eximCyrus.defines)' : mac.origin === 'builtin' ? ' (built in)' : mac.origin === 'debian' ? ' (by update-exim4.conf, from update-exim4.conf.conf)' : mac.loc ? `\n\nDefined at ${where(mac.loc.file, mac.loc.range.start.line)}` : '';
  // Where the macro stands for a name, say what that name is.
  const named = namedBy(m, name, hit.all).map((o) => `${NAME_WORDS[o.kind]} \`${o.name}\`${hit.all.some((d) => d.isDefinition && sameEntity(d, o)) ? '' : ' (not defined)'}`);
  const names = [...new Set(named)];
  return { markdown: `**macro** \`${name}\`\n\n${code(`${name} = ${mac.value}`)}${origin}${names.length ? `\n\nNames the ${names.join(', the ')}.` : ''}`, range };
}

const NAME_WORDS: Record<string, string> = { transport: 'transport', router: 'router', authenticator: 'authenticator', acl: 'ACL', list: 'named list', macro: 'macro' };

export function eximHover(lines: LineIndex, p: Position, file: string, m: EximModel | undefined, opts: CheckOptions): HoverInfo | undefined {
  if (m) {
    const d = definitionHover(m, file, p);
    if (d) return d;
  }
  const sym = symbolCondition(lines, p);
  if (sym) return sym;
  const ctx = contextAt(lines, p, file, m);
  const lineText = lines.lineText(ctx.wordRange.start.line);
  const ws = ctx.wordRange.start.character;
  const word = lineText.slice(ws, ctx.wordRange.end.character);
  if (!word) return undefined;
  const range = ctx.wordRange;
  const v = (a: { inHead: boolean; in496: boolean }) => versionNote(a) ? ` (${versionNote(a)})` : '';

  const link = (title: string, scope: string) => `[${title}](${specUrl(scope)})`;
  /** The ways an item or condition is written, one per line (or `fallback` when none is known). */
  const forms = (kind: 'item' | 'condition', name: string, fallback?: string) => {
    const all = expansionForms(kind, name);
    const shown = all.length ? all : fallback ? [fallback] : [];
    return shown.map((f) => `\n\n\`${f}\``).join('');
  };
  /** Name and kind, what it does, the link: every hover on a name reads the same way. */
  const doc = (head: string, what: string | undefined, title: string, scope: string) =>
    ({ markdown: `${head}${what ? `\n\n${what}` : ''}\n\n${link(title, scope)}`, range });

  // Expansions.
  const pre2 = lineText.slice(Math.max(0, ws - 2), ws);
  const after = lineText.slice(ctx.wordRange.end.character);
  if (pre2.endsWith('$')) {
    const name = word.replace(/(?<![.-])[.-]+$/, '');
    const info = expansionVariable(name);
    if (!info) return { markdown: `\`$${name}\` is not a variable Exim knows.`, range };
    return doc(`**$${name}** — expansion variable${v(info)}`, variableDoc(name), 'String expansions', 'expansion');
  }
  if (pre2 === '${') {
    const item = expansionItem(word), op = expansionOperator(word), variable = expansionVariable(word);
    if (item) return doc(`**${word}** — expansion item${v(item)}${forms('item', word, `\${${word}{…}}`)}`, ITEM_DOCS[word], 'String expansions', 'expansion');
    if (op) return doc(`**${word}** — expansion operator \`\${${word}:…}\`${v(op)}`, operatorDoc(word), 'String expansions', 'expansion');
    if (variable) return doc(`**${word}** — expansion variable${v(variable)}`, variableDoc(word), 'String expansions', 'expansion');
  }
  // A condition of `${if`, or one inside `and{{…}}`, `or{{…}}`, `forany{…}{…}`.
  const cond = expansionCondition(word);
  if (cond && /(?:\$\{if\s+|\{\s*)(?:!\s*)*$/.test(lineText.slice(0, ws)) && (/^\s*[{:]/.test(after) || ['def', 'first_delivery', 'queue_running'].includes(word))) {
    return doc(`**${word}** — expansion condition${v(cond)}${forms('condition', word)}`, CONDITION_DOCS[word], 'String expansions', 'expansion');
  }
  // A lookup type: `${lookup{key}lsearch{file}}`, `lsearch;/file` in a list, `partial-dbm*@`.
  const lookup = eximLookupType(word);
  if (lookup && (/^[{;*,]/.test(after) || /\}\s*$/.test(lineText.slice(0, ws)))) {
    return doc(`**${lookup.name}** — ${lookup.lookupStyle ? `${lookup.lookupStyle} ` : ''}lookup${v(lookup)}`, LOOKUP_DOCS[lookup.name], 'File and database lookups', 'lookup');
  }

  const beforeWord = lineText.slice(0, ws);
  const isNamePosition = /^\s*(hide\s+)?$/.test(beforeWord) || (ctx.section === 'acl' && /^\s*(?:(?:accept|defer|deny|discard|drop|require|warn)\s+)?(?:!\s*)?$/.test(beforeWord));

  if (ctx.section === 'acl') {
    const verb = aclVerb(word);
    if (verb && /^\s*$/.test(beforeWord)) return doc(`**${word}** — ACL verb`, ACL_VERB_DOCS[word], 'Access control lists', 'acl');
    const c = aclCondition(word);
    if (c && isNamePosition) {
      return doc(`**${word}** — ACL ${c.kind}${c.allowedIn ? `, allowed in: ${c.allowedIn.join(', ')}` : ''}${v(c)}`, ACL_CONDITION_DOCS[word], 'Access control lists', 'acl');
    }
    return undefined;
  }

  if (ctx.valueFor === 'driver' && !isNamePosition) {
    const kind = driverKindOfSection(ctx.section);
    const d = eximDriver(word, kind);
    if (d) return { markdown: `**${word}** — ${d.kind} driver${v(d)}\n\n[Exim specification](${specUrl(word)})`, range };
  }

  // After a macro that stands for nothing (`FAKE host_find_failed = …`) the text does not
  // show a name position, but the model knows whose name it is.
  const named = !isNamePosition && m ? optionNamedAt(m, file, p) : undefined;
  if (isNamePosition || named) {
    const scope = named?.scope ?? (ctx.section === 'main' ? 'main' : ctx.driver ?? ctx.section);
    const bare = named?.name ?? word.replace(/^(no_|not_)/, '');
    const o = lookupOption(scope, word) ?? lookupOption(scope, bare);
    if (o) return { markdown: optionDoc(o, scope) + (o.inHead || opts.eximVersion === '4.96' ? '' : '\n\nNot in the latest Exim.'), range };
  }
  return undefined;
}

/** The option whose name the model places at `p`, and the scope it is looked up in. */
function optionNamedAt(m: EximModel, file: string, p: Position): { name: string; scope: string } | undefined {
  const at = (o: OptionSetting) => path.resolve(o.nameLoc.file) === file && containsPos(o.nameLoc.range, p);
  const main = m.main.find(at);
  if (main) return { name: main.name, scope: 'main' };
  for (const inst of [...m.routers, ...m.transports, ...m.authenticators]) {
    const o = inst.options.find(at);
    if (o) return { name: o.name, scope: inst.driver ?? inst.section };
  }
  return undefined;
}

/** `<`, `<=`, `=`, `==`, `>`, `>=` as conditions: `${if <{$a}{$b}…}`, or in `and{{…}}`. */
function symbolCondition(lines: LineIndex, p: Position): HoverInfo | undefined {
  const t = lines.lineText(p.line);
  let s = Math.min(p.character, t.length), e = s;
  while (s > 0 && '<=>'.includes(t[s - 1])) s--;
  while (e < t.length && '<=>'.includes(t[e])) e++;
  const op = t.slice(s, e);
  const cond = op && expansionCondition(op);
  if (!cond || !/(?:\$\{if\s+|\{\s*)(?:!\s*)*$/.test(t.slice(0, s)) || !/^\s*\{/.test(t.slice(e))) return undefined;
  const range = { start: { line: p.line, character: s }, end: { line: p.line, character: e } };
  const note = versionNote(cond);
  return { markdown: `**${op}** — expansion condition${note ? ` (${note})` : ''}${ownEntry(CONDITION_DOCS, op) ? `\n\n${CONDITION_DOCS[op]}` : ''}\n\n[String expansions](${specUrl('expansion')})`, range };
}
