// Races the disk against the handler: files deleted, swapped or truncated between lookup and send never crash the server.
import { mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createStaticHandler } from '../../src/static/handler.ts';
import { openDescriptorsOf } from './fixture-tree.ts';
import { request } from './http-client.ts';
import { startTestServer, type TestServer } from './test-server.ts';

// Hooks the lookup's open() so a test can act between stat() and open(), or between fstat() and the read.
const hooks = vi.hoisted(() => ({
  beforeOpen: undefined as ((file: string) => void) | undefined,
  afterFstat: undefined as ((file: string) => void) | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (file, ...rest) => {
    hooks.beforeOpen?.(String(file));
    const handle = await actual.open(file, ...rest);
    const realStat = handle.stat.bind(handle);
    handle.stat = (async (options?: { bigint?: boolean }) => {
      const stats = await realStat(options as { bigint: false });
      hooks.afterFstat?.(String(file));
      return stats;
    }) as typeof handle.stat;
    return handle;
  };
  return { ...actual, open, default: { ...actual, open } };
});

let root: string;
let server: TestServer;
const errors: unknown[] = [];
const FILE_SIZE = 2 * 1024 * 1024;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'corral-static-race-'));
  server = await startTestServer(
    createStaticHandler([{ prefix: '/', dir: root }], { onError: (error) => errors.push(error) }),
  );
});

afterEach(() => {
  hooks.beforeOpen = undefined;
  hooks.afterFstat = undefined;
  errors.length = 0;
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (urlPath: string) => request(server.port, urlPath);

it('a file deleted between stat and open falls through', async () => {
  const file = path.join(root, 'gone.txt');
  writeFileSync(file, 'soon gone\n');
  hooks.beforeOpen = (opened) => {
    if (opened === file) unlinkSync(opened);
  };
  const reply = await get('/gone.txt');
  expect(reply.status).toBe(404);
  expect(reply.headers['x-fell-through']).toBe('1');
  expect(errors).toEqual([]);
});

it('a file swapped for a FIFO between stat and open falls through without blocking', async (context) => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore', timeout: 5_000 });
  } catch {
    context.skip();
  }
  const file = path.join(root, 'swapped.txt');
  writeFileSync(file, 'regular\n');
  hooks.beforeOpen = (opened) => {
    if (opened !== file) return;
    unlinkSync(opened);
    execFileSync('mkfifo', [opened], { timeout: 5_000 });
  };
  const reply = await get('/swapped.txt');
  expect(reply.status).toBe(404);
  expect(openDescriptorsOf(file)).toEqual([]);
});

it('a file replaced by another regular file (atomic deploy) is served as it now is', async () => {
  const file = path.join(root, 'deploy.txt');
  writeFileSync(file, 'old\n');
  hooks.beforeOpen = (opened) => {
    if (opened !== file) return;
    renameSync(opened, `${opened}.old`);
    writeFileSync(opened, 'new version\n');
  };
  const reply = await get('/deploy.txt');
  expect(reply.status).toBe(200);
  expect(reply.body.toString()).toBe('new version\n');
  expect(reply.headers['content-length']).toBe('12');
});

it('a file truncated mid-way cuts the connection, reports the error, and the server keeps serving', async () => {
  const file = path.join(root, 'shrinking.bin');
  writeFileSync(file, Buffer.alloc(FILE_SIZE, 1));
  writeFileSync(path.join(root, 'ok.txt'), 'still here\n');
  hooks.afterFstat = (opened) => {
    if (opened === file) truncateSync(opened, 1000);
  };
  const outcome = await new Promise<{ status: number; received: number; complete: boolean }>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/shrinking.bin', agent: false }, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      res.on('error', () => {});
      res.on('close', () => resolve({ status: res.statusCode ?? 0, received, complete: res.complete }));
    });
    req.on('error', () => {});
  });
  expect(outcome.status).toBe(200);
  expect(outcome.complete).toBe(false);
  expect(outcome.received).toBeLessThan(FILE_SIZE);
  await server.idle();
  expect(errors).toHaveLength(1);
  expect(String(errors[0])).toMatch(/file ended after 1000 of 2097152 bytes/);
  expect(openDescriptorsOf(file)).toEqual([]);
  expect((await get('/ok.txt')).body.toString()).toBe('still here\n');
});
