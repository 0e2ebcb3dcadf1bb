// The fixed latency buckets: Prometheus's (seconds, for the histogram) and a fine log scale (for p50/p99 per second), and the quantile read from the fine one.

/** Upper bounds, in seconds, of `http_request_duration_seconds`; a last bucket (+Inf) follows them. */
export const HISTOGRAM_BOUNDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The same bounds in ms, for the comparison made per request. */
const BOUNDS_MS: readonly number[] = HISTOGRAM_BOUNDS.map((seconds) => seconds * 1000);

/** How many Prometheus buckets a histogram has: one per bound, and +Inf. */
export const HISTOGRAM_SIZE = HISTOGRAM_BOUNDS.length + 1;

/** The index of the Prometheus bucket a duration of `ms` falls in (not cumulative): the first bound it does not pass. */
export function histogramIndex(ms: number): number {
  let index = 0;
  while (index < BOUNDS_MS.length && ms > BOUNDS_MS[index]!) index++;
  return index;
}

/** The fine scale starts at 10 µs and has 4 buckets per doubling (each about 19% wide): 96 buckets reach 168 s. */
const FINE_BASE_MS = 0.01;
const FINE_PER_DOUBLING = 4;
export const FINE_SIZE = 96;

/** The index of the fine bucket a duration of `ms` falls in; longer ones go in the last. */
export function fineIndex(ms: number): number {
  if (ms <= FINE_BASE_MS) return 0;
  const index = Math.ceil(Math.log2(ms / FINE_BASE_MS) * FINE_PER_DOUBLING);
  return index < FINE_SIZE ? index : FINE_SIZE - 1;
}

/** The upper bound, in ms, of fine bucket `index`. */
function fineBound(index: number): number {
  return FINE_BASE_MS * 2 ** (index / FINE_PER_DOUBLING);
}

/**
 * The `q` quantile (0..1) of the durations counted in `buckets` (fine scale), as the upper bound of the bucket it
 * falls in, rounded to hundredths of a ms; null when nothing was counted.
 */
export function quantile(buckets: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < buckets.length; i++) total += buckets[i]!;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i]!;
    if (seen >= rank) return Math.round(fineBound(i) * 100) / 100;
  }
  return Math.round(fineBound(buckets.length - 1) * 100) / 100;
}
