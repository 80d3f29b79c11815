// "Did you mean …?" for misspelt Cyrus names (sections, arguments, programs, options, values).
import { distanceWithin } from '../edit-distance';

/** The closest candidate within a small edit distance (scaled to the name's length), if any; ties go to the first in sort order. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = name.length <= 4 ? 1 : name.length <= 8 ? 2 : 3;
  let best: string | undefined, bestD = limit + 1;
  for (const c of candidates) {
    const d = distanceWithin(name, c, limit);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) { best = c; bestD = d; }
  }
  return bestD <= limit ? best : undefined;
}
