// Real-listener tests of the fetch adapter's Response side: headers, HEAD, streaming, backpressure, disconnects, errors.
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

describe('fetch adapter: the Response', () => {
  it('answers a GET with a text body and a Content-Length', async () => {
    current = () => new Response('hello', { headers: { 'x-app': 'yes' } });
    const reply = await request(`${served.url}/`);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('hello');
    expect(reply.headers['content-length']).toBe('5');
    expect(reply.headers['x-app']).toBe('yes');
  });

  it.each([
    [204, {}],
    [204, { 'content-length': '0' }],
    [304, { etag: '"v1"' }],
  ])('sends a %i with no Content-Length and no body (app headers %j)', async (status, headers) => {
    current = () => new Response(null, { status, headers });
    const reply = await request(`${served.url}/`);
    expect(reply.status).toBe(status);
    expect(reply.headers['content-length']).toBeUndefined();
    expect(reply.headers['transfer-encoding']).toBeUndefined();
    expect(reply.body.length).toBe(0);
  });

  it('keeps the Content-Length an app states on a 304 (the length a 200 would have had)', async () => {
    current = () => new Response(null, { status: 304, headers: { 'content-length': '42' } });
    const reply = await request(`${served.url}/`);
    expect(reply.headers['content-length']).toBe('42');
    expect(reply.body.length).toBe(0);
  });

  it('sends every Set-Cookie as its own header', async () => {
    current = () => {
      const headers = new Headers({ 'content-type': 'text/plain' });
      for (let i = 0; i < 5; i++) headers.append('set-cookie', `c${i}=v${i}; Path=/; HttpOnly`);
      return new Response('cookies', { headers });
    };
    const reply = await request(`${served.url}/`);
    expect(reply.headers['set-cookie']).toEqual([0, 1, 2, 3, 4].map((i) => `c${i}=v${i}; Path=/; HttpOnly`));
    expect(reply.headers['content-type']).toBe('text/plain');
  });

  it('sends no body for HEAD and cancels the unread one', async () => {
    const cancelled = deferred();
    current = () =>
      new Response(
        new ReadableStream({
          pull: (controller) => controller.enqueue(new TextEncoder().encode('never sent')),
          cancel: () => cancelled.resolve(),
        }),
        { headers: { 'x-head': '1' } },
      );
    const reply = await request(`${served.url}/`, { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-head']).toBe('1');
    expect(reply.body.length).toBe(0);
    await cancelled.promise;
  });

  it('sends streamed chunks before the body ends', async () => {
    const gate = deferred();
    current = () =>
      new Response(
        new ReadableStream({
          async start(controller) {
            controller.enqueue(new TextEncoder().encode('first;'));
            await gate.promise;
            controller.enqueue(new TextEncoder().encode('second'));
            controller.close();
          },
        }),
      );
    const body = await new Promise<string>((resolve) => {
      http.get(`${served.url}/stream`, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          // 'second' only exists once the client has seen 'first'.
          if (text === 'first;') gate.resolve();
        });
        res.on('end', () => resolve(text));
      });
    });
    expect(body).toBe('first;second');
  });

  it('waits for drain instead of buffering a large body for a slow client', async () => {
    const chunk = new Uint8Array(64 * 1024);
    const total = 512; // 32 MiB if nothing held the stream back
    let pulled = 0;
    current = () =>
      new Response(
        new ReadableStream(
          {
            pull(controller) {
              pulled++;
              if (pulled > total) controller.close();
              else controller.enqueue(chunk);
            },
          },
          { highWaterMark: 0 },
        ),
      );
    const received = await new Promise<{ early: number; bytes: number }>((resolve) => {
      http.get(`${served.url}/big`, (res) => {
        res.pause();
        setTimeout(() => {
          const early = pulled;
          let bytes = 0;
          res.on('data', (c: Buffer) => (bytes += c.length));
          res.on('end', () => resolve({ early, bytes }));
          res.resume();
        }, 300);
      });
    });
    expect(received.early).toBeLessThan(total / 4);
    expect(received.bytes).toBe(total * chunk.length);
  });

  it('cancels the body reader when the client disconnects mid-stream', async () => {
    const cancelled = deferred<string>();
    current = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('event: hello\n\n'));
          },
          cancel: () => cancelled.resolve('cancelled'),
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    const req = http.get(`${served.url}/events`, (res) => {
      res.once('data', () => req.destroy());
    });
    req.on('error', () => {});
    expect(await cancelled.promise).toBe('cancelled');
  });

  it('rejects (so the caller answers 500) when fetch() returns no Response', async () => {
    current = () => ({ body: 'not a response' });
    const before = served.errors.length;
    const reply = await request(`${served.url}/`);
    expect(reply.status).toBe(500);
    expect(String(served.errors[before])).toMatch(
      /fetch\(\) returned an object with keys body instead of a Response: return a Response/,
    );
  });

  it('rejects when fetch() throws, without sending anything itself', async () => {
    current = async () => {
      throw new Error('app exploded');
    };
    const before = served.errors.length;
    const reply = await request(`${served.url}/`);
    expect(reply.status).toBe(500);
    expect(reply.body.toString()).toBe('internal error');
    expect(String(served.errors[before])).toContain('app exploded');
  });
});

describe('fetch adapter: an app that answers through env.outgoing itself', () => {
  type Env = { outgoing: http.ServerResponse };

  it("leaves the answer to the app when it returns @hono/node-server's RESPONSE_ALREADY_SENT, even while it still writes", async () => {
    current = (_request, env) => {
      const { outgoing } = env as Env;
      outgoing.writeHead(200, { 'content-type': 'text/plain' });
      outgoing.write('one ');
      setTimeout(() => outgoing.end('two'), 30);
      return new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
    };
    const before = served.errors.length;
    const reply = await request(`${served.url}/`);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('one two');
    expect(served.errors.length).toBe(before);
  });

  it('also when the marker has not gone out yet: the app writes everything later', async () => {
    current = (_request, env) => {
      const { outgoing } = env as Env;
      setTimeout(() => {
        outgoing.writeHead(202);
        outgoing.end('later');
      }, 30);
      return new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
    };
    const reply = await request(`${served.url}/`);
    expect(reply.status).toBe(202);
    expect(reply.body.toString()).toBe('later');
  });

  it('keeps what the app sent itself and cancels the body of the Response it returned after that', async () => {
    const cancelled = deferred<string>();
    current = (_request, env) => {
      (env as Env).outgoing.writeHead(200).end('direct');
      const body = new ReadableStream({ cancel: () => cancelled.resolve('cancelled') });
      return new Response(body);
    };
    const before = served.errors.length;
    const reply = await request(`${served.url}/`);
    expect(reply.body.toString()).toBe('direct');
    expect(await cancelled.promise).toBe('cancelled');
    expect(served.errors.length).toBe(before);
  });
});

describe("fetch adapter: connection headers are the server's", () => {
  /** A streamed body with the headers Hono's stream(), streamText() and streamSSE() set. */
  const honoStyleStream =
    (extra: Record<string, string> = {}) =>
    () =>
      new Response(
        new ReadableStream({
          async start(controller) {
            controller.enqueue(new TextEncoder().encode('a;'));
            await new Promise((resolve) => setTimeout(resolve, 10));
            controller.enqueue(new TextEncoder().encode('b'));
            controller.close();
          },
        }),
        { headers: { 'transfer-encoding': 'chunked', connection: 'keep-alive', 'keep-alive': 'timeout=99', ...extra } },
      );

  it('never sends chunked framing to an HTTP/1.0 client, whatever Transfer-Encoding the app set', async () => {
    current = honoStyleStream();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(served.port, '127.0.0.1', () => socket.write('GET /s HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(head).not.toMatch(/timeout=99/);
    expect(body).toBe('a;b');
  });

  it("lets Node decide keep-alive: a client's Connection: close wins over the app's keep-alive", async () => {
    current = honoStyleStream();
    const reply = await request(`${served.url}/`, { headers: { connection: 'close' } });
    expect(reply.body.toString()).toBe('a;b');
    expect(reply.headers.connection).toBe('close');
    expect(reply.headers['keep-alive']).toBeUndefined();
  });

  it("honours an app's Connection: close, and gives a whole body its Content-Length despite Transfer-Encoding", async () => {
    current = () => new Response('whole', { headers: { connection: 'close', 'transfer-encoding': 'chunked' } });
    const reply = await request(`${served.url}/`, { agent: new http.Agent({ keepAlive: true }) });
    expect(reply.body.toString()).toBe('whole');
    expect(reply.headers.connection).toBe('close');
    expect(reply.headers['content-length']).toBe('5');
    expect(reply.headers['transfer-encoding']).toBeUndefined();
  });
});
