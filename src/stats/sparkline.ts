// The dashboard's sparklines: an SVG path through a series of samples, newest at the right, scaled from zero to the series' maximum.
// Self-contained (no outer names): the dashboard page embeds its source text (dashboard-script.ts).

/**
 * The `d` of an SVG path through `samples` in a `width` x `height` box: x spreads `slots` samples over the width
 * (the series ends at the right edge, so a young series starts part-way), y is 0 at the bottom and the largest sample
 * at the top. A null (no data in that second) breaks the line; an empty series gives "".
 */
export function sparklinePath(
  samples: ReadonlyArray<number | null>,
  width: number,
  height: number,
  slots: number = samples.length,
): string {
  let max = 0;
  for (const sample of samples) if (sample !== null && Number.isFinite(sample) && sample > max) max = sample;
  const step = slots > 1 ? width / (slots - 1) : 0;
  const offset = Math.max(0, slots - samples.length);
  const round = (n: number) => Math.round(n * 10) / 10;
  let d = '';
  let pen = 'M';
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i];
    if (sample === null || sample === undefined || !Number.isFinite(sample)) {
      pen = 'M';
      continue;
    }
    const x = round((offset + i) * step);
    const y = max === 0 ? height : round(height - (Math.max(0, sample) / max) * height);
    d += `${d === '' ? '' : ' '}${pen}${x} ${y}`;
    pen = 'L';
  }
  return d;
}
