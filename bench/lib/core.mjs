// The core, bundled for the bench's own process (as scripts/corpus.mjs does), so the bench
// measures the same code the server and CLI run, without a TypeScript loader in the way.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export async function loadCore(root) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-bench-core-'));
  const outfile = path.join(dir, 'core.cjs');
  await build({
    stdin: {
      contents: [
        "export { checkProject } from './server/src/core/project';",
        "export { loadExim, checkExim } from './server/src/core/exim';",
        "export { loadCyrusConf, checkCyrusConf, loadImapdConf, checkImapdConf } from './server/src/core/cyrus';",
        "export { overlayHost, diskHost, cachingDiskHost } from './server/src/core/host';",
        "export { defaultOptions } from './server/src/core/options';",
        "export { callout } from './server/src/core/lmtp';",
      ].join('\n'),
      resolveDir: root, loader: 'ts',
    },
    outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error',
  });
  const core = createRequire(import.meta.url)(outfile);
  fs.rmSync(dir, { recursive: true, force: true });
  return core;
}

/** The live Cyrus harness of the tests (TypeScript), bundled the same way. */
export async function loadCyrusHarness(root) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-bench-harness-'));
  const outfile = path.join(dir, 'harness.cjs');
  await build({ entryPoints: [path.join(root, 'test/live/harness/cyrus.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  const mod = createRequire(import.meta.url)(outfile);
  fs.rmSync(dir, { recursive: true, force: true });
  return mod;
}
