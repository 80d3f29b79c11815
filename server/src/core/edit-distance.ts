// Edit distance for "did you mean" suggestions, shared by the Exim and Cyrus rules: the
// optimal-string-alignment distance (Levenshtein plus adjacent transposition, the commonest
// typing slip), bounded so that a search over hundreds of candidates stays cheap.

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
export function distanceWithin(a: string, b: string, max: number): number {
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
