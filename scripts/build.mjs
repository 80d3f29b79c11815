// Bundles the entry points: the extension, the language server (its shell, the checker it
// loads on first use and the LMTP session it loads at the first callout) and the CLI. Each is self-contained CommonJS, so the .vsix and the
// CLI need no node_modules at run time.
//
// Bundles are minified with a linked source map beside them (`node --enable-source-maps`
// maps stack traces back); `--no-minify` gives readable bundles for debugging. The large
// fact tables (catalogs, built-in macros) are plain data, so in minified builds they are
// shipped as one brotli-compressed JSON string each and decoded once at load: about a
// quarter of the bundle otherwise, and cheaper to load as JSON than as JavaScript.
import { build } from 'esbuild';
import { chmodSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { brotliCompressSync, constants as zlib } from 'node:zlib';

const minify = !process.argv.includes('--no-minify');
/** `--metafile`: dist/<bundle>.meta.json says what each input adds (esbuild's analyzer reads it). */
const metafile = process.argv.includes('--metafile');

/** Modules that only export data (arrays, objects, strings); each is replaced by its compressed JSON. */
const DATA_MODULE = /[\\/](catalog[\\/]generated[\\/][\w-]+-data|features[\\/][\w-]+-data|exim[\\/]builtin-macros|rules[\\/]codes)\.ts$/;

const compactData = {
  name: 'compact-data',
  setup(b) {
    b.onLoad({ filter: DATA_MODULE }, async (args) => {
      const r = await build({ entryPoints: [args.path], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
      const mod = { exports: {} };
      new Function('module', 'exports', 'require', r.outputFiles[0].text)(mod, mod.exports, () => { throw new Error('data modules import nothing'); });
      const values = { ...mod.exports };
      const jsonText = JSON.stringify(values);
      // Anything JSON cannot carry (undefined, functions, Maps) keeps the module as it is.
      if (!isDeepStrictEqual(JSON.parse(jsonText), values)) return undefined;
      const packed = brotliCompressSync(Buffer.from(jsonText), { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');
      const names = Object.keys(values).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
      return {
        loader: 'js',
        contents: [
          "import { brotliDecompressSync } from 'node:zlib';",
          `const d = JSON.parse(brotliDecompressSync(Buffer.from(${JSON.stringify(packed)}, 'base64')).toString());`,
          ...names.map((n) => `export const ${n} = d.${n};`),
        ].join('\n'),
      };
    });
  },
};

/**
 * vscode-jsonrpc requires `crypto` at load only to name a random pipe, which a stdio or IPC
 * server never does; loading it costs start-up time, so it is loaded on that first call.
 */
const lazyCrypto = {
  name: 'lazy-crypto',
  setup(b) {
    b.onResolve({ filter: /^crypto$/ }, (args) => /[\\/]vscode-jsonrpc[\\/]/.test(args.importer) ? { path: 'lazy-crypto', namespace: 'lazy-crypto' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      loader: 'js',
      contents: "exports.randomBytes = (...a) => require('node:crypto').randomBytes(...a);",
    }));
  },
};

/**
 * The server's checker is its own bundle, dist/server-checker.js, required by dist/server.js
 * when the first file is opened (server/src/lsp/core.ts): start-up does not even parse it.
 * The LMTP session is another, dist/server-callout.js, required at the first callout: opening
 * a file does not read it.
 */
const APART = { './checker': './server-checker.js', './lmtp': './server-callout.js' };
const serverApart = {
  name: 'server-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/(checker|lmtp)$/ }, (args) => /[\\/]lsp[\\/]core\.ts$/.test(args.importer) ? { path: APART[args.path], external: true } : undefined);
  },
};

/**
 * The CLI likewise: dist/cli.js is the command dispatcher, and requires dist/cli-check.js or
 * dist/cli-callout.js for the command given; the callout requires the config readers
 * (dist/cli-callout-targets.js) only when configs name its target. A callout with --target
 * reads none of the checker's code.
 */
const CLI_APART = {
  './cli/check': [/[\\/]src[\\/]cli\.ts$/, './cli-check.js'],
  './cli/callout': [/[\\/]src[\\/]cli\.ts$/, './cli-callout.js'],
  './callout-targets': [/[\\/]cli[\\/]callout\.ts$/, './cli-callout-targets.js'],
};
const cliApart = {
  name: 'cli-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/(cli\/check|cli\/callout|callout-targets)$/ }, (args) => {
      const [importer, bundle] = CLI_APART[args.path];
      return importer.test(args.importer) ? { path: bundle, external: true } : undefined;
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: minify ? 'linked' : process.argv.includes('--sourcemap'),
  minify,
  charset: 'utf8',
  legalComments: 'none',
  plugins: minify ? [compactData, lazyCrypto] : [lazyCrypto],
  logLevel: 'warning',
  metafile,
};

const bundles = {
  extension: { entryPoints: ['client/src/extension.ts'], external: ['vscode'] },
  server: { entryPoints: ['server/src/server.ts'], plugins: [...common.plugins, serverApart] },
  'server-checker': { entryPoints: ['server/src/lsp/checker.ts'] },
  'server-callout': { entryPoints: ['server/src/lsp/lmtp.ts'] },
  cli: { entryPoints: ['server/src/cli.ts'], banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, cliApart] },
  'cli-check': { entryPoints: ['server/src/cli/check.ts'] },
  'cli-callout': { entryPoints: ['server/src/cli/callout.ts'], plugins: [...common.plugins, cliApart] },
  'cli-callout-targets': { entryPoints: ['server/src/cli/callout-targets.ts'] },
};
const results = await Promise.all(Object.entries(bundles).map(([name, o]) => build({ ...common, ...o, outfile: `dist/${name}.js` })));
if (metafile) {
  for (const [i, name] of Object.keys(bundles).entries()) writeFileSync(`dist/${name}.meta.json`, JSON.stringify(results[i].metafile));
}
chmodSync('dist/cli.js', 0o755);
