// End to end: an Express 5 app (test/apps/express) as its guide writes one, through corral with 2 workers and a static-map beside it.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAll, type Running } from './harness.ts';
import { appFile, recordDir, send, startApp } from './app-client.ts';

const records = recordDir();
let corral: Running;

beforeAll(async () => {
  corral = await startApp('express/app.mjs', records, ['--static-map', `/static=${appFile('express/static')}`]);
});
afterAll(async () => {
  try {
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    expect(corral.stderr()).toBe('');
  } finally {
    stopAll();
    rmSync(records, { recursive: true, force: true });
  }
});

describe('routing and bodies', () => {
  it('routes with parameters and query strings', async () => {
    const reply = await send(corral.url, '/users/42?sort=name');
    expect(reply.json()).toEqual({ id: '42', sort: 'name' });
  });

  it('parses a JSON body with express.json()', async () => {
    const item = { items: ['a', 'b', 'c'], nested: { ok: true } };
    const reply = await send(corral.url, '/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(item),
    });
    expect(reply.status).toBe(201);
    expect(reply.json()).toEqual({ received: item, count: 3 });
  });

  it("answers an unknown route with Express's own 404", async () => {
    const reply = await send(corral.url, '/nowhere');
    expect(reply.status).toBe(404);
    expect(reply.text()).toContain('Cannot GET /nowhere');
  });
});

describe('static files', () => {
  it("serves express.static under /assets and corral's static-map under /static, each from its own directory", async () => {
    const fromExpress = await send(corral.url, '/assets/hello.txt');
    expect(fromExpress.status).toBe(200);
    expect(fromExpress.text()).toBe('served by express.static\n');
    const fromCorral = await send(corral.url, '/static/hello.txt');
    expect(fromCorral.status).toBe(200);
    expect(fromCorral.text()).toBe("served by corral's static-map\n");
    // corral's static answers never pass through Express (no X-Powered-By), Express's do.
    expect(fromCorral.headers['x-powered-by']).toBeUndefined();
    expect(fromExpress.headers['x-powered-by']).toBe('Express');
  });

  it('lets a file express.static does not have fall through to the next route (here the 404)', async () => {
    expect((await send(corral.url, '/assets/missing.txt')).status).toBe(404);
  });
});

describe('cookies and redirects', () => {
  it('sets two cookies (one signed) and reads them back with cookie-parser', async () => {
    const set = await send(corral.url, '/cookies/set');
    const cookies = set.headers['set-cookie'] ?? [];
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^theme=dark; Path=\/; HttpOnly$/);
    expect(cookies[1]).toMatch(/^user=s%3Aada\.[^;]+; Path=\/$/);
    const cookieHeader = cookies.map((cookie) => cookie.split(';')[0]).join('; ');
    const read = await send(corral.url, '/cookies/read', { headers: { cookie: cookieHeader } });
    expect(read.json()).toEqual({ cookies: { theme: 'dark' }, signed: { user: 'ada' } });
  });

  it('redirects with the status and Location the app chose', async () => {
    const moved = await send(corral.url, '/old');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/new');
    const found = await send(corral.url, '/login');
    expect(found.status).toBe(302);
    expect(found.headers.location).toBe('/users/me');
  });
});

describe('errors', () => {
  it("answers a thrown error with the app's four-argument error handler, not corral's 500", async () => {
    const reply = await send(corral.url, '/boom');
    expect(reply.status).toBe(500);
    expect(reply.json()).toEqual({ error: 'thrown in a route', handledBy: 'express error handler' });
    expect(reply.headers['x-request-id']).toBeUndefined();
  });

  it('answers a rejected async route with the status the error carries', async () => {
    const reply = await send(corral.url, '/boom-async');
    expect(reply.status).toBe(422);
    expect(reply.json()).toEqual({ error: 'rejected in an async route', handledBy: 'express error handler' });
  });
});

describe('large bodies', () => {
  it('streams 32 MiB with backpressure: the app stops writing while the client does not read, and every byte arrives', async () => {
    const chunks = 512;
    const { hostname, port } = new URL(corral.url);
    const hash = createHash('sha256');
    let received = 0;
    const paused = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get({ hostname, port, path: `/big?chunks=${chunks}&id=pause`, agent: false }, (res) => {
        res.once('data', (chunk: Buffer) => {
          hash.update(chunk);
          received += chunk.length;
          res.pause();
          resolve(res);
        });
      });
      req.on('error', reject);
    });
    // While the client reads nothing, the app waits for 'drain' far short of the end.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = JSON.parse((await send(corral.url, '/record?id=big-pause')).text()) as {
      written: number;
      done: boolean;
    };
    expect(during.done).toBe(false);
    expect(during.written).toBeLessThan(chunks / 2);
    await new Promise<void>((resolve, reject) => {
      paused.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        received += chunk.length;
      });
      paused.on('end', resolve);
      paused.on('error', reject);
      paused.resume();
    });
    expect(received).toBe(chunks * 64 * 1024);
    expect(hash.digest('hex')).toBe(expectedBigHash(chunks));
    const after = JSON.parse((await send(corral.url, '/record?id=big-pause')).text()) as {
      waits: number;
      done: boolean;
    };
    expect(after.done).toBe(true);
    expect(after.waits).toBeGreaterThan(0);
  });

  it('receives a 5 MiB multipart upload through multer with every byte intact', async () => {
    const file = randomBytes(5 * 1024 * 1024 + 123);
    const form = new FormData();
    form.append('note', 'holiday photos');
    form.append('file', new Blob([file]), 'photo.bin');
    const reply = await fetch(`${corral.url}/upload`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(10_000),
    });
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({
      field: 'holiday photos',
      name: 'photo.bin',
      size: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
    });
  });
});

/** The sha256 of what /big sends: chunk i is 64 KiB of the byte i % 251 (see test/apps/express/app.mjs). */
function expectedBigHash(chunks: number): string {
  const hash = createHash('sha256');
  for (let i = 0; i < chunks; i++) hash.update(Buffer.alloc(64 * 1024, i % 251));
  return hash.digest('hex');
}
