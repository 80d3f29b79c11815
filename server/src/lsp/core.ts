// The checker (parsers, rules, catalogs) and the LMTP client are loaded when first needed,
// not at start-up: `initialize` is answered before any of them is evaluated. The bundler
// turns each require below into a module initialised on its first call, so their data
// tables are decompressed then too.
import type * as Features from '../core/features';
import type * as Callout from '../core/lmtp/callout';
import type * as Target from '../core/lmtp/target';
import type * as Address from '../core/lmtp/address';

let features: typeof Features | undefined;

export function loadFeatures(): typeof Features {
  return features ??= require('../core/features') as typeof Features;
}

// The LMTP client's modules one by one: a namespace required whole cannot be tree-shaken.
export const loadCallout = (): typeof Callout => require('../core/lmtp/callout');
export const loadTarget = (): typeof Target => require('../core/lmtp/target');
export const loadAddress = (): typeof Address => require('../core/lmtp/address');
