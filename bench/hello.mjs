// The app cases side by side: corral (plain handler, Hono, a POST JSON echo) against bare node:http, node:cluster, PM2, @hono/node-server, and nginx in front of a node:cluster.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare } from './lib/compare.mjs';
import { nodeServer, pm2Server } from './servers/app-peers.mjs';
import { corralServers } from './servers/corral.mjs';
import { nginxStackServer } from './servers/stack.mjs';

const app = (name) => fileURLToPath(new URL(`./apps/${name}`, import.meta.url));
const hello = app('hello.mjs');
const hono = app('hono.mjs');
const echo = app('hono-echo.mjs');

/** The case names, which the goal table refers to. */
export const APP_CASES = {
  one: 'hello world, 1 serving process',
  two: 'hello world, 2 workers',
  hono: 'Hono hello, 2 workers',
  echo: 'Hono POST JSON echo, 2 workers',
  stack: 'the stack corral replaces, app path, 2 workers',
};

/** Each group runs on its own (its servers alone on the machine); within a group the runs alternate. */
function groups(work) {
  return [
    {
      name: APP_CASES.one,
      servers: [
        ...corralServers({ name: 'corral, 1 worker', workers: 1, args: ['--module', hello] }),
        // Beside corral's default row, so that the two runs of the goal's ratio are next to each other in a round.
        nodeServer({ name: 'node:http, 1 process', kind: 'node', workers: 1 }),
        ...corralServers({
          name: 'corral, 1 worker, disable-logging',
          workers: 1,
          args: ['--module', hello, '--disable-logging'],
        }),
        // The cost of the stats (issue 16: goal under 3% against the first row).
        ...corralServers({
          name: 'corral, 1 worker, stats + metrics',
          workers: 1,
          args: ['--module', hello, '--stats', '127.0.0.1:0', '--metrics', 'true'],
        }),
      ],
    },
    {
      name: APP_CASES.two,
      servers: [
        ...corralServers({ name: 'corral, 2 workers', workers: 2, args: ['--module', hello] }),
        nodeServer({ name: 'node:cluster, 2 workers', kind: 'node', workers: 2 }),
        pm2Server({ name: 'PM2 cluster mode (pm2-runtime), 2 instances', workers: 2 }),
      ],
    },
    {
      name: APP_CASES.hono,
      servers: [
        ...corralServers({ name: 'corral + Hono, 2 workers', workers: 2, args: ['--module', hono] }),
        nodeServer({ name: '@hono/node-server, node:cluster 2 workers', kind: 'hono', workers: 2 }),
      ],
    },
    {
      name: APP_CASES.echo,
      path: '/echo',
      readyPath: '/',
      script: app('echo.lua'),
      servers: [
        ...corralServers({ name: 'corral + Hono echo, 2 workers', workers: 2, args: ['--module', echo] }),
        nodeServer({ name: '@hono/node-server echo, node:cluster 2 workers', kind: 'hono-echo', workers: 2 }),
      ],
    },
    {
      name: APP_CASES.stack,
      servers: [
        ...corralServers({
          name: 'corral, 2 workers, static-map /static',
          workers: 2,
          args: ['--module', hello, '--static-map', `/static=${work}/files`],
        }),
        nginxStackServer({ name: 'nginx (2 workers) -> node:cluster (2 workers)', dir: `${work}/files`, work }),
      ],
    },
  ];
}

export async function benchHello({ cpus, runs, seconds, warmup }) {
  const rows = [];
  const notes = [];
  const work = mkdtempSync(path.join(tmpdir(), 'corral-bench-apps-'));
  // nginx's workers may drop to an unprivileged user when started as root: they must reach the files and the socket.
  chmodSync(work, 0o755);
  mkdirSync(path.join(work, 'files'));
  writeFileSync(path.join(work, 'files', 'one.html'), 'x'.repeat(1024));
  try {
    for (const group of groups(work)) {
      const result = await compare({
        servers: group.servers,
        cases: [{ name: group.name, path: group.path ?? '/', readyPath: group.readyPath, script: group.script }],
        cpus,
        runs,
        seconds,
        warmup,
      });
      rows.push(...result.rows);
      notes.push(...result.notes);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { rows, notes };
}
