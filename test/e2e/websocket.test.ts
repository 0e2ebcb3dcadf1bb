// End to end, 2 workers: WebSockets through an `upgrade` export and through ws/Socket.IO attached to an exported http.Server, with sticky-sessions for Socket.IO's polling.
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { io, type Socket as IoSocket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rmSync } from 'node:fs';
import { openWebSocket } from './app-client.ts';
import { startCorral, stopAll, type Running, stopGracefully } from './harness.ts';
import { makeTestCa } from './tls-fixtures.ts';

const app = (path: string) => fileURLToPath(new URL(`../apps/${path}`, import.meta.url));

afterAll(stopAll);

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(String(data))));
}

async function stop(corral: Running): Promise<void> {
  expect(await stopGracefully(corral)).toBe(0);
}

describe('the upgrade export (ws in noServer mode)', () => {
  it('echoes text and binary frames, spreads connections over both workers, and leaves plain requests to the app', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('websocket/ws-upgrade-export.mjs'),
      '--processes',
      '2',
    ]);
    const wsUrl = corral.url.replace('http', 'ws');
    const pids = new Set<number>();
    // The workers accept from one shared socket and the kernel picks which one takes a connection: six in a row once
    // all went to the same worker (a clean-clone CI run at 19:10 UTC, 2026-12-07). At least six, until both answered.
    let opened = 0;
    for (; opened < 6 || (pids.size < 2 && opened < 40); opened++) {
      const { ws, first } = await openWebSocket(`${wsUrl}/echo`);
      pids.add((JSON.parse(first) as { pid: number }).pid);
      ws.send('hello');
      expect(await nextMessage(ws)).toBe('hello');
      const binary = new Promise<Buffer>((resolve) => ws.once('message', (data) => resolve(data as Buffer)));
      ws.send(Buffer.from([0, 1, 2, 255]));
      expect([...(await binary)]).toEqual([0, 1, 2, 255]);
      ws.close();
    }
    expect(pids.size).toBe(2);
    // The app refuses other paths itself; plain requests still reach its (req, res) handler.
    await expect(openWebSocket(`${wsUrl}/elsewhere`)).rejects.toThrow(/404/);
    expect(((await (await fetch(corral.url)).json()) as { pid: number }).pid).toBeGreaterThan(0);
    // Workers write their lines in blocks, at most 100 ms late.
    await expect
      .poll(() => corral.logs.filter((line) => line.msg === 'upgrade').length)
      .toBeGreaterThanOrEqual(opened + 1);
    await stop(corral);
  }, 20_000);

  it('on stop, runs onShutdown (which closes the sockets with 1001) and exits 0 with a socket still open', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('websocket/ws-upgrade-export.mjs'),
      '--processes',
      '2',
    ]);
    const { ws } = await openWebSocket(`${corral.url.replace('http', 'ws')}/echo`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    process.kill(corral.pid, 'SIGTERM');
    expect(await closed).toBe(1001);
    expect(await corral.exited()).toBe(0);
  }, 20_000);
});

describe('WebSockets over TLS', () => {
  it('upgrades on an https listener that also offers HTTP/2 (wss:// over an HTTP/1.1 connection)', async () => {
    const ca = makeTestCa('corral-wss-');
    const corral = await startCorral([
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--module',
      app('websocket/ws-upgrade-export.mjs'),
      '--processes',
      '2',
    ]);
    const address = (corral.logs.find((line) => line.msg === 'ready')!.addresses as string[])[0]!;
    const { ws, first } = await openWebSocket(`wss://localhost:${address.split(':')[1]}/echo`, { ca: ca.caPem });
    expect(JSON.parse(first)).toMatchObject({ hello: '/echo' });
    ws.send('over tls');
    expect(await nextMessage(ws)).toBe('over tls');
    ws.close();
    await stop(corral);
    rmSync(ca.dir, { recursive: true, force: true });
  }, 20_000);
});

describe('ws attached with new WebSocketServer({ server }) to the exported http.Server', () => {
  it('serves both WebSockets on its path and plain requests, and closes sockets the app left open when it stops', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('websocket/ws-server-option.mjs'),
      '--processes',
      '2',
    ]);
    expect(corral.logs.find((line) => line.msg === 'app loaded')?.shape).toBe('http-server');
    const { ws, first } = await openWebSocket(`${corral.url.replace('http', 'ws')}/live`);
    expect(first).toMatch(/^pid \d+$/);
    ws.send('ping');
    expect(await nextMessage(ws)).toBe('echo ping');
    expect(await (await fetch(`${corral.url}/page`)).text()).toMatch(/^http \d+\n$/);
    // This app has no onShutdown: corral ends the socket itself after the HTTP requests are done.
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    process.kill(corral.pid, 'SIGTERM');
    await closed;
    expect(await corral.exited()).toBe(0);
  }, 20_000);
});

describe.each([
  // A fetch app (Hono) with an upgrade function on its exported object.
  { module: 'websocket/hono-upgrade.mjs', shape: 'fetch', path: '/anything', echo: 'hono hi', page: 'hono' },
  // ws attached to fastify.server, beside Fastify's routes.
  {
    module: 'websocket/fastify-ws.mjs',
    shape: 'fastify',
    path: '/ws',
    echo: 'fastify hi',
    page: '{"framework":"fastify"}',
  },
])('$module ($shape app)', ({ module, shape, path, echo, page }) => {
  it('answers plain requests with the framework and WebSockets with ws', async () => {
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', app(module), '--processes', '2']);
    expect(corral.logs.find((line) => line.msg === 'app loaded')?.shape).toBe(shape);
    const ws = new WebSocket(`${corral.url.replace('http', 'ws')}${path}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send('hi');
    expect(await nextMessage(ws)).toBe(echo);
    ws.close();
    expect(await (await fetch(corral.url)).text()).toBe(page);
    await stop(corral);
  }, 20_000);
});

describe('Socket.IO under 2 workers', () => {
  /** Connects one client per local address (127.0.0.2, .3, ...), each with its own agent, and asks for an echo. */
  async function clients(url: string, transports: ('polling' | 'websocket')[], count: number) {
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const localAddress = `127.0.0.${2 + i}`;
        return new Promise<{ pid: number; echoedBy: number; transport: string }>((resolve, reject) => {
          const socket: IoSocket = io(url, {
            transports,
            reconnection: false,
            forceNew: true,
            agent: new Agent({ localAddress }) as never,
            localAddress,
          } as never);
          const timer = setTimeout(() => {
            socket.close();
            reject(new Error(`client ${localAddress} (${transports.join(',')}) got no echo`));
          }, 5000);
          socket.on('connect_error', (error) => {
            clearTimeout(timer);
            socket.close();
            reject(error);
          });
          socket.on('welcome', (welcome: { pid: number }) => {
            // Long enough for the polling-to-websocket upgrade to finish when both transports are allowed.
            setTimeout(() => {
              socket.emit('echo', localAddress, (reply: { text: string; pid: number }) => {
                clearTimeout(timer);
                expect(reply.text).toBe(localAddress);
                resolve({ pid: welcome.pid, echoedBy: reply.pid, transport: socket.io.engine.transport.name });
                socket.close();
              });
            }, 150);
          });
        });
      }),
    );
    return results;
  }

  it('with sticky-sessions: polling, websocket and polling-then-upgrade all work, spread over both workers', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('socket-io/app.mjs'),
      '--processes',
      '2',
      '--sticky-sessions',
    ]);
    for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']] as const) {
      const results = await clients(corral.url, [...transports], 6);
      // Every packet of one client reached the worker that holds its session.
      for (const result of results) expect(result.echoedBy).toBe(result.pid);
      expect(new Set(results.map((result) => result.pid)).size).toBe(2);
      expect(new Set(results.map((result) => result.transport))).toEqual(new Set([transports.at(-1)]));
    }
    expect(((await (await fetch(corral.url)).json()) as { pid: number }).pid).toBeGreaterThan(0);
    await stop(corral);
  }, 30_000);

  it('without sticky-sessions the websocket transport alone still works (each connection stays on its worker)', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('socket-io/app.mjs'),
      '--processes',
      '2',
    ]);
    const results = await clients(corral.url, ['websocket'], 4);
    for (const result of results) expect(result.echoedBy).toBe(result.pid);
    await stop(corral);
  }, 30_000);
});
