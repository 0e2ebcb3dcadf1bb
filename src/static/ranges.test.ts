// Checks range planning: single, suffix, open, merged and multiple ranges, 416, malformed headers and If-Range.
import { describe, expect, it } from 'vitest';
import { MAX_RANGES, planRange } from './ranges.ts';

const validators = { etag: '"a-1"', lastModifiedMs: Date.UTC(2025, 0, 1) };
const plan = (range: string, extra: Record<string, string> = {}) => planRange({ range, ...extra }, 100, validators);

describe('planRange', () => {
  it.each([
    ['bytes=0-9', [{ start: 0, end: 9 }]],
    ['bytes=90-', [{ start: 90, end: 99 }]],
    ['bytes=-5', [{ start: 95, end: 99 }]],
    ['bytes=95-500', [{ start: 95, end: 99 }]],
    ['bytes=0-4,5-9', [{ start: 0, end: 9 }]],
    [
      'bytes=0-1,50-51',
      [
        { start: 0, end: 1 },
        { start: 50, end: 51 },
      ],
    ],
  ])('%s is partial', (range, ranges) => {
    expect(plan(range)).toEqual({ kind: 'partial', ranges });
  });

  it.each(['bytes=100-', 'bytes=200-300', 'bytes=-0'])('%s is unsatisfiable', (range) => {
    expect(plan(range).kind).toBe('unsatisfiable');
  });

  it.each(['bytes=0-99', 'bytes=x', 'lines=0-1', ''])('%j is answered in full', (range) => {
    expect(plan(range).kind).toBe('full');
  });

  it('too many ranges are answered in full', () => {
    const many = Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${2 * i}-${2 * i}`).join(',');
    expect(planRange({ range: `bytes=${many}` }, 1000, validators).kind).toBe('full');
  });

  it('If-Range must match the strong ETag or the exact date', () => {
    expect(plan('bytes=0-1', { 'if-range': '"a-1"' }).kind).toBe('partial');
    expect(plan('bytes=0-1', { 'if-range': 'W/"a-1"' }).kind).toBe('full');
    expect(plan('bytes=0-1', { 'if-range': new Date(validators.lastModifiedMs).toUTCString() }).kind).toBe('partial');
    expect(plan('bytes=0-1', { 'if-range': new Date(validators.lastModifiedMs + 1000).toUTCString() }).kind).toBe(
      'full',
    );
  });
});
