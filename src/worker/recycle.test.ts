// Unit tests for a worker's recycling limits: max-requests with its delta, max-worker-lifetime, and asking only once.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Config } from '../config/types.ts';
import { watchRecycling } from './recycle.ts';

const log = pino({ enabled: false });
const config = (fields: Partial<Config>) => fields as Config;

describe('watchRecycling', () => {
  it('asks once, after max-requests plus at most max-requests-delta requests', () => {
    for (let run = 0; run < 20; run++) {
      const asked: string[] = [];
      const recycling = watchRecycling(config({ maxRequests: 10, maxRequestsDelta: 5 }), log, (reason) =>
        asked.push(reason),
      );
      let requests = 0;
      while (asked.length === 0 && requests < 100) {
        recycling.countRequest();
        requests++;
      }
      expect(requests).toBeGreaterThanOrEqual(10);
      expect(requests).toBeLessThanOrEqual(15);
      for (let n = 0; n < 50; n++) recycling.countRequest();
      expect(asked).toEqual(['max-requests']);
    }
  });

  it('never asks without limits, and not after stop', async () => {
    const asked: string[] = [];
    const none = watchRecycling(config({}), log, (reason) => asked.push(reason));
    none.start();
    for (let n = 0; n < 1000; n++) none.countRequest();
    const stopped = watchRecycling(config({ maxWorkerLifetime: 0.05 }), log, (reason) => asked.push(reason));
    stopped.start();
    stopped.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(asked).toEqual([]);
  });

  it('asks at max-worker-lifetime', async () => {
    const asked: string[] = [];
    watchRecycling(config({ maxWorkerLifetime: 0.05 }), log, (reason) => asked.push(reason)).start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(asked).toEqual(['max-worker-lifetime']);
  });
});
