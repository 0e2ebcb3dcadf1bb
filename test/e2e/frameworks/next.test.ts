// End to end: a Next.js 16 app (test/apps/next, App Router) as `next build` leaves it, served by corral with 2 workers:
// corral recognises the build and starts Next's custom-server request handler through its glue; its static path serves .next/static (a year) and public/.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClients } from '../../../bench/reload-clients.mjs';
import { builtApp } from '../../apps/frameworks.mjs';
import { send } from '../app-client.ts';
import { startCorral, stopAll, type Running } from '../harness.ts';
import { reloadOntoNewBuild } from './new-build.ts';

const YEAR = 31_536_000;
/** How a person starts corral on this project: its directory, which corral recognises (glue, static, cache rules). */
const flags = (dir: string) => [dir, '--http', '127.0.0.1:0', '--processes', '2'];

/** corral's static path: its ETag is "size-mtime" in hex, and it sends no X-Powered-By (Next's pages do). */
const CORRAL_ETAG = /^"[0-9a-f]+-[0-9a-f]+"$/;

let dir = '';
let corral: Running;

beforeAll(async () => {
  dir = builtApp('next');
  corral = await startCorral(flags(dir), { readyMs: 60_000, env: { NODE_ENV: undefined } });
}, 600_000);

afterAll(() => stopAll());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const workerPids = () =>
  new Set(corral.logs.filter((line) => line.msg === 'worker ready').map((line) => Number(line.workerPid)));

/** A multipart/form-data body, as a browser sends a form with encType="multipart/form-data". */
function multipart(fields: Record<string, string>): { body: string; type: string } {
  const boundary = '----corralNextTest7MA4YWxkTrZu0gW';
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return { body: `${parts.join('')}--${boundary}--\r\n`, type: `multipart/form-data; boundary=${boundary}` };
}

/** Sends a WebSocket handshake to `path` on a raw socket; resolves with what came back once the server closes it. */
function upgradeAttempt(path: string, ms = 3000): Promise<{ closed: boolean; reply: string }> {
  const { hostname, port } = new URL(corral.url);
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, reply });
    }, ms);
    socket.setEncoding('utf8').on('data', (chunk: string) => (reply += chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, reply });
    });
    socket.on('error', reject);
  });
}

describe('Next.js 16 (App Router, custom-server API) under corral', () => {
  it('recognises the build in the directory it is given, and says so', () => {
    const starting = corral.logs.find((line) => line.msg === 'corral starting');
    expect(starting?.framework).toBe('Next.js (.next/BUILD_ID)');
  });

  it("loads Next through corral's glue in both workers, as a (req, res) listener", () => {
    const loaded = corral.logs.filter((line) => line.msg === 'app loaded');
    expect(loaded).toHaveLength(2);
    for (const line of loaded) expect(line.shape).toBe('node-listener');
  });

  it('renders the page on the server for each request', async () => {
    const pids = new Set<number>();
    for (const agent of ['first-agent', 'second-agent']) {
      const page = await send(corral.url, '/', { headers: { 'user-agent': agent } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['x-powered-by']).toBe('Next.js');
      expect(page.headers['cache-control']).toContain('no-store');
      expect(page.text()).toContain('Hello from Next.js');
      expect(page.text()).toContain(agent);
      pids.add(Number(/pid: (?:<!-- -->)?(\d+)/.exec(page.text())?.[1]));
    }
    for (const pid of pids) expect(workerPids().has(pid)).toBe(true);
  });

  it('answers the API route with the JSON body it read', async () => {
    const payload = { name: 'corral', list: [1, 2, 3], nested: { ok: true } };
    const reply = await send(corral.url, '/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('application/json');
    expect(reply.json()).toEqual({ received: payload, method: 'POST' });
  });

  it("serves the page's /_next/static chunks from corral's static path, with a year's max-age", async () => {
    const html = (await send(corral.url, '/')).text();
    const chunks = [...new Set(html.match(/\/_next\/static\/chunks\/[\w.-]+\.js/g) ?? [])];
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      const reply = await send(corral.url, chunk);
      expect(reply.status).toBe(200);
      expect(reply.body.equals(readFileSync(join(dir, '.next/static', chunk.slice('/_next/static/'.length))))).toBe(
        true,
      );
      // `, immutable` follows where corral marks a year's max-age so.
      expect(reply.headers['cache-control']).toMatch(new RegExp(`^public, max-age=${YEAR}(, immutable)?$`));
      expect(Date.parse(String(reply.headers.expires)) - Date.now()).toBeGreaterThan((YEAR - 60) * 1000);
      expect(reply.headers.etag).toMatch(CORRAL_ETAG);
      expect(reply.headers['x-powered-by']).toBeUndefined();
      expect(reply.headers['content-type']).toBe('text/javascript; charset=utf-8');
    }
  });

  it("serves public/hello.txt from corral's static path, revalidated by its ETag", async () => {
    const reply = await send(corral.url, '/hello.txt');
    expect(reply.status).toBe(200);
    expect(reply.body.equals(readFileSync(join(dir, 'public/hello.txt')))).toBe(true);
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers.etag).toMatch(CORRAL_ETAG);
    expect(reply.headers['x-powered-by']).toBeUndefined();
    const again = await send(corral.url, '/hello.txt', { headers: { 'if-none-match': String(reply.headers.etag) } });
    expect(again.status).toBe(304);
  });

  it("redirects /old with next.config's redirects()", async () => {
    const reply = await send(corral.url, '/old');
    expect(reply.status).toBe(307);
    expect(reply.headers.location).toBe('/');
  });

  it("answers an unknown path with Next's not-found page and 404", async () => {
    const reply = await send(corral.url, '/no/such/page');
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.text()).toContain('This page could not be found.');
  });

  it('runs the Server Action of a form posted over plain HTTP (no JavaScript), then redirects with 303', async () => {
    const page = await send(corral.url, '/form');
    expect(page.status).toBe(200);
    const action = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(page.text())?.[1];
    expect(action).toBeDefined();
    const form = multipart({ [action ?? '']: '', name: 'Ada Lovelace' });
    const posted = await send(corral.url, '/form', {
      method: 'POST',
      headers: { 'content-type': form.type, origin: corral.url },
      body: form.body,
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('/form?greeted=Ada%20Lovelace');
    const greeted = await send(corral.url, String(posted.headers.location));
    expect(greeted.text()).toContain('Hello, <!-- -->Ada Lovelace<!-- -->!');
  });

  it('refuses and closes WebSocket upgrades (the app has none), and keeps serving pages', async () => {
    // Next ends an upgrade to one of its routes itself; one it leaves alone, corral's glue refuses with a 404.
    for (const path of ['/', '/no/such/page', '/old', '/api/echo', '/_next/webpack-hmr']) {
      const attempt = await upgradeAttempt(path);
      expect(attempt.closed, path).toBe(true);
      expect(attempt.reply.startsWith('HTTP/1.1 101'), path).toBe(false);
    }
    expect((await upgradeAttempt('/no/such/page')).reply).toMatch(/^HTTP\/1\.1 404 /);
    for (let n = 0; n < 4; n++) expect((await send(corral.url, '/')).status).toBe(200);
  });

  it('serves through a rolling reload (SIGHUP) under load with zero failed requests', { timeout: 90_000 }, async () => {
    const before = workerPids();
    const load = startClients({ url: `${corral.url}/`, clients: 8, durationMs: 8000 });
    await sleep(1500);
    const sent = new Date().toISOString();
    process.kill(corral.pid, 'SIGHUP');
    await corral.waitFor((line) => line.msg === 'reloaded' && String(line.time) >= sent, 60_000);
    const counts = await load.done;
    console.log(`Next.js, rolling reload under load: ${JSON.stringify(counts)}`);
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts).toMatchObject({ failed: 0, refused: 0, status5xx: 0, errors: {} });
    const retired = () => corral.logs.filter((line) => line.msg === 'worker exited' && line.reason === 'reload').length;
    for (const end = Date.now() + 10_000; retired() < 2 && Date.now() < end; ) await sleep(100);
    expect(retired()).toBe(2);
    const page = await send(corral.url, '/');
    const pid = Number(/pid: (?:<!-- -->)?(\d+)/.exec(page.text())?.[1]);
    expect(before.has(pid)).toBe(false);
  });

  it('stops on SIGTERM with exit code 0 and nothing on stderr', async () => {
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited(35_000)).toBe(0);
    expect(corral.stderr()).toBe('');
  }, 40_000);
});

describe('Next.js: a reload picks up a new build', () => {
  it('serves the new page and its new /_next/static stylesheet after SIGHUP, no request failing', async () => {
    await reloadOntoNewBuild({
      name: 'next',
      title: 'Next.js',
      // Turbopack refuses a node_modules symlink that leads out of its root (turbopack.root, the app's directory).
      nodeModules: 'hardlink',
      // The page is a server component (its text is in no client chunk): a stylesheet it imports makes a new hashed file.
      edits: [
        {
          file: 'app/page.js',
          from: "import { headers } from 'next/headers';",
          to: "import { headers } from 'next/headers';\nimport './v2.css';",
        },
        { file: 'app/page.js', from: 'Hello from Next.js', to: 'Hello v2 from Next.js' },
        { file: 'app/v2.css', content: 'h1 {\n  color: #2a6f4f;\n}\n' },
      ],
      args: flags,
      env: { NODE_ENV: undefined },
      page: '/',
      marker: 'Hello v2 from Next.js',
      assets: (html) => html.match(/\/_next\/static\/(?:[\w.-]+\/)*[\w.-]+\.(?:js|css)/g) ?? [],
      served: { prefix: '/_next/static/', dir: '.next/static' },
    });
  }, 300_000);
});
