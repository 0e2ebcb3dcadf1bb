// The static settings over real HTTP: static-index, static-expires, check-static, static-fallback, static-safe, and methods.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler } from '../../src/static/handler.ts';
import { MISS_MEMO_MS } from '../../src/static/miss-memo.ts';
import { createFixtureTree, type FixtureTree } from './fixture-tree.ts';
import { request } from './http-client.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let tree: FixtureTree;
let server: TestServer;
let safeServer: TestServer;
const HTML = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

beforeAll(async () => {
  tree = createFixtureTree();
  const file = (relative: string, content: string) => {
    mkdirSync(path.dirname(path.join(tree.base, relative)), { recursive: true });
    writeFileSync(path.join(tree.base, relative), content);
  };
  file('static/docs/index.htm', 'htm index');
  file('static/both/index.htm', 'htm');
  file('static/both/default.html', 'default');
  file('static/assets/app.1234.js', 'hashed');
  file('checked/robots.txt', 'User-agent: *');
  file('checked/a.txt', 'shadowed by the mount');
  file('spa/index.html', '<div id=app></div>');
  file('shared/lib.js', 'shared library');
  symlinkSync(path.join(tree.base, 'shared', 'lib.js'), path.join(tree.root, 'lib.js'));
  const options = {
    indexes: ['index.html', 'index.htm'],
    expires: [
      { pattern: '\\.\\d+\\.js$', seconds: 31_536_000 },
      { pattern: '\\.css$', seconds: 60 },
    ],
    checkStatic: [path.join(tree.base, 'checked')],
    fallback: [{ prefix: '/app', file: path.join(tree.base, 'spa', 'index.html') }],
  };
  server = await startTestServer(createStaticHandler([{ prefix: '/s', dir: tree.root }], options));
  safeServer = await startTestServer(
    createStaticHandler([{ prefix: '/s', dir: tree.root }], { safe: [path.join(tree.base, 'shared')] }),
  );
});

afterAll(async () => {
  await server?.close();
  await safeServer?.close();
  tree?.remove();
});

const get = (urlPath: string, headers: Record<string, string> = {}, method = 'GET', on = () => server) =>
  request(on().port, urlPath, method, headers);

describe('static-index', () => {
  it('tries the names in order', async () => {
    expect((await get('/s/docs/')).body.toString()).toBe('htm index');
    expect((await get('/s/dir/')).body.toString()).toBe('<p>dir index</p>\n');
  });
  it('a directory without the slash gets a 301; one with no index falls through', async () => {
    const reply = await get('/s/docs?x=1');
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('/s/docs/?x=1');
    expect((await get('/s/noindex/')).headers['x-fell-through']).toBe('1');
    expect((await get('/s/both/')).body.toString()).toBe('htm');
  });
});

describe('static-expires', () => {
  it('a matching file gets max-age and an Expires that far ahead', async () => {
    const reply = await get('/s/assets/app.1234.js');
    expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const ahead = Date.parse(reply.headers.expires!) - Date.parse(reply.headers.date!);
    expect(Math.abs(ahead - 31_536_000_000)).toBeLessThanOrEqual(2000);
  });
  it('the first matching rule wins, others revalidate', async () => {
    expect((await get('/s/style.css')).headers['cache-control']).toBe('public, max-age=60');
    expect((await get('/s/a.txt')).headers['cache-control']).toBe('no-cache');
    expect((await get('/s/a.txt')).headers.expires).toBeUndefined();
  });
  it('a 304 repeats Cache-Control and Expires', async () => {
    const { etag } = (await get('/s/style.css')).headers;
    const reply = await get('/s/style.css', { 'If-None-Match': etag! });
    expect(reply.status).toBe(304);
    expect(reply.headers['cache-control']).toBe('public, max-age=60');
    expect(reply.headers.expires).toBeDefined();
  });
});

describe('check-static', () => {
  it('serves any path found under DIR when no mount has it', async () => {
    expect((await get('/robots.txt')).body.toString()).toBe('User-agent: *');
    expect((await get('/nothing-here.txt')).headers['x-fell-through']).toBe('1');
  });
  it('hostile paths are refused there too', async () => {
    expect((await get('/../static/a.txt')).status).toBe(400);
    expect((await get('/.env')).headers['x-fell-through']).toBe('1');
  });
  it('a file that appears after a miss is served once the miss memo runs out; under a mount at once', async () => {
    expect((await get('/late.txt')).headers['x-fell-through']).toBe('1');
    writeFileSync(path.join(tree.base, 'checked', 'late.txt'), 'late');
    // Within MISS_MEMO_MS the miss is believed (an app's pages under check-static pay no stat each).
    expect((await get('/late.txt')).headers['x-fell-through']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, MISS_MEMO_MS + 20));
    expect((await get('/late.txt')).body.toString()).toBe('late');
    // A static-map mount keeps no memo: a file there is served the moment it exists.
    expect((await get('/s/late-mounted.txt')).headers['x-fell-through']).toBe('1');
    writeFileSync(path.join(tree.root, 'late-mounted.txt'), 'at once');
    expect((await get('/s/late-mounted.txt')).body.toString()).toBe('at once');
  });
});

describe('static-fallback', () => {
  it('an HTML navigation under the prefix that matches no file gets the page', async () => {
    for (const route of ['/app', '/app/', '/app/users/42', '/app/deep/link?q=1']) {
      const reply = await get(route, HTML);
      expect(reply.status, route).toBe(200);
      expect(reply.body.toString(), route).toBe('<div id=app></div>');
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    }
  });
  it('not for requests that do not accept HTML, nor outside the prefix, nor other methods', async () => {
    expect((await get('/app/missing.js', { Accept: '*/*' })).headers['x-fell-through']).toBe('1');
    expect((await get('/app/users/1')).headers['x-fell-through']).toBe('1');
    expect((await get('/application', HTML)).headers['x-fell-through']).toBe('1');
    expect((await get('/app/users/1', HTML, 'POST')).headers['x-fell-through']).toBe('1');
  });
});

describe('static-safe', () => {
  it('a symlink into a safe directory is served; without static-safe it is refused', async () => {
    expect((await get('/s/lib.js', {}, 'GET', () => safeServer)).body.toString()).toBe('shared library');
    expect((await get('/s/lib.js')).headers['x-fell-through']).toBe('1');
  });
  it('other symlinks out are still refused with static-safe', async () => {
    expect((await get('/s/link-out.txt', {}, 'GET', () => safeServer)).headers['x-fell-through']).toBe('1');
  });
});

describe('methods', () => {
  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])('%s on a file goes to the app', async (method) => {
    expect((await get('/s/a.txt', {}, method)).headers['x-fell-through']).toBe('1');
  });
});
