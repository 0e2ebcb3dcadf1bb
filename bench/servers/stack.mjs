// The stack corral replaces: nginx in front (static files, and proxy_pass with upstream keep-alive) of a 2-worker node:cluster running the same handler.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNginxConfig } from '../lib/nginx-config.mjs';
import { nodeBinary } from '../lib/node-binary.mjs';
import { checkCommand } from '../lib/peers.mjs';
import { spawnServer } from '../lib/processes.mjs';

const serve = fileURLToPath(new URL('../apps/serve.mjs', import.meta.url));

/**
 * nginx listens on the port; the app's node:cluster listens on a unix socket under `work` (no second port to pick),
 * both on the same CPUs. `/static/` is served by nginx from `dir`, every other path goes to the app.
 */
export function nginxStackServer({ name, dir, work }) {
  let app;
  const prefix = path.join(work, 'nginx-stack');
  const socket = path.join(work, 'app.sock');
  return {
    name,
    missing: checkCommand('nginx').missing,
    start(port, cpus) {
      rmSync(socket, { force: true });
      app = spawnServer(nodeBinary(), [serve, 'node'], {
        cpus,
        env: { BENCH_PORT: '0', BENCH_SOCKET: socket, BENCH_WORKERS: '2' },
      });
      const conf = writeNginxConfig({
        prefix,
        listen: `127.0.0.1:${port}`,
        root: dir,
        types: 'text/html html; application/octet-stream bin;',
        http: `  upstream app { server unix:${socket}; keepalive 64; }\n`,
        server:
          `    location /static/ { alias ${dir}/; }\n` +
          '    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }\n',
      });
      return spawnServer('nginx', ['-p', prefix, '-c', conf], { cpus });
    },
    // The node:cluster primary stops its workers on SIGTERM (serve.mjs).
    cleanup() {
      if (app?.pid !== undefined && app.exitCode === null) app.kill('SIGTERM');
    },
  };
}
