// End to end: a TanStack Start (React) app (test/apps/tanstack-start) built with `vite build` as it ships: the fetch
// app that dist/server/server.js exports by default, served by corral with 2 workers, dist/client served by corral's
// own static path (hashed /assets/ for a year); its loader, server route, server function form, redirect and 404;
// a rolling reload under load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClients } from '../../../bench/reload-clients.mjs';
import { builtApp } from '../../apps/frameworks.mjs';
import { send } from '../app-client.ts';
import { startCorral, stopAll, type Running } from '../harness.ts';
import { reloadOntoNewBuild } from './new-build.ts';

const YEAR = 31_536_000;
/** The built app (.cache/apps/tanstack-start), built by beforeAll when its sources changed. */
let app = '';
let corral: Running;

/** corral pointed at the project: it recognises the build (dist/client first, the server entry's fetch app after). */
const corralArgs = (): string[] => [app, '--http', '127.0.0.1:0', '--processes', '2'];

/** The pids of the workers that are serving now (the last two `worker ready` lines). */
const workerPids = (): number[] =>
  corral.logs
    .filter((line) => line.msg === 'worker ready')
    .slice(-2)
    .map((line) => Number(line.workerPid));

const renderedBy = (html: string): number => Number(/id="rendered-by">rendered by (?:<!-- -->)?(\d+)/.exec(html)?.[1]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  app = builtApp('tanstack-start');
  corral = await startCorral(corralArgs(), { env: { NODE_ENV: undefined } });
}, 600_000);
afterAll(stopAll);

describe('TanStack Start (React, Vite build) on corral, 2 workers', () => {
  it('recognises the build in the directory it is given, and says so', () => {
    const starting = corral.logs.find((line) => line.msg === 'corral starting');
    expect(starting?.framework).toBe('TanStack Start (dist/server/server.js)');
  });

  it('loads dist/server/server.js as a fetch app', () => {
    const loaded = corral.logs.filter((line) => line.msg === 'app loaded');
    expect(loaded).toHaveLength(2);
    for (const line of loaded) expect(line).toMatchObject({ shape: 'fetch', app: 'server.js:default' });
  });

  it('renders the home page on the server, with its loader data from a server function', async () => {
    const page = await send(corral.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = page.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<title>Corral paddock</title>');
    expect(html).toContain('<li>Bay</li><li>Dun</li><li>Roan</li>');
    expect(workerPids()).toContain(renderedBy(html));
  });

  it('round-trips a JSON body through a server route', async () => {
    const horse = { name: 'Silver', notes: 'x'.repeat(200_000) };
    const reply = await send(corral.url, '/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(horse),
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    const answer = reply.json();
    expect(answer.got).toEqual(horse);
    expect(answer.method).toBe('POST');
    expect(workerPids()).toContain(answer.pid);
  });

  it("serves the page's hashed /assets/ script from dist/client with a year's caching (corral, not the app)", async () => {
    const html = (await send(corral.url, '/')).text();
    const scripts = [...html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const path of new Set(scripts)) {
      const reply = await send(corral.url, path);
      expect(reply.status).toBe(200);
      expect(reply.body.equals(readFileSync(join(app, 'dist/client', path)))).toBe(true);
      expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8');
      // corral's static-expires value (a later corral may add `immutable`).
      expect(reply.headers['cache-control']).toMatch(new RegExp(`^public, max-age=${YEAR}(, immutable)?$`));
      expect(Date.parse(String(reply.headers.expires)) - Date.now()).toBeGreaterThan((YEAR - 60) * 1000);
    }
  });

  it('serves public/ files from dist/client with revalidation, and leaves unknown /assets/ paths to the app', async () => {
    const icon = await send(corral.url, '/paddock.svg');
    expect(icon.status).toBe(200);
    expect(icon.body.equals(readFileSync(join(app, 'public/paddock.svg')))).toBe(true);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
    const etag = String(icon.headers.etag);
    expect(etag).toMatch(/^"/);
    const again = await send(corral.url, '/paddock.svg', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const missing = await send(corral.url, '/assets/no-such-chunk.js');
    expect(missing.status).toBe(404);
    expect(missing.text()).toContain('No page lives at this address.');
  });

  it("redirects from a loader's `throw redirect()`", async () => {
    const moved = await send(corral.url, '/old-paddock');
    expect(moved.status).toBe(307);
    expect(moved.headers.location).toBe('/');
  });

  it("answers an unknown path with 404 and the router's not-found component", async () => {
    const missing = await send(corral.url, '/no/such/paddock');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.text()).toContain('<p id="not-found">No page lives at this address.</p>');
  });

  it('takes a plain HTML form POST to a server function, and refuses one from another origin', async () => {
    const html = (await send(corral.url, '/')).text();
    const action = /<form action="(\/_serverFn\/[^"]+)"/.exec(html)?.[1];
    expect(action).toBeDefined();
    const post = (origin: string) =>
      send(corral.url, action!, {
        method: 'POST',
        // What a browser sends for this form (no JavaScript): its own origin, and the fields urlencoded.
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ horse: 'Silver Blaze' }).toString(),
      });
    const named = await post(corral.url);
    expect(named.status).toBe(303);
    expect(named.headers.location).toBe('/?named=Silver+Blaze');
    const page = await send(corral.url, named.headers.location!);
    expect(page.text()).toContain('<p id="named">Welcome, <!-- -->Silver Blaze</p>');
    const foreign = await post('http://elsewhere.example');
    expect(foreign.status).toBe(403);
  });

  it('accepts the form from the public origin a trusted proxy names in X-Forwarded-Proto and -Host', async () => {
    const html = (await send(corral.url, '/')).text();
    const action = /<form action="(\/_serverFn\/[^"]+)"/.exec(html)?.[1];
    const named = await send(corral.url, action!, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://paddock.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'paddock.example',
      },
      body: 'horse=Dun',
    });
    expect(named.status).toBe(303);
    expect(named.headers.location).toBe('/?named=Dun');
  });

  it('does a rolling reload (SIGHUP) under load with zero failed requests', { timeout: 60_000 }, async () => {
    const before = workerPids();
    const load = startClients({ url: `${corral.url}/`, clients: 8, durationMs: 6000 });
    await sleep(1500);
    const sent = new Date().toISOString();
    process.kill(corral.pid, 'SIGHUP');
    await corral.waitFor((line) => line.msg === 'reloaded' && String(line.time) >= sent, 30_000);
    const counts = await load.done;
    console.log(`TanStack Start, rolling reload under load: ${JSON.stringify(counts)}`);
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts).toMatchObject({ failed: 0, refused: 0, status5xx: 0, errors: {} });
    const retired = () =>
      corral.logs.filter((line) => line.msg === 'worker exited' && line.reason === 'reload').map((l) => l.workerPid);
    for (const end = Date.now() + 10_000; retired().length < 2 && Date.now() < end; ) await sleep(100);
    expect(retired().sort()).toEqual([...before].sort());
    const after = renderedBy((await send(corral.url, '/')).text());
    expect(before).not.toContain(after);
    expect(workerPids()).toContain(after);
  });

  it('stops on SIGTERM with exit code 0 and nothing on stderr', async () => {
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited(30_000)).toBe(0);
    expect(corral.stderr()).toBe('');
  });
});

describe('TanStack Start: a reload picks up a new build', () => {
  it('serves the new page and its new /assets/ script after SIGHUP, no request failing', async () => {
    await reloadOntoNewBuild({
      name: 'tanstack-start',
      title: 'TanStack Start',
      nodeModules: 'symlink',
      edits: [{ file: 'src/routes/index.tsx', from: '<h1>Corral paddock</h1>', to: '<h1>Corral paddock v2</h1>' }],
      args: (dir) => [dir, '--http', '127.0.0.1:0', '--processes', '2'],
      env: { NODE_ENV: undefined },
      page: '/',
      marker: 'Corral paddock v2',
      assets: (html) => html.match(/\/assets\/[\w.-]+\.(?:js|css)/g) ?? [],
      served: { prefix: '/', dir: 'dist/client' },
    });
  }, 300_000);
});
