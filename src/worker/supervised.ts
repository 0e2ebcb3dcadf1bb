// Entry of a cluster worker: start, report ready or fatal to the master, and drain when the master (or a signal) says stop.
import type { Config } from '../config/types.ts';
import type { RootLogger } from '../log/logger.ts';
import { isMasterMessage, type WorkerMessage } from './messages.ts';
import { describeStartFailure, startWorker, stopWorker, type Started } from './worker.ts';
import { ExitCode } from '../errors/exit-codes.ts';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** Runs this process as worker `workerId` of a master. Never returns: the process exits when the worker is done. */
export async function runSupervisedWorker(config: Config, root: RootLogger, workerId: number): Promise<void> {
  const { log } = root;
  process.title = `corral worker ${workerId}`;
  const exit = (code: number) => {
    root.flush();
    process.exit(code);
  };

  let started: Started | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (started === undefined) return exit(ExitCode.OK);
    void stopWorker(started, log).then(() => exit(ExitCode.OK));
  };
  // The master coordinates stops; a signal sent straight to a worker (systemd's control group, Ctrl-C in a terminal)
  // starts the same drain, and so does losing the master.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.on('message', (message: unknown) => {
    if (isMasterMessage(message) && message.type === 'corral:stop') stop();
  });
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (the worker keeps serving)'));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception: the worker exits and the master replaces it');
    exit(ExitCode.RUNTIME);
  });

  try {
    started = await startWorker(config, log, `w${workerId}`);
  } catch (err) {
    const failure = describeStartFailure(err);
    await send({ type: 'corral:fatal', ...failure });
    return exit(failure.exitCode);
  }
  await send({ type: 'corral:ready', addresses: started.frontEnd.addresses, shape: started.app?.shape });
}
