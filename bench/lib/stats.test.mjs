// Medians, min-max and the number formats of the bench report.
import { describe, expect, it } from 'vitest';
import { formatMs, formatRate, formatRatio, median, pairedRatio, summarize } from './stats.mjs';

describe('median and summarize', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('skips failed runs (NaN) and reports min, max and count', () => {
    expect(summarize([50, NaN, 40, 60])).toEqual({ median: 50, min: 40, max: 60, count: 3 });
    expect(summarize([NaN]).count).toBe(0);
  });
});

describe('pairedRatio', () => {
  it('takes the ratio round by round, so that a slow round weighs on both sides', () => {
    // The machine halves its speed in round 2: the medians' ratio says 0.5x, the rounds say 0.95x.
    expect(pairedRatio([95, 50, 95], [100, 52.6, 100])?.median).toBeCloseTo(0.95, 2);
    expect(pairedRatio([95, 50, 95], [100, 52.6, 100])?.count).toBe(3);
    const spread = pairedRatio([90, 100, 110], [100, 100, 100]);
    expect([spread?.min, spread?.max]).toEqual([0.9, 1.1]);
  });

  it('skips a failed run and gives up when the rounds do not pair', () => {
    expect(pairedRatio([90, NaN, 110], [100, 100, 100])?.count).toBe(2);
    expect(pairedRatio([90, 100], [100, 100, 100])).toBeUndefined();
    expect(pairedRatio([90], [100])).toBeUndefined();
    expect(pairedRatio(undefined, [100, 100])).toBeUndefined();
  });
});

describe('formats', () => {
  it('prints rates in thousands above 1000', () => {
    expect(formatRate(58_321)).toBe('58.3k');
    expect(formatRate(188.4)).toBe('188');
    expect(formatRate(NaN)).toBe('n/a');
  });

  it('prints latencies with fewer decimals as they grow', () => {
    expect(formatMs(0.853)).toBe('0.85 ms');
    expect(formatMs(12.34)).toBe('12.3 ms');
    expect(formatMs(1340.2)).toBe('1340 ms');
  });

  it('prints a ratio with the goal it meets or misses', () => {
    expect(formatRatio(97, 100, 0.97)).toBe('0.97x (goal 0.97x: met)');
    expect(formatRatio(96, 100, 0.97)).toBe('0.96x (goal 0.97x: short)');
    expect(formatRatio(120, 100)).toBe('1.20x');
    expect(formatRatio(undefined, 100)).toBe('n/a');
  });
});
