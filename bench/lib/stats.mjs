// Summaries of repeated measurements: median, min and max, and the number formats the tables use.

/** The middle value (the mean of the two middle ones for an even count); NaN for no values. */
export function median(values) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min and max of the values that are numbers, and how many there were. */
export function summarize(values) {
  const numbers = values.filter((v) => !Number.isNaN(v));
  if (numbers.length === 0) return { median: NaN, min: NaN, max: NaN, count: 0 };
  return { median: median(numbers), min: Math.min(...numbers), max: Math.max(...numbers), count: numbers.length };
}

/**
 * The paired ratio of two servers' rates, run by run: `a[i] / b[i]` for each round in which both ran (the runs of a
 * round are back to back, so a minute when the machine is slow weighs on both sides of its ratio), as the median,
 * min and max of those ratios. Undefined when the rounds do not pair up (different counts, or fewer than 2 pairs):
 * the caller then falls back to the ratio of the medians.
 */
export function pairedRatio(a, b) {
  if (a === undefined || b === undefined || a.length !== b.length) return undefined;
  const ratios = a.map((x, i) => x / b[i]).filter((r) => Number.isFinite(r) && r > 0);
  return ratios.length < 2 ? undefined : summarize(ratios);
}

/** Requests per second: 58.3k, 188. */
export function formatRate(n) {
  if (n === undefined || Number.isNaN(n)) return 'n/a';
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0);
}

/** A latency in milliseconds with two significant-ish decimals: 0.85 ms, 12.3 ms, 1340 ms. */
export function formatMs(ms) {
  if (ms === undefined || Number.isNaN(ms)) return 'n/a';
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms`;
}

/** `a / b` as `0.97x`, with the goal's verdict when one is given. */
export function formatRatio(a, b, goal) {
  if (a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b) || b === 0) return 'n/a';
  const ratio = a / b;
  const verdict =
    goal === undefined ? '' : ratio >= goal ? ` (goal ${goal.toFixed(2)}x: met)` : ` (goal ${goal.toFixed(2)}x: short)`;
  return `${ratio.toFixed(2)}x${verdict}`;
}
