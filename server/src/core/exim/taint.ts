// Exim 4.94 and later mark data that comes from outside (the envelope, the message, the SMTP
// dialogue) as tainted and refuse it where a file is opened or a command run. This finds the
// tainted variable that reaches an expanded value, as far as the value is written out:
// only what certainly carries the taint through, every time, is followed (a lookup's result,
// or $value, is clean however tainted its key; an `if` or a lookup is tainted when both its
// yes and no strings are; a hash or an item we do not follow is taken as clean, so nothing
// is claimed of it).
import { lookupTypeOf, type ExpansionNode } from './expansion';
import { eximLookupType } from '../catalog/exim';

type Variable = Extract<ExpansionNode, { kind: 'variable' }>;

/** Envelope and message data: tainted whatever the router did with it. */
const TAINTED = new Set([
  'local_part', 'domain', 'local_part_prefix', 'local_part_suffix', 'local_part_prefix_v', 'local_part_suffix_v',
  'original_local_part', 'original_domain', 'parent_local_part', 'parent_domain',
  'sender_address', 'sender_address_local_part', 'sender_address_domain', 'return_path',
  'message_body', 'message_body_end', 'sender_helo_name',
]);
/** $h_…, $header_…, $rh_…, $bh_…, $lh_… and the like: a header of the message. */
const HEADER = /^(r|b|l)?h(eader)?_/i;

/** Operators whose result is (part of) their argument, as written. */
const PASSING_OPERATORS = /^(lc|uc|local_part|domain|address|(l|length|s|substr)_[0-9_-]+)$/;
/** Items whose result is cut from their arguments. */
const PASSING_ITEMS = new Set(['extract', 'sg', 'substr', 'length', 'tr', 'listextract']);

export function isTaintedVariable(name: string): boolean {
  return TAINTED.has(name) || HEADER.test(name);
}

/**
 * The prefix and suffix a router cut off: tainted only when the item that matched has a
 * wildcard (Exim 4.96's route.c copies a fixed one from the config, untainted; exim4 -odf:
 * a pipe argument ${local_part_prefix} runs with `bounce+`, fails with what `*+` matched).
 */
const AFFIXES = new Set(['local_part_prefix', 'local_part_suffix', 'local_part_prefix_v', 'local_part_suffix_v']);

export const isAffixVariable = (name: string) => AFFIXES.has(name);

/**
 * The first tainted variable whose data reaches the value of `nodes`, if any: one tainted
 * whatever the routers do first, else a prefix or suffix that `affixTainted` says may be
 * (by default, any).
 */
export function taintSource(nodes: readonly ExpansionNode[], affixTainted: (name: string) => boolean = () => true): Variable | undefined {
  return reachingVariable(nodes, (n) => isTaintedVariable(n) && !AFFIXES.has(n))
    ?? reachingVariable(nodes, (n) => AFFIXES.has(n) && affixTainted(n));
}

/**
 * The first variable named as `wanted` says whose value reaches the value of `nodes` every
 * time (through the operators and items that pass their argument on; both branches of an
 * `if` or a lookup's yes and no strings), if any.
 */
export function reachingVariable(nodes: readonly ExpansionNode[], wanted: (name: string) => boolean): Variable | undefined {
  for (const n of nodes) {
    let found: Variable | undefined;
    if (n.kind === 'variable') found = wanted(n.name) ? n : undefined;
    else if (n.kind === 'operator') found = PASSING_OPERATORS.test(n.name) ? reachingVariable(n.arg, wanted) : undefined;
    else if (n.kind === 'item') {
      if (PASSING_ITEMS.has(n.name)) {
        for (const a of n.args) if ((found = reachingVariable(a, wanted))) break;
      } else if (n.name === 'if' || n.name === 'lookup') {
        // The yes and no strings (after the condition; after a lookup's key and file, or
        // query): every time only when both carry it (a missing one gives "").
        const [yes, no] = n.args.slice(n.name === 'if' ? 1 : lookupResultArgs(n));
        const a = yes && reachingVariable(yes, wanted);
        found = a && no && reachingVariable(no, wanted) ? a : undefined;
      }
    }
    if (found) return found;
  }
  return undefined;
}

/** Where a lookup's yes/no strings start: after the key and file of a single-key lookup, after the query of a query-style one. */
function lookupResultArgs(n: Extract<ExpansionNode, { kind: 'item' }>): number {
  return eximLookupType(lookupTypeOf(n))?.lookupStyle?.startsWith('single-key') ? 2 : 1;
}
