// The goal table: ratios of medians with their verdicts, figures against limits, n/a for what was not measured.
import { describe, expect, it } from 'vitest';
import { goalTable } from './goals.mjs';

const row = (c, server, median) => ({ case: c, server, rate: { median } });

describe('goalTable', () => {
  it('gives each ratio and figure its verdict, and n/a when a row is missing', () => {
    const rows = [row('hello', 'corral', 98), row('hello', 'node', 100), row('static', 'corral', 50)];
    const table = goalTable(rows, [
      { goal: 'hello vs node', case: 'hello', server: 'corral', peer: 'node', target: 0.97 },
      { goal: 'hello vs node, strict', case: 'hello', server: 'corral', peer: 'node', target: 1 },
      { goal: 'static vs nginx', case: 'static', server: 'corral', peer: 'nginx', target: 0.9 },
      { goal: 'master RSS', value: 40.04, limit: 45, unit: 'MiB' },
      { goal: 'worker RSS', value: 80, limit: 70, unit: 'MiB' },
    ]);
    expect(table).toContain('| hello vs node | 0.98x | >= 0.97x | met |');
    expect(table).toContain('| hello vs node, strict | 0.98x | >= 1.00x | short |');
    expect(table).toContain('| static vs nginx | n/a | >= 0.90x | n/a |');
    expect(table).toContain('| master RSS | 40.0 MiB | <= 45.0 MiB | met |');
    expect(table).toContain('| worker RSS | 80.0 MiB | <= 70.0 MiB | short |');
  });

  it('judges a ratio by the median of its per-round ratios, and shows their range', () => {
    // Round 2 ran node while the machine was slow: the medians' ratio would say 0.90x.
    const rows = [
      { case: 'hello', server: 'corral', rate: { median: 90 }, rates: [90, 98, 89] },
      { case: 'hello', server: 'node', rate: { median: 100 }, rates: [91, 100, 90] },
    ];
    const table = goalTable(rows, [
      { goal: 'hello vs node', case: 'hello', server: 'corral', peer: 'node', target: 0.97 },
    ]);
    expect(table).toContain('| hello vs node | 0.99x (0.98-0.99) | >= 0.97x | met |');
  });
});
