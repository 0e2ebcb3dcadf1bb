// End to end under load: 16 keep-alive clients for 10 s while the master does 5 rolling reloads, and again while it stops on SIGTERM, for a Node listener and for a fetch app on the fast path; no request may fail, and no access line be lost.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startClients } from '../../bench/reload-clients.mjs';
import { startCorral, stopAll } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-zero-drop-'));
// A Node listener that answers after 0-4 ms, so that requests are in flight whenever a worker is told to drain.
const listener = join(dir, 'app.mjs');
writeFileSync(
  listener,
  "export default (req, res) => setTimeout(() => res.end('ok'), Math.floor(Math.random() * 5));\n",
);
// A fetch app on the fast path: half its answers at once (written by corral from the connection), half after 0-4 ms
// (handed to node:http at the end of the event loop's turn, the app's promise in hand).
const fetchApp = join(dir, 'fetch.mjs');
writeFileSync(
  fetchApp,
  'export default { fetch: () => Math.random() < 0.5 ? new Response("ok") : ' +
    'new Promise((resolve) => setTimeout(() => resolve(new Response("ok")), Math.floor(Math.random() * 5))) };\n',
);

afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  ['a Node listener', listener],
  ['a fetch app on the fast path', fetchApp],
])('zero failed requests, %s', (_name, app) => {
  const args = ['--http', '127.0.0.1:0', '--module', app, '--processes', '2'];

  it('through 5 rolling reloads in 10 s, with 16 keep-alive clients', { timeout: 40_000 }, async () => {
    const corral = await startCorral(args);
    const load = startClients({ url: `${corral.url}/`, clients: 16, durationMs: 10_000 });
    for (let n = 1; n <= 5; n++) {
      await sleep(1200);
      const sent = new Date().toISOString();
      process.kill(corral.pid, 'SIGHUP');
      // A match that is cheap per line: 20,000 access-log lines go through it.
      await corral.waitFor((line) => line.msg === 'reloaded' && String(line.time) >= sent, 8000);
    }
    const counts = await load.done;
    console.log(`rolling reloads under load: ${JSON.stringify(counts)}`);
    // The old workers of the last reload may still be finishing their last requests.
    const retired = () => corral.logs.filter((line) => line.msg === 'worker exited' && line.reason === 'reload').length;
    for (const end = Date.now() + 5000; retired() < 10 && Date.now() < end; ) await sleep(100);
    expect(retired()).toBe(10);
    expect(counts.ok).toBeGreaterThan(1000);
    expect(counts).toMatchObject({ failed: 0, refused: 0, status5xx: 0, errors: {} });
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });

  it('through a SIGTERM: every request sent on an accepted connection is answered', { timeout: 20_000 }, async () => {
    const corral = await startCorral(args);
    const load = startClients({ url: `${corral.url}/`, clients: 16, stopOnClose: true });
    await sleep(1500);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    load.stop();
    const counts = await load.done;
    console.log(`SIGTERM under load: ${JSON.stringify(counts)}`);
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.closedByServer).toBeGreaterThanOrEqual(1);
    expect(counts).toMatchObject({ failed: 0, status5xx: 0 });
    // The workers' lines are written in blocks: the stop writes the last ones, so every answer has its access line.
    const accessLines = corral.logs.filter((line) => line.msg === 'request' && line.role === 'worker');
    expect(accessLines.length).toBe(counts.ok);
  });
});
