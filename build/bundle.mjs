// Bundles src/main.ts into dist/corral.cjs, the one file the npm bin and the single executable run.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { lazyAcmeClient } from './lazy-acme-client.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: [new URL('../src/main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/corral.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  define: { CORRAL_VERSION: JSON.stringify(pkg.version) },
  // esbuild stays out of the bundle: it is only used to transpile .ts apps on Nodes without type stripping.
  external: ['esbuild'],
  plugins: [lazyAcmeClient()],
  // Less source for every process (master and each worker) to parse at start; names stay, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
