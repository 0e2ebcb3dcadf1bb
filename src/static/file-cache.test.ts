// Checks the byte-bounded cache: admission on a second ask, eviction that spares recently used entries, and the size limit.
import { describe, expect, it } from 'vitest';
import { REVALIDATE } from './cache-headers.ts';
import { FileCache, type CacheEntry } from './file-cache.ts';
import { describeRepresentation } from './representation.ts';
import { memorySource } from './respond.ts';

const entry = (cost: number): CacheEntry => ({
  checks: [],
  rep: describeRepresentation({
    size: 1,
    mtimeMs: 0,
    contentType: 'text/plain',
    coding: undefined,
    policy: REVALIDATE,
    vary: false,
  }),
  source: memorySource(Buffer.alloc(1)),
  cost,
  used: false,
  checkedInTurn: -1,
});

describe('FileCache', () => {
  it('lets one read of a key run at a time, and takes bodies up to 16 MiB or a quarter of its size', () => {
    const cache = new FileCache(64 * 1024 * 1024);
    expect(cache.startLoading('/big')).toBe(true);
    expect(cache.startLoading('/big')).toBe(false);
    expect(cache.startLoading('/other')).toBe(true);
    cache.doneLoading('/big');
    expect(cache.startLoading('/big')).toBe(true);
    expect(cache.maxBody).toBe(16 * 1024 * 1024);
    expect(new FileCache(8 * 1024 * 1024).maxBody).toBe(2 * 1024 * 1024);
  });

  it('admits a key on its second ask', () => {
    const cache = new FileCache(1000);
    expect(cache.seenBefore('a')).toBe(false);
    expect(cache.seenBefore('a')).toBe(true);
  });

  it('never holds more than its limit, evicting the oldest unused first', () => {
    const cache = new FileCache(300);
    cache.set('a', entry(100));
    cache.set('b', entry(100));
    cache.set('c', entry(100));
    cache.get('a');
    cache.set('d', entry(100));
    expect(cache.bytes).toBeLessThanOrEqual(300);
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('d')).toBeDefined();
  });

  it('refuses an entry bigger than the whole cache, and a limit of 0 is off', () => {
    const cache = new FileCache(50);
    cache.set('big', entry(51));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.bytes).toBe(0);
    expect(new FileCache(0).enabled).toBe(false);
  });

  it('replacing a key does not count it twice', () => {
    const cache = new FileCache(1000);
    cache.set('a', entry(100));
    cache.set('a', entry(200));
    expect(cache.bytes).toBe(200);
    cache.delete('a');
    expect(cache.bytes).toBe(0);
  });
});
