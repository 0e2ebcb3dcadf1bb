// End to end, 2 workers: forwarded-allow-ips decides whose X-Forwarded-* headers reach the app (Express with trust proxy, a fetch app), and limit-post answers 413.
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll, type Running, stopGracefully } from './harness.ts';

const app = (path: string) => fileURLToPath(new URL(`../apps/${path}`, import.meta.url));

afterAll(stopAll);

const PROXY_HEADERS = {
  'x-forwarded-for': '6.6.6.6, 198.51.100.7',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'shop.example',
  forwarded: 'for=6.6.6.6',
};

/** GET `path` from `localAddress` (127.0.0.1 is trusted below, 127.0.0.2 is not) with `headers`; resolves with the JSON body. */
function getJson(
  corral: Running,
  path: string,
  localAddress: string,
  headers: Record<string, string>,
): Promise<Record<string, unknown>> {
  const url = new URL(path, corral.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, localAddress, headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function stop(corral: Running): Promise<void> {
  expect(await stopGracefully(corral)).toBe(0);
}

describe('forwarded-allow-ips', () => {
  it('Express with trust proxy sees the client and scheme from a trusted proxy, and its own peer otherwise', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('proxy/express-trust.mjs'),
      '--processes',
      '2',
      '--forwarded-allow-ips',
      '127.0.0.1',
    ]);
    const viaProxy = await getJson(corral, '/who', '127.0.0.1', PROXY_HEADERS);
    // What the client wrote itself (6.6.6.6) is gone: the first address left is the one the proxy saw.
    expect(viaProxy).toMatchObject({
      ip: '198.51.100.7',
      ips: ['198.51.100.7'],
      protocol: 'https',
      host: 'shop.example',
      forwardedFor: '198.51.100.7',
    });
    const direct = await getJson(corral, '/who', '127.0.0.2', PROXY_HEADERS);
    expect(direct).toMatchObject({ ip: '127.0.0.2', ips: [], protocol: 'http', forwardedFor: null });
    expect(direct.host).toBe(new URL(corral.url).host);
    await corral.waitFor((line) => line.msg === 'request' && line.remote === '127.0.0.2');
    const lines = corral.logs.filter((line) => line.msg === 'request');
    expect(lines.map((line) => [line.remote, line.proxy])).toEqual([
      ['198.51.100.7', '127.0.0.1'],
      ['127.0.0.2', undefined],
    ]);
    await stop(corral);
  }, 20_000);

  it("a fetch app's request.url takes the forwarded scheme and host only from a trusted proxy", async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('proxy/fetch-who.mjs'),
      '--processes',
      '2',
      '--forwarded-allow-ips',
      '127.0.0.0/30',
    ]);
    const port = new URL(corral.url).port;
    expect(await getJson(corral, '/a%2Fb?x=1', '127.0.0.2', PROXY_HEADERS)).toEqual({
      url: 'https://shop.example/a%2Fb?x=1',
      forwardedFor: '198.51.100.7',
      forwardedProto: 'https',
      forwarded: 'for=6.6.6.6',
    });
    expect(await getJson(corral, '/a%2Fb?x=1', '127.0.0.9', PROXY_HEADERS)).toEqual({
      url: `http://127.0.0.1:${port}/a%2Fb?x=1`,
      forwardedFor: null,
      forwardedProto: null,
      forwarded: null,
    });
    await stop(corral);
  }, 20_000);

  it('"*" trusts every peer (so every hop, and the client is the leftmost); the default trusts only loopback', async () => {
    const any = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('proxy/fetch-who.mjs'),
      '--forwarded-allow-ips',
      '*',
    ]);
    expect((await getJson(any, '/', '127.0.0.9', PROXY_HEADERS)).forwardedFor).toBe('6.6.6.6, 198.51.100.7');
    await any.waitFor((line) => line.msg === 'request' && line.remote === '6.6.6.6');
    await stop(any);
    const byDefault = await startCorral(['--http', '127.0.0.1:0', '--module', app('proxy/fetch-who.mjs')]);
    expect((await getJson(byDefault, '/', '127.0.0.1', PROXY_HEADERS)).forwardedFor).toBe('198.51.100.7');
    expect((await getJson(byDefault, '/', '127.0.0.9', PROXY_HEADERS)).forwardedFor).toBeNull();
    await stop(byDefault);
  }, 20_000);
});

describe('limit-post', () => {
  /** POSTs `size` bytes of JSON, declared or chunked; resolves with the status (write errors after the answer are expected). */
  function postJson(corral: Running, size: number, declared: boolean): Promise<number> {
    const body = Buffer.from(JSON.stringify({ pad: 'x'.repeat(size) }));
    const url = new URL('/json', corral.url);
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {
        'content-type': 'application/json',
        ...(declared ? { 'content-length': body.length } : { 'transfer-encoding': 'chunked' }),
      };
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.setTimeout(5000, () => req.destroy(new Error('timed out')));
      req.on('error', (error) =>
        req.destroyed && (error as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(error),
      );
      for (let at = 0; at < body.length; at += 16384) req.write(body.subarray(at, at + 16384));
      req.end();
    });
  }

  it('answers 413 for bodies over the limit, with or without Content-Length, and lets smaller ones through to Express', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app('proxy/express-trust.mjs'),
      '--processes',
      '2',
      '--limit-post',
      '64K',
    ]);
    expect(await postJson(corral, 1000, true)).toBe(200);
    expect(await postJson(corral, 1000, false)).toBe(200);
    expect(await postJson(corral, 1 << 20, true)).toBe(413);
    expect(await postJson(corral, 1 << 20, false)).toBe(413);
    await expect.poll(() => corral.logs.filter((line) => line.msg === 'request').length).toBe(4);
    // Each worker writes its lines in blocks, and two workers' times of day can differ by a millisecond (each derives
    // it from its own clock origin): the order of the lines says nothing, the statuses they carry do (each request's
    // own answer is checked above).
    const statuses = corral.logs
      .filter((line) => line.msg === 'request')
      .map((line) => Number(line.status))
      .sort((a, b) => a - b);
    expect(statuses).toEqual([200, 200, 413, 413]);
    expect(corral.logs.filter((line) => line.level === 'error')).toEqual([]);
    await stop(corral);
  }, 20_000);
});
