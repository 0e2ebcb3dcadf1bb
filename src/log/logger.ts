// The one root pino logger of a process (JSON lines on stdout, readable lines on a terminal) and its flush at exit.
import pino, { type Logger } from 'pino';
import { prettyStream } from './pretty.ts';

export type { Logger } from 'pino';

export interface RootLogger {
  log: Logger;
  /** Writes out whatever is still buffered; call before process.exit. */
  flush(): void;
}

/**
 * Creates the process's root logger. Worker and request loggers are its children (`log.child({ worker })`).
 * No pino transports: they need files beside the bundle and break inside a single executable.
 */
export function createRootLogger(bindings: Record<string, unknown>, opts: { pretty?: boolean } = {}): RootLogger {
  const pretty = opts.pretty ?? process.stdout.isTTY === true;
  const options: pino.LoggerOptions = {
    base: { pid: process.pid, ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (pretty) {
    return { log: pino(options, prettyStream(process.stdout)), flush: () => {} };
  }
  const dest = pino.destination({ dest: 1, sync: false, minLength: 0 });
  return {
    log: pino(options, dest),
    flush: () => {
      try {
        dest.flushSync();
      } catch {
        // stdout already closed (the reader went away): nothing left to save.
      }
    },
  };
}
