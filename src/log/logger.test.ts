// The root logger's timestamp: pino's isoTime field, formatted once per millisecond without Date's toISOString; the access log's, from the monotonic clock.
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isoTimeAt, isoTimeOncePerMs, utcSecondText } from './logger.ts';

describe('isoTimeOncePerMs', () => {
  afterEach(() => vi.useRealTimers());

  it('writes the same field as pino.stdTimeFunctions.isoTime', () => {
    vi.useFakeTimers({ now: new Date('2026-11-23T21:03:08.793Z') });
    const time = isoTimeOncePerMs();
    expect(time()).toBe(pino.stdTimeFunctions.isoTime());
    expect(time()).toBe(',"time":"2026-11-23T21:03:08.793Z"');
  });

  it('follows the clock from one millisecond to the next', () => {
    vi.useFakeTimers({ now: new Date('2026-11-23T21:03:08.793Z') });
    const time = isoTimeOncePerMs();
    time();
    vi.setSystemTime(new Date('2026-11-23T21:03:08.794Z'));
    expect(time()).toBe(',"time":"2026-11-23T21:03:08.794Z"');
  });

  it('formats every millisecond across seconds, days and years as toISOString does', () => {
    vi.useFakeTimers({ now: new Date('2026-12-31T23:59:59.000Z'), toFake: ['Date'] });
    const time = isoTimeOncePerMs();
    for (let ms = 0; ms < 1500; ms++) {
      vi.setSystemTime(Date.parse('2026-12-31T23:59:59.000Z') + ms);
      expect(time()).toBe(`,"time":"${new Date().toISOString()}"`);
    }
  });
});

describe('isoTimeAt', () => {
  afterEach(() => vi.useRealTimers());

  const fieldTime = (field: string) => Date.parse(field.slice(',"time":"'.length, -1));

  it('writes the time of day of a performance.now() reading, as pino writes it', () => {
    const time = isoTimeAt();
    const before = Date.now();
    const field = time(performance.now());
    const after = Date.now();
    expect(field).toMatch(/^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    expect(fieldTime(field)).toBeGreaterThanOrEqual(before - 1);
    expect(fieldTime(field)).toBeLessThanOrEqual(after + 1);
  });

  it('follows the system time when it is set', () => {
    const time = isoTimeAt();
    time(performance.now());
    vi.useFakeTimers({ now: new Date('2030-01-02T03:04:05.678Z'), toFake: ['Date'] });
    expect(time(performance.now() + 5)).toBe(',"time":"2030-01-02T03:04:05.678Z"');
  });
});

describe('utcSecondText', () => {
  const byDate = (at: number) => new Date(at * 1000).toISOString().slice(0, 19);

  it('agrees with toISOString around leap days, century years and year ends', () => {
    for (const year of [1970, 1972, 1999, 2000, 2024, 2100, 2400, 9998])
      for (const day of [0, 58, 59, 60, 364, 365])
        for (const second of [0, 1, 3599, 43200, 86399]) {
          const at = Date.UTC(year, 0, 1) / 1000 + day * 86400 + second;
          expect(utcSecondText(at)).toBe(byDate(at));
        }
  });

  it('agrees with toISOString on a spread of seconds from 1970 to 9999', () => {
    for (let at = 0; at < 253402300800; at += 86400 * 97 + 3671) expect(utcSecondText(at)).toBe(byDate(at));
  });
});
