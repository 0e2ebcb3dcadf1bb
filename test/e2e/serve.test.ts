// End to end: the built corral serves a uWSGI-style config (static maps, the app, 10 workers) and stops cleanly on SIGTERM.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll, type Running } from './harness.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/e2e/${path}`, import.meta.url));

describe('a uWSGI-style INI file starts and serves', () => {
  let corral: Running;
  beforeAll(async () => {
    // The file's own `http = :8000` is replaced on the command line (CLI beats file) so the test binds port 0 on loopback.
    corral = await startCorral([fixture('uwsgi/app.ini'), '--http', '127.0.0.1:0'], { readyMs: 20_000 });
  }, 30_000);
  afterAll(stopAll);

  it('forks the 10 workers the file asks for and names the bound address', async () => {
    const ready = await corral.waitFor((line) => line.msg === 'ready');
    expect(ready.workers).toHaveLength(10);
    expect(corral.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(corral.logs.filter((line) => line.msg === 'worker ready')).toHaveLength(10);
  });

  it('warns once that `home` is ignored', () => {
    const warnings = corral.logs.filter((line) => line.level === 'warn' && String(line.msg).includes('home'));
    expect(warnings).toHaveLength(1);
  });

  it('serves files from both static maps with type, length and Last-Modified', async () => {
    const text = await fetch(`${corral.url}/static/hello.txt`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('content-length')).toBe('13');
    expect(text.headers.get('last-modified')).toMatch(/GMT$/);
    expect(await text.text()).toBe('hello static\n');

    const svg = await fetch(`${corral.url}/media/pic.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    await svg.arrayBuffer();

    const css = await fetch(`${corral.url}/static/css/site.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    await css.arrayBuffer();
  });

  it('serves index.html for a directory, and HEAD without a body', async () => {
    const index = await fetch(`${corral.url}/static/`);
    expect(await index.text()).toContain('<title>index</title>');
    const head = await fetch(`${corral.url}/static/hello.txt`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('13');
    expect(await head.text()).toBe('');
  });

  it('passes missing files, dotfiles and other paths to the app, which runs in chdir', async () => {
    const missing = await fetch(`${corral.url}/static/nope.txt`);
    expect(await missing.text()).toMatch(/^app saw GET \/static\/nope\.txt in .*uwsgi\n$/);
    const dotfile = await fetch(`${corral.url}/static/.env`);
    expect(await dotfile.text()).not.toContain('secret');
    const root = await fetch(`${corral.url}/`);
    expect(await root.text()).toMatch(/^app saw GET \/ in/);
  });

  it('writes one access-log line per request with method, path, status, bytes, duration, remote and worker', async () => {
    await (await fetch(`${corral.url}/static/hello.txt?probe=access`)).text();
    const line = await corral.waitFor((l) => l.msg === 'request' && l.path === '/static/hello.txt?probe=access');
    expect(line).toMatchObject({ method: 'GET', status: 200, remote: '127.0.0.1' });
    expect(line.bytes).toBeGreaterThan(13);
    expect(typeof line.ms).toBe('number');
    expect(typeof line.worker).toBe('number');
    expect(typeof line.reqId).toBe('string');
  });

  it('exits 0 on SIGTERM', async () => {
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited(15_000)).toBe(0);
  }, 20_000);
});
