// The core, bundled for the bench's own process (as the corpus script does), so the bench
// measures the same code the server and CLI run, without a TypeScript loader in the way.
import * as path from 'node:path';
import { loadBundled } from '../../scripts/bundle-core.mjs';

export function loadCore(root) {
  return loadBundled(root, [
    "export { checkProject } from './server/src/core/project';",
    "export { loadExim, checkExim } from './server/src/core/exim';",
    "export { EXIM_RULE_FAMILIES } from './server/src/core/rules/exim/index';",
    "export { loadCyrusConf, checkCyrusConf, loadImapdConf, checkImapdConf } from './server/src/core/cyrus';",
    "export { overlayHost, diskHost, cachingDiskHost } from './server/src/core/host';",
    "export { defaultOptions } from './server/src/core/options';",
    "export { callout } from './server/src/core/lmtp';",
  ].join('\n'));
}

/** The live Cyrus harness of the tests (TypeScript), bundled the same way. */
export function loadCyrusHarness(root) {
  return loadBundled(root, `export * from ${JSON.stringify(path.join(root, 'test/live/harness/cyrus.ts'))};`);
}
