// `master = false`: one process that loads the app and serves by itself, with no supervisor, and drains on SIGTERM/SIGINT.
import type { Config } from '../config/types.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import type { RootLogger } from '../log/logger.ts';
import { removeStaleSockets, vacuumSockets } from '../http/unix-socket.ts';
import { startWorker, stopWorker } from './worker.ts';

/** Serves until SIGTERM or SIGINT; resolves with the exit code. Start failures are thrown (CorralError). */
export async function runSingleProcess(config: Config, root: RootLogger): Promise<number> {
  const { log } = root;
  await removeStaleSockets(config.http);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (corral keeps serving)'));
  const started = await startWorker(config, log, 'p');
  log.info({ addresses: started.frontEnd.addresses, pid: process.pid, shape: started.app?.shape }, 'ready');

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info({ signal }, 'stopping');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), config.gracefulTimeout * 1000).unref());
  const outcome = await Promise.race([stopWorker(started, log).then(() => 'drained' as const), timeout]);
  if (config.vacuum) vacuumSockets(config.http);
  if (outcome === 'timeout') {
    log.error({ gracefulTimeout: config.gracefulTimeout }, 'requests still running at graceful-timeout: exiting anyway');
    return ExitCode.RUNTIME;
  }
  log.info('stopped');
  return ExitCode.OK;
}
