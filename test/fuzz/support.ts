// Shared plumbing of the property tests: how many runs (modest under `npm test`, many under
// `npm run fuzz`), and regression fixtures — every counterexample a long run finds is saved
// under regressions/ and replayed by the normal tests from then on.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

export const REGRESSIONS = path.join(__dirname, 'regressions');

/** Runs per property: the given default, or FUZZ_RUNS from `npm run fuzz -- --runs N`. */
export function runs(normal: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? n : normal;
}

export const longRun = (): boolean => !!process.env.FUZZ_RUNS;

/** Per-test bound: generous under `npm test`, none for long runs. */
export const TIMEOUT = longRun() ? Infinity : 600_000;

/** Saved counterexamples of one property (JSON values as the property takes them). */
export function regressions<T>(property: string): { file: string; input: T }[] {
  if (!fs.existsSync(REGRESSIONS)) return [];
  return fs.readdirSync(REGRESSIONS)
    .filter((f) => f.startsWith(property + '--') && f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, input: JSON.parse(fs.readFileSync(path.join(REGRESSIONS, f), 'utf8')).input as T }));
}

function record(property: string, input: unknown): string {
  const body = JSON.stringify({ property, input }, null, 2) + '\n';
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 12);
  const file = path.join(REGRESSIONS, `${property}--${hash}.json`);
  fs.mkdirSync(REGRESSIONS, { recursive: true });
  fs.writeFileSync(file, body);
  return file;
}

/**
 * Replays the saved counterexamples, then checks the property on `numRuns` generated
 * inputs. A failure is shrunk by fast-check, saved as a regression fixture, and reported.
 */
export function check<T>(property: string, arb: fc.Arbitrary<T>, predicate: (input: T) => void, numRuns: number, seed?: number): void {
  for (const r of regressions<T>(property)) {
    try {
      predicate(r.input);
    } catch (e) {
      throw new Error(`regression ${r.file} fails again: ${(e as Error).message}`);
    }
  }
  const details = fc.check(fc.property(arb, (x) => { predicate(x); }), { numRuns, ...(seed !== undefined ? { seed } : {}) });
  if (details.failed) {
    const saved = details.counterexample ? record(property, details.counterexample[0]) : '(no counterexample)';
    throw new Error(`${fc.defaultReportMessage(details)}\nsaved as ${saved}`);
  }
}

/** The async variant, for properties that talk to servers. */
export async function checkAsync<T>(property: string, arb: fc.Arbitrary<T>, predicate: (input: T) => Promise<void>, numRuns: number): Promise<void> {
  for (const r of regressions<T>(property)) {
    try {
      await predicate(r.input);
    } catch (e) {
      throw new Error(`regression ${r.file} fails again: ${(e as Error).message}`);
    }
  }
  const details = await fc.check(fc.asyncProperty(arb, async (x) => { await predicate(x); }), { numRuns });
  if (details.failed) {
    const saved = details.counterexample ? record(property, details.counterexample[0]) : '(no counterexample)';
    throw new Error(`${fc.defaultReportMessage(details)}\nsaved as ${saved}`);
  }
}
