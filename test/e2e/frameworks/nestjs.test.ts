// End to end: a NestJS 11 app (test/apps/nestjs: @nestjs/platform-express, a @nestjs/platform-ws gateway) as built by tsc,
// served by corral with 2 workers: dist/corral.js exports the initialised app's http.Server (its 'request' listener is
// Express, its 'upgrade' listener the WsAdapter's), and corral's static path serves public/ in front of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startClients } from '../../../bench/reload-clients.mjs';
import { builtApp } from '../../apps/frameworks.mjs';
import { send } from '../app-client.ts';
import { startCorral, stopAll, type LogLine, type Running } from '../harness.ts';
import { reloadOntoNewBuild } from './new-build.ts';

const YEAR = 31_536_000;
/** The flags a person would give corral for this app (relative paths resolve against --chdir). */
const flags = (dir: string) => [
  '--http',
  '127.0.0.1:0',
  '--chdir',
  dir,
  '--module',
  'dist/corral.js',
  '--processes',
  '2',
  '--check-static',
  'public',
  '--static-expires',
  `/public/assets/ ${YEAR}`,
];

let dir = '';
let corral: Running;

beforeAll(async () => {
  dir = builtApp('nestjs');
  corral = await startCorral(flags(dir), { readyMs: 60_000 });
}, 600_000);

afterAll(() => stopAll());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nestShutdowns = () => corral.logs.filter((line) => line.msg === 'nest application shutdown');
const workerPids = () =>
  new Set(corral.logs.filter((line) => line.msg === 'worker ready').map((line) => Number(line.workerPid)));

/** Opens a WebSocket on `path`, sends one Nest message `{ event, data }` and resolves with the parsed reply. */
function wsRoundTrip(
  path: string,
  message: unknown,
): Promise<{ event: string; data: { echoed: unknown; pid: number } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${corral.url.replace('http', 'ws')}${path}`);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no WebSocket reply on ${path} within 5 s`));
    }, 5000);
    ws.once('open', () => ws.send(JSON.stringify(message)));
    ws.once('message', (data) => {
      clearTimeout(timer);
      ws.close();
      resolve(JSON.parse(String(data)) as { event: string; data: { echoed: unknown; pid: number } });
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('NestJS 11 (platform-express, platform-ws) under corral', () => {
  it('loads dist/corral.js in both workers as an http.Server', () => {
    const loaded = corral.logs.filter((line) => line.msg === 'app loaded');
    expect(loaded).toHaveLength(2);
    // tsc's CommonJS `export default` is exports.default on an __esModule object: corral takes default.default.
    for (const line of loaded) expect(line).toMatchObject({ shape: 'http-server', app: 'corral.js:default.default' });
  });

  it('renders the controller page in a worker', async () => {
    const page = await send(corral.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text()).toContain('<h1>Hello from NestJS</h1>');
    const pid = Number(/Rendered by worker (\d+)/.exec(page.text())?.[1]);
    expect(workerPids()).toContain(pid);
  });

  it('round-trips a JSON body through @Body(), and answers a malformed one with 400', async () => {
    const body = JSON.stringify({ name: 'corral', count: 21 });
    const reply = await send(corral.url, '/api/greetings', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      body,
    });
    expect(reply.status).toBe(201);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json()).toMatchObject({ greeting: 'Hello, corral!', doubled: 42 });
    const broken = await send(corral.url, '/api/greetings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(broken.status).toBe(400);
    expect(broken.json()).toMatchObject({ statusCode: 400 });
  });

  it('redirects with @Redirect()', async () => {
    const moved = await send(corral.url, '/old-home');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/');
  });

  it("answers an unknown path with Nest's own 404", async () => {
    const missing = await send(corral.url, '/no/such/page');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ message: 'Cannot GET /no/such/page', error: 'Not Found', statusCode: 404 });
  });

  it("serves public/assets/ from corral's static path (Nest serves no files), cached for a year", async () => {
    const asset = await send(corral.url, '/assets/site.css');
    expect(asset.status).toBe(200);
    expect(asset.body.equals(readFileSync(join(dir, 'public/assets/site.css')))).toBe(true);
    expect(asset.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(asset.headers['cache-control']).toMatch(new RegExp(`^public, max-age=${YEAR}(, immutable)?$`));
    expect(Date.parse(String(asset.headers.expires)) - Date.now()).toBeGreaterThan((YEAR - 3600) * 1000);
    // corral's answer, not Express's: no X-Powered-By, and Nest would have said 404 for a path it has no route for.
    expect(asset.headers['x-powered-by']).toBeUndefined();
    expect(asset.headers['accept-ranges']).toBe('bytes');
  });

  it('serves another public/ file with revalidation, not a max-age', async () => {
    const file = await send(corral.url, '/robots.txt');
    expect(file.status).toBe(200);
    expect(file.body.equals(readFileSync(join(dir, 'public/robots.txt')))).toBe(true);
    expect(file.headers['cache-control']).not.toContain('max-age');
    expect(file.headers['x-powered-by']).toBeUndefined();
    const again = await send(corral.url, '/robots.txt', { headers: { 'if-none-match': String(file.headers.etag) } });
    expect(again.status).toBe(304);
  });

  it('round-trips a message through the @WebSocketGateway on /ws (WsAdapter on the exported server)', async () => {
    const pids = new Set<number>();
    for (let n = 0; n < 6; n++) {
      const reply = await wsRoundTrip('/ws', { event: 'echo', data: { n, text: 'hello' } });
      expect(reply).toMatchObject({ event: 'echo', data: { echoed: { n, text: 'hello' } } });
      pids.add(reply.data.pid);
    }
    for (const pid of pids) expect(workerPids()).toContain(pid);
    // The adapter destroys an upgrade on a path no gateway has.
    await expect(wsRoundTrip('/elsewhere', { event: 'echo', data: 1 })).rejects.toThrow();
  });

  it('reloads on SIGHUP under load with zero failed requests, and the new workers serve', {
    timeout: 120_000,
  }, async () => {
    const before = workerPids();
    const retired = () =>
      corral.logs.filter((line: LogLine) => line.msg === 'worker exited' && line.reason === 'reload').length;
    const load = startClients({ url: `${corral.url}/`, clients: 8, durationMs: 60_000 });
    await sleep(1000);
    const sent = new Date().toISOString();
    process.kill(corral.pid, 'SIGHUP');
    await corral.waitFor((line) => line.msg === 'reloaded' && String(line.time) >= sent, 90_000);
    for (const end = Date.now() + 15_000; retired() < 2 && Date.now() < end; ) await sleep(100);
    await sleep(1000);
    load.stop();
    const counts = await load.done;
    console.log(`NestJS rolling reload under load: ${JSON.stringify(counts)}`);
    expect(retired()).toBe(2);
    // The retired workers ran Nest's shutdown hooks through the module's onShutdown export (app.close()).
    const retiredPids = corral.logs
      .filter((line) => line.msg === 'worker exited' && line.reason === 'reload')
      .map((line) => Number(line.workerPid));
    expect(
      nestShutdowns()
        .map((line) => Number(line.pid))
        .sort(),
    ).toEqual(retiredPids.sort());
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts).toMatchObject({ failed: 0, refused: 0, status5xx: 0, errors: {} });
    const page = await send(corral.url, '/');
    const pid = Number(/Rendered by worker (\d+)/.exec(page.text())?.[1]);
    expect(before.has(pid)).toBe(false);
    expect((await wsRoundTrip('/ws', { event: 'echo', data: 'after' })).data.echoed).toBe('after');
  });

  it('stops on SIGTERM with exit code 0, nothing on stderr, and Nest closed by onShutdown in each worker', async () => {
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited(30_000)).toBe(0);
    expect(corral.stderr()).toBe('');
    // Both workers' onShutdown export closed the Nest app (2 after the reload, 2 now).
    expect(nestShutdowns()).toHaveLength(4);
  });
});

describe('NestJS: a reload picks up a new build', () => {
  // tsc hashes nothing: the page's stylesheet keeps its URL (/assets/site.css) and the new bytes are what is checked.
  it('serves the new page and the changed public/ stylesheet after SIGHUP, no request failing', async () => {
    await reloadOntoNewBuild({
      name: 'nestjs',
      title: 'NestJS',
      nodeModules: 'symlink',
      edits: [
        { file: 'src/app.controller.ts', from: 'Hello from NestJS', to: 'Hello v2 from NestJS' },
        { file: 'public/assets/site.css', from: 'color: #222;', to: 'color: #223;' },
      ],
      args: flags,
      page: '/',
      marker: 'Hello v2 from NestJS',
      assets: (html) => html.match(/\/assets\/[\w.-]+\.css/g) ?? [],
      served: { prefix: '/', dir: 'public' },
    });
  }, 300_000);
});
