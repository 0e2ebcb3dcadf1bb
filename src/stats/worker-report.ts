// A worker's side of the stats: once a second, one `corral:stats` message with the counts since the last one, the event loop's delay and use, memory, requests in flight and connections.
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { staticCacheCounts } from '../static/cache-counts.ts';
import { quantile } from './latency-buckets.ts';
import type { StatsReport } from './report.ts';
import type { WorkerCounters } from './worker-counters.ts';

const REPORT_MS = 1000;

/** What the report reads from the worker besides its counters. */
export interface ReportSources {
  worker: number;
  counters: WorkerCounters;
  inFlight: () => number;
  connections: () => number[];
}

export interface StatsReports {
  /** Sends what was counted since the last report now (the worker is about to exit), and stops the timer; resolves once sent. */
  final(): Promise<void>;
}

/** The delay histogram's values are ns; reported in ms with hundredths. */
const ms = (ns: number): number => (Number.isFinite(ns) ? Math.round(ns / 10_000) / 100 : 0);

/** Starts reporting through `send` once a second (the timer does not keep the process alive). */
export function startStatsReports(sources: ReportSources, send: (report: StatsReport) => Promise<void>): StatsReports {
  const startedAt = Date.now() - Math.round(performance.now());
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let utilization: EventLoopUtilization = performance.eventLoopUtilization();
  let cacheHits = 0;
  let cacheMisses = 0;

  const report = (): StatsReport => {
    const counted = sources.counters.take();
    const now = performance.eventLoopUtilization();
    const loopUtilization = performance.eventLoopUtilization(now, utilization).utilization;
    utilization = now;
    const memory = process.memoryUsage();
    const hits = staticCacheCounts.hits - cacheHits;
    const misses = staticCacheCounts.misses - cacheMisses;
    cacheHits = staticCacheCounts.hits;
    cacheMisses = staticCacheCounts.misses;
    const built: StatsReport = {
      worker: sources.worker,
      pid: process.pid,
      startedAt,
      requests: counted.requests,
      exceptions: counted.exceptions,
      tx: counted.tx,
      timeMs: counted.timeMs,
      histogram: counted.histogram,
      cacheHits: hits,
      cacheMisses: misses,
      slow: counted.slow,
      latency: { p50: quantile(counted.fine, 0.5), p99: quantile(counted.fine, 0.99) },
      inFlight: sources.inFlight(),
      connections: sources.connections(),
      rss: memory.rss,
      heap: memory.heapUsed,
      loopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)) },
      loopUtilization: Math.round(loopUtilization * 1000) / 1000,
    };
    delay.reset();
    return built;
  };

  const timer = setInterval(() => void send(report()), REPORT_MS);
  timer.unref();
  let last: Promise<void> | undefined;
  return {
    final() {
      clearInterval(timer);
      delay.disable();
      last ??= send(report());
      return last;
    },
  };
}
