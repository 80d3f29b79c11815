// "Did you mean" support shared by the Exim rules: the nearest name by edit distance, and
// the quick fix that puts it in place of the misspelt one.
import type { Fix } from '../../diagnostic';
import type { EximConfig, Loc } from '../../exim/model';
import { distanceWithin } from '../../edit-distance';
import { spansText } from './lists';

/**
 * The closest candidate, if it is close enough to be a plausible typo: at most a third of
 * the name's length in edits (at least 1, at most 3). Ties go to the first candidate.
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const memo = answers.get(candidates as object);
  if (!memo) return nearestNow(name, candidates);
  if (memo.has(name)) return memo.get(name);
  // Names come from users' files: a long-lived server must not keep every one it has seen.
  if (memo.size >= ANSWERS_KEPT) memo.clear();
  const found = nearestNow(name, candidates);
  memo.set(name, found);
  return found;
}

/**
 * Answers of nearest() per candidate list that never changes (catalog names, a run's macro
 * names): a config repeating one unknown name thousands of times costs one search.
 */
const answers = new WeakMap<object, Map<string, string | undefined>>();
const ANSWERS_KEPT = 10_000;

/** Marks `list` as fixed from now on, so nearest() answers each name in it once. */
export function fixedNames<T extends readonly string[]>(list: T): T {
  if (!answers.has(list)) answers.set(list, new Map());
  return list;
}

/**
 * A fixed list (see fixedNames) holding `names`: the same list for the same names in the
 * same order, so nearest() answers a name once for all the lists with that content.
 */
export function sharedNames(names: readonly string[]): readonly string[] {
  const key = names.join('\n');
  let list = shared.get(key);
  if (!list) {
    // Names come from users' files: a long-lived server keeps a bounded number of lists.
    if (shared.size >= SHARED_KEPT) shared.clear();
    shared.set(key, list = fixedNames(names.slice()));
  }
  return list;
}
const shared = new Map<string, readonly string[]>();
const SHARED_KEPT = 64;

function nearestNow(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined, bestD = limit + 1;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const cl = c.toLowerCase();
    // Only a distance below the best so far matters: whole edits, or 0.5 for a change of case.
    const dist = cl === lower ? 0.5 : distanceWithin(lower, cl, Math.ceil(bestD) - 1);
    if (dist < bestD) { best = c; bestD = dist; }
  }
  return best;
}

const namesMade = new Map<string, Map<string, readonly string[]>>();

/**
 * A list of names from the catalogs (fixed for the process), made the first time it is
 * asked for. Keyed by what and for which version (or scope): two keys rather than one
 * string built per call.
 */
export function namesOnce(what: string, of: string, make: () => readonly string[]): readonly string[] {
  let byOf = namesMade.get(what);
  if (!byOf) namesMade.set(what, byOf = new Map());
  let names = byOf.get(of);
  if (!names) byOf.set(of, names = fixedNames(make()));
  return names;
}

/**
 * Problems Exim only meets when it runs the config (expanding a string, matching a list,
 * running an ACL), not when it loads it: `exim -bV` accepts such a config, so these are
 * reported as warnings that say what will fail.
 */
export const RUN_TIME = { severity: 'warning' as const };

export function runTime(fixes?: Fix[]): { severity: 'warning'; fixes?: Fix[] } {
  return fixes ? { ...RUN_TIME, fixes } : { ...RUN_TIME };
}

export function didYouMean(s: string | undefined): string {
  return s ? ` Did you mean "${s}"?` : '';
}

/**
 * "Remove the quotes" for a value written `"..."` where Exim keeps quotes as characters: only
 * when `loc` is that text as written on one line (no macro, no continuation) and no quote is
 * inside it.
 */
export function unquoteFix(loc: Loc | undefined, written: string): Fix[] | undefined {
  const r = loc?.range;
  if (!loc || !r || written.length < 2 || written[0] !== '"' || written[written.length - 1] !== '"') return undefined;
  const inner = written.slice(1, -1);
  if (inner.includes('"') || r.start.line !== r.end.line || r.end.character - r.start.character !== written.length) return undefined;
  return [{ title: 'Remove the quotes', preferred: true, edits: [{ file: loc.file, range: r, newText: inner }] }];
}

/** A fix replacing the text at `loc` (or its last `oldLen` characters) by `replacement`. */
export function replaceFix(loc: Loc, replacement: string, oldLen?: number): Fix[] {
  const r = loc.range;
  const start = oldLen !== undefined && r.start.line === r.end.line && r.end.character - oldLen >= r.start.character
    ? { line: r.end.line, character: r.end.character - oldLen } : r.start;
  return [{ title: `Change to "${replacement}"`, preferred: true, edits: [{ file: loc.file, range: { start, end: r.end }, newText: replacement }] }];
}

/**
 * replaceFix to `to`, only where `loc` is `written` as it stands (spansText: no macro, no
 * continuation in between); none without `to`.
 */
export function replaceWrittenFix(cfg: EximConfig, loc: Loc, written: string, to: string | undefined): Fix[] | undefined {
  return to !== undefined && spansText(cfg, loc, written) ? replaceFix(loc, to) : undefined;
}
