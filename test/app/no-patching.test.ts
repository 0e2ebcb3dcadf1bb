// A guard for issue 6: serving through every adapter leaves Node's req/res prototypes as they were; only the fetch adapter replaces globals, and only Request, Response and fetch.
import http from 'node:http';
import { afterAll, expect, it } from 'vitest';
import { adaptApp } from '../../src/app/detect-shape.ts';
import { request, serve, type Served } from './serve.ts';

type Snapshot = Map<PropertyKey, unknown[]>;

/** Every own property of `target` with what defines it (value, getter, setter), compared by identity. */
function snapshot(target: object): Snapshot {
  const out: Snapshot = new Map();
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key)!;
    out.set(key, [d.value, d.get, d.set, d.writable, d.enumerable, d.configurable]);
  }
  return out;
}

const TARGETS = {
  'IncomingMessage.prototype': http.IncomingMessage.prototype,
  'ServerResponse.prototype': http.ServerResponse.prototype,
  'OutgoingMessage.prototype': http.OutgoingMessage.prototype,
  'Server.prototype': http.Server.prototype,
};
const GLOBALS = ['Request', 'Response', 'Headers', 'ReadableStream', 'fetch'] as const;

const servers: Served[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

it('serving through every adapter patches no prototype of node:http; the Node shapes replace no fetch global', async () => {
  const before = Object.fromEntries(Object.entries(TARGETS).map(([name, target]) => [name, snapshot(target)]));
  const globalsBefore = GLOBALS.map((name) => globalThis[name]);

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => res.end(`${req.method} ${req.url}`);
  const apps: unknown[] = [
    listener,
    http.createServer(listener),
    { callback: () => listener },
    { ready: async () => {}, routing: listener, server: {} },
  ];
  for (const app of apps) await serveOnce(app);
  expect(GLOBALS.map((name) => globalThis[name])).toEqual(globalsBefore);

  // The fetch adapter puts its light Request and Response in place (fetch-globals.ts), and nothing else.
  await serveOnce({
    fetch: async (request: Request) =>
      new Response(`${request.method} ${new URL(request.url).pathname}`, {
        headers: { 'transfer-encoding': 'chunked' },
      }),
  });
  const replaced = GLOBALS.filter((name, i) => globalThis[name] !== globalsBefore[i]);
  expect(replaced).toEqual(['Request', 'Response', 'fetch']);

  for (const [name, target] of Object.entries(TARGETS)) expect(snapshot(target), name).toEqual(before[name]);
});

async function serveOnce(app: unknown): Promise<void> {
  const { handler } = await adaptApp(app, '/srv/app.mjs');
  const s = await serve(handler);
  servers.push(s);
  expect((await request(`${s.url}/x`, { method: 'POST' }, 'body')).body.toString()).toBe('POST /x');
}
