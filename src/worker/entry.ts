// Entry of a process the master forked: reads its worker id and config from the environment and runs the worker.
import type { LogFileConfig } from '../config/types.ts';
import { LogFile } from '../log/log-file.ts';
import { createRootLogger, rootBindingsJson } from '../log/logger.ts';
import { takeConfigFromEnv, WORKER_ID_ENV, type WorkerMessage } from './messages.ts';
import { runSupervisedWorker } from './supervised.ts';

export async function runWorkerProcess(): Promise<void> {
  const workerId = Number(process.env[WORKER_ID_ENV] ?? '0');
  delete process.env[WORKER_ID_ENV];
  const config = takeConfigFromEnv(process.env);
  const bindings = { role: 'worker', worker: workerId };
  const file = config.logFile === undefined ? undefined : openLogFile(config.logFile, bindings, workerId);
  // Asynchronous writes: access-log lines must not block requests. The worker awaits them before it exits.
  const root = createRootLogger(bindings, { sync: false, file });
  await runSupervisedWorker(config, root, workerId);
}

/**
 * The worker's own handle on the logto file, which the master checked at start. Should the worker not open it (the
 * file was made unwritable since), it says so once and writes to stdout, as without logto: it still serves.
 */
function openLogFile(logFile: LogFileConfig, bindings: Record<string, unknown>, workerId: number): LogFile | undefined {
  const label = `corral worker ${workerId} (pid ${process.pid})`;
  const full: WorkerMessage = { type: 'corral:log-full' };
  try {
    return new LogFile(logFile.path, {
      label,
      bindingsJson: rootBindingsJson(bindings),
      ...(logFile.maxSize !== undefined && { maxSize: logFile.maxSize, onFull: () => tellMaster(full) }),
    });
  } catch (err) {
    process.stderr.write(
      `corral: ${label}: cannot open the log file ${logFile.path} (${(err as Error).message}): ` +
        'this worker logs to stdout instead; make the file writable by the workers, then reload\n',
    );
    return undefined;
  }
}

function tellMaster(message: WorkerMessage): void {
  if (process.connected) process.send?.(message, undefined, {}, () => {});
}
