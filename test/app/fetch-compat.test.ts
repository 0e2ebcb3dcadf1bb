// Real-listener tests of what the light Request and Response must keep from undici's: instanceof both ways, new Request(request), fetch(request), bodies read once, clone, formData, status, headers, subclasses.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { types } from 'node:util';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptFetch } from '../../src/app/adapters/fetch.ts';
import { request, serveFetch, type Fetch, type Served } from './serve.ts';

// undici's own classes, as a library that captured them before corral's were installed would hold them.
const NativeRequest = globalThis.Request;
const NativeResponse = globalThis.Response;

let current: Fetch = () => new Response('unset');
let served: Served;
/** A second server the app forwards requests to with fetch(): it echoes method, path, a header and the body. */
let upstream: http.Server;
let upstreamUrl: string;

beforeAll(async () => {
  served = await serveFetch(adaptFetch, () => current);
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      res.end(`${req.method} ${req.url} ${req.headers['x-test']} ${Buffer.concat(chunks).toString()}`),
    );
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await served.close();
  upstream.closeAllConnections();
  upstream.close();
});

/** Runs `check` as the app's fetch() for one POST and returns what the client got. */
async function post(check: Fetch, body = 'hello', path = '/p'): Promise<{ status: number; text: string }> {
  current = check;
  const reply = await request(
    `${served.url}${path}`,
    { method: 'POST', headers: { 'x-test': 'yes', 'content-type': 'text/plain' } },
    body,
  );
  return { status: reply.status, text: reply.body.toString() };
}

describe('the light Request', () => {
  it('is an instance of the global Request and of the class corral replaced, and no Proxy', async () => {
    const seen = await post((req) => {
      const facts = [
        req instanceof Request,
        req instanceof NativeRequest,
        new NativeRequest('http://x.test/') instanceof Request,
        new Request('http://x.test/') instanceof NativeRequest,
        types.isProxy(req),
        Object.prototype.toString.call(req),
        req.constructor === Request,
        Request.name,
      ];
      return new Response(facts.join(' '));
    });
    expect(seen.text).toBe('true true true true false [object Request] true Request');
  });

  it('becomes a real one with new Request(request): method, URL, headers and body carried over', async () => {
    const seen = await post(async (req) => {
      const copy = new Request(req);
      return new Response(
        `${copy.method} ${new URL(copy.url).pathname} ${copy.headers.get('x-test')} ${await copy.text()}`,
      );
    });
    expect(seen.text).toBe('POST /p yes hello');
  });

  it('has Headers read by name without a real Headers, and keeps changes made to them when it becomes real', async () => {
    const seen = await post(async (req) => {
      const { headers } = req;
      const before = [headers instanceof Headers, headers.get('X-TEST'), headers.has('x-absent')];
      headers.set('x-test', 'changed');
      const copy = new Request(req);
      return new Response(`${before.join(' ')} ${copy.headers.get('x-test')} ${await copy.text()}`);
    });
    expect(seen.text).toBe('true yes false changed hello');
  });

  it('takes an init with new Request(request, init)', async () => {
    const seen = await post(async (req) => {
      const copy = new Request(req, { method: 'PUT', headers: { 'x-test': 'changed' } });
      return new Response(`${copy.method} ${copy.headers.get('x-test')} ${await copy.text()}`);
    });
    expect(seen.text).toBe('PUT changed hello');
  });

  it('is forwarded by fetch(request) with its body, as a proxy would', async () => {
    const seen = await post(async (req) => {
      const target = new URL(new URL(req.url).pathname, upstreamUrl);
      const forwarded = await fetch(new Request(target, req));
      return new Response(`${forwarded instanceof Response} ${await forwarded.text()}`);
    });
    expect(seen.text).toBe('true POST /p yes hello');
  });

  it('is accepted by fetch() as it is (the URL, method, headers and body it stands for)', async () => {
    // The client names the upstream in its Host header, so request.url points there and fetch(request) goes to it.
    current = async (req) => new Response(await (await fetch(req)).text());
    const reply = await request(
      `${served.url}/direct`,
      { method: 'POST', headers: { host: new URL(upstreamUrl).host, 'x-test': 'yes' } },
      'as is',
    );
    expect(reply.body.toString()).toBe('POST /direct yes as is');
  });

  it('reads its body once: a second read rejects and bodyUsed says so', async () => {
    const seen = await post(async (req) => {
      const before = req.bodyUsed;
      const text = await req.text();
      const second = await req.text().then(
        () => 'read again',
        (error: unknown) => (error instanceof TypeError ? 'TypeError' : String(error)),
      );
      return new Response(`${before} ${text} ${req.bodyUsed} ${second}`);
    });
    expect(seen.text).toBe('false hello true TypeError');
  });

  it('reads the body as json, arrayBuffer and blob', async () => {
    expect((await post(async (req) => Response.json(await req.json()), '{"a":[1,2]}')).text).toBe('{"a":[1,2]}');
    expect((await post(async (req) => new Response((await req.arrayBuffer()).byteLength.toString()))).text).toBe('5');
    const blob = await post(async (req) => {
      const b = await req.blob();
      return new Response(`${b.type} ${await b.text()}`);
    });
    expect(blob.text).toBe('text/plain hello');
  });

  it('drops a UTF-8 byte order mark in text(), as undici does', async () => {
    expect((await post(async (req) => new Response(`[${await req.text()}]`), '\ufeffhi')).text).toBe('[hi]');
  });

  it('clones: both copies read the whole body', async () => {
    const seen = await post(async (req) => {
      const copy = req.clone();
      return new Response(`${await copy.text()}|${await req.text()}|${copy instanceof Request}`);
    });
    expect(seen.text).toBe('hello|hello|true');
  });

  it('refuses to clone a body already read', async () => {
    const seen = await post(async (req) => {
      await req.text();
      try {
        req.clone();
        return new Response('cloned');
      } catch (error) {
        return new Response(error instanceof TypeError ? 'TypeError' : String(error));
      }
    });
    expect(seen.text).toBe('TypeError');
  });

  it('parses formData(), urlencoded and multipart', async () => {
    current = async (req) => {
      const form = await req.formData();
      return new Response([...form.entries()].map(([k, v]) => `${k}=${typeof v === 'string' ? v : v.name}`).join('&'));
    };
    const urlencoded = await request(
      `${served.url}/f`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      'a=1&b=two',
    );
    expect(urlencoded.body.toString()).toBe('a=1&b=two');
    const boundary = 'XyZ';
    const multipart =
      `--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\ncontent\r\n` +
      `--${boundary}--\r\n`;
    const reply = await request(
      `${served.url}/f`,
      { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } },
      multipart,
    );
    expect(reply.body.toString()).toBe('field=value&file=a.txt');
  });

  it('streams its body through request.body, read chunk by chunk', async () => {
    const seen = await post(async (req) => {
      let size = 0;
      for await (const chunk of req.body!) size += (chunk as Uint8Array).byteLength;
      return new Response(`${size} ${req.bodyUsed}`);
    }, 'x'.repeat(100_000));
    expect(seen.text).toBe('100000 true');
  });

  it('answers members it does not define itself through the real Request (cache, mode, keepalive...)', async () => {
    const seen = await post((req) => new Response(`${req.cache} ${req.mode} ${req.keepalive} ${req.redirect}`));
    expect(seen.text).toBe('default cors false follow');
  });

  it('upper-cases a standard method sent in lower case (HTTP/2 lets a client do that), as undici would', () => {
    expect(new NativeRequest('http://x.test/', { method: 'post' }).method).toBe('POST');
  });
});

describe('the light Response', () => {
  it('is an instance of the global Response and of undici’s both ways; a subclass keeps its own instanceof', async () => {
    class MyResponse extends Response {
      mine = true;
    }
    const seen = await post(async () => {
      const light = new Response('x');
      const mine = new MyResponse('sub', { status: 202 });
      const fromFetch = await fetch(upstreamUrl);
      const facts = [
        light instanceof Response,
        light instanceof NativeResponse,
        fromFetch instanceof Response,
        new NativeResponse('n') instanceof Response,
        mine instanceof Response,
        mine instanceof MyResponse,
        light instanceof MyResponse,
        types.isProxy(light),
        Object.prototype.toString.call(light),
        Response.name,
        await fromFetch.text(),
      ];
      return new Response(facts.join(' '));
    });
    expect(seen.text).toBe('true true true true true true false false [object Response] Response GET / undefined ');
  });

  it('writes a subclass instance (Next-style) with its status', async () => {
    class MyResponse extends Response {}
    const reply = await post(() => new MyResponse('from a subclass', { status: 202 }));
    expect(reply).toEqual({ status: 202, text: 'from a subclass' });
  });

  it('keeps its status and headers when its body is read as a stream (the real object made late)', async () => {
    current = () => {
      const response = new Response('late', { status: 201, headers: { 'x-kept': 'yes' } });
      void response.body; // makes the undici Response behind it
      return response;
    };
    const reply = await request(`${served.url}/`);
    expect(reply.status).toBe(201);
    expect(reply.headers['x-kept']).toBe('yes');
    expect(reply.body.toString()).toBe('late');
  });

  it('keeps each response’s headers apart when they were made from one shared Headers object', async () => {
    const seen = await post(() => {
      const shared = new Headers({ 'x-a': '1' });
      const one = new Response('1', { headers: shared });
      const two = new Response('2', { headers: shared });
      one.headers.set('x-a', 'changed');
      shared.set('x-b', 'later');
      return new Response(`${two.headers.get('x-a')} ${two.headers.get('x-b')} ${one.headers.get('x-a')}`);
    });
    expect(seen.text).toBe('1 null changed');
  });

  it('copies a plain-object headers init as Headers would: later changes stay out, cases merge, cookies stay apart', async () => {
    current = () => {
      const init: Record<string, string> = {
        'X-Case': ' one ',
        'x-case': 'two',
        'Set-Cookie': 'a=1',
        'set-cookie': 'b=2',
      };
      const response = new Response('fields', { headers: init });
      init['x-later'] = 'no';
      return response;
    };
    const reply = await request(`${served.url}/`);
    expect([reply.headers['x-case'], reply.headers['set-cookie'], reply.headers['x-later']]).toEqual([
      'one, two',
      ['a=1', 'b=2'],
      undefined,
    ]);
    expect(reply.headers['content-type']).toBe('text/plain;charset=UTF-8');
    const seen = new Response('x', { headers: { 'X-Case': 'one', 'x-case': 'two' } });
    expect([seen.headers.get('x-case'), seen.headers.get('content-type')]).toEqual([
      'one, two',
      'text/plain;charset=UTF-8',
    ]);
    expect(
      Response.json(1, { headers: { 'content-type': 'application/vnd.x+json' } }).headers.get('content-type'),
    ).toBe('application/vnd.x+json');
    expect(() => new Response('x', { headers: { 'x-bad': 'a\r\nb' } })).toThrow(TypeError);
    expect(() => new Response('x', { headers: { 'x-wide': 'ā' } })).toThrow(TypeError);
  });

  it('reads as text, json and arrayBuffer, once, and clones', async () => {
    const seen = await post(async () => {
      const r = new Response('{"n":1}', { status: 203 });
      const c = r.clone();
      const parsed = (await r.json()) as { n: number };
      const again = await r.text().then(
        () => 'again',
        (error: unknown) => (error instanceof TypeError ? 'TypeError' : String(error)),
      );
      return new Response(`${parsed.n} ${r.bodyUsed} ${again} ${c.status} ${await c.text()}`);
    });
    expect(seen.text).toBe('1 true TypeError 203 {"n":1}');
  });

  it('reads formData() and blob() with the type its headers give (Hono parses uploads this way)', async () => {
    const bytes = new TextEncoder().encode('a=1&b=2');
    const form = await new Response(bytes, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }).formData();
    expect([...form.entries()]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect((await new Response('x', { headers: { 'content-type': 'image/gif' } }).blob()).type).toBe('image/gif');
  });

  it('gives the Content-Type undici gives for each body type', async () => {
    const seen = await post(async () => {
      const types = [
        new Response('s').headers.get('content-type'),
        new Response(new Uint8Array([1])).headers.get('content-type'),
        new Response(new URLSearchParams('a=1')).headers.get('content-type'),
        new Response(new Blob(['b'], { type: 'image/png' })).headers.get('content-type'),
        new Response('s', { headers: { 'content-type': 'text/html' } }).headers.get('content-type'),
      ];
      return new Response(types.map(String).join(' | '));
    });
    expect(seen.text).toBe(
      'text/plain;charset=UTF-8 | null | application/x-www-form-urlencoded;charset=UTF-8 | image/png | text/html',
    );
  });

  it('sends a URLSearchParams, Blob and stream body', async () => {
    expect((await post(() => new Response(new URLSearchParams('a=1&b=2')))).text).toBe('a=1&b=2');
    expect((await post(() => new Response(new Blob(['blob body'])))).text).toBe('blob body');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    expect((await post(() => new Response(stream))).text).toBe('streamed');
  });

  it('copies bytes given as its body, as undici does', async () => {
    const seen = await post(() => {
      const bytes = new TextEncoder().encode('abc');
      const response = new Response(bytes);
      bytes[0] = 0x7a;
      return response;
    });
    expect(seen.text).toBe('abc');
  });

  it('refuses what undici refuses: a status out of range, a body on a 204, a bad reason phrase', () => {
    expect(() => new Response('x', { status: 99 })).toThrow(RangeError);
    expect(() => new Response('x', { status: 600 })).toThrow(RangeError);
    expect(() => new Response('x', { status: 204 })).toThrow(TypeError);
    expect(() => new Response('x', { statusText: 'a\nb' })).toThrow(TypeError);
    expect(() => new Response('x', { headers: { 'bad name': 'v' } })).toThrow(TypeError);
  });

  it('has the static json(), redirect() and error()', async () => {
    const json = Response.json({ a: 1 }, { status: 201, headers: { 'x-h': 'h' } });
    expect([json.status, json.headers.get('content-type'), json.headers.get('x-h'), await json.text()]).toEqual([
      201,
      'application/json',
      'h',
      '{"a":1}',
    ]);
    const redirect = Response.redirect('http://x.test/next', 307);
    expect([redirect.status, redirect.headers.get('location')]).toEqual([307, 'http://x.test/next']);
    expect(() => Response.redirect('http://x.test/', 200)).toThrow(RangeError);
    expect(Response.error().type).toBe('error');
    const reply = await post(() => Response.redirect('http://x.test/next', 301));
    expect(reply.status).toBe(301);
  });
});

describe('the light classes under Hono 4', () => {
  it('serve routes, JSON bodies, middleware headers on c.res, ETag (which clones the response) and app.request()', async () => {
    const app = new Hono();
    app.use(etag());
    app.use(async (c, next) => {
      await next();
      c.res.headers.set('x-mw', 'after');
    });
    app.get('/text', (c) => c.text('hono text'));
    app.post('/echo', async (c) => c.json({ ...(await c.req.json<object>()), agent: c.req.header('x-test') }, 201));
    const honoServed = await serveFetch(adaptFetch, () => (req, env) => app.fetch(req, env));
    try {
      const text = await request(`${honoServed.url}/text`);
      expect([text.status, text.body.toString(), text.headers['x-mw'], typeof text.headers.etag]).toEqual([
        200,
        'hono text',
        'after',
        'string',
      ]);
      const echo = await request(
        `${honoServed.url}/echo`,
        { method: 'POST', headers: { 'x-test': 'agent', 'content-type': 'application/json' } },
        '{"n":2}',
      );
      expect([echo.status, JSON.parse(echo.body.toString())]).toEqual([201, { n: 2, agent: 'agent' }]);
      const missing = await request(`${honoServed.url}/missing`);
      expect(missing.status).toBe(404);
      const inProcess = await app.request('/text');
      expect([inProcess instanceof Response, await inProcess.text()]).toEqual([true, 'hono text']);
    } finally {
      await honoServed.close();
    }
  });
});
