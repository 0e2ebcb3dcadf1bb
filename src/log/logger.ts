// The one root pino logger of a process (JSON lines on stdout, readable lines on a terminal) and its flush at exit.
import pino, { type Logger } from 'pino';
import { prettyStream } from './pretty.ts';

export type { Logger } from 'pino';

export interface RootLogger {
  log: Logger;
  /** Writes out whatever is still buffered, synchronously. Enough before process.exit for a synchronous logger. */
  flush(): void;
  /** Resolves once every line logged so far has reached stdout, or after `ms`; await it before process.exit. */
  settled(ms?: number): Promise<void>;
}

export interface RootLoggerOptions {
  /** Readable lines instead of JSON; the default is true when stdout is a terminal. */
  pretty?: boolean;
  /**
   * Write each line before the call returns (the default). The master and the single process log little and must not
   * lose their last lines at exit; workers pass false so access-log lines do not block requests.
   */
  sync?: boolean;
}

/**
 * pino's `isoTime` (`,"time":"2026-11-23T21:03:08.793Z"`), formatted once per millisecond: a busy worker writes
 * dozens of access lines within one, and formatting the date is a measurable part of each line's cost.
 */
export function isoTimeOncePerMs(): () => string {
  let formattedAt = NaN;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      text = `,"time":"${new Date(now).toISOString()}"`;
    }
    return text;
  };
}

/**
 * Creates the process's root logger. Workers' loggers carry `worker` in their bindings.
 * No pino transports: they need files beside the bundle and break inside a single executable.
 */
export function createRootLogger(bindings: Record<string, unknown>, opts: RootLoggerOptions = {}): RootLogger {
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  const options: pino.LoggerOptions = {
    base: { pid: process.pid, ...bindings },
    timestamp: isoTimeOncePerMs(),
    formatters: { level: (label) => ({ level: label }) },
  };
  if (pretty) {
    // A terminal takes writes synchronously: nothing is ever pending.
    return { log: pino(options, prettyStream(process.stdout)), flush: () => {}, settled: () => Promise.resolve() };
  }
  const sync = opts.sync ?? true;
  const dest = pino.destination({ dest: 1, sync, minLength: 0 });
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
    settled: (ms = 1000) =>
      sync
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            // An empty write queues behind the write in flight; 'drain' comes once the queue is empty.
            const timer = setTimeout(resolve, ms);
            dest.once('drain', () => {
              clearTimeout(timer);
              resolve();
            });
            dest.write('');
          }),
  };
}
