// The dashboard page's stylesheet: light and dark schemes with readable contrast, tables of tabular figures, status colours.

export const dashboardStyle = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1a1a1a;--muted:#595959;--line:#d4d4d4;--ok:#0a6e2a;--busy:#0b57a4;--warn:#8a5300;--bad:#b00020;--spark:#0b57a4}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#e8e8e8;--muted:#a9a9a9;--line:#3a3d42;--ok:#62d48c;--busy:#74b9ff;--warn:#f2b84b;--bad:#ff8089;--spark:#74b9ff}}
body{margin:0;padding:1rem 1.25rem;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,sans-serif}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.5rem 2rem}
h1{font-size:1.25rem;margin:0}
h2{font-size:1rem;margin:1.25rem 0 .4rem}
dl{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:0}
dl div{display:flex;gap:.4rem}
dt{color:var(--muted)}
dd{margin:0;font-variant-numeric:tabular-nums}
#state{margin:0 0 0 auto;font-weight:600;color:var(--ok)}
.stale #state{color:var(--bad)}
.stale main{opacity:.6}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:.2rem .45rem;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap;vertical-align:middle}
th{color:var(--muted);font-weight:600}
.num{text-align:right}
td svg{display:inline-block;vertical-align:middle;margin-left:.35rem;border-bottom:1px solid var(--line)}
path{fill:none;stroke:var(--spark);stroke-width:1.5;stroke-linejoin:round}
.st-idle{color:var(--ok)}
.st-busy{color:var(--busy)}
.st-starting,.st-stopping,.warn{color:var(--warn);font-weight:600}
.st-respawning,.bad{color:var(--bad);font-weight:600}
.wrap{white-space:normal;min-width:14ch}
.path{max-width:40ch;overflow:hidden;text-overflow:ellipsis}
.none{color:var(--muted)}
`.trim();
