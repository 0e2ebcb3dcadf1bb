// The Markdown comparison table: grouping by case, corral's ratio to each peer, RSS per process.
import { describe, expect, it } from 'vitest';
import { comparisonTable, formatRss, rateOf } from './table.mjs';

const row = (server, median, extra = {}) => ({
  case: 'hello world, 2 workers',
  server,
  rate: { median, min: median - 1000, max: median + 1000, count: 3 },
  p50: 0.9,
  p99: 4.2,
  rss: [50, 60, 62],
  ...extra,
});

describe('formatRss', () => {
  it('prints the first process, then the median of the others', () => {
    expect(formatRss([50.4, 60.2, 61.9, 70])).toBe('50 + 3 × 62 MiB');
    expect(formatRss([48.2])).toBe('48 MiB');
    expect(formatRss(undefined)).toBe('n/a');
  });
});

describe('comparisonTable', () => {
  it('gives corral in bold and its ratio to each peer of the same case', () => {
    const table = comparisonTable([
      row('corral, 2 workers', 60_000, { highlight: true }),
      row('node:cluster, 2 workers', 62_000),
    ]);
    const lines = table.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      '| hello world, 2 workers | **corral, 2 workers** | 60.0k (59.0k-61.0k) | 0.90 ms | 4.20 ms | 50 + 2 × 61 MiB |  |',
    );
    expect(lines[3]).toBe(
      '| hello world, 2 workers | node:cluster, 2 workers | 62.0k (61.0k-63.0k) | 0.90 ms | 4.20 ms | 50 + 2 × 61 MiB | 0.97x |',
    );
  });

  it('leaves the ratio empty in a case where corral did not run', () => {
    const table = comparisonTable([row('nginx, 2 workers', 70_000)]);
    expect(table.trim().split('\n')[2].endsWith('|  |')).toBe(true);
  });
});

describe('rateOf', () => {
  it('finds a median by case and server', () => {
    expect(rateOf([row('a', 5)], 'hello world, 2 workers', 'a')).toBe(5);
    expect(rateOf([row('a', 5)], 'other', 'a')).toBeUndefined();
  });
});
