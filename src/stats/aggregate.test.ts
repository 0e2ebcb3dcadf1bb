import { describe, expect, it } from 'vitest';
import { StatsAggregator, type SlotView } from './aggregate.ts';
import type { StatsReport } from './report.ts';

function report(worker: number, pid: number, over: Partial<StatsReport> = {}): StatsReport {
  const requests = new Array<number>(12).fill(0);
  return {
    worker,
    pid,
    startedAt: 1_000_000,
    requests,
    exceptions: 0,
    tx: 0,
    timeMs: 0,
    histogram: new Array<number>(12).fill(0),
    cacheHits: 0,
    cacheMisses: 0,
    slow: [],
    latency: { p50: null, p99: null },
    inFlight: 0,
    connections: [0],
    rss: 50_000_000,
    heap: 9_000_000,
    loopDelay: { p50: 10, p99: 12 },
    loopUtilization: 0.1,
    ...over,
  };
}

/** app 2xx at index 1, static 2xx at 7, app 5xx at 4. */
function counts(entries: Record<number, number>): number[] {
  const out = new Array<number>(12).fill(0);
  for (const [index, count] of Object.entries(entries)) out[Number(index)] = count;
  return out;
}

const slots = (pid1: number | undefined, pid2 = 202): SlotView[] => [
  {
    id: 1,
    pid: pid1,
    state: pid1 === undefined ? 'respawning' : 'serving',
    forkedAt: pid1 === undefined ? undefined : 1_000_000,
  },
  { id: 2, pid: pid2, state: 'serving', forkedAt: 1_000_000 },
];

function context(now: number, slotViews: SlotView[]) {
  return {
    now,
    slots: slotViews,
    listeners: [{ name: '127.0.0.1:8080', proto: 'http' as const }],
    certificates: [],
    version: '0.0.0-test',
    masterStartedAt: now - 10_000,
  };
}

describe('StatsAggregator', () => {
  it('adds the reports into totals and per-worker counts, and reads the gauges of fresh reports', () => {
    const stats = new StatsAggregator();
    const now = 2_000_000;
    stats.addReport(
      report(1, 101, { requests: counts({ 1: 30, 7: 10 }), timeMs: 40, tx: 4000, inFlight: 2, connections: [3] }),
      now,
    );
    stats.addReport(
      report(2, 202, { requests: counts({ 1: 5, 4: 1 }), exceptions: 1, timeMs: 12, connections: [1] }),
      now,
    );
    stats.addReport(report(1, 101, { requests: counts({ 1: 20 }), timeMs: 10, inFlight: 2, connections: [3] }), now);
    const snap = stats.snapshot(context(now + 500, slots(101)));
    expect(snap.requests.app['2xx']).toBe(55);
    expect(snap.requests.app['5xx']).toBe(1);
    expect(snap.requests.static['2xx']).toBe(10);
    const [one, two] = snap.workers;
    expect(one).toMatchObject({
      id: 1,
      pid: 101,
      status: 'busy',
      requests: 60,
      delta_requests: 20,
      in_flight: 2,
      tx: 4000,
    });
    expect(one!.avg_rt).toBe(Math.round((50 * 1000) / 60));
    expect(two).toMatchObject({ status: 'idle', requests: 6, exceptions: 1 });
    expect(snap.listeners).toEqual([{ name: '127.0.0.1:8080', proto: 'http', connections: 4 }]);
  });

  it('keeps the totals across a worker restart, starts the new process from zero and records the exit', () => {
    const stats = new StatsAggregator();
    const now = 2_000_000;
    stats.addReport(report(1, 101, { requests: counts({ 1: 30 }) }), now);
    stats.workerExited(1, { pid: 101, code: null, signal: 'SIGKILL', reason: 'crash' }, true, now + 100);
    let snap = stats.snapshot(context(now + 200, slots(undefined)));
    expect(snap.workers[0]).toMatchObject({ pid: null, status: 'respawning', requests: 0, respawn_count: 1 });
    expect(snap.workers[0]!.last_exit).toMatchObject({ pid: 101, signal: 'SIGKILL', code: null, reason: 'crash' });
    expect(snap.restarts).toHaveLength(1);
    expect(snap.restarts[0]).toMatchObject({ worker: 1, reason: 'crash' });
    stats.addReport(report(1, 103, { requests: counts({ 1: 4 }) }), now + 1500);
    snap = stats.snapshot(context(now + 1600, slots(103)));
    expect(snap.workers[0]).toMatchObject({ pid: 103, requests: 4, respawn_count: 1 });
    expect(snap.requests.app['2xx']).toBe(34);
    expect(stats.exitsByReason().get('crash')).toBe(1);
  });

  it('lists at most 20 restarts, newest first; an exit that replaces nothing is listed but not counted as a respawn', () => {
    const stats = new StatsAggregator();
    for (let i = 0; i < 25; i++)
      stats.workerExited(2, { pid: 1000 + i, code: 0, signal: null, reason: 'reload' }, true, 3_000_000 + i);
    stats.workerExited(1, { pid: 99, code: 1, signal: null, reason: 'start failed' }, false, 3_000_100);
    const snap = stats.snapshot(context(3_001_000, slots(101)));
    expect(snap.restarts).toHaveLength(20);
    expect(snap.restarts[0]!.pid).toBe(99);
    expect(snap.workers[0]!.respawn_count).toBe(0);
    expect(snap.workers[1]!.respawn_count).toBe(25);
  });

  it('shows the 10 slowest requests of the last minute, and no gauge from a stale report', () => {
    const stats = new StatsAggregator();
    const now = 5_000_000;
    const slow = (ms: number, at: number) => ({ reqId: `w1-${ms}`, method: 'GET', path: '/p', status: 200, ms, at });
    stats.addReport(report(1, 101, { slow: [slow(900, now - 70_000)], inFlight: 1 }), now - 70_000);
    stats.addReport(report(1, 101, { slow: Array.from({ length: 12 }, (_, i) => slow(i + 1, now)) }), now);
    const snap = stats.snapshot(context(now + 10_000, slots(101)));
    expect(snap.slow.map((entry) => entry.ms)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(snap.workers[0]).toMatchObject({ status: 'idle', delta_requests: 0, in_flight: 0 });
  });
});

describe('StatsAggregator during a reload', () => {
  it("keeps the old and the new process of a slot apart while both report, and forgets the old one's gauges once it exits", () => {
    const stats = new StatsAggregator();
    const now = 7_000_000;
    stats.addReport(report(1, 101, { requests: counts({ 1: 10 }), connections: [2] }), now);
    stats.addReport(report(1, 105, { requests: counts({ 1: 3 }), connections: [1] }), now + 10);
    stats.addReport(report(1, 101, { requests: counts({ 1: 1 }), connections: [2] }), now + 20);
    let snap = stats.snapshot(context(now + 30, slots(105)));
    expect(snap.workers[0]).toMatchObject({ pid: 105, requests: 3 });
    expect(snap.listeners[0]!.connections).toBe(3);
    expect(snap.requests.app['2xx']).toBe(14);
    stats.workerExited(1, { pid: 101, code: 0, signal: null, reason: 'reload' }, true, now + 40);
    snap = stats.snapshot(context(now + 50, slots(105)));
    expect(snap.listeners[0]!.connections).toBe(1);
    expect(snap.workers[0]).toMatchObject({ pid: 105, requests: 3, respawn_count: 1 });
  });
});
