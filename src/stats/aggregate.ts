// The master's side of the stats: folds the workers' once-a-second reports and the pool's exits into totals that survive worker restarts, and takes the snapshot the stats address serves.
import { HISTOGRAM_SIZE } from './latency-buckets.ts';
import { STATUS_CLASSES, type StatsReport } from './report.ts';
import type {
  CertificateStats,
  ExitRecord,
  ListenerStats,
  RequestCounts,
  RestartRecord,
  SlowRequest,
  StatsSnapshot,
  StatusClasses,
  WorkerStats,
} from './snapshot.ts';

/** One slot as the pool sees it (see WorkerPool.slotViews). */
export interface SlotView {
  id: number;
  pid: number | undefined;
  state: 'starting' | 'serving' | 'stopping' | 'respawning';
  /** When its process was forked, in ms since the epoch. */
  forkedAt: number | undefined;
}

/** How a worker process ended, as the pool logs it in 'worker exited'. */
export interface WorkerExit {
  pid: number | undefined;
  code: number | null;
  signal: string | null;
  reason: string;
}

/** What the snapshot needs besides the reports: the moment, the pool, the listeners and the certificates. */
export interface SnapshotContext {
  now: number;
  slots: SlotView[];
  /** Listener names and protocols in config order (http, then https): the workers report connections in that order. */
  listeners: { name: string; proto: 'http' | 'https' }[];
  certificates: CertificateStats[];
  version: string;
  masterStartedAt: number;
}

/** The latency histogram across every worker that ever ran: per bucket (not cumulative), the sum in ms and the count. */
export interface HistogramTotals {
  buckets: number[];
  sumMs: number;
  count: number;
}

/** The most recent restarts kept, and the slow requests shown. */
const RESTARTS_KEPT = 20;
const SLOW_SHOWN = 10;
const SLOW_WINDOW_MS = 60_000;
/** A report older than this no longer speaks for its worker's last second. */
const STALE_MS = 2500;

/** The current process of one slot: its counts since it started, and its last report. */
interface ProcessState {
  pid: number;
  startedAt: number;
  requests: number;
  exceptions: number;
  tx: number;
  timeMs: number;
  last: StatsReport;
  lastAt: number;
}

function emptyClasses(): StatusClasses {
  return { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0 };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

export class StatsAggregator {
  private readonly requests = new Array<number>(12).fill(0);
  private readonly histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
  private timeMs = 0;
  private exceptions = 0;
  private tx = 0;
  private cacheHits = 0;
  private cacheMisses = 0;
  /** By pid: during a reload a slot's old process (draining) and its new one both report. */
  private readonly processes = new Map<number, ProcessState>();
  private readonly slotHistory = new Map<number, { respawnCount: number; lastExit: ExitRecord | null }>();
  private restarts: RestartRecord[] = [];
  private readonly restartsByReason = new Map<string, number>();
  private slow: SlowRequest[] = [];

  /** A worker's report: its counts go into the totals at once, so a worker that dies later loses none of them. */
  addReport(report: StatsReport, now = Date.now()): void {
    for (let i = 0; i < 12; i++) this.requests[i]! += report.requests[i] ?? 0;
    for (let i = 0; i < HISTOGRAM_SIZE; i++) this.histogram[i]! += report.histogram[i] ?? 0;
    this.timeMs += report.timeMs;
    this.exceptions += report.exceptions;
    this.tx += report.tx;
    this.cacheHits += report.cacheHits;
    this.cacheMisses += report.cacheMisses;
    let state = this.processes.get(report.pid);
    if (state === undefined) {
      state = {
        pid: report.pid,
        startedAt: report.startedAt,
        requests: 0,
        exceptions: 0,
        tx: 0,
        timeMs: 0,
        last: report,
        lastAt: now,
      };
      this.processes.set(report.pid, state);
    }
    state.requests += sum(report.requests);
    state.exceptions += report.exceptions;
    state.tx += report.tx;
    state.timeMs += report.timeMs;
    state.last = report;
    state.lastAt = now;
    if (report.slow.length > 0) this.addSlow(report, now);
  }

  /** A worker exited; `replaced` is true when its slot goes on with another process (a respawn or a replacement). */
  workerExited(slotId: number, exit: WorkerExit, replaced: boolean, now = Date.now()): void {
    const record: ExitRecord = {
      pid: exit.pid ?? 0,
      code: exit.code,
      signal: exit.signal,
      reason: exit.reason,
      at: Math.floor(now / 1000),
    };
    if (exit.pid !== undefined) this.processes.delete(exit.pid);
    this.restarts.unshift({ ...record, worker: slotId });
    if (this.restarts.length > RESTARTS_KEPT) this.restarts.length = RESTARTS_KEPT;
    this.restartsByReason.set(exit.reason, (this.restartsByReason.get(exit.reason) ?? 0) + 1);
    if (!replaced) return;
    const history = this.slotHistory.get(slotId) ?? { respawnCount: 0, lastExit: null };
    history.respawnCount++;
    history.lastExit = record;
    this.slotHistory.set(slotId, history);
  }

  histogramTotals(): HistogramTotals {
    return { buckets: [...this.histogram], sumMs: this.timeMs, count: sum(this.histogram) };
  }

  /** Exceptions and response bytes across every worker that ever ran. */
  counterTotals(): { exceptions: number; tx: number } {
    return { exceptions: this.exceptions, tx: this.tx };
  }

  /** Worker exits since the master started, by reason. */
  exitsByReason(): ReadonlyMap<string, number> {
    return this.restartsByReason;
  }

  snapshot(context: SnapshotContext): StatsSnapshot {
    const { now } = context;
    const workers = context.slots.map((slot) => this.workerStats(slot, now));
    // Every process that reported lately, a draining one too: its connections are still open.
    const connections = new Array<number>(context.listeners.length).fill(0);
    for (const state of this.processes.values()) {
      if (now - state.lastAt > STALE_MS) continue;
      state.last.connections.forEach((count, index) => {
        if (index < connections.length) connections[index]! += count;
      });
    }
    const listeners: ListenerStats[] = context.listeners.map((listener, index) => ({
      ...listener,
      connections: connections[index] ?? 0,
    }));
    const memory = process.memoryUsage();
    this.slow = this.slow.filter((entry) => now - entry.at * 1000 <= SLOW_WINDOW_MS);
    return {
      version: context.version,
      pid: process.pid,
      at: Math.floor(now / 1000),
      uptime: Math.round((now - context.masterStartedAt) / 1000),
      master: { rss: memory.rss, heap: memory.heapUsed },
      listeners,
      workers,
      requests: this.requestCounts(),
      static_cache: { hits: this.cacheHits, misses: this.cacheMisses },
      restarts: this.restarts.map((entry) => ({ ...entry })),
      slow: this.slow.map((entry) => ({ ...entry })),
      certificates: context.certificates,
    };
  }

  private requestCounts(): RequestCounts {
    const counts: RequestCounts = { app: emptyClasses(), static: emptyClasses() };
    STATUS_CLASSES.forEach((name, index) => {
      counts.app[name] = this.requests[index]!;
      counts.static[name] = this.requests[6 + index]!;
    });
    return counts;
  }

  private workerStats(slot: SlotView, now: number): WorkerStats {
    const history = this.slotHistory.get(slot.id);
    const state = slot.pid === undefined ? undefined : this.processes.get(slot.pid);
    const fresh = state !== undefined && now - state.lastAt <= STALE_MS ? state.last : undefined;
    const forkedAt = slot.forkedAt ?? now;
    const inFlight = fresh?.inFlight ?? 0;
    const status = slot.state === 'serving' ? (inFlight > 0 ? 'busy' : 'idle') : slot.state;
    return {
      id: slot.id,
      pid: slot.pid ?? null,
      status,
      requests: state?.requests ?? 0,
      delta_requests: fresh === undefined ? 0 : sum(fresh.requests),
      in_flight: inFlight,
      exceptions: state?.exceptions ?? 0,
      rss: state?.last.rss ?? 0,
      heap: state?.last.heap ?? 0,
      loop_delay: fresh?.loopDelay ?? { p50: 0, p99: 0 },
      loop_utilization: fresh?.loopUtilization ?? 0,
      latency: fresh?.latency ?? { p50: null, p99: null },
      avg_rt: state === undefined || state.requests === 0 ? 0 : Math.round((state.timeMs * 1000) / state.requests),
      tx: state?.tx ?? 0,
      uptime: slot.pid === undefined ? 0 : Math.round((now - forkedAt) / 1000),
      last_spawn: Math.floor(forkedAt / 1000),
      respawn_count: history?.respawnCount ?? 0,
      last_exit: history?.lastExit ?? null,
    };
  }

  private addSlow(report: StatsReport, now: number): void {
    const fresh = this.slow.filter((entry) => now - entry.at * 1000 <= SLOW_WINDOW_MS);
    for (const entry of report.slow) {
      fresh.push({
        reqId: entry.reqId,
        worker: report.worker,
        method: entry.method,
        path: entry.path,
        status: entry.status,
        ms: entry.ms,
        at: Math.floor(entry.at / 1000),
      });
    }
    fresh.sort((a, b) => b.ms - a.ms);
    if (fresh.length > SLOW_SHOWN) fresh.length = SLOW_SHOWN;
    this.slow = fresh;
  }
}
