// The hello-world peers: bare node:http (one process or a node:cluster), PM2 cluster mode, and @hono/node-server, all with the bench's own handlers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModule } from '../lib/peers.mjs';
import { nodeBinary } from '../lib/node-binary.mjs';
import { spawnServer } from '../lib/processes.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const serve = fileURLToPath(new URL('../apps/serve.mjs', import.meta.url));

/**
 * bench/apps/serve.mjs: `kind` is node (the (req, res) handler), hono (the Hono app on @hono/node-server) or
 * memory-files (the files of `dir` answered from memory: the static cases' ceiling on node:http).
 */
export function nodeServer({ name, kind, workers, dir }) {
  return {
    name,
    missing: kind.startsWith('hono') ? checkModule('@hono/node-server').missing : undefined,
    start: (port, cpus) =>
      spawnServer(nodeBinary(), [serve, kind], {
        cpus,
        env: { BENCH_PORT: String(port), BENCH_WORKERS: String(workers), ...(dir && { BENCH_DIR: dir }) },
      }),
  };
}

/**
 * pm2-runtime (PM2 in the foreground, its God process in the same pid) in cluster mode with `workers` instances of the
 * plain handler. PM2_HOME is a fresh temporary directory, so nothing is written to ~/.pm2.
 */
export function pm2Server({ name, workers }) {
  let home;
  return {
    name,
    missing: checkModule('pm2').missing,
    cleanup: () => home !== undefined && rmSync(home, { recursive: true, force: true }),
    start(port, cpus) {
      home = mkdtempSync(path.join(tmpdir(), 'corral-bench-pm2-'));
      const ecosystem = path.join(home, 'ecosystem.config.cjs');
      const app = {
        name: 'hello',
        script: serve,
        args: 'node',
        instances: workers,
        exec_mode: 'cluster',
        env: { BENCH_PORT: String(port), BENCH_WORKERS: '1' },
      };
      writeFileSync(ecosystem, `module.exports = ${JSON.stringify({ apps: [app] })};\n`);
      return spawnServer(nodeBinary(), [`${root}node_modules/pm2/bin/pm2-runtime`, 'start', ecosystem], {
        cpus,
        env: { PM2_HOME: path.join(home, 'home') },
      });
    },
  };
}
