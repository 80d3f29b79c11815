// How the value of an option or ACL item is parsed as an expansion: whole, or split first
// as Exim splits it (command arguments, header lists), each part placed back in the file.
import { append } from '../append';
import type { Range } from '../text';
import type { ExpansionNode } from './expansion';
import { parseExpansion } from './expansion-parser';
import { splitList } from './lists';
import { rangeAt, type PlacedLine } from './reader';
import { splitCommand } from './strings';

/** How a value is expanded: a number on each setting rather than a closure per value. */
export const ExpandForm = {
  None: 0,
  Whole: 1,
  /** Split into arguments first: queryprogram's command, and with `$pipe_addresses` taken out (pipe, lmtp, transport_filter). */
  Command: 2,
  CommandWithAddresses: 3,
  /** Split at ":" or at newlines first, each item expanded alone (headers_remove, headers_add). */
  ItemsByColon: 4,
  ItemsByNewline: 5,
  /** A pipe command run by the shell: whole, once `$pipe_addresses` is out. */
  Shell: 6,
} as const;
export type ExpandForm = typeof ExpandForm[keyof typeof ExpandForm];

/** Maps offsets in a (possibly dequoted) value that starts at `base` of `ll` back to ranges in the file. */
export function placer(ll: PlacedLine, base: number, map?: number[]): (a: number, b: number) => Range {
  // The line's fields read once per tree, not per node.
  const { spans, len, col, file, line } = ll;
  if (!map) return (a, b) => rangeAt(spans, len, col, file, line, base + a, base + b);
  return (a, b) => {
    const sa = map[Math.min(a, map.length - 1)];
    const sb = b > a ? map[Math.min(b - 1, map.length - 1)] + 1 : sa;
    return rangeAt(spans, len, col, file, line, sa, Math.max(sa, sb));
  };
}

/** The expansion tree of `value` (option `name`) in the given form. */
export function expandValue(form: ExpandForm, name: string, value: string, whole: (a: number, b: number) => Range): ExpansionNode[] {
  switch (form) {
    case ExpandForm.None: return [];
    case ExpandForm.Command: return commandExpansion(value, whole, false);
    case ExpandForm.CommandWithAddresses: return commandExpansion(value, whole, true);
    case ExpandForm.ItemsByColon: return listExpansion(name, value, whole, ':');
    case ExpandForm.ItemsByNewline: return listExpansion(name, value, whole, '\n');
    case ExpandForm.Shell: return shellExpansion(value, whole);
    default: return parseExpansion(value, whole);
  }
}

/**
 * `$pipe_addresses` is no variable: where a command goes to a transport with its addresses
 * (pipe, lmtp, transport_filter; not queryprogram), an argument that is just
 * `$pipe_addresses` or `${pipe_addresses}` is replaced by them before anything is expanded
 * (transport_set_up_command).
 */
const PIPE_ADDRESSES = new Set(['$pipe_addresses', '${pipe_addresses}']);

/** The expansions of each argument of a command, placed through the argument's own dequoting. */
function commandExpansion(value: string, whole: (a: number, b: number) => Range, withAddresses: boolean): ExpansionNode[] {
  const out: ExpansionNode[] = [];
  for (const arg of splitCommand(value)) {
    if (!arg.value.includes('$') && !arg.value.includes('\\')) continue;
    if (withAddresses && PIPE_ADDRESSES.has(arg.value)) continue;
    const m = arg.map;
    const at = (i: number) => m ? m[Math.min(i, m.length - 1)] : arg.start + i;
    append(out, parseExpansion(arg.value, (a, b) => {
      const va = at(a);
      return whole(va, b > a ? Math.max(va, at(b - 1) + 1) : va);
    }));
  }
  return out;
}

/**
 * Generic router and transport options that Exim splits first and then expands item by
 * item (rf_get_munge_headers.c, transport.c), with the separator it uses: `::` in
 * `headers_remove` is one literal colon of an item, not part of the expansion.
 */
export const ITEM_LISTS: Record<string, string> = { headers_remove: ':', headers_add: '\n' };

/** Each item of such a list parsed on its own, placed back through the undone doubling. */
function listExpansion(name: string, value: string, whole: (a: number, b: number) => Range, sep: string): ExpansionNode[] {
  const out: ExpansionNode[] = [];
  const items = splitList(value, { literal: true, sep }).items;
  // An expansion cut in two by the split: say why it is not closed.
  const why = items.length > 1 && sep === ':'
    ? ` Exim splits ${name} at ":" before it expands each item; write a colon inside an expansion as "::".` : '';
  for (const it of items) {
    if (!it.text.includes('$') && !it.text.includes('\\')) continue;
    let at = (i: number) => it.start + i;
    if (it.text !== value.slice(it.start, it.start + it.text.length)) {
      const m: number[] = [];
      for (let k = it.start; m.length < it.text.length && k < value.length; k++) {
        m.push(k);
        if (value[k] === sep && value[k + 1] === sep) k++;
      }
      m.push(m.length ? m[m.length - 1] + 1 : it.start);
      at = (i: number) => m[Math.min(i, m.length - 1)];
    }
    for (const n of parseExpansion(it.text, (a, b) => {
      const va = at(a);
      return whole(va, b > a ? Math.max(va, at(b - 1) + 1) : va);
    })) {
      out.push(why && n.kind === 'error' && n.message.includes('not closed') ? { kind: 'error', message: n.message + why, range: n.range } : n);
    }
  }
  return out;
}

/**
 * A pipe command run by the shell is expanded whole, after the first `$pipe_addresses` or
 * `${pipe_addresses}` in it has been replaced by the addresses (pipe.c, set_up_shell_command).
 */
function shellExpansion(value: string, whole: (a: number, b: number) => Range): ExpansionNode[] {
  const p = value.indexOf('pipe_addresses');
  let a = -1, b = -1;
  if (p > 0 && value[p - 1] === '$') { a = p - 1; b = p + 14; }
  else if (p > 1 && value[p - 2] === '$' && value[p - 1] === '{' && value[p + 14] === '}') { a = p - 2; b = p + 15; }
  if (a < 0) return parseExpansion(value, whole);
  // Plain text of the same length in its place keeps every other node where it is written.
  return parseExpansion(value.slice(0, a) + '#'.repeat(b - a) + value.slice(b), whole);
}

