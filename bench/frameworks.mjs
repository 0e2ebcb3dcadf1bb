// The frameworks group (issue 14): per framework test app, a server-rendered page and one hashed asset of it, corral with 2 workers on the recognised build vs the framework's own production server with 2 processes.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtApp } from '../test/apps/frameworks.mjs';
import { compare } from './lib/compare.mjs';
import { variantBuild } from './lib/framework-builds.mjs';
import { describeAsset, hashedAsset } from './lib/hashed-asset.mjs';
import { freePort, stopTree, waitReady } from './lib/processes.mjs';
import { corralServers } from './servers/corral.mjs';
import { measurePairs, TOGETHER_HEAD } from './together.mjs';
import { clusterOf, fetchModuleCluster, ownCluster } from './servers/framework-peers.mjs';

const apps = fileURLToPath(new URL('../test/apps/', import.meta.url));

/** corral's row in every framework's cases: `node dist/corral.cjs DIR --processes 2`, the build recognised. */
const FRAMEWORK_CORRAL = 'corral, 2 workers';

/** Nuxt's own multi-process server: Nitro's node-cluster preset (node-server's workers under node:cluster). */
const NUXT_CLUSTER = { name: 'node-cluster', env: { NITRO_PRESET: 'node-cluster' } };
/** Astro's own server: @astrojs/node in standalone mode, from a config that imports the app's and swaps the mode. */
const ASTRO_STANDALONE = {
  name: 'standalone',
  args: ['--config', 'astro.standalone.config.mjs'],
  files: {
    'astro.standalone.config.mjs':
      "import node from '@astrojs/node';\nimport config from './astro.config.mjs';\n\n" +
      "export default { ...config, adapter: node({ mode: 'standalone' }) };\n",
  },
};

/**
 * Each framework: its test app under test/apps/, the URL prefix of its hashed assets, and its own production server
 * with 2 processes, given the directory of the build corral serves (a peer that needs another build makes its own).
 */
const FRAMEWORKS = [
  {
    name: 'next',
    title: 'Next.js',
    prefix: '/_next/static/',
    // Its page (3-11 ms) was still getting cheaper after 20 s of warm-up, both servers alike (16 ms in the first
    // round, 8.6-11 ms in the later ones, 2026-12-07); after 60 s it still does, less (5.2 to 3.1 ms, 2026-12-08).
    togetherWarmup: 60,
    peer: (dir) =>
      clusterOf({
        name: '`next start`, node:cluster 2 workers',
        dir,
        file: 'node_modules/next/dist/bin/next',
        args: (port) => ['start', '--hostname', '127.0.0.1', '--port', String(port)],
        workers: 2,
      }),
  },
  {
    name: 'nuxt',
    title: 'Nuxt',
    prefix: '/_nuxt/',
    peer: () =>
      ownCluster({
        name: 'Nitro node-cluster preset, 2 workers',
        dir: variantBuild('nuxt', NUXT_CLUSTER),
        file: '.output/server/index.mjs',
        env: { NITRO_CLUSTER_WORKERS: '2' },
      }),
  },
  {
    name: 'sveltekit',
    title: 'SvelteKit',
    prefix: '/_app/immutable/',
    peer: (dir) =>
      clusterOf({ name: 'adapter-node `node build`, node:cluster 2 workers', dir, file: 'build/index.js', workers: 2 }),
  },
  {
    name: 'astro',
    title: 'Astro',
    prefix: '/_astro/',
    peer: () =>
      clusterOf({
        name: 'Astro standalone, node:cluster 2 workers',
        dir: variantBuild('astro', ASTRO_STANDALONE),
        file: 'dist/server/entry.mjs',
        workers: 2,
      }),
  },
  {
    name: 'react-router',
    title: 'React Router',
    prefix: '/assets/',
    peer: (dir) =>
      clusterOf({
        name: '`react-router-serve`, node:cluster 2 workers',
        dir,
        file: 'node_modules/@react-router/serve/bin.js',
        args: () => ['build/server/index.js'],
        workers: 2,
      }),
  },
  {
    name: 'tanstack-start',
    title: 'TanStack Start',
    prefix: '/assets/',
    peer: (dir) =>
      fetchModuleCluster({
        name: 'server.js on @hono/node-server, node:cluster 2 workers',
        dir,
        module: 'dist/server/server.js',
        files: 'dist/client',
        immutable: '/assets/',
        workers: 2,
      }),
  },
];

/** The pages whose pair warms up longer than the others, as text for the method: `60 s for Next.js`. */
export const longerWarmups = FRAMEWORKS.filter((f) => f.togetherWarmup !== undefined)
  .map((f) => `${f.togetherWarmup} s for ${f.title}`)
  .join(', ');

/** The page (`/`) that corral serves from `server`'s build, and the first hashed asset under `prefix` it links to. */
async function pageAsset(server, prefix, cpus) {
  const port = await freePort();
  const child = server.start(port, cpus);
  child.on('error', () => {});
  try {
    await waitReady(port, '/', child, server.name);
    const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    const path = hashedAsset(html, prefix);
    if (path === undefined) return undefined;
    const asset = await fetch(`http://127.0.0.1:${port}${path}`);
    const bytes = (await asset.arrayBuffer()).byteLength;
    return asset.status === 200 ? { path, bytes } : undefined;
  } finally {
    await stopTree(child);
  }
}

/**
 * Runs each framework whose test app exists and builds: its cases alternate between corral and the framework's own
 * server; then, with `together` ({ rounds, seconds }), its page is measured once more with both servers loaded at
 * once (together.mjs), CPU time per page. Returns { rows, notes, goals, assets, together, togetherTable }: goals
 * (corral at least as fast, 1.0x) for goalTable, over rows and together, and the path of each asset case.
 */
export async function benchFrameworks({
  cpus,
  runs,
  seconds,
  warmup,
  pageWarmup = warmup,
  together: togetherTiming,
  log = (line) => process.stderr.write(`${line}\n`),
}) {
  const rows = [];
  const notes = [];
  const goals = [];
  const assets = [];
  const together = [];
  const togetherLines = [];
  for (const framework of FRAMEWORKS) {
    const { name, title, prefix } = framework;
    if (!existsSync(`${apps}${name}/package.json`)) {
      notes.push(`${title}: test/apps/${name} does not exist: skipped`);
      continue;
    }
    let dir;
    let peer;
    try {
      dir = builtApp(name);
      peer = framework.peer(dir);
    } catch (error) {
      notes.push(`${title}: skipped, its build failed: ${String(error.message).split('\n')[0]}`);
      continue;
    }
    const [corral] = corralServers({
      name: FRAMEWORK_CORRAL,
      workers: 2,
      args: [dir],
      env: { NODE_ENV: 'production' },
    });
    const page = { name: `${title}: server-rendered page /`, path: '/', warmup: pageWarmup };
    const cases = [page];
    let asset;
    try {
      asset = await pageAsset(corral, prefix, cpus.servers);
    } catch (error) {
      notes.push(`${title}: corral did not serve the page: ${error.message}`);
    }
    if (asset === undefined)
      notes.push(`${title}: no hashed asset under ${prefix} found on the page: asset case skipped`);
    else {
      cases.push({ name: `${title}: hashed asset (${describeAsset(asset.path, asset.bytes)})`, path: asset.path });
      assets.push(`${title}: ${asset.path}`);
    }
    log(`${title}: ${dir} vs ${peer.name}`);
    const result = await compare({ servers: [corral, peer], cases, cpus, runs, seconds, warmup, log });
    rows.push(...result.rows);
    notes.push(...result.notes);
    for (const c of cases)
      goals.push({
        goal: `${c.name}, vs ${peer.name}`,
        case: c.name,
        server: FRAMEWORK_CORRAL,
        peer: peer.name,
        target: 1,
      });
    if (togetherTiming === undefined) continue;
    const pair = {
      case: `${page.name}, both loaded at once`,
      servers: [corral, peer],
      warmup: framework.togetherWarmup ?? pageWarmup,
    };
    const paired = await measurePairs([pair], { cpus, warmup, ...togetherTiming, log });
    together.push(...paired.rows);
    togetherLines.push(...paired.lines);
    notes.push(...paired.notes);
    goals.push({
      goal: `${page.name}, vs ${peer.name}, server CPU per page (both loaded at once)`,
      case: pair.case,
      server: FRAMEWORK_CORRAL,
      peer: peer.name,
      target: 1,
    });
  }
  const togetherTable = togetherLines.length === 0 ? '' : `${TOGETHER_HEAD}${togetherLines.join('\n')}\n`;
  return { rows, notes, goals, assets, together, togetherTable };
}
