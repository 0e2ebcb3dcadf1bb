// End to end: a Nuxt 4 app built for Nitro's node-listener preset (test/apps/nuxt) as it ships, its
// .output/server/index.mjs `listener` served by corral with 2 workers and .output/public by corral's own static path;
// the build recognised by corral, its WebSocket hooks through corral's glue; a rolling reload under load; a clean stop.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClients } from '../../../bench/reload-clients.mjs';
import { builtApp } from '../../apps/frameworks.mjs';
import { openWebSocket, send } from '../app-client.ts';
import { startCorral, stopAll, type Running, stopGracefully } from '../harness.ts';
import { reloadOntoNewBuild } from './new-build.ts';

const YEAR = 31_536_000;
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The built app's directory (.cache/apps/nuxt), built by beforeAll when its sources changed. */
let app = '';

/**
 * corral serving the build: the module, Nuxt's public directory looked up before the app, a year for the hashed files
 * directly under /_nuxt/ (not /_nuxt/builds/latest.json, which changes with each build), and NODE_ENV=production, without
 * which the Vue and Vue Router that .output/server/node_modules holds load their development builds.
 */
function corralArgs(module = '.output/server/index.mjs:listener'): string[] {
  return [
    '--http',
    '127.0.0.1:0',
    '--chdir',
    app,
    '--module',
    module,
    '--processes',
    '2',
    '--check-static',
    '.output/public',
    '--static-expires',
    `/_nuxt/[^/]+$ ${YEAR}`,
    '--env',
    'NODE_ENV=production',
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stop(corral: Running): Promise<void> {
  expect(await stopGracefully(corral, 40_000)).toBe(0);
}

beforeAll(async () => {
  app = builtApp('nuxt');
}, 600_000);
afterAll(stopAll);

describe('Nuxt 4 (Nitro node-listener) on corral, 2 workers', () => {
  let corral: Running;
  beforeAll(async () => {
    corral = await startCorral(corralArgs(), { readyMs: 60_000 });
  }, 90_000);
  afterAll(async () => {
    if (corral !== undefined) await stop(corral);
  }, 60_000);

  const workerPids = () =>
    new Set(corral.logs.filter((line) => line.msg === 'worker ready').map((line) => line.workerPid));

  it('loads .output/server/index.mjs:listener as a Node listener in both workers', () => {
    const loaded = corral.logs.filter((line) => line.msg === 'app loaded');
    expect(loaded).toHaveLength(2);
    for (const line of loaded) expect(line.shape).toBe('node-listener');
  });

  it('renders the page on the server, in a worker', async () => {
    const page = await send(corral.url, '/', { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(page.headers['x-powered-by']).toBe('Nuxt');
    expect(page.text()).toContain('<title>Nuxt on corral</title>');
    expect(page.text()).toContain('<h1>Hello from Nuxt</h1>');
    const pid = Number(/rendered by pid (\d+)/.exec(page.text())?.[1]);
    expect(workerPids().has(pid)).toBe(true);
  });

  it('reads a JSON POST body in server/api/echo.post.ts', async () => {
    const reply = await send(corral.url, '/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'corral', n: [1, 2, 3] }),
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    const { received, pid } = reply.json();
    expect(received).toEqual({ hello: 'corral', n: [1, 2, 3] });
    expect(workerPids().has(pid)).toBe(true);
  });

  it("serves the page's hashed /_nuxt/ script by corral's static path, cached for a year", async () => {
    const html = (await send(corral.url, '/')).text();
    const src = /<script type="module" src="(\/_nuxt\/[^"]+\.js)"/.exec(html)?.[1];
    expect(src).toBeDefined();
    const asset = await send(corral.url, src!);
    expect(asset.status).toBe(200);
    expect(asset.body.equals(readFileSync(join(app, '.output/public', src!)))).toBe(true);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain(`max-age=${YEAR}`);
    // Nitro never sends Expires, nor does its node-listener entry serve files: an unknown /_nuxt/ file reaches the app.
    expect(Date.parse(String(asset.headers.expires)) - Date.now()).toBeGreaterThan((YEAR - 60) * 1000);
    expect(asset.headers['x-powered-by']).toBeUndefined();
    const missing = await send(corral.url, '/_nuxt/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).not.toContain('max-age');
  });

  it('serves public/corral.svg by the static path with revalidation, and the build manifest without a year', async () => {
    const svg = await send(corral.url, '/corral.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.body.equals(readFileSync(join(app, 'public/corral.svg')))).toBe(true);
    expect(svg.headers['cache-control']).not.toContain('max-age');
    expect(svg.headers.etag).toBeDefined();
    const again = await send(corral.url, '/corral.svg', { headers: { 'if-none-match': String(svg.headers.etag) } });
    expect(again.status).toBe(304);
    const manifest = await send(corral.url, '/_nuxt/builds/latest.json');
    expect(manifest.status).toBe(200);
    expect(manifest.headers['cache-control']).not.toContain('max-age');
    expect(manifest.json().id).toBe(
      JSON.parse(readFileSync(join(app, '.output/public/_nuxt/builds/latest.json'), 'utf8')).id,
    );
  });

  it('redirects by a routeRules redirect', async () => {
    const moved = await send(corral.url, '/old-home');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/');
  });

  it("answers an unknown path with Nuxt's 404: its error page for a browser, JSON for an API client", async () => {
    const page = await send(corral.url, '/nowhere', { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(page.text()).toContain('<title>404 - Page not found: &#x2F;nowhere | Nuxt</title>');
    const api = await send(corral.url, '/api/nowhere');
    expect(api.status).toBe(404);
    expect(api.json()).toMatchObject({ statusCode: 404, message: 'Page not found: /api/nowhere' });
  });

  it('takes a plain HTML form POST in a server route and answers 303 to the page', async () => {
    const html = (await send(corral.url, '/')).text();
    expect(html).toContain('<form method="post" action="/signup">');
    const reply = await send(corral.url, '/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER_ACCEPT },
      body: new URLSearchParams({ name: 'Ada Lovelace' }).toString(),
    });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/?signed-up=Ada%20Lovelace');
    expect(reply.headers['x-signed-up']).toBe('Ada Lovelace');
  });

  it('refuses a WebSocket upgrade with 426 from the app: the listener export has no upgrade handler', async () => {
    const reply = await send(corral.url, '/_ws', {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-version': '13',
      },
    });
    expect(reply.status).toBe(426);
  });

  it('reloads on SIGHUP under load (16 keep-alive clients on the page) with zero failed requests', async () => {
    const old = workerPids();
    const load = startClients({ url: `${corral.url}/`, clients: 16, durationMs: 6000 });
    await sleep(1500);
    const sent = new Date().toISOString();
    process.kill(corral.pid, 'SIGHUP');
    await corral.waitFor((line) => line.msg === 'reloaded' && String(line.time) >= sent, 60_000);
    const counts = await load.done;
    console.log(`Nuxt, a rolling reload under load: ${JSON.stringify(counts)}`);
    const retired = () =>
      corral.logs.filter((line) => line.msg === 'worker exited' && line.reason === 'reload' && old.has(line.workerPid))
        .length;
    for (const end = Date.now() + 10_000; retired() < 2 && Date.now() < end; ) await sleep(100);
    expect(retired()).toBe(2);
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts).toMatchObject({ failed: 0, refused: 0, status5xx: 0, errors: {} });
    const page = await send(corral.url, '/');
    const pid = Number(/rendered by pid (\d+)/.exec(page.text())?.[1]);
    expect(old.has(pid)).toBe(false);
  }, 90_000);

  it('stops on SIGTERM with exit code 0 and nothing on stderr (Nitro traps no signal)', async () => {
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited(40_000)).toBe(0);
    expect(corral.stderr()).toBe('');
  }, 60_000);
});

describe('Nuxt recognised by corral (framework auto, no module given)', () => {
  let corral: Running;
  beforeAll(async () => {
    // As a deploy's environment would be: without vitest's NODE_ENV=test, which would win over the framework's default.
    corral = await startCorral(['--http', '127.0.0.1:0', '--chdir', app, '--processes', '2'], {
      readyMs: 60_000,
      env: { NODE_ENV: undefined },
    });
  }, 90_000);
  afterAll(async () => {
    if (corral !== undefined) await stop(corral);
    expect(corral.stderr()).toBe('');
  }, 60_000);

  it('serves the page, a hashed /_nuxt/ file for a year, and a 404 without Vue warnings', async () => {
    expect(corral.logs.find((line) => line.msg === 'corral starting')?.framework).toBe('Nuxt (.output/nitro.json)');
    const html = (await send(corral.url, '/')).text();
    expect(html).toContain('<h1>Hello from Nuxt</h1>');
    const src = /<script type="module" src="(\/_nuxt\/[^"]+\.js)"/.exec(html)?.[1];
    expect((await send(corral.url, src!)).headers['cache-control']).toContain(`max-age=${YEAR}`);
    expect((await send(corral.url, '/nowhere', { headers: { accept: BROWSER_ACCEPT } })).status).toBe(404);
  });

  it('does not cache /_nuxt/builds/latest.json for a year: it names the current build, and changes with each deploy', async () => {
    const manifest = await send(corral.url, '/_nuxt/builds/latest.json');
    expect(manifest.status).toBe(200);
    expect(manifest.headers['cache-control']).not.toContain('immutable');
    expect(manifest.headers['cache-control']).not.toContain(`max-age=${YEAR}`);
  });
});

/** The build's .output alone, as Nitro deploys it (no project node_modules, so no crossws of the project's). */
function outputAlone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'corral-nuxt-output-'));
  cpSync(join(app, '.output'), join(dir, '.output'), { recursive: true });
  return dir;
}

describe.each([
  ['the project directory', () => app],
  ['its .output alone, as deployed (crossws from corral)', outputAlone],
])("Nuxt's WebSocket hooks through corral's glue (crossws's Node adapter), served from %s", (_where, directory) => {
  let corral: Running;
  let dir = '';
  beforeAll(async () => {
    dir = directory();
    corral = await startCorral([dir, '--http', '127.0.0.1:0', '--processes', '2'], {
      readyMs: 60_000,
      env: { NODE_ENV: undefined },
    });
  }, 90_000);
  afterAll(async () => {
    if (corral !== undefined) await stop(corral);
    expect(corral.stderr()).toBe('');
    if (dir !== app) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('echoes through server/routes/_ws.ts in both workers, and still renders the page', async () => {
    const workers = new Set(corral.logs.filter((line) => line.msg === 'worker ready').map((line) => line.workerPid));
    const pids = new Set<number>();
    for (let n = 0; n < 6; n++) {
      const { ws, first } = await openWebSocket(`${corral.url.replace('http', 'ws')}/_ws`);
      const pid = Number(/^hello from (\d+)$/.exec(first)?.[1]);
      expect(workers.has(pid)).toBe(true);
      pids.add(pid);
      const echoed = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
      ws.send(`ping ${n}`);
      expect(await echoed).toBe(`echo: ping ${n}`);
      const closed = new Promise((resolve) => ws.once('close', resolve));
      ws.close();
      await closed;
    }
    expect(pids.size).toBe(2);
    const page = await send(corral.url, '/');
    expect(page.status).toBe(200);
    expect(page.text()).toContain('<h1>Hello from Nuxt</h1>');
  });

  it('tells open WebSockets the worker is going away (1001) when a reload retires it', async () => {
    const { ws } = await openWebSocket(`${corral.url.replace('http', 'ws')}/_ws`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    process.kill(corral.pid, 'SIGHUP');
    expect(await closed).toBe(1001);
    await corral.waitFor((line) => line.msg === 'reloaded', 60_000);
  }, 60_000);
});

describe('Nuxt: a reload picks up a new build', () => {
  it('serves the new page and its new /_nuxt/ files after SIGHUP, no request failing', async () => {
    await reloadOntoNewBuild({
      name: 'nuxt',
      title: 'Nuxt',
      nodeModules: 'symlink',
      edits: [{ file: 'app/pages/index.vue', from: 'Hello from Nuxt', to: 'Hello v2 from Nuxt' }],
      // corral recognises the build (the node-listener preset) in the directory it is given.
      args: (dir) => [dir, '--http', '127.0.0.1:0', '--processes', '2'],
      env: { NODE_ENV: undefined },
      page: '/',
      marker: 'Hello v2 from Nuxt',
      assets: (html) => html.match(/\/_nuxt\/[\w.-]+\.(?:js|css)/g) ?? [],
      served: { prefix: '/', dir: '.output/public' },
    });
  }, 300_000);
});
