// Compression over real HTTP: precompressed siblings, on-the-fly compression cached per version, Vary, and ranges of the sent representation.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTD_SUPPORTED } from '../../src/static/encoding.ts';
import { createStaticHandler } from '../../src/static/handler.ts';
import { createFixtureTree, type FixtureTree } from './fixture-tree.ts';
import { request } from './http-client.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let tree: FixtureTree;
let server: TestServer;
let plainServer: TestServer;
const SCRIPT = `console.log(${JSON.stringify('corral '.repeat(800))});\n`;
const STYLE = `body { color: red; }\n`.repeat(200);

beforeAll(async () => {
  tree = createFixtureTree();
  const dir = path.join(tree.root, 'zip');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'app.js'), SCRIPT);
  writeFileSync(path.join(dir, 'app.js.br'), zlib.brotliCompressSync(SCRIPT));
  writeFileSync(path.join(dir, 'app.js.gz'), zlib.gzipSync(SCRIPT));
  writeFileSync(path.join(dir, 'style.css'), STYLE);
  writeFileSync(path.join(dir, 'tiny.css'), 'a{}');
  writeFileSync(path.join(dir, 'photo.png'), Buffer.alloc(4096, 1));
  writeFileSync(path.join(dir, 'only-gz.txt'), 'plain text '.repeat(10));
  writeFileSync(path.join(dir, 'only-gz.txt.gz'), zlib.gzipSync('plain text '.repeat(10)));
  writeFileSync(path.join(tree.base, 'outside', 'evil.gz'), zlib.gzipSync('outside secret'));
  writeFileSync(path.join(dir, 'linked.txt'), 'linked '.repeat(300));
  symlinkSync(path.join(tree.base, 'outside', 'evil.gz'), path.join(dir, 'linked.txt.gz'));
  server = await startTestServer(createStaticHandler([{ prefix: '/', dir: tree.root }]));
  plainServer = await startTestServer(
    createStaticHandler([{ prefix: '/', dir: tree.root }], { gzipAll: false, compress: false }),
  );
});

afterAll(async () => {
  await server?.close();
  await plainServer?.close();
  tree?.remove();
});

const get = (urlPath: string, headers: Record<string, string> = {}, on = server) =>
  request(on.port, urlPath, 'GET', headers);

describe('precompressed siblings (static-gzip-all)', () => {
  it('br is preferred when accepted, then gzip; with Content-Encoding and Vary', async () => {
    const br = await get('/zip/app.js', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    const gz = await get('/zip/app.js', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(SCRIPT);
  });

  it('q-values are honoured and q=0 refuses a coding', async () => {
    expect((await get('/zip/app.js', { 'Accept-Encoding': 'br;q=0.5, gzip;q=1' })).headers['content-encoding']).toBe(
      'gzip',
    );
    expect(
      (await get('/zip/app.js', { 'Accept-Encoding': 'br;q=0, gzip;q=0' })).headers['content-encoding'],
    ).toBeUndefined();
  });

  it('no Accept-Encoding gets the file itself, still with Vary', async () => {
    const reply = await get('/zip/app.js');
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.body.toString()).toBe(SCRIPT);
  });

  it('each representation has its own ETag, and a 304 is per representation', async () => {
    const br = await get('/zip/app.js', { 'Accept-Encoding': 'br' });
    const plain = await get('/zip/app.js');
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    expect((await get('/zip/app.js', { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag! })).status).toBe(304);
    expect((await get('/zip/app.js', { 'If-None-Match': br.headers.etag! })).status).toBe(200);
  });

  it('a range applies to the compressed bytes actually sent', async () => {
    const whole = await get('/zip/app.js', { 'Accept-Encoding': 'gzip' });
    const part = await get('/zip/app.js', { 'Accept-Encoding': 'gzip', Range: 'bytes=0-9' });
    expect(part.status).toBe(206);
    expect(part.headers['content-encoding']).toBe('gzip');
    expect(part.headers['content-range']).toBe(`bytes 0-9/${whole.body.length}`);
    expect(part.body.equals(whole.body.subarray(0, 10))).toBe(true);
  });

  it('a sibling that is a symlink is never served (it could lead outside)', async () => {
    const reply = await get('/zip/linked.txt', { 'Accept-Encoding': 'gzip' });
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).not.toContain('outside secret');
    if (reply.headers['content-encoding'] === 'gzip')
      expect(zlib.gunzipSync(reply.body).toString()).toBe('linked '.repeat(300));
  });

  it('a sibling added after start is picked up, even for a cached file', async () => {
    const file = path.join(tree.root, 'zip', 'late.txt');
    writeFileSync(file, 'late '.repeat(50));
    for (let i = 0; i < 3; i++) expect((await get('/zip/late.txt', { 'Accept-Encoding': 'gzip' })).status).toBe(200);
    writeFileSync(`${file}.gz`, zlib.gzipSync('late '.repeat(50)));
    const reply = await get('/zip/late.txt', { 'Accept-Encoding': 'gzip' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers['content-length']).toBe(String(zlib.gzipSync('late '.repeat(50)).length));
  });

  it.skipIf(!ZSTD_SUPPORTED)('zstd is chosen when it is all the client takes', async () => {
    const reply = await get('/zip/style.css', { 'Accept-Encoding': 'zstd' });
    expect(reply.headers['content-encoding']).toBe('zstd');
  });
});

describe('on-the-fly compression (static-compress)', () => {
  it('a text file without a sibling is compressed, and decompresses to the file', async () => {
    const reply = await get('/zip/style.css', { 'Accept-Encoding': 'gzip' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(Number(reply.headers['content-length'])).toBeLessThan(STYLE.length);
    expect(zlib.gunzipSync(reply.body).toString()).toBe(STYLE);
  });

  it('is done once per version: the same bytes and ETag each time, new ones after a change', async () => {
    const first = await get('/zip/style.css', { 'Accept-Encoding': 'br' });
    const second = await get('/zip/style.css', { 'Accept-Encoding': 'br' });
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.body.equals(first.body)).toBe(true);
    expect(zlib.brotliDecompressSync(first.body).toString()).toBe(STYLE);
    writeFileSync(path.join(tree.root, 'zip', 'style.css'), `${STYLE}/* v2 */\n`);
    const third = await get('/zip/style.css', { 'Accept-Encoding': 'br' });
    expect(third.headers.etag).not.toBe(first.headers.etag);
    expect(zlib.brotliDecompressSync(third.body).toString()).toBe(`${STYLE}/* v2 */\n`);
  });

  it('concurrent first requests all get the right bytes', async () => {
    writeFileSync(
      path.join(tree.root, 'zip', 'busy.json'),
      JSON.stringify({ items: Array.from({ length: 500 }, (_, i) => i) }),
    );
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => get('/zip/busy.json', { 'Accept-Encoding': 'gzip' })),
    );
    for (const reply of replies) expect(JSON.parse(zlib.gunzipSync(reply.body).toString()).items).toHaveLength(500);
  });

  it.each([
    ['a file under 1 KiB', '/zip/tiny.css'],
    ['an image', '/zip/photo.png'],
  ])('not for %s', async (_label, file) => {
    const reply = await get(file, { 'Accept-Encoding': 'gzip, br' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBeUndefined();
  });
});

describe('both off', () => {
  it('siblings and compression are ignored, and there is no Vary', async () => {
    const reply = await get('/zip/app.js', { 'Accept-Encoding': 'gzip, br' }, plainServer);
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.headers.vary).toBeUndefined();
    expect(reply.body.toString()).toBe(SCRIPT);
  });
});
