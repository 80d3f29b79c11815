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

/**
 * The closest candidate, if it is close enough to be a plausible typo: at most a third of
 * the name's length in edits (at least 1, at most 3). Ties go to the first candidate.
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined, bestD = limit + 1;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const dist = c.toLowerCase() === lower ? 0.5 : editDistance(lower, c.toLowerCase());
    if (dist < bestD) { best = c; bestD = dist; }
  }
  return best;
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
