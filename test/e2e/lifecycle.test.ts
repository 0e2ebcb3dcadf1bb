// End to end: graceful stop with requests in flight, graceful-timeout, worker replacement, backoff, single-process mode, unix sockets.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startCorral, stopAll } from './harness.ts';

const app = (name: string) => fileURLToPath(new URL(`../fixtures/e2e/apps/${name}`, import.meta.url));
const loopback = ['--http', '127.0.0.1:0'];

afterEach(stopAll);

describe('graceful stop', () => {
  it('lets an in-flight request finish on SIGTERM, then exits 0', async () => {
    const corral = await startCorral([...loopback, '--module', app('slow.mjs'), '--processes', '2']);
    const pending = fetch(`${corral.url}/slow?ms=800`).then(async (res) => ({
      status: res.status,
      body: await res.text(),
    }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(corral.pid, 'SIGTERM');
    expect(await pending).toEqual({ status: 200, body: 'slept 800\n' });
    expect(await corral.exited()).toBe(0);
  });

  it('kills workers still busy at graceful-timeout and exits 1', async () => {
    const corral = await startCorral([...loopback, '--module', app('slow.mjs'), '--graceful-timeout', '0.5']);
    const pending = fetch(`${corral.url}/slow?ms=5000`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = Date.now();
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(1);
    expect(Date.now() - sent).toBeLessThan(4000);
    expect(await pending).toBe('cut');
    expect(corral.logs.some((line) => line.msg === 'worker still busy at graceful-timeout: killing it')).toBe(true);
    // The master's last lines are all there, in order: the killed worker's exit, then 'stopped'.
    await corral.waitFor((line) => line.msg === 'stopped');
    const masterLines = corral.logs.filter((line) => line.role === 'master').map((line) => line.msg);
    expect(masterLines.slice(-2)).toEqual(['worker exited', 'stopped']);
  });

  it("writes every worker's last lines before it exits", async () => {
    const corral = await startCorral([...loopback, '--module', app('pid.cjs'), '--processes', '2']);
    await Promise.all([1, 2, 3, 4].map(async () => (await fetch(corral.url)).text()));
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    await corral.waitFor((line) => line.msg === 'stopped');
    for (const worker of [1, 2])
      await corral.waitFor((line) => line.role === 'worker' && line.worker === worker && line.msg === 'drained', 2000);
  });

  it('stops on SIGINT in single-process mode (master = false)', async () => {
    const corral = await startCorral([...loopback, '--module', app('pid.cjs'), '--no-master']);
    const res = await fetch(corral.url);
    expect(await res.text()).toBe(String(corral.pid));
    process.kill(corral.pid, 'SIGINT');
    expect(await corral.exited()).toBe(0);
  });
});

describe('supervision', () => {
  it('replaces a worker that dies', async () => {
    const corral = await startCorral([...loopback, '--module', app('pid.cjs'), '--processes', '1']);
    const first = Number(await (await fetch(corral.url)).text());
    process.kill(first, 'SIGKILL');
    await corral.waitFor((line) => line.msg === 'worker ready' && line.workerPid !== first);
    const second = Number(await (await fetch(corral.url)).text());
    expect(second).not.toBe(first);
    expect(second).not.toBe(corral.pid);
  });

  it('backs off when workers die right after starting instead of forking in a loop', async () => {
    const corral = await startCorral([...loopback, '--module', app('crash-after-start.mjs')]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const deaths = corral.logs.filter((line) => line.msg === 'worker died: replacing it');
    // 100 + 200 + 400 + 800 ms of backoff plus start-up: a handful in 2.5 s, where a loop would fork dozens.
    expect(deaths.length).toBeGreaterThanOrEqual(2);
    expect(deaths.length).toBeLessThanOrEqual(6);
    const delays = deaths.map((line) => line.respawnInMs as number);
    expect(delays.slice(0, 3)).toEqual([100, 200, 400]);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});

describe('a replacement worker that cannot start', () => {
  it('is backed off and retried like a crash, not a reason to stop the pool, once the pool was ready', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-fatal-'));
    try {
      // Serves once and exits; from then on the module throws while loading, as when a database went away.
      const module = join(dir, 'once.mjs');
      writeFileSync(
        module,
        `import { existsSync, writeFileSync } from 'node:fs';
const marker = new URL('./served', import.meta.url);
if (existsSync(marker)) throw new Error('the database is down');
writeFileSync(marker, '');
export default (req, res) => { res.end('once'); setTimeout(() => process.exit(1), 10); };
`,
      );
      const corral = await startCorral([...loopback, '--module', module, '--processes', '1']);
      expect(await (await fetch(corral.url)).text()).toBe('once');
      await corral.waitFor(
        (line) =>
          line.msg === 'a replacement worker could not start' && String(line.reason).includes('the database is down'),
      );
      await corral.waitFor((line) => line.msg === 'worker died: replacing it' && line.respawnInMs === 400);
      expect(corral.child.exitCode).toBeNull();
      process.kill(corral.pid, 'SIGTERM');
      expect(await corral.exited()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('unix socket', () => {
  it('listens on a socket path and removes it on exit with vacuum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-sock-'));
    const socketPath = join(dir, 'app.sock');
    try {
      const corral = await startCorral(['--http', socketPath, '--module', app('pid.cjs'), '--vacuum']);
      const body = await new Promise<string>((resolve, reject) => {
        request({ socketPath, path: '/' }, (res) => {
          let text = '';
          res
            .setEncoding('utf8')
            .on('data', (d: string) => (text += d))
            .on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect(Number(body)).toBeGreaterThan(0);
      process.kill(corral.pid, 'SIGTERM');
      expect(await corral.exited()).toBe(0);
      expect(existsSync(socketPath)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
