// "Did you mean" support shared by the Exim rules: the nearest name by edit distance, and
// the quick fix that puts it in place of the misspelt one.
import type { Fix } from '../../diagnostic';
import type { Loc } from '../../exim/model';

/** Optimal-string-alignment distance (Levenshtein plus adjacent transposition). */
export function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  if (Math.abs(m - n) > 3) return Math.max(m, n);
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 1; j <= n; j++) d[0][j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/** Rows of distanceWithin, reused: it runs for hundreds of candidates per suggestion. */
let rows = new Int32Array(0);

/**
 * editDistance(a, b) when it is at most `max`, else some number above `max`: rows are
 * kept, not a matrix, and the work stops once no cell can come back under `max`.
 */
function distanceWithin(a: string, b: string, max: number): number {
  const m = a.length, n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  const w = n + 1;
  if (rows.length < 3 * w) rows = new Int32Array(3 * w * 2);
  // Rows i-2, i-1 and i of the matrix, in turn.
  let r2 = 0, r1 = w, r0 = 2 * w;
  for (let j = 0; j <= n; j++) rows[r1 + j] = j;
  let min1 = 0;
  for (let i = 1; i <= m; i++) {
    rows[r0] = i;
    let min0 = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(rows[r1 + j] + 1, rows[r0 + j - 1] + 1, rows[r1 + j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, rows[r2 + j - 2] + 1);
      rows[r0 + j] = d;
      if (d < min0) min0 = d;
    }
    // Every later cell comes from the two rows above it: neither can go below its minimum.
    if (min0 > max && min1 > max) return max + 1;
    min1 = min0;
    const t = r2; r2 = r1; r1 = r0; r0 = t;
  }
  return rows[r1 + n];
}

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

/** A fix replacing the text at `loc` (or its last `oldLen` characters) by `replacement`. */
export function replaceFix(loc: Loc, replacement: string, oldLen?: number): Fix[] {
  const r = loc.range;
  const start = oldLen !== undefined && r.start.line === r.end.line && r.end.character - oldLen >= r.start.character
    ? { line: r.end.line, character: r.end.character - oldLen } : r.start;
  return [{ title: `Change to "${replacement}"`, preferred: true, edits: [{ file: loc.file, range: { start, end: r.end }, newText: replacement }] }];
}
