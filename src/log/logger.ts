// The one root pino logger of a process (JSON lines on stdout or in the logto file, readable lines on a terminal), the raw line sink beside it, and its flush at exit.
import pino, { type Logger } from 'pino';
import { createBlockWriter } from './block-writer.ts';
import type { LogFile } from './log-file.ts';
import { prettyStream } from './pretty.ts';

export type { Logger } from 'pino';

/** Where finished JSON lines go, in order with the logger's own, and the bindings that start each of them. */
export interface LineSink {
  /** Appends one finished JSON line, newline included. */
  writeLine(line: string): void;
  /** The bindings every line of this process starts with, as JSON members (`"pid":1,"role":"worker","worker":1`). */
  bindingsJson: string;
}

export interface RootLogger extends LineSink {
  log: Logger;
  /** Writes out whatever is still buffered, synchronously. Enough before process.exit for a synchronous logger. */
  flush(): void;
  /** Resolves once every line logged so far has reached stdout, or after `ms`; await it before process.exit. */
  settled(ms?: number): Promise<void>;
  /** The file the lines go to (`logto`), to reopen; undefined: stdout. */
  file: LogFile | undefined;
}

export interface RootLoggerOptions {
  /** Readable lines instead of JSON; the default is true when stdout is a terminal. */
  pretty?: boolean;
  /**
   * Write each line before the call returns (the default): the master logs little and must not lose a line. The
   * processes that serve pass false: their access lines (writeLine) are gathered and written in blocks (see
   * block-writer.ts), at most FLUSH_MS (10 ms) late, and all at exit; their other lines are written at once. A crash
   * that runs no code (SIGKILL, an abort) loses at most the access lines of the last FLUSH_MS; a graceful stop none.
   */
  sync?: boolean;
  /**
   * The file to write to instead of stdout (`logto`), never pretty. Its lines take the same path as a serving
   * process's: blocks written with one write(2) each (see block-writer.ts); with `sync`, every line at once.
   */
  file?: LogFile;
}

/** `.000Z"` to `.999Z"`: the end of the time field for each millisecond. */
const MILLIS = Array.from({ length: 1000 }, (_, ms) => `.${String(ms).padStart(3, '0')}Z"`);

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * `2026-11-23T21:03:08`: the UTC date and time of `at`, whole seconds since 1970, for years 1970 to 9999. Counted
 * here rather than by Date's toISOString, which reads the local time zone the first time it runs (V8's date cache):
 * ICU's zone data, about 0.9 MB more RSS in every process that logs (the master, each worker).
 */
export function utcSecondText(at: number): string {
  const days = Math.floor(at / 86400);
  const inDay = at - days * 86400;
  // Days since 0000-03-01, in 400-year cycles of 146097 days: a year then ends with February and its leap day.
  const sinceMarch = days + 719468;
  const cycle = Math.floor(sinceMarch / 146097);
  const dayOfCycle = sinceMarch - cycle * 146097;
  const yearOfCycle = Math.floor(
    (dayOfCycle - Math.floor(dayOfCycle / 1460) + Math.floor(dayOfCycle / 36524) - Math.floor(dayOfCycle / 146096)) /
      365,
  );
  const dayOfYear = dayOfCycle - (365 * yearOfCycle + Math.floor(yearOfCycle / 4) - Math.floor(yearOfCycle / 100));
  // Months from March, of 31, 30, 31, 30, 31 days and again: 153 days every 5 months.
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = cycle * 400 + yearOfCycle + (month <= 2 ? 1 : 0);
  const hours = Math.floor(inDay / 3600);
  const minutes = Math.floor((inDay % 3600) / 60);
  return `${year}-${twoDigits(month)}-${twoDigits(day)}T${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(inDay % 60)}`;
}

/**
 * The time field (`,"time":"2026-11-23T21:03:08.793Z"`) of a wall-clock time in ms. The date and time are formatted
 * once per second (utcSecondText); within the second only the milliseconds change, from a table.
 */
function isoField(): (ms: number) => string {
  let second = NaN;
  let head = '';
  return (ms) => {
    const at = Math.floor(ms / 1000);
    if (at !== second) {
      second = at;
      head = `,"time":"${utcSecondText(at)}`;
    }
    return head + MILLIS[ms - at * 1000];
  };
}

/**
 * pino's `isoTime` (`,"time":"2026-11-23T21:03:08.793Z"`), formatted once per millisecond: a busy worker writes
 * dozens of access lines within one, and formatting the date is a measurable part of each line's cost.
 */
export function isoTimeOncePerMs(): () => string {
  const field = isoField();
  let formattedAt = NaN;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      text = field(now);
    }
    return text;
  };
}

/**
 * The same field for a moment read on the monotonic clock (performance.now()), which the access log reads anyway for
 * the duration: no wall-clock read per line (see wallMsAt). `around` makes the text returned from the field, once per
 * millisecond.
 */
export function isoTimeAt(around: (field: string) => string = (field) => field): (monotonic: number) => string {
  const field = isoField();
  const wallMs = wallMsAt();
  let formattedAt = NaN;
  let text = '';
  return (monotonic) => {
    const ms = wallMs(monotonic);
    if (ms !== formattedAt) {
      formattedAt = ms;
      text = around(field(ms));
    }
    return text;
  };
}

/**
 * The wall-clock time in whole ms of a moment read on the monotonic clock (performance.now()). The wall clock
 * (Date.now()) is read only when the millisecond changes, to check the two clocks still agree: when they are more
 * than a millisecond apart (the system time was set, or the clocks drifted), the wall clock wins from then on.
 */
export function wallMsAt(): (monotonic: number) => number {
  let offset = performance.timeOrigin;
  let checkedAt = NaN;
  return (monotonic) => {
    let ms = Math.floor(monotonic + offset);
    if (ms !== checkedAt) {
      const wall = Date.now();
      if (Math.abs(wall - ms) > 1) {
        offset = wall - monotonic;
        ms = wall;
      }
      checkedAt = ms;
    }
    return ms;
  };
}

/**
 * Creates the process's root logger. Workers' loggers carry `worker` in their bindings.
 * No pino transports: they need files beside the bundle and break inside a single executable.
 */
export function createRootLogger(bindings: Record<string, unknown>, opts: RootLoggerOptions = {}): RootLogger {
  const file = opts.file;
  const pretty = file === undefined && (opts.pretty ?? process.stdout.isTTY === true);
  const base = { pid: process.pid, ...bindings };
  const bindingsJson = rootBindingsJson(bindings);
  const options: pino.LoggerOptions = {
    base,
    timestamp: isoTimeOncePerMs(),
    formatters: { level: (label) => ({ level: label }) },
  };
  if (pretty) {
    // A terminal takes writes synchronously: nothing is ever pending.
    const stream = prettyStream(process.stdout);
    return {
      log: pino(options, stream),
      flush: () => {},
      settled: () => Promise.resolve(),
      writeLine: (line) => stream.write(line),
      bindingsJson,
      file,
    };
  }
  // Synchronous writes in both cases: each line at once (the master), or each block of lines (see block-writer.ts).
  if (file === undefined && (opts.sync ?? true)) {
    const dest = pino.destination({ dest: 1, sync: true, minLength: 0 });
    const flush = () => {
      try {
        dest.flushSync();
      } catch {
        // stdout already closed (the reader went away): nothing left to save.
      }
    };
    return {
      log: pino(options, dest),
      flush,
      settled: () => Promise.resolve(),
      writeLine: (line) => dest.write(line),
      bindingsJson,
      file,
    };
  }
  const blocks = createBlockWriter(file?.write ?? 1);
  // Only access lines wait in a block: any other line (a start, an error, a stop) is written at once, after the
  // access lines gathered before it.
  const atOnce = {
    write(line: string) {
      blocks.write(line);
      blocks.flushSync();
    },
  };
  return {
    log: pino(options, atOnce),
    flush: blocks.flushSync,
    writeLine: (opts.sync ?? true) ? atOnce.write : blocks.write,
    bindingsJson,
    file,
    settled: () => {
      blocks.flushSync();
      return Promise.resolve();
    },
  };
}

/** The bindings every line of a process with `bindings` starts with, as JSON members: the log file's own lines use them too. */
export function rootBindingsJson(bindings: Record<string, unknown>): string {
  return JSON.stringify({ pid: process.pid, ...bindings }).slice(1, -1);
}
