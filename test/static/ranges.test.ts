// Range requests over real HTTP: single, suffix and open ranges, multipart/byteranges, 416, If-Range, from memory and from disk.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../../src/static/handler.ts';
import { createFixtureTree, type FixtureTree } from './fixture-tree.ts';
import { request } from './http-client.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let tree: FixtureTree;
let server: TestServer;
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
// Larger than the cache's per-file limit, so it always streams from disk.
const LARGE = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < LARGE.length; i++) LARGE[i] = i % 251;

beforeAll(async () => {
  tree = createFixtureTree();
  writeFileSync(path.join(tree.root, 'digits.txt'), DIGITS);
  writeFileSync(path.join(tree.root, 'large.bin'), LARGE);
  server = await startTestServer(createStaticHandler([{ prefix: '/', dir: tree.root }]));
});

afterAll(async () => {
  await server?.close();
  tree?.remove();
});

const get = (urlPath: string, headers: Record<string, string> = {}, method = 'GET') =>
  request(server.port, urlPath, method, headers);

// Each case runs three times: cold (streamed from disk), then twice more (admitted, then served from memory).
describe.each([1, 2, 3])('request %i for digits.txt', () => {
  it.each([
    ['bytes=0-4', '01234', 'bytes 0-4/36'],
    ['bytes=10-', 'abcdefghijklmnopqrstuvwxyz', 'bytes 10-35/36'],
    ['bytes=-3', 'xyz', 'bytes 33-35/36'],
    ['bytes=30-100', 'uvwxyz', 'bytes 30-35/36'],
    ['bytes=5-5', '5', 'bytes 5-5/36'],
    ['bytes=0-2,1-4', '01234', 'bytes 0-4/36'],
  ])('%s -> 206 %s', async (range, body, contentRange) => {
    const reply = await get('/digits.txt', { Range: range });
    expect(reply.status).toBe(206);
    expect(reply.body.toString()).toBe(body);
    expect(reply.headers['content-range']).toBe(contentRange);
    expect(reply.headers['content-length']).toBe(String(body.length));
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('several ranges -> multipart/byteranges', async () => {
    const reply = await get('/digits.txt', { Range: 'bytes=0-1, 10-12, -2' });
    expect(reply.status).toBe(206);
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(reply.headers['content-type'] ?? '')?.[1];
    expect(boundary).toBeDefined();
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    const text = reply.body.toString();
    const parts = text.split(`--${boundary}`).slice(1, -1);
    expect(parts.map((part) => /Content-Range: (.*)\r\n/.exec(part)?.[1])).toEqual([
      'bytes 0-1/36',
      'bytes 10-12/36',
      'bytes 34-35/36',
    ]);
    expect(parts.map((part) => part.split('\r\n\r\n')[1]?.replace(/\r\n$/, ''))).toEqual(['01', 'abc', 'yz']);
    expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });

  it.each(['bytes=36-', 'bytes=100-200', 'bytes=-0', 'bytes=5-2'])(
    '%s -> 416 with Content-Range bytes */36',
    async (range) => {
      const reply = await get('/digits.txt', { Range: range });
      expect(reply.status).toBe(416);
      expect(reply.headers['content-range']).toBe('bytes */36');
    },
  );

  it.each(['bytes=abc', 'items=0-3', 'bytes=0-35'])('%s -> 200 with the whole file', async (range) => {
    const reply = await get('/digits.txt', { Range: range });
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe(DIGITS);
  });
});

describe('If-Range', () => {
  it('a matching ETag or date gives the range; another one the whole file', async () => {
    const { etag, 'last-modified': lastModified } = (await get('/digits.txt')).headers;
    expect((await get('/digits.txt', { Range: 'bytes=0-1', 'If-Range': etag! })).status).toBe(206);
    expect((await get('/digits.txt', { Range: 'bytes=0-1', 'If-Range': lastModified! })).status).toBe(206);
    const stale = await get('/digits.txt', { Range: 'bytes=0-1', 'If-Range': '"stale"' });
    expect(stale.status).toBe(200);
    expect(stale.body.toString()).toBe(DIGITS);
    expect((await get('/digits.txt', { Range: 'bytes=0-1', 'If-Range': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status).toBe(
      200,
    );
  });
});

describe('a large file streamed from disk', () => {
  it('serves an inner range, a suffix and several ranges byte-exact', async () => {
    const inner = await get('/large.bin', { Range: 'bytes=1000000-1999999' });
    expect(inner.status).toBe(206);
    expect(inner.body.equals(LARGE.subarray(1_000_000, 2_000_000))).toBe(true);
    const suffix = await get('/large.bin', { Range: 'bytes=-10' });
    expect(suffix.body.equals(LARGE.subarray(LARGE.length - 10))).toBe(true);
    const multi = await get('/large.bin', { Range: 'bytes=0-9,2000000-2000009' });
    expect(multi.status).toBe(206);
    expect(multi.headers['content-length']).toBe(String(multi.body.length));
    expect(multi.body.includes(LARGE.subarray(2_000_000, 2_000_010))).toBe(true);
  });

  it('HEAD with a Range gets the full headers and no body', async () => {
    const reply = await get('/large.bin', { Range: 'bytes=0-9' }, 'HEAD');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe(String(LARGE.length));
    expect(reply.body.length).toBe(0);
  });
});
