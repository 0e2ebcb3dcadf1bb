// The live dashboard the stats address serves at `/`: one self-contained HTML page (inline CSS and script, no external
// resource) that polls `stats.json` each second and redraws itself; its Content-Security-Policy allows only its own
// style and script (by hash) and requests to its own origin.
import { createHash } from 'node:crypto';
import { dashboardScript } from './dashboard-script.ts';
import { dashboardStyle } from './dashboard-style.ts';

/** A table whose body the script fills: its heading, the tbody's id and its column headers (numeric ones right-aligned). */
interface TableSpec {
  title: string;
  id: string;
  columns: ReadonlyArray<string | { num: string }>;
  scroll?: boolean;
}

const tables: TableSpec[] = [
  {
    title: 'Requests',
    id: 'totals',
    columns: ['answered by', ...['1xx', '2xx', '3xx', '4xx', '5xx', 'other', 'total'].map((num) => ({ num }))],
  },
  {
    title: 'Workers',
    id: 'workers',
    scroll: true,
    columns: [
      'worker',
      { num: 'pid' },
      'status',
      { num: 'req/s' },
      { num: 'in flight' },
      { num: 'p50' },
      { num: 'p99' },
      { num: 'RSS' },
      { num: 'heap' },
      { num: 'loop p99' },
      { num: 'loop use' },
      { num: 'requests' },
      { num: 'exceptions' },
      { num: 'uptime' },
      { num: 'respawns' },
      'last exit',
    ],
  },
  {
    title: 'Recent restarts',
    id: 'restarts',
    columns: ['when', { num: 'worker' }, { num: 'pid' }, 'reason', 'ended by'],
  },
  {
    title: 'Slowest requests of the last minute',
    id: 'slow',
    scroll: true,
    columns: [{ num: 'time' }, { num: 'status' }, 'method', 'path', { num: 'worker' }, 'request id', 'when'],
  },
  { title: 'Listeners', id: 'listeners', columns: ['address', 'protocol', { num: 'connections' }] },
  { title: 'Certificates', id: 'certificates', columns: ['domains', 'source', 'expires', { num: 'days left' }] },
];

const facts: ReadonlyArray<[string, string]> = [
  ['pid', 'master pid'],
  ['uptime', 'uptime'],
  ['master-rss', 'master RSS'],
  ['rate', 'requests now'],
  ['cache', 'static cache'],
  ['updated', 'updated'],
];

function tableHtml(spec: TableSpec): string {
  const head = spec.columns
    .map((column) =>
      typeof column === 'string' ? `<th scope="col">${column}</th>` : `<th scope="col" class="num">${column.num}</th>`,
    )
    .join('');
  const table = `<table aria-labelledby="h-${spec.id}"><thead><tr>${head}</tr></thead><tbody id="${spec.id}"></tbody></table>`;
  return `<section><h2 id="h-${spec.id}">${spec.title}</h2>${spec.scroll === true ? `<div class="scroll">${table}</div>` : table}</section>`;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

let page: string | undefined;

/** The whole dashboard page as HTML (built once); the stats server sends it as is (text/html; charset=utf-8). */
export function dashboardPage(): string {
  if (page !== undefined) return page;
  const script = dashboardScript();
  const policy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(dashboardStyle)}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const dl = facts.map(([id, term]) => `<div><dt>${term}</dt><dd id="${id}">-</dd></div>`).join('');
  page = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    '<meta name="referrer" content="no-referrer">',
    '<title>corral</title>',
    '<link rel="icon" href="data:,">',
    `<style>${dashboardStyle}</style>`,
    '</head><body>',
    `<header><h1 id="version">corral</h1><dl>${dl}</dl><p id="state" role="status" aria-live="polite">connecting</p></header>`,
    `<main>${tables.map(tableHtml).join('')}</main>`,
    `<script>${script}</script>`,
    '</body></html>',
  ].join('\n');
  return page;
}
