// A deploy that flips a symlinked root (`current -> releases/N`) between requests: the next request serves the new release.
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../../src/static/handler.ts';
import { request } from './http-client.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let base: string;
let server: TestServer;
const errors: unknown[] = [];

/** Writes releases/<n>/public/{a.txt, only-<n>.txt}. */
function release(n: number): void {
  const dir = path.join(base, 'releases', String(n), 'public');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'a.txt'), `release ${n}\n`);
  writeFileSync(path.join(dir, `only-${n}.txt`), `only in ${n}\n`);
}

/** Points `current` at releases/<n> atomically, as deploy tools do (new link, then rename over the old one). */
function flip(n: number): void {
  const next = path.join(base, `current.${n}.tmp`);
  symlinkSync(path.join('releases', String(n)), next);
  renameSync(next, path.join(base, 'current'));
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'corral-static-swap-'));
  for (const n of [1, 2, 3]) release(n);
  flip(1);
  server = await startTestServer(
    createStaticHandler(
      [
        { prefix: '/root', dir: path.join(base, 'current') },
        { prefix: '/below', dir: path.join(base, 'current', 'public') },
      ],
      { onError: (error) => errors.push(error) },
    ),
  );
});

afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

const body = async (urlPath: string) => {
  const reply = await request(server.port, urlPath);
  return `${reply.status} ${reply.headers['x-fell-through'] === '1' ? 'app' : reply.body.toString().trim()}`;
};

describe('a symlinked root flipped between requests', () => {
  it.each([
    ['the symlink itself', '/root/public'],
    ['a directory below the symlink', '/below'],
  ])('serves the new release when the mount is %s', async (_label, prefix) => {
    flip(1);
    expect(await body(`${prefix}/a.txt`)).toBe('200 release 1');
    expect(await body(`${prefix}/only-2.txt`)).toBe('404 app');

    flip(2);
    expect(await body(`${prefix}/a.txt`)).toBe('200 release 2');
    expect(await body(`${prefix}/only-2.txt`)).toBe('200 only in 2');
    expect(await body(`${prefix}/only-1.txt`)).toBe('404 app');

    flip(3);
    expect(await body(`${prefix}/only-3.txt`)).toBe('200 only in 3');
    expect(await body(`${prefix}/a.txt`)).toBe('200 release 3');
    expect(errors).toEqual([]);
  });

  it('still refuses a symlink that leads out of the new release', async () => {
    flip(2);
    symlinkSync(
      path.join(base, 'releases', '1', 'public', 'a.txt'),
      path.join(base, 'releases', '2', 'public', 'old.txt'),
    );
    expect(await body('/below/old.txt')).toBe('404 app');
    expect(await body('/below/a.txt')).toBe('200 release 2');
  });
});
