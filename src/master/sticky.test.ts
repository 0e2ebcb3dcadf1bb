// The sticky-sessions hash: stable for one address, and spread over the workers for many.
import { describe, expect, it } from 'vitest';
import { hash } from './sticky.ts';

describe('sticky hash', () => {
  it('gives one address the same worker every time', () => {
    expect(hash('203.0.113.7') % 4).toBe(hash('203.0.113.7') % 4);
  });

  it('spreads 1,000 neighbouring addresses over 2 and 4 workers within 20% of even', () => {
    for (const workers of [2, 4]) {
      const counts = new Array<number>(workers).fill(0);
      for (let i = 0; i < 1000; i++) counts[hash(`10.0.${i >> 8}.${i & 255}`) % workers]!++;
      for (const count of counts) expect(Math.abs(count - 1000 / workers)).toBeLessThan(200 / workers);
    }
  });
});
