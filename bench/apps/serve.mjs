// The peers' own servers for the hello-world cases: `node serve.mjs node|hono|hono-standard`, on 127.0.0.1:$BENCH_PORT, one process or a $BENCH_WORKERS-worker node:cluster.
import cluster from 'node:cluster';
import { createServer } from 'node:http';

const kind = process.argv[2];
const port = Number(process.env.BENCH_PORT);
const workers = Number(process.env.BENCH_WORKERS ?? 1);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  // The bench stops the primary by its pid: the workers go with it.
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else if (kind === 'hono' || kind === 'hono-standard') {
  const [{ serve }, { default: app }] = await Promise.all([import('@hono/node-server'), import('./hono.mjs')]);
  // hono-standard: keep the global Request and Response (its default swaps in lighter ones of its own).
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1', overrideGlobalObjects: kind === 'hono' });
} else {
  const { default: hello } = await import('./hello.mjs');
  createServer(hello).listen(port, '127.0.0.1');
}
