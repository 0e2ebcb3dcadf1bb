// The log of a process that serves or supervises (`corral serve`): stdout, or the logto file kept (rotated, reopened) by this process.
import type { Config } from '../config/types.ts';
import { ConfigError } from '../errors/corral-error.ts';
import { relayLogFull, tellWorkersToReopen } from '../master/log-relay.ts';
import { LogFile } from './log-file.ts';
import { keepLogFile, type LogKeeper } from './log-keeper.ts';
import { createRootLogger, rootBindingsJson, type Logger, type RootLogger } from './logger.ts';

export interface ServeLog {
  root: RootLogger;
  /** Opens the logto file's path anew here and in every worker (SIGUSR1); says so when there is no file. */
  reopen(trigger: string): void;
  stop(): void;
}

/**
 * The root logger of the master or the single process. With logto, the file is opened here first: one that cannot
 * be opened is a config error (exit 2) before any worker starts. The master writes each line at once; a single
 * process serves, so its lines are buffered as a worker's are.
 */
export function openServeLog(config: Config): ServeLog {
  const role = config.master ? 'master' : 'single';
  const bindings = { role };
  const logFile = config.logFile;
  if (logFile === undefined) {
    const root = createRootLogger(bindings, { sync: config.master });
    return { root, reopen: (trigger) => nothingToReopen(root.log, trigger), stop: () => {} };
  }
  let keeper: LogKeeper | undefined;
  let file: LogFile;
  try {
    file = new LogFile(logFile.path, {
      label: `corral ${role} (pid ${process.pid})`,
      bindingsJson: rootBindingsJson(bindings),
      // Workers that run as another user open the same path: a file the master creates is theirs.
      ...(config.master && { owner: { uid: config.uid, gid: config.gid } }),
      ...(logFile.maxSize !== undefined && { maxSize: logFile.maxSize, onFull: () => keeper?.rotateIfFull() }),
    });
  } catch (err) {
    throw new ConfigError(
      `logto: cannot open the log file "${logFile.path}" (${(err as Error).message}): make it writable by this ` +
        'user, or name another file',
      'CORRAL_LOGTO_UNWRITABLE',
    );
  }
  const root = createRootLogger(bindings, { sync: config.master, file });
  keeper = keepLogFile({ file, config: logFile, log: root.log, flush: root.flush, tellWorkers: tellWorkersToReopen });
  const stopRelay = config.master ? relayLogFull(keeper.rotateIfFull) : () => {};
  const kept = keeper;
  return {
    root,
    reopen: (trigger) => kept.reopen(trigger),
    stop() {
      stopRelay();
      kept.stop();
    },
  };
}

function nothingToReopen(log: Logger, trigger: string): void {
  log.info({ trigger }, 'no log file to reopen: logto is not set (the lines go to stdout)');
}
