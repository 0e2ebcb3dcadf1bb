// Real-listener tests of the fetch adapter's Request side: URL, headers, streamed body, env and request.signal.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptFetch } from '../../src/app/adapters/fetch.ts';
import { deferred, request, serveFetch, type Fetch, type Served } from './serve.ts';

/** One server per test file; each test installs the fetch() it needs. */
let current: Fetch = () => new Response('unset');
let served: Served;

beforeAll(async () => {
  served = await serveFetch(adaptFetch, () => current);
});
afterAll(async () => {
  await served.close();
});

describe('fetch adapter: the Request', () => {
  it('passes status, statusText and the Node objects as env', async () => {
    let env: unknown;
    current = (_request, e) => {
      env = e;
      return new Response('teapot', { status: 418, statusText: 'Short And Stout' });
    };
    const reply = await new Promise<http.IncomingMessage>((resolve) => http.get(`${served.url}/`, resolve));
    reply.resume();
    expect(reply.statusCode).toBe(418);
    expect(reply.statusMessage).toBe('Short And Stout');
    expect(env).toMatchObject({
      incoming: expect.any(http.IncomingMessage),
      outgoing: expect.any(http.ServerResponse),
    });
  });

  it('gives an absolute URL built from the Host header', async () => {
    current = (req) => new Response(req.url);
    const reply = await request(`${served.url}/a/b?q=1`, { headers: { host: 'example.test:8080' } });
    expect(reply.body.toString()).toBe('http://example.test:8080/a/b?q=1');
  });

  it('falls back to the local address without a Host header (HTTP/1.0)', async () => {
    current = (req) => new Response(req.url);
    const socket = net.connect(served.port, '127.0.0.1');
    socket.end('GET /no-host HTTP/1.0\r\n\r\n');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(socket, 'close');
    expect(Buffer.concat(chunks).toString()).toContain(`http://127.0.0.1:${served.port}/no-host`);
  });

  it('keeps repeated request headers', async () => {
    current = (req) => new Response(`${req.headers.get('x-multi')}|${req.method}`);
    const reply = await request(`${served.url}/`, { headers: { 'x-multi': ['one', 'two'] } });
    expect(reply.body.toString()).toBe('one, two|GET');
  });

  it('gives a null body to a POST without one, and ends a null-body response', async () => {
    current = (req) => new Response(req.body === null ? null : 'had body', { status: 202 });
    const reply = await request(`${served.url}/`, { method: 'POST', headers: { 'content-length': '0' } });
    expect(reply.status).toBe(202);
    expect(reply.body.length).toBe(0);
  });

  it('streams a 2 MiB POST body back while it is still being uploaded', async () => {
    current = (req) => new Response(req.body, { headers: { 'content-type': 'application/octet-stream' } });
    const payload = randomBytes(2 * 1024 * 1024);
    const half = payload.length / 2;
    const received = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(`${served.url}/echo`, { method: 'POST' }, (res) => {
        // The response began before the upload ended: the body flows both ways at once.
        req.end(payload.subarray(half));
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      });
      req.on('error', reject);
      req.write(payload.subarray(0, half));
    });
    expect(received.length).toBe(payload.length);
    expect(createHash('sha256').update(received).digest('hex')).toBe(
      createHash('sha256').update(payload).digest('hex'),
    );
  });

  it("aborts request.signal (and a clone's) when the client disconnects before the response", async () => {
    const sawAbort = deferred<string>();
    const cloneAborted = deferred<string>();
    current = (req) =>
      new Promise<Response>(() => {
        req.signal.addEventListener('abort', () => sawAbort.resolve('abort'));
        req.clone().signal.addEventListener('abort', () => cloneAborted.resolve('abort'));
      });
    const req = http.get(`${served.url}/slow`);
    req.on('error', () => {});
    setTimeout(() => req.destroy(), 100);
    expect(await sawAbort.promise).toBe('abort');
    expect(await cloneAborted.promise).toBe('abort');
  });

  it('gives an already aborted signal when first asked after the client left', async () => {
    const aborted = deferred<boolean>();
    current = (req) =>
      new Promise<Response>(() => {
        setTimeout(() => aborted.resolve(req.signal.aborted), 300);
      });
    const req = http.get(`${served.url}/late`);
    req.on('error', () => {});
    setTimeout(() => req.destroy(), 50);
    expect(await aborted.promise).toBe(true);
  });

  it.each([
    ['TRACE', '/', 501, 'Not Implemented\n'],
    ['GET', 'http://[bad/', 400, 'Bad Request\n'],
  ])(
    'answers %s %s that no Request can describe with %i, without calling the app or failing',
    async (method, path, status, text) => {
      let called = false;
      current = () => {
        called = true;
        return new Response('app');
      };
      const before = served.errors.length;
      const reply = await request(served.url, { method, path });
      expect(reply.status).toBe(status);
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(reply.body.toString()).toBe(text);
      expect(called).toBe(false);
      expect(served.errors.length).toBe(before);
    },
  );

  it('does not abort request.signal after a completed response', async () => {
    let signal: AbortSignal | undefined;
    current = (req) => {
      signal = req.signal;
      return new Response('done');
    };
    await request(`${served.url}/`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(signal?.aborted).toBe(false);
  });
});
