// Markdown for side-by-side results: one row per case and server, with corral's ratio to each peer of the same case.
import { formatMs, formatRate, median, pairedRatio } from './stats.mjs';

/** `55 + 2 × 61 MiB` (the first process, then the median of the others), or `48 MiB` for one process. */
export function formatRss(rss) {
  if (rss === undefined || rss.length === 0 || Number.isNaN(rss[0])) return 'n/a';
  const [first, ...rest] = rss;
  if (rest.length === 0) return `${first.toFixed(0)} MiB`;
  return `${first.toFixed(0)} + ${rest.length} × ${median(rest).toFixed(0)} MiB`;
}

/** The rows of each case, grouped in the order the cases first appear. */
export function byCase(rows) {
  const cases = new Map();
  for (const row of rows) {
    if (!cases.has(row.case)) cases.set(row.case, []);
    cases.get(row.case).push(row);
  }
  return cases;
}

/**
 * corral's ratio to a peer row: the median of their paired per-round ratios (see pairedRatio) when both rows kept
 * their rounds, else the ratio of their median req/s. `{ ratio, min?, max? }`, ratio NaN when either is missing.
 */
export function ratioOfRows(corral, peer) {
  if (corral === undefined || peer === undefined) return { ratio: NaN };
  const paired = pairedRatio(corral.rates, peer.rates);
  if (paired !== undefined) return { ratio: paired.median, min: paired.min, max: paired.max };
  const ok = peer.rate.median > 0 && !Number.isNaN(corral.rate.median);
  return { ratio: ok ? corral.rate.median / peer.rate.median : NaN };
}

/** A ratio as `0.97x`, with the range of its rounds when it has one: `0.97x (0.91-1.02)`. */
export function formatRowRatio({ ratio, min, max }) {
  if (Number.isNaN(ratio)) return 'n/a';
  return min === undefined ? `${ratio.toFixed(2)}x` : `${ratio.toFixed(2)}x (${min.toFixed(2)}-${max.toFixed(2)})`;
}

/**
 * The comparison table; "corral ÷ this" is the highlighted (corral) row's rate over that row's: the median of the
 * per-round ratios and their range (ratioOfRows).
 */
export function comparisonTable(rows) {
  const lines = [
    '| case | server | req/s, median (min-max) | p50 | p99 | RSS per process after the runs | corral ÷ this, per round: median (min-max) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, group] of byCase(rows)) {
    const corral = group.find((row) => row.highlight);
    for (const row of group) {
      const rate = `${formatRate(row.rate.median)} (${formatRate(row.rate.min)}-${formatRate(row.rate.max)})`;
      const ratio = row.highlight || corral === undefined ? '' : formatRowRatio(ratioOfRows(corral, row));
      const server = row.highlight ? `**${row.server}**` : row.server;
      lines.push(
        `| ${name} | ${server} | ${rate} | ${formatMs(row.p50)} | ${formatMs(row.p99)} | ${formatRss(row.rss)} | ${ratio} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The row of `server` in case `name`, or undefined. */
export function rowOf(rows, name, server) {
  return rows.find((row) => row.case === name && row.server === server);
}
