// Process-wide V8 tuning for the checker's two shells, applied before the checker is loaded:
// the language server imports it first, and so does `check` (not the CLI as a whole: a
// callout runs no checker, and loading node:v8 would only add to its start-up).
//
// An optimising compile of a hot function also compiles the functions it calls (inlining).
// Ours call many others: the line reader and the per-line parsers compiled at 20–50 ms each,
// and a one-shot `check` over a thousand configs spent more CPU in the compiler than it won
// back — it ran no faster than with the optimising compiler switched off. With a smaller
// inlining budget each compile is cheaper and optimised code arrives sooner: the CLI over the
// Exim test-suite corpus 720 → 625 ms, and the first checks of a large file in the editor
// (before the code is warm) about 15% quicker. Speed once warm is unchanged (`npm run bench`).
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--max-inlined-bytecode-size-cumulative=150');
