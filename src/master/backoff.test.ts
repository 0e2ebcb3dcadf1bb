// Unit tests for the respawn delay.
import { describe, expect, it } from 'vitest';
import { respawnDelay } from './backoff.ts';

describe('respawnDelay', () => {
  it('replaces a worker that lived long at once', () => {
    expect(respawnDelay(0)).toBe(0);
  });
  it('doubles after each quick death and stops growing at 30 s', () => {
    expect([1, 2, 3, 4].map(respawnDelay)).toEqual([100, 200, 400, 800]);
    expect(respawnDelay(20)).toBe(30_000);
    expect(respawnDelay(1000)).toBe(30_000);
  });
});
