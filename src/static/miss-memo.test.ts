// The miss memo: a path is believed missing for its time, then looked up again; a full memo starts over; 0 keeps nothing.
import { describe, expect, it } from 'vitest';
import { MissMemo } from './miss-memo.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MissMemo', () => {
  it('believes a miss for its time, then forgets it', async () => {
    const memo = new MissMemo(30);
    expect(memo.recent('/a')).toBe(false);
    memo.add('/a');
    expect(memo.recent('/a')).toBe(true);
    expect(memo.recent('/b')).toBe(false);
    await sleep(40);
    expect(memo.recent('/a')).toBe(false);
  });

  it('starts over rather than grow past its bound (paths come from clients)', () => {
    const memo = new MissMemo(60_000);
    for (let i = 0; i < 4096; i++) memo.add(`/p${i}`);
    expect(memo.recent('/p0')).toBe(true);
    memo.add('/one-more');
    expect(memo.recent('/p0')).toBe(false);
    expect(memo.recent('/one-more')).toBe(true);
  });

  it('keeps nothing with a time of 0', () => {
    const memo = new MissMemo(0);
    memo.add('/a');
    expect(memo.recent('/a')).toBe(false);
  });
});
