// A hand-written SVG bar chart: one group of horizontal bars per case (each scaled to its own fastest server), corral's bars highlighted, req/s on each bar.
import { byCase } from './table.mjs';
import { formatRate } from './stats.mjs';

const WIDTH = 880;
const LABEL = 300; // left column: server names
const BAR_AREA = 440;
const BAR = 16;
const GAP = 5;
const TITLE = 24;
const AFTER_GROUP = 14;
const COLOURS = { corral: '#d9480f', peer: '#868e96', text: '#212529' };

export function escapeXml(text) {
  return String(text).replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c],
  );
}

/** The chart of `rows` (as compare() returns them) under `title`; a case whose rates are all missing draws no bars. */
export function renderChart(rows, title) {
  const parts = [];
  let y = 34;
  parts.push(`<text x="10" y="22" font-size="15" font-weight="bold" fill="${COLOURS.text}">${escapeXml(title)}</text>`);
  for (const [name, group] of byCase(rows)) {
    y += TITLE;
    parts.push(
      `<text x="10" y="${y - 7}" font-size="13" font-weight="bold" fill="${COLOURS.text}">${escapeXml(name)}</text>`,
    );
    const best = Math.max(...group.map((row) => row.rate.median).filter((v) => !Number.isNaN(v)), 0);
    for (const row of group) {
      const value = row.rate.median;
      const width = best > 0 && !Number.isNaN(value) ? Math.max(1, Math.round((value / best) * BAR_AREA)) : 0;
      const fill = row.highlight ? COLOURS.corral : COLOURS.peer;
      const weight = row.highlight ? ' font-weight="bold"' : '';
      parts.push(
        `<text x="${LABEL - 8}" y="${y + BAR - 4}" font-size="12" text-anchor="end" fill="${COLOURS.text}"${weight}>${escapeXml(row.server)}</text>`,
        `<rect x="${LABEL}" y="${y}" width="${width}" height="${BAR}" fill="${fill}"/>`,
        `<text x="${LABEL + width + 6}" y="${y + BAR - 4}" font-size="12" fill="${COLOURS.text}"${weight}>${escapeXml(`${formatRate(value)} req/s`)}</text>`,
      );
      y += BAR + GAP;
    }
    y += AFTER_GROUP;
  }
  const height = y + 10;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">\n` +
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>\n${parts.join('\n')}\n</svg>\n`
  );
}
