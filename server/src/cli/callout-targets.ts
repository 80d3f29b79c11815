// Where a callout goes when the user names configs instead of a --target: the endpoints
// read from an Exim config or a cyrus.conf. Apart from cli/callout.ts because it needs the
// config readers, which the build bundles on their own (dist/cli-callout-targets.js) so a
// callout with --target never reads them.
import { diskHost } from '../core/host';
import { defaultOptions } from '../core/options';
import { loadExim } from '../core/exim';
import { loadCyrusConf } from '../core/cyrus';
import { cyrusCalloutTargets, eximCalloutTargets, type DiscoveryResult } from '../core/lmtp/discover';

export function eximTargets(file: string): DiscoveryResult {
  return eximCalloutTargets(loadExim(file, defaultOptions, diskHost), diskHost);
}

export function cyrusTargets(file: string, daemon: 'lmtpd' | 'smmapd'): DiscoveryResult {
  return cyrusCalloutTargets(loadCyrusConf(file, defaultOptions, diskHost), daemon);
}
