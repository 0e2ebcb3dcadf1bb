// End to end: the stats address of the built program: counts equal to the requests sent, a killed worker shown with its reason, the metrics agreeing, loopback only, and `corral status`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsSnapshot } from '../../src/stats/snapshot.ts';
import { runCorral, startCorral, stopAll, stopGracefully, type Running } from './harness.ts';

const app = fileURLToPath(new URL('../fixtures/e2e/apps/pid.cjs', import.meta.url));

/** GET `path` from `host:port` with `headers`; the status and the body. */
function get(
  address: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.slice(address.lastIndexOf(':') + 1)),
  ];
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, headers, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${address}${path}`)));
    req.on('error', reject);
    req.end();
  });
}

const snapshotOf = async (address: string) => JSON.parse((await get(address, '/stats.json')).body) as StatsSnapshot;

/** Polls the snapshot until `done` holds, for at most `ms`; returns the last one. */
async function until(address: string, done: (s: StatsSnapshot) => boolean, ms: number): Promise<StatsSnapshot> {
  const deadline = Date.now() + ms;
  for (;;) {
    const snapshot = await snapshotOf(address);
    if (done(snapshot) || Date.now() > deadline) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function metricValue(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

const total = (s: StatsSnapshot) =>
  Object.values(s.requests.app).reduce((a, b) => a + b, 0) +
  Object.values(s.requests.static).reduce((a, b) => a + b, 0);

describe('the stats address', () => {
  let dir: string;
  let corral: Running;
  let stats: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-stats-'));
    mkdirSync(join(dir, 'public'));
    writeFileSync(join(dir, 'public', 'file.txt'), 'static bytes\n');
    corral = await startCorral(
      [
        '--http',
        '127.0.0.1:0',
        '--processes',
        '2',
        '--module',
        app,
        '--static-map',
        `/s=${join(dir, 'public')}`,
      ].concat(['--stats', '127.0.0.1:0', '--metrics', 'true']),
      { cwd: dir },
    );
    const line = await corral.waitFor((l) => l.msg === 'stats listening', 2000);
    stats = line.address as string;
  }, 20_000);

  afterAll(async () => {
    if (corral !== undefined) await stopGracefully(corral);
    stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts exactly the requests sent, by kind, in the JSON and the metrics', async () => {
    const send = async (path: string, n: number) => {
      for (let i = 0; i < n; i += 10)
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            const res = await fetch(`${corral.url}${path}`);
            await res.arrayBuffer();
            expect(res.status).toBe(200);
          }),
        );
    };
    await Promise.all([send('/app?secret=1', 300), send('/s/file.txt', 100)]);
    const sentAt = Date.now();
    const snapshot = await until(stats, (s) => total(s) === 400, 2500);
    expect(Date.now() - sentAt).toBeLessThan(2600);
    expect(snapshot.requests.app['2xx']).toBe(300);
    expect(snapshot.requests.static['2xx']).toBe(100);
    expect(snapshot.workers.map((w) => w.requests).reduce((a, b) => a + b)).toBe(400);
    expect(snapshot.workers.map((w) => w.status).sort()).toEqual(['idle', 'idle']);
    expect(snapshot.static_cache.hits + snapshot.static_cache.misses).toBe(100);
    for (const slow of snapshot.slow) expect(slow.path).not.toContain('?');

    const metrics = (await get(stats, '/metrics')).body;
    expect(metricValue(metrics, 'http_requests_total{kind="app",code="2xx"}')).toBe(300);
    expect(metricValue(metrics, 'http_requests_total{kind="static",code="2xx"}')).toBe(100);
    expect(metricValue(metrics, 'http_request_duration_seconds_count')).toBe(400);
  });

  it('shows a worker killed with SIGKILL as a crash of its slot, and keeps the totals', async () => {
    const before = await snapshotOf(stats);
    const victim = before.workers[0]!;
    process.kill(victim.pid!, 'SIGKILL');
    const after = await until(
      stats,
      (s) => s.workers[0]!.respawn_count === 1 && s.workers[0]!.status === 'idle' && s.workers[0]!.pid !== victim.pid,
      10_000,
    );
    const slot = after.workers[0]!;
    expect(slot.respawn_count).toBe(1);
    expect(slot.last_exit).toMatchObject({ pid: victim.pid, reason: 'crash', signal: 'SIGKILL', code: null });
    expect(after.restarts[0]).toMatchObject({ worker: 1, pid: victim.pid, reason: 'crash', signal: 'SIGKILL' });
    expect(total(after)).toBe(total(before));
    const metrics = (await get(stats, '/metrics')).body;
    expect(metricValue(metrics, 'corral_worker_restarts_total{reason="crash"}')).toBe(1);
  }, 15_000);

  it('is read-only and answers only this machine', async () => {
    expect((await get(stats, '/stats.json', { host: 'evil.example' })).status).toBe(403);
    expect((await get(stats, '/')).body).toContain('<!doctype html>');
    expect((await get(stats, '/nothing')).status).toBe(404);
    const post = await new Promise<number>((resolve, reject) => {
      const [host, port] = stats.split(':');
      const req = request({ host, port: Number(port), method: 'POST', path: '/stats.json' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(post).toBe(405);
  });

  it('corral status prints the table and exits 0 when every worker serves, 2 without a stats address or an answer', async () => {
    const ok = await runCorral(['status', '--stats', stats], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`master pid ${corral.pid}`);
    expect(ok.stdout).toMatch(/crash \(SIGKILL\)/);
    const none = await runCorral(['status'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('set stats');
    const nobody = await runCorral(['status', '--stats', '127.0.0.1:1'], { cwd: dir });
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('is corral running');
  });
});
