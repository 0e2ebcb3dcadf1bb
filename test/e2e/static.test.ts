// End to end: the built corral serves static files with the static settings from an INI file: validators, ranges, compression, expiry, check-static, SPA fallback.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../static/http-client.ts';
import { runCorral, startCorral, stopAll, type Running } from './harness.ts';

let dir: string;
let corral: Running;
let port: number;
const CSS = 'body { margin: 0 }\n'.repeat(300);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'corral-e2e-static-'));
  const file = (relative: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), content);
  };
  file('public/site.css', CSS);
  file('public/app.123.js', 'console.log(1);\n');
  file('public/app.123.js.br', zlib.brotliCompressSync('console.log(1);\n'));
  file('public/docs/default.htm', 'docs');
  file('public/digits.txt', '0123456789');
  file('root/robots.txt', 'User-agent: *\n');
  file('spa/index.html', '<div id="app"></div>');
  file(
    'app.ini',
    [
      '[uwsgi]',
      'static-map = /static=%d/public',
      'static-index = index.html',
      'static-index = default.htm',
      'static-expires = \\.[0-9]+\\.js$ 86400',
      'check-static = %d/root',
      'static-fallback = /app=%d/spa/index.html',
      'static-cache-size = 8M',
      'processes = 2',
      '',
    ].join('\n'),
  );
  corral = await startCorral([path.join(dir, 'app.ini'), '--http', '127.0.0.1:0'], { readyMs: 20_000 });
  port = Number(new URL(corral.url).port);
}, 30_000);

afterAll(() => {
  stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const get = (urlPath: string, headers: Record<string, string> = {}, method = 'GET') =>
  request(port, urlPath, method, headers);

describe('static files through the built corral', () => {
  it('check resolves the static settings', async () => {
    const result = await runCorral(['check', path.join(dir, 'app.ini')]);
    expect(result.code).toBe(0);
    const config = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(config.staticIndex).toEqual(['index.html', 'default.htm']);
    expect(config.staticCacheSize).toBe(8 * 1024 * 1024);
    expect(config.checkStatic).toEqual([path.join(dir, 'root')]);
    expect(config.staticFallback).toEqual([{ prefix: '/app', file: path.join(dir, 'spa', 'index.html') }]);
  });

  it('check refuses a missing static-fallback file and check-static directory with exit 2', async () => {
    writeFileSync(
      path.join(dir, 'bad.ini'),
      '[uwsgi]\nstatic-fallback = /app=%d/nope.html\ncheck-static = %d/nowhere\n',
    );
    const result = await runCorral(['check', path.join(dir, 'bad.ini')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nope\.html" does not exist/);
    expect(result.stderr).toMatch(/nowhere" does not exist/);
  });

  it('validators: ETag, then 304 on revalidation, 412 on a failed If-Match', async () => {
    const first = await get('/static/digits.txt');
    expect(first.headers.etag).toMatch(/^"/);
    expect(first.headers['accept-ranges']).toBe('bytes');
    expect((await get('/static/digits.txt', { 'If-None-Match': first.headers.etag! })).status).toBe(304);
    expect((await get('/static/digits.txt', { 'If-Modified-Since': first.headers['last-modified']! })).status).toBe(
      304,
    );
    expect((await get('/static/digits.txt', { 'If-Match': '"nope"' })).status).toBe(412);
  });

  it('ranges: 206 and 416', async () => {
    const part = await get('/static/digits.txt', { Range: 'bytes=-3' });
    expect(part.status).toBe(206);
    expect(part.body.toString()).toBe('789');
    const none = await get('/static/digits.txt', { Range: 'bytes=10-' });
    expect(none.status).toBe(416);
    expect(none.headers['content-range']).toBe('bytes */10');
  });

  it('compression: a br sibling, and gzip on the fly', async () => {
    const br = await get('/static/app.123.js', { 'Accept-Encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe('console.log(1);\n');
    const gz = await get('/static/site.css', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(CSS);
  });

  it('static-expires and the revalidating default', async () => {
    expect((await get('/static/app.123.js')).headers['cache-control']).toBe('public, max-age=86400');
    expect((await get('/static/digits.txt')).headers['cache-control']).toBe('no-cache');
  });

  it('static-index, check-static and static-fallback', async () => {
    expect((await get('/static/docs/')).body.toString()).toBe('docs');
    expect((await get('/static/docs')).status).toBe(301);
    expect((await get('/robots.txt')).body.toString()).toBe('User-agent: *\n');
    expect((await get('/app/some/route', { Accept: 'text/html' })).body.toString()).toBe('<div id="app"></div>');
    expect((await get('/app/some/route', { Accept: '*/*' })).status).toBe(404);
  });

  it('a file changed after it was cached is served whole and new, on every worker', async () => {
    for (let i = 0; i < 6; i++) await get('/static/digits.txt');
    writeFileSync(path.join(dir, 'public', 'digits.txt'), 'changed, and longer');
    for (let i = 0; i < 6; i++) {
      const reply = await get('/static/digits.txt');
      expect(reply.body.toString()).toBe('changed, and longer');
      expect(reply.headers['content-length']).toBe('19');
    }
  });

  it('hostile paths are refused and other methods go on (here: to the 404)', async () => {
    expect((await get('/static/%2e%2e/app.ini')).status).toBe(400);
    expect((await get('/static/digits.txt', {}, 'POST')).status).toBe(404);
  });
});
