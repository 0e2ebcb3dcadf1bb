// The live dashboard the stats address serves at `/`: one self-contained HTML page (inline CSS and script) that polls `/stats.json`.

/** The whole dashboard page as HTML; the stats server sends it as is (text/html; charset=utf-8). */
export function dashboardPage(): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>corral</title></head><body><h1>corral</h1><p>The dashboard is being built.</p></body></html>';
}
