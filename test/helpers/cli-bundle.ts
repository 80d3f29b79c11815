// Bundles the CLI into a temp directory with the settings of scripts/build.mjs, so a test
// runs the real `exim-cyrus` as a user would and never races another suite rebuilding dist/.
import { before, after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';

export const ROOT = path.join(__dirname, '../..');

/** Registers before/after hooks; `.cli` and `.dir` are set once the bundle is built. */
export function useCliBundle(prefix: string): { cli: string; dir: string } {
  const ctx = { cli: '', dir: '' };
  before(async () => {
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    ctx.cli = path.join(ctx.dir, 'cli.js');
    await build({
      entryPoints: [path.join(ROOT, 'server/src/cli.ts')], outfile: ctx.cli, bundle: true, platform: 'node',
      target: 'node18', format: 'cjs', logLevel: 'error',
    });
  });
  after(() => { if (ctx.dir) fs.rmSync(ctx.dir, { recursive: true, force: true }); });
  return ctx;
}
