// Markdown for side-by-side results: one row per case and server, with corral's ratio to each peer of the same case.
import { formatMs, formatRate, formatRatio, median } from './stats.mjs';

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

/** The comparison table; "corral ÷ peer" is the highlighted (corral) row's median req/s over that row's. */
export function comparisonTable(rows) {
  const lines = [
    '| case | server | req/s, median (min-max) | p50 | p99 | RSS per process after the runs | corral ÷ this |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, group] of byCase(rows)) {
    const corral = group.find((row) => row.highlight);
    for (const row of group) {
      const rate = `${formatRate(row.rate.median)} (${formatRate(row.rate.min)}-${formatRate(row.rate.max)})`;
      const ratio = row.highlight || corral === undefined ? '' : formatRatio(corral.rate.median, row.rate.median);
      const server = row.highlight ? `**${row.server}**` : row.server;
      lines.push(
        `| ${name} | ${server} | ${rate} | ${formatMs(row.p50)} | ${formatMs(row.p99)} | ${formatRss(row.rss)} | ${ratio} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The median req/s of `server` in case `name`, or undefined. */
export function rateOf(rows, name, server) {
  return rows.find((row) => row.case === name && row.server === server)?.rate.median;
}
