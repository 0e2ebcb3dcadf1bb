// Prints line and branch coverage per folder of src/ (one row per layer) and each layer's least-covered file, from vitest's json-summary.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const summary = JSON.parse(readFileSync('.cache/coverage/coverage-summary.json', 'utf8'));
const layers = new Map();
for (const [file, counts] of Object.entries(summary)) {
  if (file === 'total') continue;
  const path = relative(process.cwd(), file);
  const layer = path.split('/').slice(0, -1).join('/');
  const entry = layers.get(layer) ?? { lines: [0, 0], branches: [0, 0], worst: undefined };
  entry.lines[0] += counts.lines.covered;
  entry.lines[1] += counts.lines.total;
  entry.branches[0] += counts.branches.covered;
  entry.branches[1] += counts.branches.total;
  if (counts.lines.total > 0 && (entry.worst === undefined || counts.lines.pct < entry.worst.pct))
    entry.worst = { path, pct: counts.lines.pct };
  layers.set(layer, entry);
}
const pct = ([covered, total]) => (total === 0 ? '-' : `${((covered / total) * 100).toFixed(1)}%`);
const rows = [...layers].sort(([a], [b]) => a.localeCompare(b));
console.log('| folder | lines | branches | least-covered file (lines) |');
console.log('|---|---|---|---|');
for (const [layer, entry] of rows) {
  const worst = entry.worst === undefined ? '' : `${entry.worst.path.slice(layer.length + 1)} (${entry.worst.pct}%)`;
  console.log(`| ${layer} | ${pct(entry.lines)} | ${pct(entry.branches)} | ${worst} |`);
}
const total = summary.total;
console.log(`| all of src/ | ${total.lines.pct}% | ${total.branches.pct}% | |`);
