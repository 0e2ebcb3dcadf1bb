// `corral top`'s frame as text: a pure function of the snapshot (and the one before it) and the terminal width, with the worker columns that fit.
import type { StatsSnapshot, StatusClasses, WorkerStats } from './snapshot.ts';
import { formatBytes, formatDuration, formatMs } from './units.ts';

/** A process that has not reported yet has no memory figures (0). */
const memory = (bytes: number) => (bytes > 0 ? formatBytes(bytes) : '-');

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
  value: (w: WorkerStats, at: number) => string;
}

const ID: Column = { title: 'ID', width: 3, align: 'right', value: (w) => String(w.id) };
const PID: Column = { title: 'PID', width: 7, align: 'right', value: (w) => (w.pid === null ? '-' : String(w.pid)) };
const STATUS: Column = { title: 'STATUS', width: 10, align: 'left', value: (w) => w.status };
const RATE: Column = { title: 'REQ/S', width: 6, align: 'right', value: (w) => String(w.delta_requests) };
const IN_FLIGHT: Column = { title: 'INFL', width: 5, align: 'right', value: (w) => String(w.in_flight) };
const P50: Column = { title: 'P50', width: 7, align: 'right', value: (w) => formatMs(w.latency.p50) };
const P99: Column = { title: 'P99', width: 7, align: 'right', value: (w) => formatMs(w.latency.p99) };
const RSS: Column = { title: 'RSS', width: 9, align: 'right', value: (w) => memory(w.rss) };
const HEAP: Column = { title: 'HEAP', width: 9, align: 'right', value: (w) => memory(w.heap) };
const LOOP: Column = { title: 'LOOP', width: 7, align: 'right', value: (w) => formatMs(w.loop_delay.p99) };
const UTIL: Column = {
  title: 'UTIL',
  width: 5,
  align: 'right',
  value: (w) => `${Math.round(w.loop_utilization * 100)}%`,
};
const REQUESTS: Column = { title: 'REQS', width: 9, align: 'right', value: (w) => String(w.requests) };
const EXCEPTIONS: Column = { title: 'EXC', width: 5, align: 'right', value: (w) => String(w.exceptions) };
const UPTIME: Column = {
  title: 'UPTIME',
  width: 7,
  align: 'right',
  value: (w) => (w.pid === null ? '-' : formatDuration(w.uptime)),
};
const RESPAWNS: Column = { title: 'RESP', width: 5, align: 'right', value: (w) => String(w.respawn_count) };
/** The last column; it takes the width the others leave (at least its own). */
const LAST_EXIT: Column = {
  title: 'LAST EXIT',
  width: 12,
  align: 'left',
  value: (w, at) =>
    w.last_exit === null
      ? '-'
      : `${w.last_exit.reason} (${ending(w.last_exit)}), ${formatDuration(Math.max(0, at - w.last_exit.at))} ago`,
};

/** The order columns appear in. */
const layout = [
  ID,
  PID,
  STATUS,
  RATE,
  IN_FLIGHT,
  P50,
  P99,
  RSS,
  HEAP,
  LOOP,
  UTIL,
  REQUESTS,
  EXCEPTIONS,
  UPTIME,
  RESPAWNS,
];
/** The columns kept first, in this order, as the width allows: the first that does not fit ends the list. */
const core = [ID, PID, STATUS, RATE, P99, RSS, IN_FLIGHT, LAST_EXIT, RESPAWNS];
/** Then these, while the last exit keeps room for a whole reason ("max-worker-lifetime, SIGTERM, 3m05s ago" is longer). */
const optional = [P50, UPTIME, HEAP, LOOP, UTIL, REQUESTS, EXCEPTIONS];
const LAST_EXIT_ROOM = 26;

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;
const SECTION_ROWS = 5;

/** Control characters (a terminal would run them) and bidirectional overrides become "?": paths come from clients. */
export function terminalSafe(text: string): string {
  return text.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '?');
}

function clip(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function pad(text: string, column: Column, width = column.width): string {
  const cut = clip(text, width);
  return column.align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}

const ending = (exit: { code: number | null; signal: string | null }) =>
  exit.signal !== null ? exit.signal : `code ${exit.code}`;
const total = (counts: StatusClasses) => CLASSES.reduce((sum, name) => sum + counts[name], 0);
const allRequests = (s: StatsSnapshot) => total(s.requests.app) + total(s.requests.static);

/** The columns that fit `width`, in layout order, with the last exit's width. */
function columnsFor(width: number): { columns: Column[]; lastWidth: number } {
  const chosen = new Set<Column>();
  let used = -1;
  for (const column of [...core, ...optional]) {
    const reserve = core.includes(column) ? 0 : LAST_EXIT_ROOM - LAST_EXIT.width;
    if (used + 1 + column.width + reserve > width) break;
    chosen.add(column);
    used += 1 + column.width;
  }
  const columns = layout.filter((column) => chosen.has(column));
  if (!chosen.has(LAST_EXIT)) return { columns, lastWidth: 0 };
  return { columns: [...columns, LAST_EXIT], lastWidth: LAST_EXIT.width + (width - used) };
}

function workerTable(snapshot: StatsSnapshot, width: number): string[] {
  const { columns, lastWidth } = columnsFor(width);
  const line = (cell: (column: Column) => string) =>
    columns
      .map((column) => pad(terminalSafe(cell(column)), column, column === LAST_EXIT ? lastWidth : column.width))
      .join(' ')
      .trimEnd();
  return [
    line((column) => column.title),
    ...snapshot.workers.map((w) => line((column) => column.value(w, snapshot.at))),
  ];
}

function requestRate(snapshot: StatsSnapshot, previous: StatsSnapshot | undefined): number {
  if (previous !== undefined && snapshot.at > previous.at && previous.pid === snapshot.pid)
    return Math.max(0, Math.round((allRequests(snapshot) - allRequests(previous)) / (snapshot.at - previous.at)));
  return snapshot.workers.reduce((sum, w) => sum + w.delta_requests, 0);
}

/** The parts on one line when they fit, else one line each. */
function joined(parts: string[], width: number): string[] {
  const line = parts.join('  |  ');
  return line.length <= width ? [line] : parts;
}

function section(title: string, rows: string[], count: number): string[] {
  if (count === 0) return [];
  const more = count > rows.length ? ` (${rows.length} of ${count})` : '';
  return ['', `${title}${more}`, ...rows.map((row) => `  ${row}`)];
}

/**
 * The frame for `snapshot`, every line at most `width` characters. `previous` (the snapshot before, if any) gives the
 * request rate over the time between the two; without it, the workers' last-second counts are summed.
 */
export function topView(snapshot: StatsSnapshot, previous: StatsSnapshot | undefined, width: number): string {
  const { requests } = snapshot;
  const at = snapshot.at;
  const classes = CLASSES.map((name) => `${name} ${requests.app[name] + requests.static[name]}`).join('  ');
  const listeners = snapshot.listeners.map((l) => `${l.name} ${l.proto} ${l.connections} conn`).join(', ');
  const lines = [
    ...joined(
      [
        `corral ${snapshot.version}  master ${snapshot.pid}  up ${formatDuration(snapshot.uptime)}`,
        `master RSS ${formatBytes(snapshot.master.rss)}  ${requestRate(snapshot, previous)} req/s`,
      ],
      width,
    ),
    ...joined([`requests  app ${total(requests.app)}  static ${total(requests.static)}`, classes], width),
    ...joined(
      [
        `listeners  ${listeners === '' ? 'none' : listeners}`,
        `static cache  ${snapshot.static_cache.hits} hits, ${snapshot.static_cache.misses} misses`,
      ],
      width,
    ),
    '',
    ...workerTable(snapshot, width),
    ...section(
      'RECENT RESTARTS',
      snapshot.restarts
        .slice(0, SECTION_ROWS)
        .map(
          (r) =>
            `${formatDuration(Math.max(0, at - r.at)).padStart(6)} ago  worker ${r.worker}  pid ${r.pid}  ${r.reason} (${ending(r)})`,
        ),
      snapshot.restarts.length,
    ),
    ...section(
      'SLOWEST REQUESTS (last minute)',
      snapshot.slow
        .slice(0, SECTION_ROWS)
        .map(
          (r) =>
            `${formatMs(r.ms).padStart(7)}  ${r.status}  worker ${r.worker}  ${formatDuration(Math.max(0, at - r.at))} ago  ${r.reqId}  ${r.method} ${r.path}`,
        ),
      snapshot.slow.length,
    ),
    ...section(
      'CERTIFICATES',
      snapshot.certificates.map(
        (c) =>
          `${String(c.days_left).padStart(4)} days left${c.days_left < 14 ? ' (!)' : '    '}  ${c.not_after.slice(0, 10)}  ${c.domains.join(', ')}  (${c.source})`,
      ),
      snapshot.certificates.length,
    ),
  ];
  return `${lines.map((line) => clip(terminalSafe(line), width)).join('\n')}\n`;
}
