// The master: forks the worker pool, reports readiness, turns signals into a graceful stop, and never loads the app itself.
import cluster from 'node:cluster';
import type { Config } from '../config/types.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import { reportFatal } from '../errors/report.ts';
import type { RootLogger } from '../log/logger.ts';
import { removeStaleSockets } from '../http/unix-socket.ts';
import { SIGHUP_IGNORED } from '../worker/hangup.ts';
import { CONFIG_ENV } from '../worker/messages.ts';
import { WorkerPool } from './pool.ts';
import { resolveAddresses } from './resolve-addresses.ts';
import { queueSignals } from './signals.ts';

/** How long the master waits for the exit of workers it killed at graceful-timeout (SIGKILL is not refused). */
const KILLED_EXIT_MS = 2000;

interface StopRequest {
  exitCode: number;
  reason: string;
}

/** Resolves with `promise`'s value, or with undefined after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Runs the master until a stop; resolves with the exit code. */
export async function runMaster(config: Config, root: RootLogger, execArgv: string[]): Promise<number> {
  const { log } = root;
  process.title = 'corral master';

  // Signals are handled from the first moment: a stop that comes during start-up is kept and acted on below.
  let pending: StopRequest | undefined;
  let wake: (request: StopRequest) => void = () => {};
  const stopRequested = new Promise<StopRequest>((resolve) => (wake = resolve));
  const requestStop = (request: StopRequest) => {
    pending ??= request;
    wake(pending);
  };
  const removeSignals = queueSignals({
    SIGTERM: () => requestStop({ exitCode: ExitCode.OK, reason: 'SIGTERM' }),
    SIGINT: () => requestStop({ exitCode: ExitCode.OK, reason: 'SIGINT' }),
    SIGHUP: () => log.warn({ signal: 'SIGHUP' }, SIGHUP_IGNORED),
  });

  try {
    await removeStaleSockets(config.http);
    const workerConfig: Config = { ...config, http: await resolveAddresses(config.http) };
    // Workers run this same program; flags baked into a single executable must not reach them as arguments.
    cluster.setupPrimary({ execArgv });

    const pool = new WorkerPool(config.processes, { [CONFIG_ENV]: JSON.stringify(workerConfig) }, log, {
      workerReady(slotId, worker, message) {
        log.info({ worker: slotId, workerPid: worker.process.pid, shape: message.shape }, 'worker ready');
      },
      poolReady(message) {
        log.info({ addresses: message.addresses, workers: pool.pids(), masterPid: process.pid }, 'ready');
      },
      fatal(slotId, message) {
        log.fatal({ worker: slotId, code: message.code, exitCode: message.exitCode }, message.message);
        reportFatal(message.message);
        requestStop({ exitCode: message.exitCode, reason: 'a worker could not start' });
      },
    });
    // A stop that came while the addresses were checked: no worker is forked, and the stop below is immediate.
    if (pending === undefined) pool.start();
    const { exitCode, reason } = await stopRequested;

    log.info({ reason, gracefulTimeout: config.gracefulTimeout }, 'stopping');
    const stopped = pool.stop().then(() => true);
    let killed = false;
    if ((await within(stopped, config.gracefulTimeout * 1000)) === undefined) {
      killed = pool.kill() > 0;
      // The 'worker exited' lines come before 'stopped'.
      await within(stopped, KILLED_EXIT_MS);
    }
    // Node removes a socket file when its listener closes; vacuum also removes one that is still there.
    if (config.vacuum) await removeStaleSockets(config.http);
    const code = killed && exitCode === ExitCode.OK ? ExitCode.RUNTIME : exitCode;
    log.info({ exitCode: code }, 'stopped');
    return code;
  } finally {
    removeSignals();
  }
}
