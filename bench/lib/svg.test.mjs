// The hand-written SVG chart: one bar per server in each case's group, corral highlighted, labels escaped.
import { describe, expect, it } from 'vitest';
import { escapeXml, renderChart } from './svg.mjs';

const row = (c, server, median, highlight = false) => ({
  case: c,
  server,
  highlight,
  rate: { median, min: median, max: median, count: 1 },
});

describe('renderChart', () => {
  const svg = renderChart(
    [
      row('static 1 KiB', 'corral', 50_000, true),
      row('static 1 KiB', 'nginx', 100_000),
      row('static 10 MiB', 'corral', 150, true),
      row('static 10 MiB', 'sirv', NaN),
    ],
    'req/s <today>',
  );

  it('is one SVG document with a title per case', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('>static 1 KiB</text>');
    expect(svg).toContain('>static 10 MiB</text>');
    expect(svg).toContain('req/s &lt;today&gt;');
  });

  it('scales each case to its own fastest server and highlights corral', () => {
    const bars = [...svg.matchAll(/<rect x="300" y="\d+" width="(\d+)" height="16" fill="(#[0-9a-f]+)"\/>/g)].map(
      (m) => [Number(m[1]), m[2]],
    );
    expect(bars).toEqual([
      [220, '#d9480f'],
      [440, '#868e96'],
      [440, '#d9480f'],
      [0, '#868e96'],
    ]);
  });

  it('labels each bar with its req/s', () => {
    expect(svg).toContain('>50.0k req/s</text>');
    expect(svg).toContain('>150 req/s</text>');
    expect(svg).toContain('>n/a req/s</text>');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a & "b" 'c'>`)).toBe('&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;');
  });
});
