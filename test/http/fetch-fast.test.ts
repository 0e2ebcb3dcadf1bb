// A fetch app on the fast path, against a real front end on 127.0.0.1 port 0: node:http's bytes for a whole answer, everything else handed to node:http with the app called once, env's Node objects, pipelining, the access line, static mounts and TLS.
import { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptFetch } from '../../src/app/adapters/fetch.ts';
import { clientShield } from '../../src/http/client-shield.ts';
import { startFrontEnd, type FrontEnd } from '../../src/http/front-end.ts';
import { createPipeline } from '../../src/http/pipeline.ts';
import { createStaticHandler } from '../../src/static/handler.ts';
import { makeTestCa, type TestCa } from '../e2e/tls-fixtures.ts';
import { answers, testLimits, testListeners, until, wireClient, withoutDate } from './wire-client.ts';

const limits = testLimits({ headerTimeoutMs: 2000, keepAliveTimeoutMs: 5000, sendTimeoutMs: 2000 });

let dir: string;
let frontEnd: FrontEnd;
let port = 0;
let tlsPort = 0;
let ca: TestCa;
const lines: Record<string, unknown>[] = [];
const errors: unknown[] = [];
/** How many times the app's fetch() ran, by path; and how many requests its fast side was asked. */
const calls = new Map<string, number>();
const took = { wire: 0 };
/** What the app saw of `env` and of the Request on its last call to /env and /request. */
const seen: Record<string, unknown> = {};

/** The app: each path answers a shape the fast path writes itself, or one it hands to node:http. */
function app(request: Request, env: { incoming?: IncomingMessage; outgoing?: ServerResponse }): unknown {
  const url = new URL(request.url);
  calls.set(url.pathname, (calls.get(url.pathname) ?? 0) + 1);
  switch (url.pathname) {
    case '/text':
      return new Response(`hello ${request.method} ${request.headers.get('host')}\n`);
    case '/unicode':
      return new Response('héllo wörld ✓\n');
    case '/json':
      return Response.json({ a: 1 }, { headers: { 'set-cookie': 'a=1', 'x-one': 'one' } });
    case '/headers': {
      const headers = new Headers({ 'x-b': '2', 'content-type': 'text/csv' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response('a,b\n', { status: 201, statusText: 'Made Here', headers });
    }
    case '/bytes':
      return new Response(new Uint8Array([1, 2, 3, 250]), { headers: { 'content-type': 'application/octet-stream' } });
    case '/empty':
      return new Response(null, { status: 202 });
    case '/missing':
      return new Response('no such page\n', { status: 404 });
    case '/async':
      return Promise.resolve(new Response('later\n'));
    case '/async-chain':
      // Settles after a few turns of the microtask queue, as an app with async middleware does: no I/O.
      return (async () => {
        await null;
        await Promise.resolve();
        return new Response('chained\n', { headers: { 'x-chain': 'yes' } });
      })();
    case '/io':
      return new Promise((resolve) => setTimeout(() => resolve(new Response('after a timer\n')), 20));
    case '/io-reject':
      return new Promise((_, reject) => setTimeout(() => reject(new Error('the app broke later')), 20));
    case '/env-later':
      return (async () => {
        await null;
        return new Response(`env later ${env.incoming instanceof IncomingMessage}\n`);
      })();
    case '/echo':
      return request.json().then((body) => Response.json({ body, type: request.headers.get('content-type') }));
    case '/echo-text':
      return (async () => {
        const text = await request.text();
        return new Response(`${request.method} ${text.length} ${text} used ${request.bodyUsed}\n`);
      })();
    case '/echo-form':
      return request.formData().then((form) => new Response(`form ${form.get('a')} ${form.get('b')}\n`));
    case '/echo-stream':
      return (async () => {
        const copy = request.clone();
        let streamed = 0;
        for await (const chunk of request.body ?? []) streamed += (chunk as Uint8Array).byteLength;
        return new Response(`streamed ${streamed}, copy ${await copy.text()}\n`);
      })();
    case '/wait': {
      // Waits for the client to leave: the Request's signal aborts.
      const signal = request.signal;
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(new Response('nobody left\n')), 3000);
        signal.addEventListener('abort', () => {
          seen.waitAborted = true;
          clearTimeout(timer);
          resolve(new Response('gone\n'));
        });
      });
    }
    case '/stream':
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('one '));
            controller.enqueue(new TextEncoder().encode('two\n'));
            controller.close();
          },
        }),
      );
    case '/throw':
      throw new Error('the app broke');
    case '/close':
      return new Response('bye\n', { headers: { connection: 'close' } });
    case '/no-content':
      return new Response(null, { status: 204 });
    case '/latin1':
      return new Response('x', { headers: { 'x-name': 'caf\u00e9' } });
    case '/env': {
      const incoming = env.incoming;
      seen.incoming = incoming instanceof IncomingMessage;
      seen.outgoing = env.outgoing instanceof ServerResponse;
      seen.remote = incoming?.socket.remoteAddress;
      return new Response(`env ${incoming?.url}\n`);
    }
    case '/outgoing': {
      // @hono/node-server's escape hatch: the app answers through Node's response and marks what it returns.
      env.outgoing?.writeHead(200, { 'content-type': 'text/plain' });
      env.outgoing?.end('written by the app\n');
      return new Response(null, { headers: { 'x-hono-already-sent': 'true' } });
    }
    case '/request': {
      seen.isRequest = request instanceof Request;
      seen.copy = new Request(request).url;
      seen.aborted = request.signal.aborted;
      seen.bodyUsed = request.bodyUsed;
      seen.body = request.body;
      return new Response('ok\n');
    }
    default:
      return new Response(`app ${url.pathname}\n`);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'corral-fetch-fast-'));
  writeFileSync(path.join(dir, 'file.txt'), 'a static file\n');
  const handler = adaptFetch({ fetch: app as (request: Request, env?: unknown) => unknown });
  const wire = handler.wire;
  if (wire === undefined) throw new Error('the fetch adapter has no fast side');
  handler.wire = (socket, head, handOver) => {
    took.wire++;
    return wire(socket, head, handOver);
  };
  ca = makeTestCa();
  const log = pino({ enabled: false });
  log.error = ((fields: { err?: unknown }) => void errors.push(fields.err)) as typeof log.error;
  frontEnd = await startFrontEnd(
    testListeners(ca),
    (isDraining) =>
      createPipeline({
        log,
        lines: { writeLine: (line: string) => lines.push(JSON.parse(line)), bindingsJson: '' },
        idPrefix: 'w1',
        serveStatic: createStaticHandler([{ prefix: '/static', dir }]),
        app: handler,
        isDraining,
        limitPost: 1000,
      }),
    { shield: clientShield(limits, { refused: () => {} }, () => false) },
  );
  port = Number(frontEnd.addresses[0]?.split(':').pop());
  tlsPort = Number(frontEnd.addresses[1]?.split(':').pop());
}, 20_000);

afterAll(async () => {
  await frontEnd?.drain();
  rmSync(dir, { recursive: true, force: true });
  rmSync(ca.dir, { recursive: true, force: true });
});

const GET = (target: string, method = 'GET') => `${method} ${target} HTTP/1.1\r\nHost: x\r\n\r\n`;

const { exchange, open } = wireClient(() => ({ port, tlsPort, caPem: ca.caPem }));

describe('a fetch app on the fast path', () => {
  it('answers a whole Response with the bytes node:http sends for the same answer', async () => {
    for (const target of ['/text', '/unicode', '/json', '/headers', '/bytes', '/empty', '/missing', '/text?q=1']) {
      for (const method of ['GET', 'HEAD']) {
        const before = took.wire;
        const [fast] = await exchange(GET(target, method), { head: method === 'HEAD' });
        expect(took.wire, target).toBe(before + 1);
        const [slow] = await exchange(GET(target, method), { split: true, head: method === 'HEAD' });
        expect(took.wire, target).toBe(before + 1);
        expect(fast, `${method} ${target}`).toMatch(/^HTTP\/1\.1 \d{3} /);
        expect(withoutDate(fast), `${method} ${target}`).toBe(withoutDate(slow));
      }
    }
  });

  it('hands any other outcome to node:http with the app called once: a stream, a throw, a Connection field, a 204, text node:http encodes', async () => {
    const cases: [string, RegExp][] = [
      ['/stream', /^HTTP\/1\.1 200 OK\r\n[\s\S]*transfer-encoding: chunked\r\n[\s\S]*one [\s\S]*two\n/i],
      ['/throw', /^HTTP\/1\.1 500 Internal Server Error\r\n[\s\S]*request id w1-/],
      ['/close', /^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: close\r\n[\s\S]*bye\n$/],
      ['/no-content', /^HTTP\/1\.1 204 No Content\r\n/],
      ['/latin1', /^HTTP\/1\.1 200 OK\r\n[\s\S]*x-name: caf/],
    ];
    for (const [target, answer] of cases) {
      const before = { wire: took.wire, calls: calls.get(target) ?? 0, errors: errors.length };
      const [fast] = await exchange(GET(target));
      expect(fast, target).toMatch(answer);
      expect(took.wire, target).toBe(before.wire + 1);
      expect(calls.get(target), target).toBe(before.calls + 1);
      expect(errors.length, target).toBe(before.errors + (target === '/throw' ? 1 : 0));
      const [slow] = await exchange(GET(target), { split: true });
      // A 500 names its request id, whose length (and so the body's) grows with the count.
      const same = (answer: string | undefined) =>
        withoutDate(answer)
          ?.replace(/w1-\w+/g, 'ID')
          .replace(/content-length: \d+/, target === '/throw' ? 'content-length: N' : '$&');
      expect(same(fast), target).toBe(same(slow));
    }
    expect(String(errors.at(-1))).toContain('the app broke');
  });

  it('answers a promise that settles before the event loop moves on itself, and hands one that waits for I/O to node:http', async () => {
    for (const target of ['/async', '/async-chain']) {
      const before = { wire: took.wire, calls: calls.get(target) ?? 0 };
      lines.length = 0;
      const [fast] = await exchange(GET(target));
      const [slow] = await exchange(GET(target), { split: true });
      expect(withoutDate(fast), target).toBe(withoutDate(slow));
      expect(calls.get(target), target).toBe(before.calls + 2);
      expect(took.wire, target).toBe(before.wire + 1);
      await until(() => lines.length >= 2);
      expect(lines[0], target).toMatchObject({ path: target, status: 200 });
      expect(lines[0]?.bytes, target).toBe(lines[1]?.bytes);
    }
    const before = { io: calls.get('/io') ?? 0, reject: calls.get('/io-reject') ?? 0, errors: errors.length };
    const [io] = await exchange(GET('/io') + GET('/text'), { count: 2 });
    expect(io).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nafter a timer\n$/);
    expect(calls.get('/io')).toBe(before.io + 1);
    const [rejected] = await exchange(GET('/io-reject'));
    expect(rejected).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(calls.get('/io-reject')).toBe(before.reject + 1);
    expect(errors.length).toBe(before.errors + 1);
    const [later] = await exchange(GET('/env-later'));
    expect(later).toMatch(/\r\n\r\nenv later true\n$/);
  });

  it('reads a body that came whole with its head (POST, PUT, DELETE) as node:http would have given it', async () => {
    const post = (target: string, body: string, method = 'POST', type = 'application/json') =>
      `${method} ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const cases = [
      post('/echo', '{"a":[1,2],"é":"ü"}'),
      post('/echo-text', 'hello body', 'PUT'),
      post('/echo-text', '', 'DELETE'),
      post('/echo-form', 'a=1&b=two+words', 'POST', 'application/x-www-form-urlencoded'),
      post('/echo-stream', 'x'.repeat(300)),
    ];
    for (const request of cases) {
      const before = took.wire;
      const [fast] = await exchange(request);
      expect(took.wire).toBe(before + 1);
      const [slow] = await exchange(request, { split: true });
      expect(took.wire).toBe(before + 1);
      expect(fast).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(withoutDate(fast)).toBe(withoutDate(slow));
    }
    const [echo] = await exchange(post('/echo', '{"a":[1,2],"é":"ü"}'));
    // The client reads bytes as latin1: the UTF-8 of the answer is compared as such.
    const json = Buffer.from('{"body":{"a":[1,2],"é":"ü"},"type":"application/json"}').toString('latin1');
    expect(echo?.endsWith(`\r\n\r\n${json}`)).toBe(true);
    // A body still on its way is node:http's to wait for.
    const before = took.wire;
    const client = await open();
    client.socket.write(post('/echo-text', 'abcdef', 'PUT').slice(0, -3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.socket.write('def');
    await until(() => answers(client.text()).length === 1);
    client.socket.destroy();
    expect(client.text()).toMatch(/\r\n\r\nPUT 6 abcdef used true\n$/);
    expect(took.wire).toBe(before);
    // Over limit-post: node:http's 413, the app never called.
    const calledBefore = calls.get('/echo-text') ?? 0;
    const [tooLarge] = await exchange(post('/echo-text', 'x'.repeat(1001)));
    expect(tooLarge).toMatch(/^HTTP\/1\.1 413 /);
    expect(calls.get('/echo-text')).toBe(calledBefore);
    const [pipelined] = await exchange(post('/echo-text', 'one', 'POST') + GET('/text'), { count: 2 });
    expect(pipelined).toMatch(/\r\n\r\nPOST 3 one used true\n$/);
  });

  it("aborts the Request's signal when the client leaves while the app waits", async () => {
    const client = await open();
    client.socket.write(GET('/wait'));
    await until(() => (calls.get('/wait') ?? 0) > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.socket.destroy();
    await until(() => seen.waitAborted === true);
  });

  it("gives env.incoming and env.outgoing as node:http's own objects, the request read by node:http at that moment", async () => {
    const before = calls.get('/env') ?? 0;
    const [answer] = await exchange(GET('/env?x=1'));
    expect(answer).toMatch(/\r\n\r\nenv \/env\?x=1\n$/);
    expect(calls.get('/env')).toBe(before + 1);
    expect(seen).toMatchObject({ incoming: true, outgoing: true, remote: '127.0.0.1' });
    const [written] = await exchange(GET('/outgoing'));
    expect(written).toMatch(/^HTTP\/1\.1 200 OK\r\ncontent-type: text\/plain\r\n[\s\S]*written by the app\n/);
    expect(written).not.toMatch(/x-hono-already-sent/);
  });

  it('gives a Request that is a Request: instanceof, new Request(request), a live signal, no body', async () => {
    await exchange(GET('/request'));
    expect(seen).toMatchObject({
      isRequest: true,
      copy: 'http://x/request',
      aborted: false,
      bodyUsed: false,
      body: null,
    });
  });

  it('answers pipelined requests in order when one of them is handed to node:http', async () => {
    const request = GET('/text') + GET('/async') + GET('/json') + GET('/stream') + GET('/text');
    const found = await exchange(request, { count: 5 });
    expect(found.map((answer) => /\r\n\r\n([\s\S]*)$/.exec(answer)?.[1]?.slice(0, 9))).toEqual([
      'hello GET',
      'later\n',
      '{"a":1}',
      expect.stringContaining('one'),
      'hello GET',
    ]);
  });

  it('writes the access line of an answer it made, as node:http would have', async () => {
    lines.length = 0;
    await exchange(GET('/missing?q=2'));
    await exchange(GET('/missing?q=2'), { split: true });
    await until(() => lines.length >= 2);
    const [fast, slow] = lines as [Record<string, unknown>, Record<string, unknown>];
    expect(fast).toMatchObject({
      method: 'GET',
      path: '/missing?q=2',
      status: 404,
      remote: '127.0.0.1',
      msg: 'request',
    });
    expect(fast.bytes).toBe(slow.bytes);
    expect(fast.reqId).not.toBe(slow.reqId);
  });

  it('leaves a static mount its files, and gives the app a path under a mount with no file there', async () => {
    const [file] = await exchange(GET('/static/file.txt'));
    expect(file).toMatch(/\r\n\r\na static file\n$/);
    const before = took.wire;
    const [none] = await exchange(GET('/static/none.txt'));
    expect(none).toMatch(/\r\n\r\napp \/static\/none\.txt\n$/);
    expect(took.wire).toBe(before + 1);
  });

  it('does the same over TLS with HTTP/1.1', async () => {
    const [fast] = await exchange(GET('/headers'), { secure: true });
    const [slow] = await exchange(GET('/headers'), { secure: true, split: true });
    expect(fast).toMatch(/^HTTP\/1\.1 201 Made Here\r\n/);
    expect(withoutDate(fast)).toBe(withoutDate(slow));
    const [later] = await exchange(GET('/async'), { secure: true });
    expect(later).toMatch(/\r\n\r\nlater\n$/);
  });
});
