// Issue 13's goal table: each goal, the ratio (or figure) measured in this run, and whether it is met.
import { formatRowRatio, ratioOfRows, rowOf } from './table.mjs';

/**
 * A goal on a ratio of two rows' req/s: `{ goal, case, server, peerCase?, peer, target }`, measured as the median of
 * the rows' per-round ratios (with their range) when both kept their rounds, else as the ratio of their medians.
 * A goal on a figure: `{ goal, value, limit, unit }` (met when value <= limit).
 * Returns the Markdown table; a goal whose rows are missing (a peer not installed) says n/a.
 */
export function goalTable(rows, goals) {
  const lines = goals.map((g) => {
    if (g.limit !== undefined) {
      const known = g.value !== undefined && !Number.isNaN(g.value) && !Number.isNaN(g.limit);
      const measured = known ? `${g.value.toFixed(1)} ${g.unit}` : 'n/a';
      const verdict = known ? (g.value <= g.limit ? 'met' : 'short') : 'n/a';
      const limit = Number.isNaN(g.limit) ? 'n/a' : `<= ${g.limit.toFixed(1)} ${g.unit}`;
      return `| ${g.goal} | ${measured} | ${limit} | ${verdict} |`;
    }
    const measured = ratioOfRows(rowOf(rows, g.case, g.server), rowOf(rows, g.peerCase ?? g.case, g.peer));
    const known = !Number.isNaN(measured.ratio);
    const verdict = known ? (measured.ratio >= g.target ? 'met' : 'short') : 'n/a';
    return `| ${g.goal} | ${formatRowRatio(measured)} | >= ${g.target.toFixed(2)}x | ${verdict} |`;
  });
  return `| goal | measured (range of the per-round ratios) | target | verdict |\n| --- | --- | --- | --- |\n${lines.join('\n')}\n`;
}
