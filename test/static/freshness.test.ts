// Files created, changed, replaced or deleted after start are served as they now are, even once held in the memory cache.
import { mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../../src/static/handler.ts';
import { createFixtureTree, type FixtureTree } from './fixture-tree.ts';
import { request } from './http-client.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let tree: FixtureTree;
let server: TestServer;
let uncached: TestServer;

beforeAll(async () => {
  tree = createFixtureTree();
  mkdirSync(path.join(tree.root, 'live'));
  server = await startTestServer(createStaticHandler([{ prefix: '/', dir: tree.root }]));
  uncached = await startTestServer(createStaticHandler([{ prefix: '/', dir: tree.root }], { cacheSize: 0 }));
});

afterAll(async () => {
  await server?.close();
  await uncached?.close();
  tree?.remove();
});

const live = (name: string) => path.join(tree.root, 'live', name);

describe.each([
  ['with the memory cache', () => server],
  ['with static-cache-size 0', () => uncached],
])('%s', (_label, on) => {
  const get = (urlPath: string) => request(on().port, urlPath);
  // Three requests: cold, admitted to the cache, served from it.
  const warm = async (urlPath: string) => {
    for (let i = 0; i < 3; i++) await get(urlPath);
  };

  it('a changed file is served whole, with its new length and validators', async () => {
    writeFileSync(live('c.txt'), 'short');
    await warm('/live/c.txt');
    const before = await get('/live/c.txt');
    writeFileSync(live('c.txt'), 'a much longer content now');
    const after = await get('/live/c.txt');
    expect(after.body.toString()).toBe('a much longer content now');
    expect(after.headers['content-length']).toBe('25');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('a file replaced by rename (an atomic deploy) is served as the new one, same size or not', async () => {
    writeFileSync(live('r.txt'), 'version-1');
    await warm('/live/r.txt');
    writeFileSync(live('r.tmp'), 'version-2');
    renameSync(live('r.tmp'), live('r.txt'));
    expect((await get('/live/r.txt')).body.toString()).toBe('version-2');
  });

  it('a deleted file falls through; a re-created one is served again', async () => {
    writeFileSync(live('d.txt'), 'here');
    await warm('/live/d.txt');
    unlinkSync(live('d.txt'));
    expect((await get('/live/d.txt')).headers['x-fell-through']).toBe('1');
    writeFileSync(live('d.txt'), 'back');
    expect((await get('/live/d.txt')).body.toString()).toBe('back');
  });

  it('a file and a directory created after start are served', async () => {
    const name = `newdir-${on().port}`;
    expect((await get(`/live/${name}/`)).headers['x-fell-through']).toBe('1');
    mkdirSync(live(name));
    writeFileSync(live(`${name}/index.html`), '<p>new</p>');
    expect((await get(`/live/${name}/`)).body.toString()).toBe('<p>new</p>');
  });

  it('an index that appears before the cached one takes over', async () => {
    rmSync(live('idx'), { recursive: true, force: true });
    mkdirSync(live('idx'));
    writeFileSync(live('idx/index.html'), 'html');
    await warm('/live/idx/');
    unlinkSync(live('idx/index.html'));
    expect((await get('/live/idx/')).headers['x-fell-through']).toBe('1');
  });

  it('a symlinked file re-pointed elsewhere inside the root is served as its new target', async () => {
    writeFileSync(live('t1.txt'), 'target one');
    writeFileSync(live('t2.txt'), 'target two');
    symlinkSync('t1.txt', live(`l-${on().port}.txt`));
    await warm(`/live/l-${on().port}.txt`);
    unlinkSync(live(`l-${on().port}.txt`));
    symlinkSync('t2.txt', live(`l-${on().port}.txt`));
    expect((await get(`/live/l-${on().port}.txt`)).body.toString()).toBe('target two');
  });
});
