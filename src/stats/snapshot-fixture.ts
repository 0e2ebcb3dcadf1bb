// Hand-made StatsSnapshots for the dashboard's and corral top's tests: two workers, a restart, a hostile slow path, a certificate near expiry.
import type { StatsSnapshot, WorkerStats } from './snapshot.ts';

/** A path as an attacker would send it, to prove both views print it as text. */
export const HOSTILE_PATH = '/<img src=x onerror=alert(1)>\u001b[2J';

const classes = (n2xx: number, n4xx: number) => ({ '1xx': 0, '2xx': n2xx, '3xx': 0, '4xx': n4xx, '5xx': 0, other: 0 });

/** A worker slot; `over` replaces any field. */
export function workerFixture(id: number, over: Partial<WorkerStats> = {}): WorkerStats {
  return {
    id,
    pid: 4000 + id,
    status: 'idle',
    requests: 1000 * id,
    delta_requests: 10 * id,
    in_flight: 0,
    exceptions: 0,
    rss: 80 * 1024 * 1024 + id,
    heap: 20 * 1024 * 1024,
    loop_delay: { p50: 0.4, p99: 1.5 },
    loop_utilization: 0.12,
    latency: { p50: 0.8, p99: 4.2 },
    avg_rt: 900,
    tx: 123456,
    uptime: 3725,
    last_spawn: 1_800_000_000 - 3725,
    respawn_count: 0,
    last_exit: null,
    ...over,
  };
}

/** A snapshot at `at` (seconds since the epoch); `over` replaces any field. */
export function snapshotFixture(over: Partial<StatsSnapshot> = {}): StatsSnapshot {
  const at = over.at ?? 1_800_000_000;
  return {
    version: '0.1.0',
    pid: 4000,
    at,
    uptime: 7300,
    master: { rss: 45 * 1024 * 1024, heap: 8 * 1024 * 1024 },
    listeners: [
      { name: '127.0.0.1:8080', proto: 'http', connections: 3 },
      { name: '[::1]:8443', proto: 'https', connections: 1 },
    ],
    workers: [
      workerFixture(1),
      workerFixture(2, {
        status: 'busy',
        in_flight: 2,
        respawn_count: 1,
        uptime: 42,
        last_exit: { pid: 3999, code: null, signal: 'SIGKILL', reason: 'crash', at: at - 42 },
      }),
    ],
    requests: { app: classes(2900, 12), static: classes(150, 3) },
    static_cache: { hits: 140, misses: 13 },
    restarts: [{ worker: 2, pid: 3999, code: null, signal: 'SIGKILL', reason: 'crash', at: at - 42 }],
    slow: [
      { reqId: 'r-17', worker: 2, method: 'GET', path: HOSTILE_PATH, status: 404, ms: 812.5, at: at - 3 },
      { reqId: 'r-9', worker: 1, method: 'POST', path: '/api/report', status: 200, ms: 95, at: at - 20 },
    ],
    certificates: [
      {
        domains: ['example.com', 'www.example.com'],
        source: 'acme',
        not_after: '2027-01-10T00:00:00.000Z',
        days_left: 9,
      },
      {
        domains: ['api.example.com'],
        source: '/etc/corral/api.pem',
        not_after: '2027-06-01T00:00:00.000Z',
        days_left: 150,
      },
    ],
    ...over,
  };
}
