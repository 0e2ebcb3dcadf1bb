// End to end: an Astro 5 app (test/apps/astro, @astrojs/node in middleware mode) as built, served by corral with 2 workers:
// dist/server/entry.mjs's `handler` answers the pages, corral's static path serves dist/client (hashed /_astro/ for a year).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClients } from '../../../bench/reload-clients.mjs';
import { builtApp } from '../../apps/frameworks.mjs';
import { send } from '../app-client.ts';
import { startCorral, stopAll, type Running } from '../harness.ts';
import { reloadOntoNewBuild } from './new-build.ts';

const YEAR = 31_536_000;
/** How a person starts corral on this project: its directory, which corral recognises (module, static, cache rules). */
const flags = (dir: string) => [dir, '--http', '127.0.0.1:0', '--processes', '2'];

let dir = '';
let corral: Running;

beforeAll(async () => {
  dir = builtApp('astro');
  corral = await startCorral(flags(dir), { readyMs: 30_000, env: { NODE_ENV: undefined } });
}, 600_000);

afterAll(async () => {
  try {
    if (corral !== undefined && corral.child.exitCode === null) {
      process.kill(corral.pid, 'SIGTERM');
      expect(await corral.exited()).toBe(0);
    }
  } finally {
    stopAll();
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Astro 5 (@astrojs/node 9, middleware mode) under corral', () => {
  it('recognises the build in the directory it is given, and says so', () => {
    const starting = corral.logs.find((line) => line.msg === 'corral starting');
    expect(starting?.framework).toBe('Astro (dist/server/entry.mjs)');
  });

  it('loads entry.mjs:handler in both workers', () => {
    const loaded = corral.logs.filter((line) => line.msg === 'app loaded');
    expect(loaded).toHaveLength(2);
    // The adapter's handler is `async (...args) => ...` (length 0): corral takes it as a (req, res) listener, so
    // Astro answers unmatched paths itself (its 404 page) instead of calling a `next`.
    for (const line of loaded) expect(line.shape).toBe('node-listener');
  });

  it('renders the page on the server, with Astro.url from the Host header that allowedDomains lets through', async () => {
    const page = await send(corral.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const html = page.text();
    expect(html).toContain('<h1>Hello from Astro</h1>');
    const pid = Number(/<span id="pid">(\d+)<\/span>/.exec(html)?.[1]);
    const workers = corral.logs.filter((line) => line.msg === 'worker ready').map((line) => line.workerPid);
    expect(workers).toContain(pid);
    expect(html).toContain(`<span id="url">${corral.url}/</span>`);
    // A Host that security.allowedDomains does not match is not believed: Astro falls back to localhost.
    const foreign = await send(corral.url, '/', { headers: { host: 'attacker.example' } });
    expect(foreign.text()).toContain('<span id="url">http://localhost/</span>');
  });

  it('round-trips a JSON body through the API endpoint', async () => {
    const body = JSON.stringify({ hello: 'corral', list: [1, 2, 3] });
    const reply = await send(corral.url, '/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      body,
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json()).toMatchObject({ method: 'POST', received: { hello: 'corral', list: [1, 2, 3] } });
  });

  it("serves the page's hashed /_astro/ stylesheet from corral's static path, cached for a year", async () => {
    const html = (await send(corral.url, '/')).text();
    const href = /<link rel="stylesheet" href="(\/_astro\/[^"]+\.css)">/.exec(html)?.[1];
    expect(href).toBeDefined();
    const asset = await send(corral.url, href!);
    expect(asset.status).toBe(200);
    expect(asset.body.equals(readFileSync(join(dir, 'dist/client', href!)))).toBe(true);
    expect(asset.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(asset.headers['cache-control']).toBe(`public, max-age=${YEAR}, immutable`);
    expect(Date.parse(String(asset.headers.expires)) - Date.now()).toBeGreaterThan((YEAR - 3600) * 1000);
    // corral's static answer (Astro's middleware mode serves no files: it would render its 404 page).
    expect(asset.headers['accept-ranges']).toBe('bytes');
    expect(asset.headers.etag).toBeDefined();
  });

  it('serves a public/ file from dist/client with revalidation, not a max-age', async () => {
    const file = await send(corral.url, '/hello.txt');
    expect(file.status).toBe(200);
    expect(file.body.equals(readFileSync(join(dir, 'dist/client/hello.txt')))).toBe(true);
    expect(file.headers['cache-control']).not.toContain('max-age');
    expect(file.headers.etag).toBeDefined();
    const again = await send(corral.url, '/hello.txt', { headers: { 'if-none-match': String(file.headers.etag) } });
    expect(again.status).toBe(304);
  });

  it('redirects as the config says (redirects: /old-home -> /)', async () => {
    const moved = await send(corral.url, '/old-home');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/');
  });

  it("answers an unknown path with the app's own 404 page", async () => {
    const missing = await send(corral.url, '/no/such/page');
    expect(missing.status).toBe(404);
    expect(missing.text()).toContain('Nothing here (astro 404 page)');
  });

  it('takes a form POST over plain HTTP from its own origin, and refuses a cross-site one (checkOrigin)', async () => {
    const form = await send(corral.url, '/greet');
    expect(form.status).toBe(200);
    expect(form.text()).toContain('<form method="POST">');
    const post = (origin: string) =>
      send(corral.url, '/greet', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: 'name=Ada+Lovelace',
      });
    // A browser sends Origin: http://127.0.0.1:PORT, which equals Astro.url's origin only because allowedDomains
    // lets the Host header through (else Astro.url is http://localhost and checkOrigin answers 403).
    const signed = await post(corral.url);
    expect(signed.status).toBe(200);
    expect(signed.text()).toContain('<p id="greeting">Hello, Ada Lovelace!</p>');
    const crossSite = await post('http://elsewhere.example');
    expect(crossSite.status).toBe(403);
    expect(crossSite.text()).toBe('Cross-site POST form submissions are forbidden');
  });

  it('rolls both workers over on SIGHUP under load with zero failed requests', { timeout: 60_000 }, async () => {
    const before = new Set(corral.logs.filter((line) => line.msg === 'worker ready').map((line) => line.workerPid));
    const load = startClients({ url: `${corral.url}/`, clients: 8, durationMs: 8000 });
    await sleep(1500);
    const sent = new Date().toISOString();
    process.kill(corral.pid, 'SIGHUP');
    const reloaded = await corral.waitFor((line) => line.msg === 'reloaded' && String(line.time) >= sent, 30_000);
    const counts = await load.done;
    console.log(`astro, rolling reload under load: ${JSON.stringify(counts)}`);
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts).toMatchObject({ failed: 0, refused: 0, status5xx: 0, errors: {} });
    const workers = reloaded.workers as number[];
    expect(workers).toHaveLength(2);
    for (const pid of workers) expect(before.has(pid)).toBe(false);
    const page = (await send(corral.url, '/')).text();
    expect(workers).toContain(Number(/<span id="pid">(\d+)<\/span>/.exec(page)?.[1]));
  });
});

describe('Astro: a reload picks up a new build', () => {
  it('serves the new page and its new /_astro/ stylesheet after SIGHUP, no request failing', async () => {
    await reloadOntoNewBuild({
      name: 'astro',
      title: 'Astro',
      nodeModules: 'symlink',
      edits: [
        { file: 'src/pages/index.astro', from: 'Hello from Astro', to: 'Hello v2 from Astro' },
        { file: 'src/styles/site.css', from: 'color: #2a6f4f;', to: 'color: #2a6f50;' },
      ],
      args: flags,
      env: { NODE_ENV: undefined },
      page: '/',
      marker: 'Hello v2 from Astro',
      assets: (html) => html.match(/\/_astro\/[\w.-]+\.(?:css|js)/g) ?? [],
      served: { prefix: '/', dir: 'dist/client' },
    });
  }, 300_000);
});
