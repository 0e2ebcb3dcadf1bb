import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../http/access-log.ts';
import { fineIndex, histogramIndex, quantile, FINE_SIZE } from './latency-buckets.ts';
import { WorkerCounters } from './worker-counters.ts';

function finish(
  counters: WorkerCounters,
  status: number,
  ms: number,
  over: Partial<RequestRecord> = {},
  url = '/a?token=x',
) {
  const res = { statusCode: status, req: { url, method: 'GET', httpVersionMajor: 2 } };
  const record = { id: `w1-${ms}`, started: performance.now() - ms, static: false, failed: false, bytes: -1, ...over };
  counters.count(res as never, record as RequestRecord);
}

describe('WorkerCounters', () => {
  it('counts by kind and status class, exceptions, and starts from zero once taken', () => {
    const counters = new WorkerCounters();
    finish(counters, 200, 1);
    finish(counters, 404, 1, { static: true });
    finish(counters, 500, 1, { failed: true });
    finish(counters, 999, 1);
    const taken = counters.take();
    expect(taken.requests).toEqual([0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0]);
    expect(taken.exceptions).toBe(1);
    expect(taken.histogram.reduce((a, b) => a + b)).toBe(4);
    expect(counters.take().requests.every((n) => n === 0)).toBe(true);
  });

  it('keeps the 5 slowest of the interval, slowest first, paths without their query', () => {
    const counters = new WorkerCounters();
    for (const ms of [5, 50, 1, 30, 20, 40, 10, 2]) finish(counters, 200, ms);
    const { slow } = counters.take();
    expect(slow.map((entry) => Math.round(entry.ms))).toEqual([50, 40, 30, 20, 10]);
    expect(slow[0]!.path).toBe('/a');
  });
});

describe('latency buckets', () => {
  it('puts a duration in the first Prometheus bucket whose bound it does not pass', () => {
    expect(histogramIndex(5)).toBe(0);
    expect(histogramIndex(5.1)).toBe(1);
    expect(histogramIndex(20_000)).toBe(11);
  });

  it('reads p50 and p99 from the fine buckets within a bucket width (19%)', () => {
    const buckets = new Array<number>(FINE_SIZE).fill(0);
    for (let i = 1; i <= 100; i++) buckets[fineIndex(i)]!++;
    expect(quantile(buckets, 0.5)).toBeGreaterThanOrEqual(50);
    expect(quantile(buckets, 0.5)).toBeLessThan(50 * 1.19);
    expect(quantile(buckets, 0.99)).toBeGreaterThanOrEqual(99);
    expect(quantile(buckets, 0.99)).toBeLessThan(99 * 1.19);
    expect(quantile(new Array<number>(FINE_SIZE).fill(0), 0.5)).toBeNull();
  });
});
