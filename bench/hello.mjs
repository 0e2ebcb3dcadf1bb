// Hello world side by side: corral (plain handler and Hono) against bare node:http, node:cluster, PM2 and @hono/node-server, with issue 6's two ratios.
import { fileURLToPath } from 'node:url';
import { compare } from './lib/compare.mjs';
import { formatRatio } from './lib/stats.mjs';
import { rateOf } from './lib/table.mjs';
import { corralServer } from './servers/corral.mjs';
import { nodeServer, pm2Server } from './servers/app-peers.mjs';

const hello = fileURLToPath(new URL('./apps/hello.mjs', import.meta.url));
const hono = fileURLToPath(new URL('./apps/hono.mjs', import.meta.url));

/** Each group runs on its own (its servers alone on the machine); within a group the runs alternate. */
const GROUPS = [
  {
    name: 'hello world, 1 serving process',
    servers: [
      corralServer({ name: 'corral, 1 worker', workers: 1, args: ['--module', hello] }),
      corralServer({
        name: 'corral, 1 worker, disable-logging',
        workers: 1,
        args: ['--module', hello, '--disable-logging'],
      }),
      nodeServer({ name: 'node:http, 1 process', kind: 'node', workers: 1 }),
    ],
  },
  {
    name: 'hello world, 2 workers',
    servers: [
      corralServer({ name: 'corral, 2 workers', workers: 2, args: ['--module', hello] }),
      corralServer({
        name: 'corral, 2 workers, disable-logging',
        workers: 2,
        args: ['--module', hello, '--disable-logging'],
      }),
      nodeServer({ name: 'node:cluster, 2 workers', kind: 'node', workers: 2 }),
      pm2Server({ name: 'PM2 cluster mode (pm2-runtime), 2 instances', workers: 2 }),
    ],
  },
  {
    name: 'fetch style (Hono), 1 serving process',
    servers: [
      corralServer({ name: 'corral + Hono, 1 worker', workers: 1, args: ['--module', hono] }),
      corralServer({
        name: 'corral + Hono, 1 worker, disable-logging',
        workers: 1,
        args: ['--module', hono, '--disable-logging'],
      }),
      nodeServer({ name: '@hono/node-server, 1 process', kind: 'hono', workers: 1 }),
      // Its default replaces the global Request and Response with lighter ones; this row keeps the standard ones, as corral does.
      nodeServer({
        name: '@hono/node-server, 1 process, standard Request/Response',
        kind: 'hono-standard',
        workers: 1,
      }),
    ],
  },
  {
    name: 'fetch style (Hono), 2 workers',
    servers: [
      corralServer({ name: 'corral + Hono, 2 workers', workers: 2, args: ['--module', hono] }),
      nodeServer({ name: '@hono/node-server, node:cluster 2 workers', kind: 'hono', workers: 2 }),
    ],
  },
];

export async function benchHello({ cpus, runs, seconds, warmup }) {
  const rows = [];
  const notes = [];
  for (const group of GROUPS) {
    const result = await compare({
      servers: group.servers,
      cases: [{ name: group.name, path: '/' }],
      cpus,
      runs,
      seconds,
      warmup,
    });
    rows.push(...result.rows);
    notes.push(...result.notes);
  }
  return { rows, notes };
}

/** Issue 6: corral + Hono at least 1.00x @hono/node-server, corral's plain handler within 3% (0.97x) of bare node. */
export function issue6Ratios(rows) {
  const [one, two, fetchOne, fetchTwo] = GROUPS.map((group) => group.name);
  return [
    `- fetch adapter, corral + Hono ÷ @hono/node-server: 1 worker ${formatRatio(rateOf(rows, fetchOne, 'corral + Hono, 1 worker'), rateOf(rows, fetchOne, '@hono/node-server, 1 process'), 1)}; ` +
      `2 workers ${formatRatio(rateOf(rows, fetchTwo, 'corral + Hono, 2 workers'), rateOf(rows, fetchTwo, '@hono/node-server, node:cluster 2 workers'), 1)}`,
    `- plain (req, res) handler, corral ÷ bare node: 2 workers vs node:cluster ${formatRatio(rateOf(rows, two, 'corral, 2 workers'), rateOf(rows, two, 'node:cluster, 2 workers'), 0.97)}; ` +
      `1 worker vs node:http ${formatRatio(rateOf(rows, one, 'corral, 1 worker'), rateOf(rows, one, 'node:http, 1 process'), 0.97)}`,
    `- fetch adapter with both on standard Request/Response objects (@hono/node-server with overrideGlobalObjects: false) and no access log: 1 worker ` +
      `${formatRatio(rateOf(rows, fetchOne, 'corral + Hono, 1 worker, disable-logging'), rateOf(rows, fetchOne, '@hono/node-server, 1 process, standard Request/Response'), 1)}`,
    `- plain handler without the access log (disable-logging): 2 workers vs node:cluster ${formatRatio(rateOf(rows, two, 'corral, 2 workers, disable-logging'), rateOf(rows, two, 'node:cluster, 2 workers'), 0.97)}; ` +
      `1 worker vs node:http ${formatRatio(rateOf(rows, one, 'corral, 1 worker, disable-logging'), rateOf(rows, one, 'node:http, 1 process'), 0.97)}`,
  ].join('\n');
}
