// The checker (parsers, rules, catalogs, features) is loaded when first needed, not at
// start-up: `initialize` is answered before any of it is read. The LMTP session is loaded
// later still, at the first callout. In the build, these requires load
// dist/server-checker.js and dist/server-callout.js (see lsp/checker.ts, lsp/lmtp.ts and
// scripts/build.mjs).
import type * as Checker from './checker';
import type * as Lmtp from './lmtp';

let checker: typeof Checker | undefined;
let lmtp: typeof Lmtp | undefined;

export function loadChecker(): typeof Checker {
  return checker ??= require('./checker') as typeof Checker;
}

export function loadCallout(): typeof Lmtp {
  return lmtp ??= require('./lmtp') as typeof Lmtp;
}
