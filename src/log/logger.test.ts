// The root logger's timestamp: pino's isoTime field, formatted once per millisecond.
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isoTimeOncePerMs } from './logger.ts';

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
});
