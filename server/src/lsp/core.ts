// The checker (parsers, rules, catalogs, features, the LMTP client) is loaded when first
// needed, not at start-up: `initialize` is answered before any of it is read. In the build,
// this require loads dist/server-checker.js (see lsp/checker.ts and scripts/build.mjs).
import type * as Checker from './checker';

let checker: typeof Checker | undefined;

export function loadChecker(): typeof Checker {
  return checker ??= require('./checker') as typeof Checker;
}
