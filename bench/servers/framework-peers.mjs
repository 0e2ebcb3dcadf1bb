// The frameworks' own production servers, 2 processes each: the framework's own multi-process mode where it has one, else its server under bench/apps/serve.mjs's node:cluster primary; all on 127.0.0.1 with NODE_ENV=production.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../lib/node-binary.mjs';
import { spawnServer } from '../lib/processes.mjs';

const serve = fileURLToPath(new URL('../apps/serve.mjs', import.meta.url));

/** The environment every framework server gets: production mode, and the address most of them read. */
const serverEnv = (port) => ({ NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port) });

/** `missing` when the file the server runs is not in the build. */
const missingFile = (dir, file) => (existsSync(path.join(dir, file)) ? undefined : `${file} is not in ${dir}`);

/**
 * A server that listens by itself on $HOST:$PORT (`node FILE ...args(port)` in `dir`), run by `workers` node:cluster
 * workers under serve.mjs's primary, which share its port.
 */
export function clusterOf({ name, dir, file, args = () => [], workers }) {
  return {
    name,
    missing: missingFile(dir, file),
    start: (port, cpus) =>
      spawnServer(nodeBinary(), [serve, 'run', path.join(dir, file), ...args(port)], {
        cpus,
        cwd: dir,
        env: { ...serverEnv(port), BENCH_WORKERS: String(workers) },
      }),
  };
}

/** A server with its own multi-process mode: `node FILE` in `dir`, with `env` (which sets its process count). */
export function ownCluster({ name, dir, file, env }) {
  return {
    name,
    missing: missingFile(dir, file),
    start: (port, cpus) => spawnServer(nodeBinary(), [file], { cpus, cwd: dir, env: { ...serverEnv(port), ...env } }),
  };
}

/**
 * A fetch app with no server of its own (`module`'s default export) on @hono/node-server under node:cluster, with
 * @hono/node-server's serveStatic for `files` and a year's immutable cache under the URL prefix `immutable`.
 */
export function fetchModuleCluster({ name, dir, module, files, immutable, workers }) {
  return {
    name,
    missing: missingFile(dir, module),
    start: (port, cpus) =>
      spawnServer(nodeBinary(), [serve, 'fetch-module'], {
        cpus,
        cwd: dir,
        env: {
          ...serverEnv(port),
          BENCH_PORT: String(port),
          BENCH_WORKERS: String(workers),
          BENCH_MODULE: path.join(dir, module),
          BENCH_DIR: path.join(dir, files),
          BENCH_IMMUTABLE: immutable,
        },
      }),
  };
}
