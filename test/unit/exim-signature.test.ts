// Signature help for expansions: which argument of which item or condition the cursor is
// in, read from the half-typed text the way Exim's expander reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/text';
import { eximSignatureHelp, expansionForms } from '../../server/src/core/features/exim-signature';
import { eximHover } from '../../server/src/core/features/exim-hover';
import { defaultOptions } from '../../server/src/core/options';
import { CONDITION_FORMS, ITEM_FORMS } from '../../server/src/core/features/exim-signatures-data';
import { expansionNames, itemArgProblem } from '../../server/src/core/catalog/exim';
import { COND_ARGS, COND_OVER_LIST } from '../../server/src/core/exim/expansion-parser';

/** The active signature's label and the name of its active parameter at the end of `text`, or undefined. */
function at(text: string): [string, string] | undefined {
  const lines = new LineIndex(text);
  const last = lines.lineCount - 1;
  const h = eximSignatureHelp(lines, { line: last, character: lines.lineText(last).length }, '/etc/exim4/exim4.conf');
  if (!h) return undefined;
  const sig = h.signatures[h.activeSignature];
  const p = sig.parameters[h.activeParameter];
  return [sig.label, sig.label.slice(p.label[0], p.label[1])];
}

test('an item: each argument in turn, and nothing once it is closed', () => {
  assert.deepEqual(at('x = ${substr{'), ['${substr{start}{length}{string}}', 'start']);
  assert.deepEqual(at('x = ${substr{1}{'), ['${substr{start}{length}{string}}', 'length']);
  assert.deepEqual(at('x = ${substr{1}{2}{$local_part'), ['${substr{start}{length}{string}}', 'string']);
  assert.equal(at('x = ${substr{1}{2}{abc}}'), undefined);
  assert.equal(at('x = ${tr{a}{b}{c}} and more'), undefined);
  assert.equal(at('x = no expansion {here}'), undefined);
});

test('${if}: the condition first, then its own arguments, then the two strings', () => {
  assert.deepEqual(at('condition = ${if eq'), ['${if condition {string1}{string2}}', 'condition']);
  assert.deepEqual(at('condition = ${if eq{'), ['eq {string1}{string2}', 'string1']);
  assert.deepEqual(at('condition = ${if eq{$domain}{'), ['eq {string1}{string2}', 'string2']);
  assert.deepEqual(at('condition = ${if eq{a}{b} {'), ['${if condition {string1}{string2}}', 'string1']);
  assert.deepEqual(at('condition = ${if eq{a}{b}{yes}{'), ['${if condition {string1}{string2}}', 'string2']);
  assert.deepEqual(at('condition = ${if !exists{'), ['exists {file name}', 'file name']);
  assert.deepEqual(at('condition = ${if def:sender_host_address {'), ['${if condition {string1}{string2}}', 'string1']);
  assert.deepEqual(at('condition = ${if >{$message_size}{'), ['> {number1}{number2}', 'number2']);
});

test('conditions inside and/or, forall and filter; strings inside the acl condition', () => {
  assert.deepEqual(at('x = ${if and{{'), ['and {{condition1}{condition…}}', 'condition1']);
  assert.deepEqual(at('x = ${if and{{eq{a}{b}}{'), ['and {{condition1}{condition…}}', 'condition…']);
  assert.deepEqual(at('x = ${if or{{eq{a}{b}}{match{$h_subject:}{'), ['match {string}{regex}', 'regex']);
  assert.deepEqual(at('x = ${if forall{a:b}{eq{$item}{'), ['eq {string1}{string2}', 'string2']);
  assert.deepEqual(at('x = ${filter{a:b:c}{'), ['${filter{list}{condition}}', 'condition']);
  assert.deepEqual(at('x = ${filter{a:b:c}{eq{$item}{'), ['eq {string1}{string2}', 'string2']);
  assert.deepEqual(at('x = ${if acl{{check_it}{'), ['acl {{name}{arg…}}', 'arg…']);
  // Past the conditions of `and`, the `${if}` strings again.
  assert.deepEqual(at('x = ${if and{{eq{a}{b}}{def:h_x}}{'), ['${if condition {string1}{string2}}', 'string1']);
});

test('the form follows what is written: lookup by key or by query, extract by key or by number', () => {
  assert.deepEqual(at('data = ${lookup{$local_part}lsearch{'), ['${lookup{key} type {file}{string1}{string2}}', 'file']);
  assert.deepEqual(at('data = ${lookup{$local_part}lsearch{/etc/aliases}{$value}{'), ['${lookup{key} type {file}{string1}{string2}}', 'string2']);
  assert.deepEqual(at('data = ${lookup mysql{select'), ['${lookup type {query}{string1}{string2}}', 'query']);
  assert.deepEqual(at('x = ${extract{user}{'), ['${extract{key}{string1}{string2}{string3}}', 'string1']);
  assert.deepEqual(at('x = ${extract{2}{:}{'), ['${extract{number}{separators}{string1}{string2}{string3}}', 'string1']);
});

test('nested expansions: the innermost item or condition with a signature', () => {
  // An operator has none: the argument it sits in is what the user is filling.
  assert.deepEqual(at('x = ${if eq{${lc:'), ['eq {string1}{string2}', 'string1']);
  assert.deepEqual(at('x = ${if eq{${lc:$sender_address}}{'), ['eq {string1}{string2}', 'string2']);
  assert.deepEqual(at('x = ${sg{${substr{0}{'), ['${substr{start}{length}{string}}', 'length']);
  assert.deepEqual(at('x = ${sg{${substr{0}{3}{$x}}}{'), ['${sg{subject}{regex}{replacement}}', 'regex']);
  // An item we have no signature for (a misspelling) leaves the one around it.
  assert.deepEqual(at('x = ${sg{${sbustr{0}{'), ['${sg{subject}{regex}{replacement}}', 'subject']);
});

test('Exim\'s lexical rules: escapes, \\N…\\N, literal braces, comments and continuation lines', () => {
  assert.equal(at('x = \\${substr{'), undefined, 'an escaped $ starts nothing');
  assert.deepEqual(at('x = ${sg{$x}{\\N^a{3}}\\N}{'), ['${sg{subject}{regex}{replacement}}', 'replacement'], 'braces inside \\N…\\N do not count');
  assert.deepEqual(at('x = ${sg{$x}{\\N^a{3'), ['${sg{subject}{regex}{replacement}}', 'regex'], 'inside an open \\N');
  // A `{` in an argument's text is literal for Exim, and the first `}` ends the argument.
  assert.deepEqual(at('x = ${sg{$x}{a{3}{'), ['${sg{subject}{regex}{replacement}}', 'replacement']);
  assert.equal(at('# x = ${substr{'), undefined, 'a comment');
  assert.deepEqual(at('x = ${substr{1} \\\n   {2}{'), ['${substr{start}{length}{string}}', 'string'], 'a continued line');
});

test('deep nesting: help as far as 64 levels, none past that, and never a throw', () => {
  assert.deepEqual(at('x = ' + '${substr{'.repeat(64)), ['${substr{start}{length}{string}}', 'start']);
  assert.deepEqual(at('x = ' + '${if and{{'.repeat(20)), ['and {{condition1}{condition…}}', 'condition1']);
  for (const deep of ['${substr{', '${lc:', '${if and{{', '${if eq{'].map((s) => 'x = ' + s.repeat(20000))) assert.equal(at(deep), undefined);
  assert.deepEqual(at('x = ${substr{' + '\\N'.repeat(50001)), ['${substr{start}{length}{string}}', 'start'], 'many \\N, the last one open');
});

test('every item and condition with a signature is one Exim has, and the argument counts agree with the checker\'s', () => {
  const names = (kind: 'item' | 'condition') => new Set([...expansionNames(kind, 'latest'), ...expansionNames(kind, '4.96')].map((n) => n.name));
  const items = names('item');
  const conditions = names('condition');
  for (const name of Object.keys(ITEM_FORMS)) assert.ok(items.has(name), `item ${name}`);
  for (const name of Object.keys(CONDITION_FORMS)) assert.ok(conditions.has(name), `condition ${name}`);
  // Every item but ${if} (its own form) has one, and every condition that takes arguments.
  for (const name of items) if (name !== 'if') assert.ok(ITEM_FORMS[name], `no signature for item ${name}`);
  for (const name of conditions) {
    if (!['def', 'first_delivery', 'queue_running'].includes(name)) assert.ok(CONDITION_FORMS[name], `no signature for condition ${name}`);
  }
  // A condition's form has the arguments the parser reads (and/or/acl/saslauthd: one brace of them).
  for (const [name, forms] of Object.entries(CONDITION_FORMS)) {
    if (['and', 'or', 'acl', 'saslauthd'].includes(name)) continue;
    assert.equal(forms[0].params.length, COND_OVER_LIST.has(name) ? 2 : COND_ARGS[name], `condition ${name}`);
  }
  // Where the checker counts an item's arguments, the longest form takes as many as Exim allows.
  for (const [name, forms] of Object.entries(ITEM_FORMS)) {
    if (forms.some((f) => f.params.some(([p]) => p.endsWith('…')))) continue;
    if (!itemArgProblem(name, 99)) continue;
    const most = Math.max(...forms.map((f) => f.params.length));
    assert.equal(itemArgProblem(name, most), undefined, `${name} takes ${most}`);
    assert.ok(itemArgProblem(name, most + 1), `${name} takes no more than ${most}`);
  }
});

test('hover on an item or condition shows how it is written, each form', () => {
  const md = (text: string, ch: number) => eximHover(new LineIndex(text), { line: 0, character: ch }, '/etc/exim4/exim4.conf', undefined, defaultOptions)?.markdown ?? '';
  const substr = md('x = ${substr{1}{2}{abc}}', 7);
  assert.ok(substr.includes('`${substr{start}{length}{string}}`') && substr.includes('`${substr{start}{string}}`'), substr);
  assert.ok(md('x = ${if eq{a}{b}}', 10).includes('`eq {string1}{string2}`'));
  assert.ok(md('x = ${if eq{a}{b}}', 7).includes('`${if condition {string1}{string2}}`'));
  assert.deepEqual(expansionForms('condition', 'def'), [], 'def: takes no braces');
});

test('names that are properties of every object are no items or conditions of ours', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.equal(at(`x = \${${name}{`), undefined, name);
    // An unknown condition: what follows reads as the ${if}'s strings, as for any other.
    assert.equal(at(`x = \${if ${name}{`)?.[0], '${if condition {string1}{string2}}', name);
    assert.deepEqual(at(`x = \${if eq{\${${name}{a}{`), ['eq {string1}{string2}', 'string1'], name);
    assert.deepEqual(expansionForms('item', name), [], name);
  }
});
