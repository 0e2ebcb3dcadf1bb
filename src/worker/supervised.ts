// Entry of a cluster worker: start, report ready or fatal to the master, and drain when the master (or a signal) says stop.
import cluster from 'node:cluster';
import type { Socket } from 'node:net';
import type { Config } from '../config/types.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import type { RootLogger } from '../log/logger.ts';
import { ignoreHangups } from './hangup.ts';
import { startHeartbeat } from './heartbeat.ts';
import { isMasterMessage, type WorkerMessage } from './messages.ts';
import { startStatsReports, type StatsReports } from '../stats/worker-report.ts';
import { watchRecycling } from './recycle.ts';
import { appReady, describeStartFailure, startWorker, stopWorker, type Started } from './worker.ts';
import { secondSignal, waitShutdownDelay } from './shutdown-delay.ts';
import type { ProxyClient } from '../http/proxy-header.ts';
import type { ProxyHeaderRead } from '../http/proxy-protocol.ts';

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
  // Node's cluster code exits a worker at once (code 0) when its IPC channel closes unless this flag is set; corral
  // drains instead, in its own 'disconnect' listener below.
  if (cluster.worker !== undefined) cluster.worker.exitedAfterDisconnect = true;

  let exiting = false;
  let reports: StatsReports | undefined;
  const exit = async (code: number) => {
    if (exiting) return;
    exiting = true;
    // The requests of its last second still count in the master's totals.
    await reports?.final();
    await root.settled();
    process.exit(code);
  };

  let started: Started | undefined;
  let stopping = false;
  let delaying = false;
  // A stop the master asked for is timed by the master, which kills a worker still busy at graceful-timeout. A signal
  // sent straight to the worker (Ctrl-C in a terminal, systemd's control group), or losing the master, leaves no one
  // else to time it: the worker then exits 1 by itself at graceful-timeout.
  let masterTimes = false;
  let deadline: NodeJS.Timeout | undefined;
  const timeItself = (on: boolean) => {
    clearTimeout(deadline);
    deadline = undefined;
    if (!on || started === undefined) return;
    deadline = setTimeout(() => {
      log.error(
        { gracefulTimeout: config.gracefulTimeout },
        'requests still running at graceful-timeout: exiting anyway',
      );
      void exit(ExitCode.RUNTIME);
    }, config.gracefulTimeout * 1000);
  };
  let onListenersClosed: (() => void) | undefined;
  /**
   * Resolves once the master has confirmed that it hands this worker no more connections (corral:listeners-closed, see
   * Member.confirmListenersClosed), or at once without a master. The master's cluster module waits for the worker's
   * answer to each connection it sends: a worker that exited with one still unread in the channel (a drain with
   * nothing in flight takes a millisecond) left that client connected to no one, its TLS handshake never answered.
   */
  const listenersClosed = () =>
    new Promise<void>((resolve) => {
      if (process.send === undefined || !process.connected) return resolve();
      onListenersClosed = resolve;
      process.once('disconnect', () => resolve());
      void send({ type: 'corral:closing-listeners' });
    });
  const recycling = watchRecycling(config, log, (reason) => void send({ type: 'corral:recycle', reason }));
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    recycling.stop();
    log.info({ reason }, 'stopping');
    // Nothing is served before the start is over: nothing to drain.
    if (started === undefined) return void exit(ExitCode.OK);
    // stopWorker has closed the listeners when it returns (the front end's drain stops accepting at once): the question
    // to the master follows the cluster module's own close messages in the channel.
    const drained = stopWorker(started, log);
    void Promise.all([drained, listenersClosed()]).then(() => exit(ExitCode.OK));
  };
  const signals = secondSignal();
  const stopOnSignal = (signal: NodeJS.Signals) => {
    if (!stopping && !masterTimes) timeItself(true);
    stop(signal);
  };
  // A signal sent to the whole process group (Ctrl-C) reaches the master and the workers: each waits shutdown-delay.
  const onSignal = (signal: NodeJS.Signals) => {
    signals.signalled(signal);
    if (config.shutdownDelay <= 0 || stopping || delaying) return stopOnSignal(signal);
    delaying = true;
    started?.health?.set('failing');
    void waitShutdownDelay(config.shutdownDelay, log, signals.next).then(() => stopOnSignal(signal));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('disconnect', () => {
    masterTimes = false;
    if (deadline === undefined) timeItself(true);
    stop('the master is gone');
  });
  process.on('message', (message: unknown, handle: unknown) => {
    if (!isMasterMessage(message)) return;
    if (message.type === 'corral:listeners-closed') return onListenersClosed?.();
    if (message.type === 'corral:log-reopen') return reopenLogFile(root);
    if (message.type === 'corral:shutdown-delay') return started?.health?.set('failing');
    if (message.type === 'corral:connection') {
      // A connection is sent before the worker serves only in a race with its start or stop: it is closed then.
      if (started === undefined || stopping) (handle as Socket | undefined)?.destroy();
      else started.frontEnd.accept(message.address, handle as Socket, proxiedOf(message.proxied));
      return;
    }
    masterTimes = true;
    timeItself(false);
    stop(message.reason === undefined ? 'the master asked' : `the master asked (${message.reason})`);
  });
  ignoreHangups(log);
  // SIGUSR1 sent to the whole control group (systemctl kill -s USR1) reaches the workers too: a reopen, not the inspector.
  process.on('SIGUSR1', () => reopenLogFile(root));
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'unhandled promise rejection (the worker keeps serving)'),
  );
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception: the worker exits and the master replaces it');
    void exit(ExitCode.RUNTIME);
  });

  try {
    started = await startWorker(config, root, `w${workerId}`, () => recycling.countRequest(), config.stickySessions);
    // Listening already: health-path answers 503 until the app's ready export resolves.
    await appReady(started, log);
  } catch (err) {
    const failure = describeStartFailure(err);
    await send({ type: 'corral:fatal', ...failure });
    return exit(failure.exitCode);
  }
  if (stopping) return; // the stop came while loading, and the process is already on its way out
  await send({ type: 'corral:ready', addresses: started.frontEnd.addresses, shape: started.app?.shape });
  recycling.start();
  const { counters, frontEnd } = started;
  if (counters !== undefined) {
    const sources = {
      worker: workerId,
      counters,
      inFlight: () => frontEnd.inFlight.size,
      connections: () => frontEnd.connectionCounts(),
    };
    reports = startStatsReports(sources, (report) => send({ type: 'corral:stats', report }));
  }
  // Heartbeats go on while the worker drains, until it exits.
  if (config.harakiri !== undefined)
    startHeartbeat(started.frontEnd.inFlight, config.harakiri, (message) => void send(message));
}

/** What the master read of a connection's PROXY header, as the front end takes it. */
function proxiedOf(
  proxied: { client: ProxyClient | undefined; rest: string } | undefined,
): ProxyHeaderRead | undefined {
  return proxied === undefined ? undefined : { client: proxied.client, rest: Buffer.from(proxied.rest, 'base64') };
}

/** Writes out the lines gathered so far to the file open now, then opens the log file's path anew (see log-file.ts). */
function reopenLogFile(root: RootLogger): void {
  root.flush();
  root.file?.reopen();
}
