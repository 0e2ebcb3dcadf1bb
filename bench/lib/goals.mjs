// Issue 13's goal table: each goal, the ratio (or figure) measured in this run, and whether it is met.
import { rateOf } from './table.mjs';

/**
 * A goal on a ratio of two rows' median req/s: `{ goal, case, server, peerCase?, peer, target }`.
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
    const a = rateOf(rows, g.case, g.server);
    const b = rateOf(rows, g.peerCase ?? g.case, g.peer);
    const known = a !== undefined && b !== undefined && b > 0 && !Number.isNaN(a) && !Number.isNaN(b);
    const ratio = known ? a / b : NaN;
    const verdict = known ? (ratio >= g.target ? 'met' : 'short') : 'n/a';
    return `| ${g.goal} | ${known ? `${ratio.toFixed(2)}x` : 'n/a'} | >= ${g.target.toFixed(2)}x | ${verdict} |`;
  });
  return `| goal | measured | target | verdict |\n| --- | --- | --- | --- |\n${lines.join('\n')}\n`;
}
