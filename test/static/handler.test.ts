// Serves a real fixture tree through node:http: types and headers, HEAD, index files, fall-throughs, symlinks, aborts.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../../src/static/handler.ts';
import { BIG_FILE_SIZE, createFixtureTree, openDescriptorsOf, type FixtureTree } from './fixture-tree.ts';
import { request } from './http-client.ts';
import { FALL_THROUGH_BODY, startTestServer, type TestServer } from './test-server.ts';

let tree: FixtureTree;
let server: TestServer;
const errors: unknown[] = [];

beforeAll(async () => {
  tree = createFixtureTree();
  const handler = createStaticHandler(
    [
      { prefix: '/static', dir: tree.root },
      { prefix: '/static/deep', dir: path.join(tree.root, 'dir') },
      { prefix: '/missing-dir', dir: path.join(tree.base, 'does-not-exist') },
    ],
    { onError: (error) => errors.push(error) },
  );
  server = await startTestServer(handler);
});

afterAll(async () => {
  await server?.close();
  tree?.remove();
});

const get = (urlPath: string, method = 'GET') => request(server.port, urlPath, method);

async function expectFallThrough(urlPath: string, method = 'GET') {
  const reply = await get(urlPath, method);
  expect(reply.status, urlPath).toBe(404);
  expect(reply.headers['x-fell-through'], urlPath).toBe('1');
  if (method !== 'HEAD') expect(reply.body.toString()).toBe(FALL_THROUGH_BODY);
}

describe('content types and headers', () => {
  it.each([
    ['/static/index.html', 'text/html; charset=utf-8'],
    ['/static/style.css', 'text/css; charset=utf-8'],
    ['/static/app.js', 'text/javascript; charset=utf-8'],
    ['/static/data.json', 'application/json; charset=utf-8'],
    ['/static/logo.svg', 'image/svg+xml'],
    ['/static/pixel.png', 'image/png'],
    ['/static/a.txt', 'text/plain; charset=utf-8'],
    ['/static/blob.unknownext', 'application/octet-stream'],
  ])('%s is %s', async (urlPath, type) => {
    const reply = await get(urlPath);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe(type);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends the exact bytes with Content-Length and Last-Modified', async () => {
    const reply = await get('/static/a.txt');
    expect(reply.body.toString()).toBe('hello text\n');
    expect(reply.headers['content-length']).toBe(String(reply.body.length));
    const mtime = statSync(path.join(tree.root, 'a.txt')).mtime;
    expect(reply.headers['last-modified']).toBe(mtime.toUTCString());
  });

  it('answers a cached file synchronously, with no promise for the pipeline to wait on', async () => {
    const results: unknown[] = [];
    const handler = createStaticHandler([{ prefix: '/', dir: tree.root }]);
    const recording = await startTestServer((req, res) => {
      const result = handler(req, res);
      results.push(result);
      return result;
    });
    try {
      // Cold (streamed), admitted to the cache (read whole), then hits: GET, HEAD, a 304, a range.
      for (let i = 0; i < 2; i++) await request(recording.port, '/a.txt');
      const hit = await request(recording.port, '/a.txt');
      expect(hit.body.toString()).toBe('hello text\n');
      expect((await request(recording.port, '/a.txt', 'HEAD')).status).toBe(200);
      const etag = String(hit.headers.etag);
      expect((await request(recording.port, '/a.txt', 'GET', { 'If-None-Match': etag })).status).toBe(304);
      const range = await request(recording.port, '/a.txt', 'GET', { Range: 'bytes=0-4' });
      expect(range.body.toString()).toBe('hello');
      expect(results.slice(0, 2).every((result) => result instanceof Promise)).toBe(true);
      expect(results.slice(2)).toEqual([true, true, true, true]);
    } finally {
      await recording.close();
    }
  });

  it('sends every byte value of a small binary file unchanged, cold and from the cache', async () => {
    // A small cached body goes out as a latin1 string: bytes 0x80-0xff must not become UTF-8 sequences.
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));
    writeFileSync(path.join(tree.root, 'bytes.bin'), bytes);
    for (let i = 0; i < 4; i++) {
      const reply = await get('/static/bytes.bin');
      expect(reply.headers['content-length']).toBe('512');
      expect(reply.body.equals(bytes)).toBe(true);
    }
  });

  it('sends an empty file', async () => {
    const reply = await get('/static/empty.txt');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe('0');
    expect(reply.body.length).toBe(0);
  });

  it('decodes names and ignores the query string', async () => {
    expect((await get('/static/a%20b.txt')).body.toString()).toBe('spaced\n');
    expect((await get('/static/caf%C3%A9.txt')).body.toString()).toBe('unicode\n');
    expect((await get('/static/a.txt?v=3&x=../../etc/passwd')).body.toString()).toBe('hello text\n');
  });

  it('answers HEAD with the headers and no body', async () => {
    const reply = await get('/static/style.css', 'HEAD');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe(String(Buffer.byteLength('body { color: red; }\n')));
    expect(reply.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(reply.body.length).toBe(0);
  });

  it('uses the longest mount', async () => {
    expect((await get('/static/deep/page.txt')).body.toString()).toBe('page\n');
  });
});

describe('directories', () => {
  it.each(['/static/', '/static/dir/', '/static/link-dir/', '/static/dir/?v=1'])(
    '%s serves its index.html',
    async (urlPath) => {
      const reply = await get(urlPath);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.body.toString()).toMatch(/index/);
    },
  );

  it.each([
    ['/static', '/static/'],
    ['/static/dir', '/static/dir/'],
    ['/static/link-dir', '/static/link-dir/'],
    ['/static/dir?v=1&x=%2F', '/static/dir/?v=1&x=%2F'],
    ['/static/deep', '/static/deep/'],
    ['/static/caf%C3%A9-dir', '/static/caf%C3%A9-dir/'],
  ])('%s (a directory, no trailing slash) is redirected to %s', async (urlPath, location) => {
    for (const method of ['GET', 'HEAD']) {
      const reply = await get(urlPath, method);
      expect(reply.status).toBe(301);
      expect(reply.headers.location).toBe(location);
      expect(reply.body.length).toBe(0);
    }
  });

  it('a directory without index.html falls through, with or without the slash', async () => {
    await expectFallThrough('/static/noindex/');
    await expectFallThrough('/static/noindex');
  });
});

describe('fall-through', () => {
  it.each([
    '/static/nope.txt',
    '/static/nope/',
    '/static/a.txt/x',
    '/elsewhere/a.txt',
    '/staticky/a.txt',
    '/missing-dir/a.txt',
  ])('%s falls through', async (urlPath) => {
    await expectFallThrough(urlPath);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('%s falls through even for an existing file', async (method) => {
    await expectFallThrough('/static/a.txt', method);
  });

  it.each(['/static/.env', '/static/.git/config', '/static/sub/.hidden', '/static/.well-known/acme-challenge/t'])(
    'dotfile %s falls through',
    async (urlPath) => {
      await expectFallThrough(urlPath);
    },
  );

  it('serves the visible neighbour of a hidden file', async () => {
    expect((await get('/static/sub/visible.txt')).status).toBe(200);
  });

  it('a FIFO inside the root falls through without blocking', async (context) => {
    if (!tree.hasFifo) context.skip();
    await expectFallThrough('/static/fifo');
  });
});

describe('symlinks', () => {
  it('a symlink to a file inside the root is served', async () => {
    const reply = await get('/static/link-in.txt');
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('hello text\n');
  });

  it.each([
    '/static/link-out.txt',
    '/static/abs-link-out.html',
    '/static/dir-out/secret.txt',
    '/static/dir-out/',
    '/static/link-sibling.txt',
    '/static/link-dotenv.txt',
    '/static/escaping-index/',
    '/static/dangling.txt',
    '/static/loop-a',
  ])('%s is not served', async (urlPath) => {
    await expectFallThrough(urlPath);
  });

  it('the sibling directory sharing the root prefix is never reached', async () => {
    expect((await get('/static/../static-private/key.txt')).status).toBe(400);
    expect((await get('/static/%2e%2e/static-private/key.txt')).status).toBe(400);
    await expectFallThrough('/static-private/key.txt');
  });
});

describe('large downloads', () => {
  it('streams 8 MiB in full', async () => {
    const reply = await get('/static/big.bin');
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(BIG_FILE_SIZE);
    expect(reply.headers['content-length']).toBe(String(BIG_FILE_SIZE));
  });

  it('a client aborting mid-way leaves no open file and the server keeps serving', async () => {
    const bigFile = path.join(tree.root, 'big.bin');
    const openDuringDownload: number[] = [];
    // A cache of 16 MiB keeps bodies up to 4 MiB: the 8 MiB file streams from disk on every request.
    const streaming = await startTestServer(
      createStaticHandler([{ prefix: '/static', dir: tree.root }], {
        cacheSize: 16 * 1024 * 1024,
        onError: (error) => errors.push(error),
      }),
    );
    for (let round = 0; round < 3; round += 1) {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(
          { host: '127.0.0.1', port: streaming.port, path: '/static/big.bin', agent: false },
          (res) => {
            res.once('data', () => {
              // The server is mid-file: its descriptor is open, which is what must be released.
              openDuringDownload.push(openDescriptorsOf(bigFile).length);
              req.destroy();
              resolve();
            });
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => {
          if (!req.destroyed) reject(error);
        });
      });
    }
    await streaming.idle();
    if (process.platform === 'linux') expect(openDuringDownload.every((count) => count > 0)).toBe(true);
    await expect.poll(() => openDescriptorsOf(bigFile), { timeout: 5_000 }).toEqual([]);
    expect((await request(streaming.port, '/static/a.txt')).status).toBe(200);
    await streaming.close();
    expect(errors).toEqual([]);
  });

  it('a large file asked for a second time is sent from memory after that: byte-exact, no file open', async () => {
    const bigFile = path.join(tree.root, 'big.bin');
    const expected = readFileSync(bigFile);
    // The default cache (64 MiB) keeps bodies up to 16 MiB: the first request streams; of the six that come together
    // next, one reads it in and the others stream meanwhile (one body read per file at a time); all are byte-exact.
    expect((await get('/static/big.bin')).body.equals(expected)).toBe(true);
    const together = await Promise.all(Array.from({ length: 6 }, () => get('/static/big.bin')));
    expect(together.every((reply) => reply.body.equals(expected))).toBe(true);
    const openAtFirstByte = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: '/static/big.bin', agent: false }, (res) => {
        res.once('data', () => {
          resolve(openDescriptorsOf(bigFile).length);
          res.resume();
        });
      });
      req.on('error', reject);
    });
    if (process.platform === 'linux') expect(openAtFirstByte).toBe(0);
    expect((await get('/static/big.bin')).body.equals(expected)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('different files streamed at once, between aborted downloads, arrive byte-exact', async () => {
    // Random bytes, sizes past the 1 MiB cache limit and off any chunk boundary: a read buffer shared between two
    // sends, or reused while a write of it is still queued, would show as foreign or repeated bytes.
    const files = [1.5 * 1024 * 1024 + 7, 2 * 1024 * 1024 + 13, 3 * 1024 * 1024 + 1].map((size, index) => {
      const name = `random-${index}.bin`;
      const bytes = randomBytes(size);
      writeFileSync(path.join(tree.root, name), bytes);
      return { urlPath: `/static/${name}`, bytes };
    });
    const abort = (urlPath: string) =>
      new Promise<void>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: server.port, path: urlPath, agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => resolve());
      });
    for (let round = 0; round < 2; round += 1) {
      const [replies] = await Promise.all([
        Promise.all([...files, ...files].map((file) => get(file.urlPath))),
        Promise.all(files.map((file) => abort(file.urlPath))),
      ]);
      for (const [index, file] of [...files, ...files].entries()) {
        expect(replies[index]!.body.length).toBe(file.bytes.length);
        expect(replies[index]!.body.equals(file.bytes)).toBe(true);
      }
    }
    await server.idle();
    expect(errors).toEqual([]);
  });
});
