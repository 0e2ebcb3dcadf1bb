// End to end: https listeners with given files, HTTP/2 with HTTP/1.1 fallback by ALPN, every handler shape over HTTP/2, the redirect from HTTP, and files re-read on reload.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent } from 'node:https';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCorral, startCorral, stopAll, type LogLine, type Running } from './harness.ts';
import { h2Request, httpsGet, makeLeaf, makeTestCa, peerCertificate, type TestCa } from './tls-fixtures.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/e2e/${path}`, import.meta.url));
const portOf = (address: string) => Number(address.slice(address.lastIndexOf(':') + 1));

afterAll(stopAll);

describe('https = ADDR,CERT,KEY with http2 and http-to-https', () => {
  let ca: TestCa;
  let corral: Running;
  let httpPort: number;
  let httpsPort: number;
  let origin: string;
  beforeAll(async () => {
    ca = makeTestCa();
    corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--http-to-https',
      '--module',
      fixture('h2/listener.mjs'),
      '--static-map',
      `/s=${fixture('h2/public')}`,
      '--processes',
      '2',
    ]);
    const ready = await corral.waitFor((line) => line.msg === 'ready');
    const [http, https] = ready.addresses as string[];
    httpPort = portOf(http!);
    httpsPort = portOf(https!);
    origin = `https://localhost:${httpsPort}`;
  }, 30_000);

  it('serves HTTP/2 to a client that offers h2, with the access log line', async () => {
    const res = await h2Request(origin, ca.caPem, '/hello?q=7');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ shape: 'listener', q: '7', http: '2.0' });
    const line = await corral.waitFor((l: LogLine) => l.msg === 'request' && l.path === '/hello?q=7');
    expect(line.status).toBe(200);
    expect(line.remote).toBe('127.0.0.1');
  });

  it('chooses h2 or http/1.1 by ALPN, and HTTP/1.1 without ALPN', async () => {
    expect((await peerCertificate(httpsPort, 'localhost', ca.caPem, ['h2', 'http/1.1'])).alpn).toBe('h2');
    expect((await peerCertificate(httpsPort, 'localhost', ca.caPem, ['http/1.1'])).alpn).toBe('http/1.1');
    const agent = new Agent({ ca: ca.caPem, keepAlive: true });
    const res = await httpsGet(`${origin}/hello?q=1`, agent);
    agent.destroy();
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).http).toBe('1.1');
  });

  it('serves static files over HTTP/2: validators, ranges, compression', async () => {
    const file = await h2Request(origin, ca.caPem, '/s/hello.txt');
    expect(file.status).toBe(200);
    expect(file.body).toBe('hello over h2\n');
    const etag = String(file.headers.etag);
    expect((await h2Request(origin, ca.caPem, '/s/hello.txt', { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
    const range = await h2Request(origin, ca.caPem, '/s/big.txt', { headers: { range: 'bytes=10-19' } });
    expect(range.status).toBe(206);
    expect(range.body).toBe('abcdefghij');
    const gzip = await h2Request(origin, ca.caPem, '/s/big.txt', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const whole = await h2Request(origin, ca.caPem, '/s/big.txt');
    expect(whole.body.length).toBe(200_000);
  });

  it('answers a cached file over HTTP/2 as the first answers were made (the stream fast path after the cache)', async () => {
    const asks = [];
    for (let i = 0; i < 4; i++) asks.push(await h2Request(origin, ca.caPem, '/s/hello.txt'));
    const withoutDate = (headers: Record<string, unknown>) => ({ ...headers, date: undefined });
    for (const ask of asks) {
      expect(ask.status).toBe(200);
      expect(ask.body).toBe('hello over h2\n');
      expect(withoutDate(ask.headers)).toEqual(withoutDate(asks[0]!.headers));
    }
    const etag = String(asks[0]!.headers.etag);
    for (let i = 0; i < 3; i++) {
      const revalidated = await h2Request(origin, ca.caPem, '/s/hello.txt', { headers: { 'if-none-match': etag } });
      expect(revalidated.status).toBe(304);
      expect(revalidated.body).toBe('');
    }
    const gzip = [];
    for (let i = 0; i < 3; i++)
      gzip.push(await h2Request(origin, ca.caPem, '/s/big.txt', { headers: { 'accept-encoding': 'gzip' } }));
    for (const ask of gzip) expect(withoutDate(ask.headers)).toEqual(withoutDate(gzip[0]!.headers));
    await corral.waitFor((line) => line.msg === 'request' && line.status === 304);
  });

  it('streams a request body through the app over HTTP/2', async () => {
    const body = JSON.stringify({ big: 'x'.repeat(100_000) });
    const res = await h2Request(origin, ca.caPem, '/echo', { method: 'POST', body });
    expect(res.status).toBe(201);
    expect(res.body).toBe(body);
  });

  it('drops HTTP/1 connection headers an app sets, instead of failing the HTTP/2 response', async () => {
    const res = await h2Request(origin, ca.caPem, '/hop-by-hop');
    expect(res.status).toBe(200);
    expect(res.body).toBe('fine');
    expect(res.headers['x-kept']).toBe('yes');
    expect(res.headers.connection).toBeUndefined();
    const h1 = await fetch(`http://127.0.0.1:${httpPort}/hop-by-hop`, { redirect: 'manual' });
    expect(h1.status).toBe(301);
  });

  it.skipIf(!existsSync('/usr/bin/curl'))('answers curl --http2', () => {
    const version = execFileSync(
      'curl',
      ['-s', '--http2', '--cacert', ca.caFile, '-o', '/dev/null', '-w', '%{http_version}', `${origin}/s/hello.txt`],
      { encoding: 'utf8', timeout: 10_000 },
    );
    expect(version).toBe('2');
  });

  it('redirects plain HTTP to the https port: 301 for GET, 308 for POST, same path and query', async () => {
    const get = await fetch(`http://127.0.0.1:${httpPort}/a/b?c=1`, { redirect: 'manual' });
    expect(get.status).toBe(301);
    expect(get.headers.get('location')).toBe(`https://127.0.0.1:${httpsPort}/a/b?c=1`);
    const post = await fetch(`http://localhost:${httpPort}/form`, { method: 'POST', body: 'x', redirect: 'manual' });
    expect(post.status).toBe(308);
    expect(post.headers.get('location')).toBe(`https://localhost:${httpsPort}/form`);
  });

  it('does not redirect ACME challenge paths (they go to the pipeline)', async () => {
    const res = await fetch(`http://127.0.0.1:${httpPort}/.well-known/acme-challenge/abc`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect((await res.json()).shape).toBe('listener');
  });

  it('re-reads the certificate files on reload (SIGHUP), with no failed request', async () => {
    const before = await peerCertificate(httpsPort, 'localhost', ca.caPem);
    makeLeaf(ca.dir, 'leaf'); // overwrites the files the config names with a new certificate
    const reloadsBefore = corral.logs.filter((l) => l.msg === 'reloaded').length;
    process.kill(corral.pid, 'SIGHUP');
    const failures: unknown[] = [];
    let done = false;
    const traffic = (async () => {
      while (!done)
        await h2Request(origin, ca.caPem, '/hello').then(
          (reply) => reply.status !== 200 && failures.push(reply.status),
          (err: unknown) => failures.push(err),
        );
    })();
    await corral.waitFor(
      (l) => l.msg === 'reloaded' && corral.logs.filter((x) => x.msg === 'reloaded').length > reloadsBefore,
      15_000,
    );
    done = true;
    await traffic;
    const after = await peerCertificate(httpsPort, 'localhost', ca.caPem);
    expect(after.cert.serialNumber).not.toBe(before.cert.serialNumber);
    expect(failures).toEqual([]);
  }, 30_000);

  it('moves a long-lived HTTP/2 client on (GOAWAY) through a reload: no request fails', async () => {
    const { connect } = await import('node:http2');
    let goaways = 0;
    let sessions = 0;
    const failures: unknown[] = [];
    let requests = 0;
    let refused = 0;
    let done = false;
    const open = () => {
      sessions++;
      const fresh = connect(origin, { ca: ca.caPem });
      fresh.on('goaway', () => goaways++);
      fresh.on('error', () => {});
      return fresh;
    };
    let session = open();
    // One request at a time on the current session; a new session once the server has closed or is closing it.
    const one = () =>
      new Promise<void>((resolve) => {
        if (session.closed || session.destroyed) session = open();
        let stream: ReturnType<typeof session.request>;
        try {
          stream = session.request({ ':path': '/hello' });
        } catch {
          // Closing after a GOAWAY: take a new session on the next turn.
          session.destroy();
          return resolve();
        }
        stream.on('response', (headers) => {
          if (headers[':status'] !== 200) failures.push(headers[':status']);
        });
        stream.resume();
        stream.on('end', () => {
          requests++;
          resolve();
        });
        stream.on('error', (err: NodeJS.ErrnoException) => {
          // A stream the client opened while the server's GOAWAY was on its way is refused unprocessed (RFC 9113,
          // 8.7): clients such as browsers send it again on a new connection, which the next turn of this loop does.
          if (err.message.includes('NGHTTP2_REFUSED_STREAM')) refused++;
          else failures.push(err);
          resolve();
        });
      });
    const traffic = (async () => {
      while (!done) await one();
    })();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(300);
    const reloadsBefore = corral.logs.filter((l) => l.msg === 'reloaded').length;
    process.kill(corral.pid, 'SIGHUP');
    await corral.waitFor(() => corral.logs.filter((x) => x.msg === 'reloaded').length > reloadsBefore, 15_000);
    // 'reloaded' means the new workers serve; the old one may still be draining the first session (its GOAWAY, then
    // the close, each on a short timer that a loaded machine stretches): keep the traffic on until the client moved.
    for (const end = Date.now() + 10_000; sessions < 2 && Date.now() < end; ) await sleep(50);
    await sleep(100);
    done = true;
    await traffic;
    session.close();
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(20);
    // The workers that held the first session drained: it was told to go (or, idle at that moment, closed).
    expect(sessions).toBeGreaterThan(1);
    expect(refused).toBeLessThanOrEqual(goaways);
  }, 30_000);

  it('closes an idle HTTP/2 session on SIGTERM and exits 0', async () => {
    const { connect } = await import('node:http2');
    const session = connect(origin, { ca: ca.caPem });
    session.on('error', () => {});
    await new Promise<void>((resolve) => session.once('connect', () => resolve()));
    // Node sends the GOAWAY and, the session being idle, closes it at once: the client may see either first.
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    process.kill(corral.pid, 'SIGTERM');
    await closed;
    expect(await corral.exited(10_000)).toBe(0);
  });
});

describe.each([
  ['koa.mjs', 'koa', '2.0'],
  ['fastify.mjs', 'fastify', '2.0'],
  ['hono.mjs', 'hono', undefined],
  ['listener.mjs', 'listener', '2.0'],
])('the %s app over HTTP/2', (module, shape, http) => {
  it('answers a GET with a query and echoes a JSON POST', async () => {
    const ca = makeTestCa();
    const corral = await startCorral([
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--module',
      fixture(`h2/${module}`),
    ]);
    const origin = `https://localhost:${portOf((corral.logs.find((l) => l.msg === 'ready')!.addresses as string[])[0]!)}`;
    const get = await h2Request(origin, ca.caPem, '/hello?q=2');
    expect(get.status).toBe(200);
    const body = JSON.parse(get.body);
    expect(body.shape).toBe(shape);
    expect(body.q).toBe('2');
    if (http !== undefined) expect(body.http).toBe(http);
    const post = await h2Request(origin, ca.caPem, '/echo', {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(post.status).toBe(201);
    expect(JSON.parse(post.body)).toMatchObject(module === 'koa.mjs' ? { echo: { a: 1 } } : { a: 1 });
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    expect(corral.logs.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
  });
});

// The foundation's shape fixtures (test/e2e/shapes.test.ts), this time over HTTP/2.
describe.each([
  ['fetch.mjs', '/x', 'fetch /x'],
  ['listener.cjs', '/', 'listener default'],
  ['listener.cjs:named', '/', 'listener named'],
  ['koa-like.mjs', '/', 'koa-like'],
  ['fastify-like.mjs', '/', 'fastify-like ready'],
  ['server.mjs', '/', 'http.Server'],
  ['typed.ts', '/', 'typescript'],
])('the shape fixture %s over HTTP/2', (module, path, expected) => {
  it('answers as over HTTP/1.1', async () => {
    const ca = makeTestCa();
    const corral = await startCorral([
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--module',
      fixture(`shapes/${module}`),
    ]);
    const origin = `https://localhost:${portOf((corral.logs.find((l) => l.msg === 'ready')!.addresses as string[])[0]!)}`;
    const res = await h2Request(origin, ca.caPem, path);
    expect(res.body).toBe(expected);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    expect(corral.stderr()).toBe('');
  });
});

describe('an Express app behind https', () => {
  it('is served over HTTP/1.1 only, with a warning that says why', async () => {
    const ca = makeTestCa();
    const corral = await startCorral([
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--module',
      fixture('h2/express.mjs'),
    ]);
    const port = portOf((corral.logs.find((l) => l.msg === 'ready')!.addresses as string[])[0]!);
    const warning = await corral.waitFor((l) => l.level === 'warn' && String(l.msg).includes('HTTP/2 is off'));
    expect(String(warning.reason)).toContain('Express');
    expect((await peerCertificate(port, 'localhost', ca.caPem, ['h2', 'http/1.1'])).alpn).toBe('http/1.1');
    const agent = new Agent({ ca: ca.caPem });
    const res = await httpsGet(`https://localhost:${port}/hello?q=3`, agent);
    agent.destroy();
    expect(JSON.parse(res.body)).toEqual({ shape: 'express', q: '3', http: '1.1', secure: true });
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});

describe('https config errors', () => {
  it('names the https address that is already in use (exit 2)', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const ca = makeTestCa();
    try {
      const result = await runCorral(['--https', `127.0.0.1:${port},${ca.certFile},${ca.keyFile}`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`https 127.0.0.1:${port}: address already in use`);
    } finally {
      taken.close();
    }
  });

  it('names the key and the missing file (exit 2)', async () => {
    const result = await runCorral(['check', '--https', '127.0.0.1:0,/nonexistent/cert.pem,/nonexistent/key.pem']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--https');
    expect(result.stderr).toContain('file "/nonexistent/cert.pem" does not exist');
  });

  it('refuses an https address without files when there is no acme-domains (exit 2)', async () => {
    const result = await runCorral(['check', '--https', '127.0.0.1:0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no certificate');
  });

  it('refuses http-to-https without an https listener (exit 2)', async () => {
    const result = await runCorral(['check', '--http-to-https']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no https listener to redirect to');
  });
});
