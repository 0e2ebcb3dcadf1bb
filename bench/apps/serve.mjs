// The peers' own servers for the app cases: `node serve.mjs node|hono|hono-standard|hono-echo|memory-files|fetch-module`, on 127.0.0.1:$BENCH_PORT (or the unix socket $BENCH_SOCKET), one process or a $BENCH_WORKERS-worker node:cluster; `node serve.mjs run FILE [ARG...]`: a node:cluster whose workers run FILE (a server that listens by itself).
import cluster from 'node:cluster';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const kind = process.argv[2];
const port = Number(process.env.BENCH_PORT);
/** A unix socket path instead of the port: the nginx-in-front stack proxies to it. */
const socket = process.env.BENCH_SOCKET;
const workers = Number(process.env.BENCH_WORKERS ?? 1);

if (workers > 1 && cluster.isPrimary) {
  // `run`: each worker runs the file (a framework's own production server) instead of this one; they share its port.
  if (kind === 'run') cluster.setupPrimary({ exec: process.argv[3], args: process.argv.slice(4) });
  for (let i = 0; i < workers; i++) cluster.fork();
  // The bench stops the primary by its pid: the workers go with it.
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
} else if (kind === 'hono' || kind === 'hono-standard' || kind === 'hono-echo') {
  const [{ serve }, { default: app }] = await Promise.all([
    import('@hono/node-server'),
    import(kind === 'hono-echo' ? './hono-echo.mjs' : './hono.mjs'),
  ]);
  // hono-standard: keep the global Request and Response (its default swaps in lighter ones of its own).
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1', overrideGlobalObjects: kind !== 'hono-standard' });
} else if (kind === 'fetch-module') {
  // A fetch app with no server of its own ($BENCH_MODULE's default export, e.g. TanStack Start's dist/server/server.js)
  // on @hono/node-server, after @hono/node-server's serveStatic for the files of $BENCH_DIR; files under $BENCH_IMMUTABLE
  // (a URL prefix) get a year's immutable cache, as the framework's hashed assets do from corral.
  const [{ serve }, { serveStatic }, { Hono }, { default: entry }] = await Promise.all([
    import('@hono/node-server'),
    import('@hono/node-server/serve-static'),
    import('hono'),
    import(pathToFileURL(process.env.BENCH_MODULE).href),
  ]);
  const immutable = process.env.BENCH_IMMUTABLE;
  const app = new Hono();
  app.use(
    serveStatic({
      root: process.env.BENCH_DIR,
      onFound: (_path, c) => {
        if (immutable !== undefined && c.req.path.startsWith(immutable))
          c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.all('*', (c) => entry.fetch(c.req.raw));
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
} else if (kind === 'memory-files') {
  // The static cases' ceiling on node:http: every file of $BENCH_DIR read into memory at start, answered with the
  // headers corral sends (304 on a matching If-None-Match), no file system, cache or path check per request.
  const dir = process.env.BENCH_DIR;
  const files = new Map();
  for (const name of readdirSync(dir)) {
    const body = readFileSync(join(dir, name));
    // From the file's size and time, as corral's: every worker of the cluster must give the same ETag.
    const { mtime } = statSync(join(dir, name));
    const etag = `"${body.length.toString(16)}-${mtime.getTime().toString(16)}"`;
    const common = ['ETag', etag, 'Last-Modified', mtime.toUTCString(), 'Cache-Control', 'no-cache'];
    const type = name.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream';
    const headers = ['Content-Type', type, 'Content-Length', String(body.length), 'Accept-Ranges', 'bytes', ...common];
    files.set(`/${name}`, { body, etag, headers, common });
  }
  createServer((req, res) => {
    const file = files.get(req.url);
    if (file === undefined) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === file.etag) return void res.writeHead(304, file.common).end();
    res.writeHead(200, file.headers).end(file.body);
  }).listen(port, '127.0.0.1');
} else {
  const { default: hello } = await import('./hello.mjs');
  const server = createServer(hello);
  // nginx's workers run as an unprivileged user: they must be allowed to connect.
  if (socket !== undefined) server.listen(socket, () => chmodSync(socket, 0o777));
  else server.listen(port, '127.0.0.1');
}
