// Bundles src/main.ts into dist/corral.cjs, the one file the npm bin and the single executable run: a small entry that holds each role's code as compressed text and compiles only its own (src/parts.ts).
import { build } from 'esbuild';
import { lazyAcmeClient } from './lazy-acme-client.mjs';
import { common, compressPart } from './part.mjs';

const source = (file) => new URL(`../src/${file}`, import.meta.url).pathname;

/**
 * The roles' parts: `command` (the command line, config, master and single process; acme-client inside it is one
 * more compressed part, see lazy-acme-client.mjs) and `worker` (what a cluster worker runs). A process keeps the
 * source of what it compiled: a worker no longer keeps zod, yaml or the master, a master no longer acme-client.
 */
async function buildPart(entry) {
  const result = await build({ ...common, entryPoints: [source(entry)], write: false, plugins: [lazyAcmeClient()] });
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
    CORRAL_PARTS: JSON.stringify({ command: compressPart(command), worker: compressPart(worker) }),
  },
});
