// A worker's request counters: a few integer increments when a request finishes (by kind, status class, latency bucket, bytes), and the slowest few of the current second.
import { performance } from 'node:perf_hooks';
import { responseBytesOf, type ClosedExchange, type RequestRecord } from '../http/access-log.ts';
import { FINE_SIZE, fineIndex, HISTOGRAM_SIZE, histogramIndex } from './latency-buckets.ts';
import type { SlowEntry } from './report.ts';

/** How many of a second's slowest requests are kept. */
const SLOW_KEPT = 5;

/** What the counters gathered since they were last taken. */
export interface CountedSecond {
  requests: number[];
  exceptions: number;
  tx: number;
  timeMs: number;
  histogram: number[];
  fine: number[];
  slow: SlowEntry[];
}

/**
 * The counters of one worker. `count` runs on the path that already runs when a response closes (the pipeline's
 * `closed`): no allocation but for a request slower than the slowest kept this second, which is rare by definition.
 */
export class WorkerCounters {
  private requests = new Array<number>(12).fill(0);
  private exceptions = 0;
  private tx = 0;
  private timeMs = 0;
  private histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
  private fine = new Array<number>(FINE_SIZE).fill(0);
  /** The slow requests kept, and the shortest duration among them once the list is full (else 0). */
  private slow: SlowEntry[] = [];
  private slowFloor = 0;

  count(res: ClosedExchange, record: RequestRecord): void {
    const ms = performance.now() - record.started;
    const status = res.statusCode;
    const statusClass = status >= 100 && status < 600 ? ((status / 100) | 0) - 1 : 5;
    this.requests[(record.static ? 6 : 0) + statusClass]!++;
    if (record.failed) this.exceptions++;
    this.tx += responseBytesOf(res, record);
    this.timeMs += ms;
    this.histogram[histogramIndex(ms)]!++;
    this.fine[fineIndex(ms)]!++;
    if (ms > this.slowFloor) this.keepSlow(res, record, ms);
  }

  /** Returns what was counted since the last call, and starts again from zero. */
  take(): CountedSecond {
    const taken: CountedSecond = {
      requests: this.requests,
      exceptions: this.exceptions,
      tx: this.tx,
      timeMs: this.timeMs,
      histogram: this.histogram,
      fine: this.fine,
      slow: this.slow,
    };
    this.requests = new Array<number>(12).fill(0);
    this.exceptions = 0;
    this.tx = 0;
    this.timeMs = 0;
    this.histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
    this.fine = new Array<number>(FINE_SIZE).fill(0);
    this.slow = [];
    this.slowFloor = 0;
    return taken;
  }

  private keepSlow(res: ClosedExchange, record: RequestRecord, ms: number): void {
    const url = res.req.url ?? '';
    const query = url.indexOf('?');
    const entry: SlowEntry = {
      reqId: record.id,
      method: res.req.method ?? '',
      // The query string may hold secrets (tokens, e-mail addresses): never kept.
      path: query < 0 ? url : url.slice(0, query),
      status: res.statusCode,
      ms: Math.round(ms * 100) / 100,
      at: Date.now(),
    };
    const slow = this.slow;
    let at = slow.length;
    while (at > 0 && slow[at - 1]!.ms < entry.ms) at--;
    slow.splice(at, 0, entry);
    if (slow.length > SLOW_KEPT) slow.pop();
    if (slow.length === SLOW_KEPT) this.slowFloor = slow[SLOW_KEPT - 1]!.ms;
  }
}
