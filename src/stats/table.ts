// The one-shot table of `corral status` (like `pm2 ls`): a header line for the master and one row per worker slot; a pure function of a snapshot.
import type { StatsSnapshot, WorkerStats } from './snapshot.ts';
import { formatBytes, formatDuration } from './units.ts';

const COLUMNS = ['worker', 'pid', 'status', 'requests', 'req/s', 'in flight', 'rss', 'uptime', 'restarts', 'last exit'];
/** Columns aligned right (numbers). */
const NUMERIC = new Set(['pid', 'requests', 'req/s', 'in flight', 'rss', 'uptime', 'restarts']);

function lastExit(worker: WorkerStats): string {
  const exit = worker.last_exit;
  if (exit === null) return '-';
  const how = exit.signal ?? (exit.code === null ? '' : `code ${exit.code}`);
  return how === '' ? exit.reason : `${exit.reason} (${how})`;
}

function row(worker: WorkerStats): string[] {
  return [
    String(worker.id),
    worker.pid === null ? '-' : String(worker.pid),
    worker.status,
    String(worker.requests),
    String(worker.delta_requests),
    String(worker.in_flight),
    worker.pid === null ? '-' : formatBytes(worker.rss),
    worker.pid === null ? '-' : formatDuration(worker.uptime),
    String(worker.respawn_count),
    lastExit(worker),
  ];
}

/** True when every slot serves (idle or busy): what `corral status` exits 0 for. */
export function allServing(snapshot: StatsSnapshot): boolean {
  return snapshot.workers.length > 0 && snapshot.workers.every((w) => w.status === 'idle' || w.status === 'busy');
}

/** The header line and the table, each line ending in a newline. */
export function statusTable(snapshot: StatsSnapshot): string {
  const listeners = snapshot.listeners.map((l) => `${l.proto} ${l.name} (${l.connections} conn)`).join(', ');
  const header =
    `corral ${snapshot.version}: master pid ${snapshot.pid}, up ${formatDuration(snapshot.uptime)}, ` +
    `rss ${formatBytes(snapshot.master.rss)}; ${listeners === '' ? 'no listener' : listeners}`;
  const rows = [COLUMNS, ...snapshot.workers.map(row)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  const lines = rows.map((cells) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1
          ? cell
          : NUMERIC.has(COLUMNS[column]!)
            ? cell.padStart(widths[column]!)
            : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd(),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
