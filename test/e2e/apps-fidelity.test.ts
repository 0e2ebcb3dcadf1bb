// End to end, for every handler shape through a real app with 2 workers: the request arrives as the client sent it, and a
// server-sent event stream reaches the client as it is written while the app sees the client leave.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAll, type Running } from './harness.ts';
import { openEventStream, recordDir, send, startApp, waitForRecord } from './app-client.ts';

const records = recordDir();
afterAll(() => {
  stopAll();
  rmSync(records, { recursive: true, force: true });
});

/** Each app, the shape corral should see in it, and whether it gets a WHATWG Request (request.url) or Node's req (req.url). */
const APPS = [
  { app: 'plain/app.mjs', shape: 'node-listener', fetchStyle: false },
  { app: 'express/app.mjs', shape: 'node-listener', fetchStyle: false },
  { app: 'koa/app.mjs', shape: 'koa', fetchStyle: false },
  { app: 'koa/callback.mjs', shape: 'node-listener', fetchStyle: false },
  { app: 'fastify/app.mjs', shape: 'fastify', fetchStyle: false },
  { app: 'http-server/app.mjs', shape: 'http-server', fetchStyle: false },
  { app: 'hono/app.mjs', shape: 'fetch', fetchStyle: true },
  { app: 'fetch/app.mjs', shape: 'fetch', fetchStyle: true },
] as const;

const TARGET = '/echo/a%2Fb?x=1&x=2&y=%20';
const HOST = 'app.example:8080';

describe.each(APPS)('$app', ({ app, shape, fetchStyle }) => {
  let corral: Running;
  beforeAll(async () => {
    corral = await startApp(app, records);
  });
  afterAll(async () => {
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    expect(corral.stderr()).toBe('');
    expect(corral.logs.filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([]);
  });

  it(`is loaded as ${shape} by both workers`, () => {
    const loaded = corral.logs.filter((line) => line.msg === 'worker ready');
    expect(loaded.map((line) => line.shape)).toEqual([shape, shape]);
  });

  it.each(['PATCH', 'DELETE', 'PUT', 'GET'])(
    'sees a %s with its raw target, repeated headers, Host and client address',
    async (method) => {
      const reply = await send(corral.url, TARGET, { method, headers: { host: HOST, 'x-multi': ['a', 'b'] } });
      expect(reply.status).toBe(200);
      const seen = reply.json();
      expect(seen.method).toBe(method);
      if (fetchStyle) expect(seen.requestUrl).toBe(`http://${HOST}${TARGET}`);
      else expect(seen.url).toBe(TARGET);
      expect(seen.multi).toBe('a, b');
      expect(seen.host).toBe(HOST);
      expect(seen.remote).toBe('127.0.0.1');
      // Both cookies the app set arrive as two Set-Cookie headers.
      expect(reply.headers['set-cookie']?.map((cookie) => cookie.toLowerCase())).toEqual([
        'a=1; path=/',
        'b=2; path=/',
      ]);
    },
  );

  it.each(['/echo/%7Euser/a;b,c/%C3%A9/..%2F?q=a+b&r=%2B&s&', '/echo//double//slash?'])(
    'keeps the target %s as sent',
    async (target) => {
      const seen = (await send(corral.url, target, { headers: { host: HOST } })).json();
      if (fetchStyle) expect(seen.requestUrl).toBe(`http://${HOST}${target}`);
      else expect(seen.url).toBe(target);
    },
  );

  it('streams a server-sent event while the response stays open, and the app sees the client leave', async () => {
    const id = `${shape}-${app.replace(/\W/g, '-')}`;
    const stream = await openEventStream(corral.url, `/sse?id=${id}`);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.first).toBe('data: first\n\n');
    // The app holds the response open for 15 s; the event came long before.
    expect(stream.stillOpen).toBe(true);
    expect(stream.ms).toBeLessThan(5000);
    stream.leave();
    expect(await waitForRecord(corral.url, id)).toBe('client left');
  });
});
