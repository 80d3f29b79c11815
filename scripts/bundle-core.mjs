// The project's TypeScript modules bundled for a plain node process (the corpus and mutation
// scripts, the bench): the same code the CLI and the server run, without a TypeScript loader
// in the way. The bundle is written to a temporary directory, required, and removed.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Requires a bundle of `source` (TypeScript, e.g. `export { x } from './server/src/core/y'`, paths from `root`). */
export async function loadBundled(root, source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exim-cyrus-bundle-'));
  try {
    const outfile = path.join(dir, 'bundle.cjs');
    await build({
      stdin: { contents: source, resolveDir: root, loader: 'ts' },
      outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error',
    });
    return createRequire(import.meta.url)(outfile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
