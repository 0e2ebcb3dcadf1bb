// The Markdown comparison table: grouping by case, corral's ratio to each peer, RSS per process.
import { describe, expect, it } from 'vitest';
import { comparisonTable, formatRss, ratioOfRows, rowOf } from './table.mjs';

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
  it('gives the range of the per-round ratios when the rows kept their rounds', () => {
    const table = comparisonTable([
      row('corral, 2 workers', 60_000, { highlight: true, rates: [60_000, 30_000, 66_000] }),
      row('node:cluster, 2 workers', 62_000, { rates: [62_000, 31_000, 60_000] }),
    ]);
    expect(table.trim().split('\n')[3].endsWith('| 0.97x (0.97-1.10) |')).toBe(true);
  });

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

describe('rowOf and ratioOfRows', () => {
  it('finds a row by case and server', () => {
    expect(rowOf([row('a', 5)], 'hello world, 2 workers', 'a')?.rate.median).toBe(5);
    expect(rowOf([row('a', 5)], 'other', 'a')).toBeUndefined();
  });

  it('pairs the rounds when both rows kept them, else divides the medians', () => {
    const corral = row('corral', 60, { rates: [60, 30, 61] });
    const peer = row('peer', 50, { rates: [50, 25, 60] });
    expect(ratioOfRows(corral, peer)).toEqual({ ratio: 1.2, min: 61 / 60, max: 1.2 });
    expect(ratioOfRows(row('corral', 60), row('peer', 50))).toEqual({ ratio: 1.2 });
    expect(ratioOfRows(undefined, peer).ratio).toBeNaN();
  });
});
