// The process that owns the logto file (the master, or the single process) rotates it by size and reopens it on demand (SIGUSR1, touch-logreopen), then tells the workers.
import type { LogFileConfig } from '../config/types.ts';
import { watchTouchedFiles } from '../master/triggers.ts';
import type { LogFile } from './log-file.ts';
import type { Logger } from './logger.ts';
import { rotateLogFile } from './rotation.ts';

/** How often the owner reads the file's size (besides after each write of its own and when a worker says it is full). */
const SIZE_CHECK_MS = 1000;

export interface LogKeeper {
  /** Opens the file's path anew, here and in every worker; `trigger` says who asked (SIGUSR1, touch-logreopen FILE). */
  reopen(trigger: string): void;
  /** Rotates the file if it is past log-maxsize now; several workers that say so at once make one rotation. */
  rotateIfFull(): void;
  stop(): void;
}

export interface LogKeeperDeps {
  file: LogFile;
  config: LogFileConfig;
  log: Logger;
  /** Writes out this process's lines gathered so far, before the file changes under them. */
  flush: () => void;
  /** Tells every worker to reopen the file's path (nothing in single mode). */
  tellWorkers: () => void;
}

export function keepLogFile({ file, config, log, flush, tellWorkers }: LogKeeperDeps): LogKeeper {
  const { path, maxSize, backups } = config;
  let rotateFailing = false;
  const reopen = (trigger: string) => {
    flush();
    const problem = file.reopen();
    tellWorkers();
    if (problem === undefined) log.info({ trigger, path }, 'log file reopened');
    else log.error({ trigger, path, problem }, 'log file not reopened: lines go on to the file open before');
  };
  const rotateIfFull = () => {
    if (maxSize === undefined) return;
    const size = file.size();
    if (size < maxSize) return;
    flush();
    try {
      rotateLogFile(path, backups);
    } catch (err) {
      // Said once until a rotation works again: the check runs each second.
      if (!rotateFailing) log.error({ path, err }, 'log file not rotated: it grows past log-maxsize until it can be');
      rotateFailing = true;
      return;
    }
    rotateFailing = false;
    // With no backups the file was emptied in place: every process's appends go on at its new end.
    if (backups > 0) {
      file.reopen();
      tellWorkers();
    }
    log.info({ path, size, maxSize, backups }, 'log file rotated');
  };
  const timer = maxSize === undefined ? undefined : setInterval(rotateIfFull, SIZE_CHECK_MS).unref();
  const stopTouches = watchTouchedFiles(config.touchReopen ?? [], (touched) => reopen(`touch-logreopen ${touched}`));
  return {
    reopen,
    rotateIfFull,
    stop() {
      clearInterval(timer);
      stopTouches();
    },
  };
}
