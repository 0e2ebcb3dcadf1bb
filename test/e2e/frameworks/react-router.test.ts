// End to end: a React Router 7 (framework mode) app, built with `react-router build`, served by corral with 2 workers.
// corral recognises the build and serves it through its glue (react-router's createRequestHandler, as a `{ fetch }`
// app); build/client is served by corral's static path, the hashed /assets/ for a year.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClients } from '../../../bench/reload-clients.mjs';
import { builtApp } from '../../apps/frameworks.mjs';
import { send } from '../app-client.ts';
import { startCorral, stopAll, type Running } from '../harness.ts';
import { reloadOntoNewBuild } from './new-build.ts';
import { h2Request, makeTestCa } from '../tls-fixtures.ts';
import { hasChromium, openChromium } from '../../browser/chromium.ts';

const YEAR = 31_536_000;

let dir = '';
let corral: Running;

/** How a user starts corral on this project: its directory, which corral recognises (glue, static, cache rules). */
const args = (appDir: string) => [appDir, '--http', '127.0.0.1:0', '--processes', '2'];

beforeAll(async () => {
  dir = builtApp('react-router');
  corral = await startCorral(args(dir), { readyMs: 30_000, env: { NODE_ENV: undefined } });
}, 600_000);

afterAll(async () => {
  if (corral !== undefined && corral.child.exitCode === null) {
    process.kill(corral.pid, 'SIGTERM');
    await corral.exited(15_000).catch(() => undefined);
  }
  stopAll();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('React Router 7 framework mode through corral', () => {
  it('recognises the build in the directory it is given, and says so', () => {
    const starting = corral.logs.find((line) => line.msg === 'corral starting');
    expect(starting?.framework).toBe('React Router (build/server/index.js)');
  });

  it('renders the index route on the server with its loader data', async () => {
    const page = await send(corral.url, '/?name=ada');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const html = page.text();
    expect(html).toContain('<h1>Hello, ada, from the loader</h1>');
    expect(html).toContain('<title>corral test app</title>');
    expect(html).toContain('window.__reactRouterContext');
    // The loader ran in one of corral's workers.
    const workers = corral.logs.filter((line) => line.msg === 'worker ready').map((line) => line.workerPid);
    const pid = Number(/<span id="pid">(\d+)<\/span>/.exec(html)?.[1]);
    expect(workers).toContain(pid);
  });

  it('runs the route action for a <Form method="post"> sent over plain HTTP (no JavaScript)', async () => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const signed = await send(corral.url, '/guestbook', { method: 'POST', headers, body: 'name=Ada+Lovelace' });
    expect(signed.status).toBe(200);
    expect(signed.headers['content-type']).toMatch(/^text\/html/);
    expect(signed.text()).toContain('<p id="signed">Thanks for signing, Ada Lovelace</p>');
    const empty = await send(corral.url, '/guestbook', { method: 'POST', headers, body: 'name=' });
    expect(empty.text()).toContain('<p id="error">A name, please</p>');
    const form = await send(corral.url, '/guestbook');
    // Without JavaScript the form posts to its route, as a browser would send it.
    expect(form.text()).toMatch(/<form [^>]*action="\/guestbook" method="post">/);
  });

  it("answers a JSON POST from the resource route's action", async () => {
    const body = JSON.stringify({ greeting: 'hi', list: [1, 2, 3], nested: { ok: true } });
    const reply = await send(corral.url, '/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json()).toEqual({ method: 'POST', received: JSON.parse(body) });
  });

  it("serves the page's hashed /assets/ files from corral's static path, cacheable for a year", async () => {
    const html = (await send(corral.url, '/')).text();
    const assets = [...new Set(html.match(/\/assets\/[\w.-]+\.(?:js|css)/g))];
    expect(assets.some((path) => path.endsWith('.css'))).toBe(true);
    expect(assets.some((path) => path.startsWith('/assets/entry.client-'))).toBe(true);
    for (const path of assets) {
      const reply = await send(corral.url, path);
      expect(reply.status, path).toBe(200);
      expect(reply.body.equals(readFileSync(join(dir, 'build/client', path))), path).toBe(true);
      // A year's max-age (corral may add `immutable` to it): the rule's, not the revalidating default.
      expect(reply.headers['cache-control'], path).toMatch(new RegExp(`^public, max-age=${YEAR}(, immutable)?$`));
      const expires = Date.parse(String(reply.headers.expires));
      expect(expires - Date.now(), path).toBeGreaterThan((YEAR - 3600) * 1000);
      // corral's static path: byte ranges (React Router's handler answers no ranges; it has no route here at all).
      const range = await send(corral.url, path, { headers: { range: 'bytes=0-9' } });
      expect(range.status, path).toBe(206);
      expect(range.body.equals(reply.body.subarray(0, 10)), path).toBe(true);
    }
  });

  it("serves public/ files (copied to build/client) from corral's static path, with revalidation", async () => {
    const logo = await send(corral.url, '/logo.svg');
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toBe('image/svg+xml');
    expect(logo.body.equals(readFileSync(join(dir, 'public/logo.svg')))).toBe(true);
    expect(logo.headers['cache-control']).not.toContain('max-age');
    expect(logo.headers.etag).toBeDefined();
    expect(logo.headers['last-modified']).toBeDefined();
    const again = await send(corral.url, '/logo.svg', { headers: { 'if-none-match': String(logo.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('answers a redirect() from a loader with a 302 and its Location', async () => {
    const moved = await send(corral.url, '/old-home');
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toBe('/?name=redirected');
    expect((await send(corral.url, String(moved.headers.location))).text()).toContain('Hello, redirected');
  });

  it("answers an unknown path with a 404 rendered by the root ErrorBoundary; a missing asset is the app's 404 too", async () => {
    const missing = await send(corral.url, '/no/such/page');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    expect(missing.text()).toContain('The requested page could not be found.');
    const asset = await send(corral.url, '/assets/no-such-file-0000.js');
    expect(asset.status).toBe(404);
  });

  it('keeps every request answered through a rolling reload (SIGHUP) under load', { timeout: 60_000 }, async () => {
    const before = corral.logs.filter((line) => line.msg === 'worker ready').map((line) => line.workerPid);
    const load = startClients({ url: `${corral.url}/`, clients: 8, durationMs: 6000 });
    await sleep(1500);
    const sent = new Date().toISOString();
    process.kill(corral.pid, 'SIGHUP');
    const reloaded = await corral.waitFor((line) => line.msg === 'reloaded' && String(line.time) >= sent, 30_000);
    const counts = await load.done;
    console.log(`react-router, rolling reload under load: ${JSON.stringify(counts)}`);
    expect(counts.ok).toBeGreaterThan(50);
    expect(counts).toMatchObject({ failed: 0, refused: 0, status5xx: 0, errors: {} });
    const after = reloaded.workers as number[];
    expect(after).toHaveLength(2);
    for (const pid of after) expect(before).not.toContain(pid);
    // The new workers render the page.
    const pid = Number(/<span id="pid">(\d+)<\/span>/.exec((await send(corral.url, '/')).text())?.[1]);
    expect(after).toContain(pid);
  });
});

// In a real browser: the server-rendered page hydrates (its scripts and CSS come from corral's static path), after
// which client-side state, client-side navigation and a fetch-submitted <Form> work, with no console or page error.
// The same app and corral as above, so no second fork builds it.
if (!hasChromium)
  console.warn('/usr/bin/chromium is missing: the Chromium hydration test is skipped (apt-get install chromium)');

describe('React Router 7 over HTTPS with HTTP/2, through corral', () => {
  it('renders the page, runs a fetch-submitted action (Origin https://) and serves an asset over h2', async () => {
    const ca = makeTestCa('corral-rr-tls-');
    const tls = await startCorral([dir, '--https', `127.0.0.1:0,${ca.certFile},${ca.keyFile}`, '--processes', '1'], {
      readyMs: 30_000,
    });
    try {
      const ready = await tls.waitFor((line) => line.msg === 'ready');
      const port = String((ready.addresses as string[])[0])
        .split(':')
        .pop();
      const origin = `https://localhost:${port}`;
      const page = await h2Request(origin, ca.caPem, '/?name=h2');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<h1>Hello, h2, from the loader</h1>');
      // What the browser's router sends for <Form method="post"> once hydrated; React Router checks Origin against
      // the request's own origin (scheme included), so the worker must see https.
      const action = await h2Request(origin, ca.caPem, '/guestbook.data', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: 'name=Ada',
      });
      expect(action.status).toBe(200);
      expect(action.body).toContain('Thanks for signing, Ada');
      const css = /\/assets\/root-[\w-]+\.css/.exec(page.body)?.[0] ?? '/assets/missing.css';
      const asset = await h2Request(origin, ca.caPem, css);
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toMatch(new RegExp(`^public, max-age=${YEAR}`));
      expect(tls.stderr()).toBe('');
    } finally {
      process.kill(tls.pid, 'SIGTERM');
      await tls.exited(15_000).catch(() => undefined);
      rmSync(ca.dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasChromium)('React Router 7 hydration in Chromium, through corral', () => {
  it('hydrates: a counter click updates the page; then a client-side navigation and a <Form> submit', {
    timeout: 90_000,
  }, async () => {
    const { context, close } = await openChromium();
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
      const statuses: Array<[string, number]> = [];
      page.on('response', (response) => statuses.push([new URL(response.url()).pathname, response.status()]));

      const response = await page.goto(`${corral.url}/?name=browser`, { waitUntil: 'load', timeout: 20_000 });
      expect(response?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe('Hello, browser, from the loader');
      // The server rendered "no"; only React's effect after hydration turns it to "yes".
      await page.locator('main[data-hydrated="yes"]').waitFor({ timeout: 20_000 });
      const counter = page.locator('.counter');
      expect(await counter.textContent()).toBe('Clicked 0 times');
      const button = page.getByRole('button', { name: 'Add one' });
      await button.click();
      await button.click();
      await expect.poll(() => counter.textContent(), { timeout: 5000 }).toBe('Clicked 2 times');
      // The module scripts and the stylesheet came from corral's static path.
      const assets = statuses.filter(([path]) => path.startsWith('/assets/'));
      expect(assets.length).toBeGreaterThan(2);
      for (const [path, status] of assets) expect(status, path).toBe(200);

      // Client-side navigation (the router fetches /guestbook.data), then a <Form> the router submits with fetch.
      await page.getByRole('link', { name: 'Guestbook' }).click();
      await page.waitForURL(`${corral.url}/guestbook`, { timeout: 10_000 });
      await page.getByLabel('name').fill('Grace Hopper');
      await page.getByRole('button', { name: 'Sign' }).click();
      await expect
        .poll(() => page.locator('#signed').textContent(), { timeout: 10_000 })
        .toBe('Thanks for signing, Grace Hopper');
      expect(statuses.some(([path, status]) => path === '/guestbook.data' && status === 200)).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('React Router: a reload picks up a new build', () => {
  it('serves the new page and its new /assets/ route module after SIGHUP, no request failing', async () => {
    await reloadOntoNewBuild({
      name: 'react-router',
      title: 'React Router',
      nodeModules: 'symlink',
      // Text of the route component, so its client module (/assets/home-<hash>.js) changes too.
      edits: [{ file: 'app/routes/home.tsx', from: 'Rendered by process', to: 'Rendered v2 by process' }],
      args,
      env: { NODE_ENV: undefined },
      page: '/',
      marker: 'Rendered v2 by process',
      assets: (html) => html.match(/\/assets\/[\w.-]+\.(?:js|css)/g) ?? [],
      served: { prefix: '/', dir: 'build/client' },
    });
  }, 300_000);
});
