// The packed file source behind the real static handler, on 127.0.0.1: the same answers as from disk, bytes sent from the asset's memory.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../static/handler.ts';
import { request } from '../../test/static/http-client.ts';
import { startTestServer, type TestServer } from '../../test/static/test-server.ts';
import { staticKey, type PackManifest } from './manifest.ts';
import { packedFileSource } from './packed-files.ts';

const packDir = '/nonexistent/corral-pack-test';
const root = path.join(packDir, '.corral', 'static');
const STYLE = 'body { color: red; }\n'.repeat(200);
const assets = new Map<string, Buffer>([
  [staticKey(0, 'one.bin'), Buffer.from('0123456789abcdef'.repeat(64))],
  [staticKey(0, 'style.css'), Buffer.from(STYLE)],
  [staticKey(0, 'style.css.gz'), gzipSync(STYLE)],
  [staticKey(0, 'docs/index.html'), Buffer.from('<h1>docs</h1>')],
  [staticKey(0, '.hidden'), Buffer.from('secret')],
]);
const files = (dir: number) =>
  [...assets]
    .filter(([key]) => key.startsWith(`corral-pack/static/${dir}/`))
    .map(([key, bytes]) => ({
      path: key.slice(`corral-pack/static/${dir}/`.length),
      size: bytes.length,
      mtimeMs: 1.7e12,
    }));
const manifest: PackManifest = {
  format: 1,
  corral: '0.0.0',
  app: {},
  static: [files(0)],
  fallbacks: [],
  includes: [],
  cwdPaths: [],
};

let server: TestServer;
let reads = 0;

beforeAll(async () => {
  // Counts how often an asset is taken: the executable's pages are viewed once per file, then reused.
  const source = packedFileSource(manifest, packDir, (key) => {
    reads++;
    const bytes = assets.get(key);
    return bytes === undefined ? undefined : Buffer.from(bytes);
  });
  server = await startTestServer(createStaticHandler([{ prefix: '/p', dir: path.join(root, '0') }], { files: source }));
});

afterAll(async () => {
  await server?.close();
});

describe('packed files through the static handler', () => {
  it('serves bytes with ETag and Last-Modified, then 304 for the ETag', async () => {
    const first = await request(server.port, '/p/one.bin');
    expect(first.status).toBe(200);
    expect(first.body.equals(assets.get(staticKey(0, 'one.bin'))!)).toBe(true);
    expect(first.headers['last-modified']).toBe(new Date(1.7e12).toUTCString());
    const etag = first.headers.etag!;
    const again = await request(server.port, '/p/one.bin', 'GET', { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('answers ranges, single and multiple', async () => {
    const one = await request(server.port, '/p/one.bin', 'GET', { range: 'bytes=16-31' });
    expect(one.status).toBe(206);
    expect(one.body.toString()).toBe('0123456789abcdef');
    const two = await request(server.port, '/p/one.bin', 'GET', { range: 'bytes=0-1,1000-1001' });
    expect(two.status).toBe(206);
    expect(two.headers['content-type']).toMatch(/^multipart\/byteranges/);
  });

  it('sends a precompressed sibling, an index for a directory, and a redirect without the slash', async () => {
    const css = await request(server.port, '/p/style.css', 'GET', { 'accept-encoding': 'gzip' });
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.body.equals(assets.get(staticKey(0, 'style.css.gz'))!)).toBe(true);
    expect((await request(server.port, '/p/docs/')).body.toString()).toBe('<h1>docs</h1>');
    expect((await request(server.port, '/p/docs')).status).toBe(301);
  });

  it('compresses on the fly a file with no sibling for a coding it lacks', async () => {
    const br = await request(server.port, '/p/one.bin', 'GET', { 'accept-encoding': 'br' });
    expect(br.status).toBe(200); // application/octet-stream is not compressed: sent as it is
    expect(br.body.length).toBe(1024);
  });

  it('lets what is not packed fall through, hidden names included', async () => {
    expect((await request(server.port, '/p/missing.txt')).body.toString()).toBe('fell through to the app');
    expect((await request(server.port, '/p/.hidden')).body.toString()).toBe('fell through to the app');
  });

  it('takes each asset once, then sends from the same view', async () => {
    const before = reads;
    await request(server.port, '/p/one.bin');
    await request(server.port, '/p/one.bin');
    expect(reads).toBe(before);
  });
});
