// The checker (parsers, rules, catalogs) and the LMTP client are loaded when first needed,
// not at start-up: `initialize` is answered before any of them is evaluated. The bundler
// turns each require below into a module initialised on its first call, so their data
// tables are decompressed then too.
import type * as Features from '../core/features';
import type * as Lmtp from '../core/lmtp';

let features: typeof Features | undefined;
let lmtp: typeof Lmtp | undefined;

export function loadFeatures(): typeof Features {
  return features ??= require('../core/features') as typeof Features;
}

export function loadLmtp(): typeof Lmtp {
  return lmtp ??= require('../core/lmtp') as typeof Lmtp;
}
