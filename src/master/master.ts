// The master: forks the worker pool, reports readiness, turns signals into a graceful stop, and never loads the app itself.
import cluster from 'node:cluster';
import type { Config } from '../config/types.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import { reportFatal } from '../errors/report.ts';
import type { RootLogger } from '../log/logger.ts';
import { removeStaleSockets, vacuumSockets } from '../http/unix-socket.ts';
import { CONFIG_ENV, encodeConfig } from '../worker/messages.ts';
import { WorkerPool } from './pool.ts';
import { resolveAddresses } from './resolve-addresses.ts';
import { queueSignals } from './signals.ts';

/** Runs the master until a stop; resolves with the exit code. */
export async function runMaster(config: Config, root: RootLogger, execArgv: string[]): Promise<number> {
  const { log } = root;
  process.title = 'corral master';
  await removeStaleSockets(config.http);
  const workerConfig: Config = { ...config, http: await resolveAddresses(config.http) };
  // Workers run this same program; flags baked into a single executable must not reach them as arguments.
  cluster.setupPrimary({ execArgv });

  return new Promise<number>((resolve) => {
    let finishing = false;
    let announced = false;
    const readyWorkers = new Set<number>();

    const finish = async (exitCode: number, reason: string) => {
      if (finishing) return;
      finishing = true;
      log.info({ reason, gracefulTimeout: config.gracefulTimeout }, 'stopping');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((res) => {
        timer = setTimeout(() => res(true), config.gracefulTimeout * 1000);
      });
      const late = await Promise.race([pool.stop().then(() => false), timedOut]);
      clearTimeout(timer);
      let code = exitCode;
      if (late && pool.kill() > 0 && code === ExitCode.OK) code = ExitCode.RUNTIME;
      if (config.vacuum) vacuumSockets(config.http);
      removeSignals();
      log.info({ exitCode: code }, 'stopped');
      resolve(code);
    };

    const pool = new WorkerPool(config.processes, { [CONFIG_ENV]: encodeConfig(workerConfig) }, log, {
      ready(slotId, worker, message) {
        log.info({ worker: slotId, workerPid: worker.process.pid, shape: message.shape }, 'worker ready');
        readyWorkers.add(slotId);
        if (!announced && readyWorkers.size === config.processes) {
          announced = true;
          log.info({ addresses: message.addresses, workers: pool.pids(), masterPid: process.pid }, 'ready');
        }
      },
      fatal(slotId, message) {
        if (finishing) return;
        log.fatal({ worker: slotId, code: message.code, exitCode: message.exitCode }, message.message);
        reportFatal(message.message);
        void finish(message.exitCode, 'a worker could not start');
      },
    });

    const removeSignals = queueSignals({
      SIGTERM: () => void finish(ExitCode.OK, 'SIGTERM'),
      SIGINT: () => void finish(ExitCode.OK, 'SIGINT'),
      SIGHUP: () => log.warn('SIGHUP: rolling reload is not implemented yet; ignoring the signal'),
    });
    pool.start();
  });
}
