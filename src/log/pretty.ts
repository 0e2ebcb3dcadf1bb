// Turns pino's JSON lines into short readable lines for a terminal: time, level, who, message, then the other fields.
import type { Writable } from 'node:stream';

const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'role', 'hostname']);

/** Formats one JSON log line; lines that are not JSON objects pass through unchanged. */
export function formatLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = String(entry.level ?? 'info')
    .toUpperCase()
    .padEnd(5);
  const who = entry.role === 'worker' ? `worker ${String(entry.worker)}` : String(entry.role ?? 'corral');
  const rest = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key) && !(key === 'worker' && entry.role === 'worker'))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${time} ${level} [${who}] ${String(entry.msg ?? '')}${rest ? `  ${rest}` : ''}\n`;
}

/** A pino destination that prints readable lines to `out`. */
export function prettyStream(out: Writable): { write(line: string): void } {
  return {
    write(line: string) {
      out.write(formatLine(line.trimEnd()));
    },
  };
}
