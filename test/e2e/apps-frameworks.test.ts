// End to end, with 2 workers: what each framework's own features do through corral (Koa both ways, Fastify and its
// plugin, Hono, a fetch object): the framework answers, not corral.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAll, type Running } from './harness.ts';
import { recordDir, send, startApp, waitForRecord } from './app-client.ts';

const records = recordDir();
afterAll(() => {
  stopAll();
  rmSync(records, { recursive: true, force: true });
});

/** Starts `app` before the block's tests and stops it with SIGTERM after them, expecting a clean exit. */
function serving(app: string): { corral: Running } {
  const handle = {} as { corral: Running };
  beforeAll(async () => {
    handle.corral = await startApp(app, records);
  });
  afterAll(async () => {
    if (handle.corral.child.exitCode === null) process.kill(handle.corral.pid, 'SIGTERM');
    expect(await handle.corral.exited()).toBe(0);
    expect(handle.corral.stderr()).toBe('');
  });
  return handle;
}

describe.each(['koa/app.mjs', 'koa/callback.mjs'])('Koa 3, exported as %s', (app) => {
  const s = serving(app);

  it('answers from its middleware, with the header an outer middleware adds', async () => {
    const reply = await send(s.corral.url, '/hello?name=ada');
    expect(reply.text()).toBe('hello from koa, ada');
    expect(reply.headers['x-response-time']).toMatch(/^\d+ms$/);
  });

  it('reads a cookie with ctx.cookies, and redirects with ctx.redirect', async () => {
    expect((await send(s.corral.url, '/cookie', { headers: { cookie: 'flavour=oat' } })).json()).toEqual({
      seen: 'oat',
    });
    const moved = await send(s.corral.url, '/old');
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toBe('/hello');
  });

  it("answers ctx.throw through its error middleware, and an unknown path with Koa's 404", async () => {
    const teapot = await send(s.corral.url, '/teapot');
    expect(teapot.status).toBe(418);
    expect(teapot.json()).toEqual({ error: 'short and stout', handledBy: 'koa error middleware' });
    const missing = await send(s.corral.url, '/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.text()).toBe('Not Found');
  });
});

describe('Fastify 5, the instance itself', () => {
  const s = serving('fastify/app.mjs');

  it("serves a registered plugin's route with its decorator, under the plugin's prefix", async () => {
    expect((await send(s.corral.url, '/plugin/hello/ada')).json()).toEqual({ message: 'Howdy, ada' });
  });

  it("answers unknown routes with the plugin's setNotFoundHandler inside its prefix and the root's outside", async () => {
    const inPlugin = await send(s.corral.url, '/plugin/nope');
    expect(inPlugin.status).toBe(404);
    expect(inPlugin.json()).toEqual({ error: 'no such greeting', url: '/plugin/nope' });
    const outside = await send(s.corral.url, '/nope?x=1');
    expect(outside.status).toBe(404);
    expect(outside.json()).toEqual({ error: 'nothing here', url: '/nope?x=1' });
  });

  it('validates a JSON body against the route schema', async () => {
    const headers = { 'content-type': 'application/json' };
    const created = await send(s.corral.url, '/items', { method: 'POST', headers, body: '{"name":"spoon"}' });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ created: 'spoon' });
    const refused = await send(s.corral.url, '/items', { method: 'POST', headers, body: '{}' });
    expect(refused.status).toBe(400);
    expect(refused.json().message).toMatch(/must have required property 'name'/);
  });

  it('closes the instance (its onClose hooks) in every worker through the onShutdown export', async () => {
    const workers = s.corral.logs.filter((line) => line.msg === 'worker ready').map((line) => String(line.workerPid));
    expect(workers).toHaveLength(2);
    process.kill(s.corral.pid, 'SIGTERM');
    expect(await s.corral.exited()).toBe(0);
    const closed = readdirSync(records).filter((name) => name.startsWith('fastify-closed-'));
    expect(closed.sort()).toEqual(workers.map((pid) => `fastify-closed-${pid}`).sort());
  });
});

describe('Hono 4, export default app', () => {
  const s = serving('hono/app.mjs');

  it('routes with parameters, parses JSON, and answers HEAD without a body', async () => {
    expect((await send(s.corral.url, '/hello/ada')).text()).toBe('hello from hono, ada');
    const head = await send(s.corral.url, '/hello/ada', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const created = await send(s.corral.url, '/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"fork"}',
    });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ created: 'fork' });
  });

  it('answers an HTTPException with onError and an unknown route with notFound', async () => {
    const forbidden = await send(s.corral.url, '/forbidden');
    expect(forbidden.status).toBe(403);
    expect(forbidden.json()).toEqual({ error: 'not for you' });
    const missing = await send(s.corral.url, '/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: 'nothing here' });
  });

  it('receives a 4 MiB multipart upload through parseBody() with every byte intact', async () => {
    const file = randomBytes(4 * 1024 * 1024 + 7);
    const form = new FormData();
    form.append('note', 'scan');
    form.append('file', new Blob([file]), 'scan.bin');
    const reply = await fetch(`${s.corral.url}/upload`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(10_000),
    });
    expect(await reply.json()).toEqual({
      note: 'scan',
      name: 'scan.bin',
      size: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
    });
  });

  it('streams streamText() to an HTTP/1.1 client chunked and to an HTTP/1.0 client unchunked, up to the close', async () => {
    expect((await send(s.corral.url, '/lines')).text()).toBe('line 0\nline 1\nline 2\n');
    const { hostname, port } = new URL(s.corral.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => socket.write('GET /lines HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setTimeout(5000, () => socket.destroy(new Error('HTTP/1.0 response not closed within 5 s')));
      socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(body).toBe('line 0\nline 1\nline 2\n');
  });

  it("lets the app answer through c.env.outgoing and return @hono/node-server's RESPONSE_ALREADY_SENT", async () => {
    const reply = await send(s.corral.url, '/direct');
    expect(reply.status).toBe(200);
    expect(reply.text()).toBe('part 0\npart 1\npart 2\npart 3\npart 4\n');
  });
});

describe('a fetch object, export default { fetch }', () => {
  const s = serving('fetch/app.mjs');

  it('reads a request body as sent', async () => {
    const reply = await send(s.corral.url, '/echo/body', { method: 'POST', body: 'ünïcode body' });
    expect(reply.json().body).toBe('ünïcode body');
  });

  it('pulls a streamed body only as fast as the client reads it, and every byte arrives', async () => {
    const chunks = 512;
    const { hostname, port } = new URL(s.corral.url);
    const hash = createHash('sha256');
    let received = 0;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get({ hostname, port, path: `/big?chunks=${chunks}&id=pull`, agent: false }, (response) => {
        response.once('data', (chunk: Buffer) => {
          hash.update(chunk);
          received += chunk.length;
          response.pause();
          resolve(response);
        });
      });
      req.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(Number((await send(s.corral.url, '/record?id=big-pull')).text())).toBeLessThan(chunks / 2);
    await new Promise<void>((resolve, reject) => {
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        received += chunk.length;
      });
      res.on('end', resolve);
      res.on('error', reject);
      res.resume();
    });
    expect(received).toBe(chunks * 64 * 1024);
    const expected = createHash('sha256');
    for (let i = 0; i < chunks; i++) expected.update(Buffer.alloc(64 * 1024, i % 251));
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
  });

  it('aborts request.signal when the client leaves before the app has answered (long polling)', async () => {
    const { hostname, port } = new URL(s.corral.url);
    const req = http.get({ hostname, port, path: '/wait?id=poll', agent: false });
    req.on('error', () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    req.destroy();
    expect(await waitForRecord(s.corral.url, 'poll')).toBe('aborted: true');
  });
});
