// End to end: harakiri's two levels: 504 for a request past the limit (the worker lives on), and a worker whose event loop is blocked killed and replaced.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCorral, stopAll } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-harakiri-'));
// /slow?ms=N answers after N ms; /block keeps the event loop busy for N ms; anything else answers the pid.
const app = join(dir, 'app.mjs');
writeFileSync(
  app,
  `export default (req, res) => {
  const url = new URL(req.url, 'http://x');
  const ms = Number(url.searchParams.get('ms') ?? '0');
  if (url.pathname === '/slow') return void setTimeout(() => res.end('late'), ms);
  if (url.pathname === '/block') { const end = Date.now() + ms; while (Date.now() < end); }
  res.end(String(process.pid));
};
`,
);
const args = ['--http', '127.0.0.1:0', '--module', app, '--processes', '1', '--harakiri', '1'];
afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('harakiri', () => {
  it('answers 504 to a request past the limit, logs it, and the worker lives on', async () => {
    const corral = await startCorral(args);
    const pid = await (await fetch(corral.url)).text();
    const started = Date.now();
    const res = await fetch(`${corral.url}/slow?ms=4000`);
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(2500);
    const logged = await corral.waitFor((line) => line.msg === 'harakiri: request ran past the limit: answered 504');
    expect(logged).toMatchObject({ method: 'GET', path: '/slow?ms=4000', reqId: res.headers.get('x-request-id') });
    expect(logged.ageMs).toBeGreaterThanOrEqual(1000);
    expect(await (await fetch(corral.url)).text()).toBe(pid);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });

  it('kills and replaces a worker whose event loop is blocked, naming the requests it held', async () => {
    const corral = await startCorral(args);
    const pid = Number(await (await fetch(corral.url)).text());
    const held = fetch(`${corral.url}/slow?ms=800`).then(
      (res) => res.status,
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    const blocked = fetch(`${corral.url}/block?ms=6000`).then(
      (res) => res.status,
      () => 'cut',
    );
    const killed = await corral.waitFor(
      (line) =>
        line.msg ===
        "harakiri: the worker's event loop is blocked: killing it (requests: those in flight at its last heartbeat)",
      5000,
    );
    expect(killed.workerPid).toBe(pid);
    expect(JSON.stringify(killed.requests)).toContain('/slow?ms=800');
    await corral.waitFor(
      (line) => line.msg === 'worker exited: replacing it' && line.reason === 'harakiri' && line.workerPid === pid,
    );
    await corral.waitFor((line) => line.msg === 'worker ready' && line.workerPid !== pid);
    expect(await blocked).toBe('cut');
    expect(await held).toBe('cut');
    expect(Number(await (await fetch(corral.url)).text())).not.toBe(pid);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});
