// Bundles src/main.ts into dist/corral.cjs, the one file the npm bin and the single executable run: a small entry that holds each role's code as compressed text and compiles only its own (src/parts.ts).
import { build } from 'esbuild';
import { lazyParts } from './lazy-parts.mjs';
import { leanLogger } from './lean-logger.mjs';
import { common, compressPart } from './part.mjs';

const source = (file) => new URL(`../src/${file}`, import.meta.url).pathname;

/** The libraries only some configs use, and the single process's code, each a part of its own (lazy-parts.mjs). */
const libraries = new Map();

/**
 * The roles' parts: `command` (the command line, config, master and single process) and `worker` (what a cluster
 * worker runs). A process keeps the source of what it compiled: a worker no longer keeps the config schema, yaml or
 * the master, and neither role acme-client or mime-db unless its config uses them.
 */
async function buildPart(entry) {
  const result = await build({
    ...common,
    entryPoints: [source(entry)],
    write: false,
    plugins: [lazyParts(libraries), leanLogger()],
  });
  return result.outputFiles[0].text;
}

const [command, worker] = await Promise.all([buildPart('cli/main.ts'), buildPart('worker/main.ts')]);

await build({
  ...common,
  entryPoints: [source('main.ts')],
  outfile: new URL('../dist/corral.cjs', import.meta.url).pathname,
  banner: { js: '#!/usr/bin/env node' },
  define: {
    ...common.define,
    CORRAL_PARTS: JSON.stringify({
      command: compressPart(command),
      worker: compressPart(worker),
      libraries: Object.fromEntries(libraries),
    }),
  },
});
