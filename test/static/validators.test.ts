// Validators over real HTTP: strong ETag and Last-Modified on every file, 304 for If-None-Match/If-Modified-Since, 412 for failed If-Match/If-Unmodified-Since.
import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../../src/static/handler.ts';
import { createFixtureTree, type FixtureTree } from './fixture-tree.ts';
import { request } from './http-client.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let tree: FixtureTree;
let server: TestServer;
const MTIME = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));

beforeAll(async () => {
  tree = createFixtureTree();
  utimesSync(path.join(tree.root, 'a.txt'), MTIME, MTIME);
  server = await startTestServer(createStaticHandler([{ prefix: '/', dir: tree.root }]));
});

afterAll(async () => {
  await server?.close();
  tree?.remove();
});

const get = (urlPath: string, headers: Record<string, string> = {}, method = 'GET') =>
  request(server.port, urlPath, method, headers);

describe('validators', () => {
  it('every file has a strong ETag, Last-Modified and Accept-Ranges', async () => {
    for (const file of ['/a.txt', '/pixel.png', '/dir/', '/big.bin', '/empty.txt']) {
      const reply = await get(file);
      expect(reply.status, file).toBe(200);
      expect(reply.headers.etag, file).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect(reply.headers['last-modified'], file).toBeDefined();
      expect(reply.headers['accept-ranges'], file).toBe('bytes');
    }
    expect((await get('/a.txt')).headers['last-modified']).toBe(MTIME.toUTCString());
  });

  it('the ETag is the same on each request and for HEAD', async () => {
    const first = await get('/a.txt');
    const second = await get('/a.txt');
    const head = await get('/a.txt', {}, 'HEAD');
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(head.headers.etag).toBe(first.headers.etag);
  });

  it('without static-expires, caches are told to revalidate', async () => {
    expect((await get('/a.txt')).headers['cache-control']).toBe('no-cache');
  });
});

describe('304 Not Modified', () => {
  it.each([
    ['the same ETag', (etag: string) => ({ 'If-None-Match': etag })],
    ['the ETag among others', (etag: string) => ({ 'If-None-Match': `"nope", ${etag}` })],
    ['a weak form of the ETag', (etag: string) => ({ 'If-None-Match': `W/${etag}` })],
    ['*', () => ({ 'If-None-Match': '*' })],
    ['If-Modified-Since equal', () => ({ 'If-Modified-Since': MTIME.toUTCString() })],
    ['If-Modified-Since later', () => ({ 'If-Modified-Since': new Date(MTIME.getTime() + 60_000).toUTCString() })],
  ])('for %s, with no body', async (_label, headers) => {
    const { etag } = (await get('/a.txt')).headers;
    for (const method of ['GET', 'HEAD']) {
      const reply = await get('/a.txt', headers(etag!), method);
      expect(reply.status).toBe(304);
      expect(reply.body.length).toBe(0);
      expect(reply.headers.etag).toBe(etag);
      expect(reply.headers['content-length']).toBeUndefined();
    }
  });

  it.each([
    ['another ETag', { 'If-None-Match': '"0-0"' }],
    ['an older date', { 'If-Modified-Since': new Date(MTIME.getTime() - 1000).toUTCString() }],
    ['an unparsable date', { 'If-Modified-Since': 'yesterday' }],
    [
      'If-None-Match beats a matching date',
      { 'If-None-Match': '"0-0"', 'If-Modified-Since': new Date(MTIME.getTime() + 1000).toUTCString() },
    ],
  ])('not for %s: 200 with the body', async (_label, headers) => {
    const reply = await get('/a.txt', headers);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('hello text\n');
  });
});

describe('412 Precondition Failed', () => {
  it('If-Match that does not match', async () => {
    const reply = await get('/a.txt', { 'If-Match': '"other"' });
    expect(reply.status).toBe(412);
    expect(reply.body.length).toBe(0);
  });

  it('If-Match with a weak tag never matches (strong comparison)', async () => {
    const { etag } = (await get('/a.txt')).headers;
    expect((await get('/a.txt', { 'If-Match': `W/${etag}` })).status).toBe(412);
    expect((await get('/a.txt', { 'If-Match': etag! })).status).toBe(200);
    expect((await get('/a.txt', { 'If-Match': '*' })).status).toBe(200);
  });

  it('If-Unmodified-Since before the change', async () => {
    expect(
      (await get('/a.txt', { 'If-Unmodified-Since': new Date(MTIME.getTime() - 1000).toUTCString() })).status,
    ).toBe(412);
    expect((await get('/a.txt', { 'If-Unmodified-Since': MTIME.toUTCString() })).status).toBe(200);
  });
});

it('a changed file gets new validators, and the old ETag no longer gives a 304', async () => {
  const file = path.join(tree.root, 'changing.txt');
  writeFileSync(file, 'one');
  const before = await get('/changing.txt');
  await get('/changing.txt'); // twice: now in the memory cache
  writeFileSync(file, 'two, longer');
  const after = await get('/changing.txt', { 'If-None-Match': before.headers.etag! });
  expect(after.status).toBe(200);
  expect(after.body.toString()).toBe('two, longer');
  expect(after.headers['content-length']).toBe('11');
  expect(after.headers.etag).not.toBe(before.headers.etag);
});
