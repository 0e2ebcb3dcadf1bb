// `master = false`: one process that loads the app and serves by itself, with no supervisor, and drains on SIGTERM/SIGINT.
import type { Config } from '../config/types.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import type { RootLogger } from '../log/logger.ts';
import { removeStaleSockets } from '../http/unix-socket.ts';
import { ignoreHangups } from './hangup.ts';
import { appReady, startWorker, stopWorker } from './worker.ts';
import { secondSignal, waitShutdownDelay } from './shutdown-delay.ts';
import { startOwnCertificates } from './single-acme.ts';

/** Serves until SIGTERM or SIGINT; resolves with the exit code. Start failures are thrown (CorralError). */
export async function runSingleProcess(config: Config, root: RootLogger): Promise<number> {
  const { log } = root;
  // Signals are handled from the first moment: a stop that comes while the app loads waits for the load, then drains.
  let onStop: (signal: string) => void = () => {};
  const stopRequested = new Promise<string>((resolve) => (onStop = resolve));
  const signals = secondSignal();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    signals.signalled(signal);
    onStop(signal);
  };
  process.on('SIGTERM', stopOnSignal);
  process.on('SIGINT', stopOnSignal);
  const removeHangups = ignoreHangups(log);
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'unhandled promise rejection (corral keeps serving)'),
  );
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception: corral exits');
    root.flush();
    process.exit(ExitCode.RUNTIME);
  });

  try {
    await removeStaleSockets(config.http);
    const started = await startWorker(config, root, 's');
    // Listening already: health-path answers 503 until the app's ready export resolves.
    await appReady(started, log);
    log.info({ addresses: started.frontEnd.addresses, pid: process.pid, shape: started.app?.shape }, 'ready');
    let fatal: number | undefined;
    const stopCertificates = await startOwnCertificates(config, log, started.tls, () => {
      fatal = ExitCode.CONFIG;
      onStop('no ACME certificate');
    });

    const signal = await stopRequested;
    if (fatal === undefined) {
      started.health?.set('failing');
      await waitShutdownDelay(config.shutdownDelay, log, signals.next);
    }
    stopCertificates();
    log.info({ signal, gracefulTimeout: config.gracefulTimeout }, 'stopping');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), config.gracefulTimeout * 1000)),
    );
    const outcome = await Promise.race([stopWorker(started, log).then(() => 'drained' as const), timeout]);
    clearTimeout(timer);
    // Node removes a socket file when its listener closes; vacuum also removes one left behind at graceful-timeout.
    if (config.vacuum) await removeStaleSockets(config.http);
    if (outcome === 'timeout') {
      log.error(
        { gracefulTimeout: config.gracefulTimeout },
        'requests still running at graceful-timeout: exiting anyway',
      );
      return ExitCode.RUNTIME;
    }
    log.info({ exitCode: fatal ?? ExitCode.OK }, 'stopped');
    return fatal ?? ExitCode.OK;
  } finally {
    process.off('SIGTERM', stopOnSignal);
    process.off('SIGINT', stopOnSignal);
    removeHangups();
  }
}
