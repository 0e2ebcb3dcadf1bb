// The master: forks the worker pool, reports readiness, turns signals into reloads, pool changes and a graceful stop, and never loads the app itself.
import cluster from 'node:cluster';
import type { LoadResult } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import { reportFatal } from '../errors/report.ts';
import type { Logger, RootLogger } from '../log/logger.ts';
import { removeStaleSockets } from '../http/unix-socket.ts';
import type { RecycleReason } from '../worker/messages.ts';
import { MasterActions } from './actions.ts';
import { removePidfile, writePidfile } from './pidfile.ts';
import { workerIdentity } from './privileges.ts';
import { WorkerPool, type PoolEvents } from './pool.ts';
import { workerEnv, type MasterState } from './reload.ts';
import { resolveAddresses } from './resolve-addresses.ts';
import { listenSticky, type StickyListeners } from './sticky.ts';
import { queueSignals } from './signals.ts';
import { watchReloadTriggers } from './triggers.ts';
import { resolveHttpsPorts, startCertificates } from './certificates.ts';
import type { MasterStats } from './stats.ts';
import { activateAddresses, holdActivatedSockets } from './activated-sockets.ts';
import { SystemdNotifier } from './sd-notify.ts';
import { takeSystemdEnv } from './systemd-env.ts';
import { delayStop } from './shutdown-delay.ts';
import { proxyHeaderRules } from '../http/proxy-protocol.ts';
import { refusalLog } from '../http/refusal-log.ts';

/** How long the master waits for the exit of workers it killed at graceful-timeout (SIGKILL is not refused). */
const KILLED_EXIT_MS = 2000;
/** How often the master looks for workers whose heartbeats stopped (with harakiri). */
const HARAKIRI_CHECK_MS = 250;

export interface MasterOptions {
  /** Node flags for the workers. */
  execArgv: string[];
  /** Reads the config again for a reload, from the same file, environment and command line. */
  loadConfig: () => LoadResult;
  /** Opens the logto file's path anew, here and in every worker (SIGUSR1; see src/log/serve-log.ts). */
  reopenLog: (trigger: string) => void;
}

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

/** A stop that may be asked for at any moment, even before there is anything to stop; the first one wins. */
function stopLatch() {
  let pending: StopRequest | undefined;
  let wake: (request: StopRequest) => void = () => {};
  const requested = new Promise<StopRequest>((resolve) => (wake = resolve));
  let onRepeat: (reason: string) => void = () => {};
  const repeated = new Promise<string>((resolve) => (onRepeat = resolve));
  return {
    requested,
    isPending: () => pending !== undefined,
    request(request: StopRequest) {
      if (pending !== undefined) onRepeat(request.reason);
      pending ??= request;
      wake(pending);
    },
    /** Resolves with the reason of the first stop asked for after the first one (a second SIGTERM). */
    repeated,
  };
}

/** Runs the master until a stop; resolves with the exit code. */
export async function runMaster(given: Config, root: RootLogger, options: MasterOptions): Promise<number> {
  const { log } = root;
  process.title = 'corral master';
  // Read before any fork, and removed from the environment: the workers and the app's children are not systemd's.
  const systemd = takeSystemdEnv(process.env, process.pid, log);
  const notifier = new SystemdNotifier(systemd.notifySocket, log);

  // Signals are handled from the first moment: a stop that comes during start-up is kept and acted on below.
  const stop = stopLatch();
  let actions: MasterActions | undefined;
  const beforePool = (signal: string) => () =>
    log.warn({ signal }, `${signal} ignored: the workers are not started yet`);
  const removeSignals = queueSignals({
    SIGTERM: () => stop.request({ exitCode: ExitCode.OK, reason: 'SIGTERM' }),
    SIGINT: () => stop.request({ exitCode: ExitCode.OK, reason: 'SIGINT' }),
    SIGHUP: () => (actions === undefined ? beforePool('SIGHUP')() : actions.reload('SIGHUP')),
    SIGTTIN: () => (actions === undefined ? beforePool('SIGTTIN')() : actions.addWorker()),
    SIGTTOU: () => (actions === undefined ? beforePool('SIGTTOU')() : actions.removeWorker()),
    SIGUSR1: () => options.reopenLog('SIGUSR1'),
  });

  let stopWatching = () => {};
  let sticky: StickyListeners | undefined;
  let stopCertificates = () => {};
  let releaseSockets = () => {};
  let stats: MasterStats | undefined;
  let config = given;
  try {
    await removeStaleSockets(config.http);
    config = await resolveHttpsPorts(config);
    // With sticky-sessions the master keeps the listeners (http, then https) and hands each connection over; else the
    // workers share them. A worker lists its listeners in the same order (listenersFor), so an index names one.
    let pool: WorkerPool | undefined;
    const https = (config.https ?? []).map((listener) => listener.address);
    // Socket activation (LISTEN_FDS): the inherited sockets stand in for the http addresses, in order.
    const http =
      systemd.activated === undefined
        ? config.http
        : activateAddresses(config.http, systemd.activated.fds, systemd.activated.names, log);
    sticky = config.stickySessions
      ? await listenSticky(
          [...http, ...https],
          () => pool?.servingWorkers() ?? [],
          log,
          config.proxyProtocol ? proxyHeaderRules(config, refusalLog(log)) : undefined,
        )
      : undefined;
    if (sticky === undefined) releaseSockets = holdActivatedSockets(http, log);
    const state: MasterState = {
      config,
      http: sticky?.addresses.slice(0, http.length) ?? (await resolveAddresses(http)),
    };
    if (config.pidfile !== undefined) writePidfile(config.pidfile);
    // shared: each worker accepts from the listening socket the master made, as gunicorn's, uWSGI's and nginx's
    // workers do; Node's default (round-robin on Linux) has the master accept every connection and pass it over IPC,
    // which costs about three times as much CPU per new connection. Frozen by the first fork: a restart changes it.
    cluster.schedulingPolicy = config.schedulingPolicy === 'round-robin' ? cluster.SCHED_RR : cluster.SCHED_NONE;
    // Workers run this same program; flags baked into a single executable must not reach them as arguments.
    cluster.setupPrimary({ execArgv: options.execArgv, ...workerIdentity(config) });
    // Imported only with stats or metrics: the aggregator, the stats server and the dashboard page.
    if (config.stats !== undefined) stats = new (await import('./stats.ts')).MasterStats(state);

    pool = createPool(
      state,
      log,
      (request) => stop.request(request),
      (...recycle) => actions?.recycle(...recycle),
      () => sticky?.workerReady(),
      (...exit) => stats?.workerExited(...exit),
      (addresses) => void notifier.ready(`serving on ${addresses.join(', ')}`),
    );
    actions = new MasterActions({ pool, log, state, loadConfig: options.loadConfig }, notifier);
    stopWatching = startWatches(state, pool, log, (trigger) => actions?.reload(trigger));
    stopCertificates = await startCertificates(config, log, (message) => {
      log.fatal({ code: 'CORRAL_ACME_FAILED' }, message);
      reportFatal(message);
      stop.request({ exitCode: ExitCode.CONFIG, reason: 'no ACME certificate' });
    });
    // Bound before any fork: a stats address that cannot be had stops corral with exit 2, as an http one does.
    if (stats !== undefined && config.stats !== undefined) await stats.listen(config.stats, pool, log);
    // A stop that came while the addresses were checked: no worker is forked, and the stop below is immediate.
    if (!stop.isPending()) pool.start();
    const request = await stop.requested;
    void notifier.stopping();
    // A signal, not a failure: the load balancer is given shutdown-delay to see health-path fail before the stop.
    if (request.reason === 'SIGTERM' || request.reason === 'SIGINT')
      await delayStop(config.shutdownDelay, log, stop.repeated);
    stopWatching();
    void sticky?.close();
    return await shutDown(pool, state.config, request, log);
  } finally {
    stopWatching();
    void sticky?.close();
    stopCertificates();
    releaseSockets();
    void stats?.close();
    removeSignals();
    if (config.pidfile !== undefined && config.vacuum) removePidfile(config.pidfile);
  }
}

/** Starts what runs beside the pool: the reload triggers and the harakiri watch. Returns a function that stops them. */
function startWatches(
  state: MasterState,
  pool: WorkerPool,
  log: Logger,
  reload: (trigger: string) => void,
): () => void {
  const stopTriggers = watchReloadTriggers(state.config.touchReload ?? [], state.config.watch ?? [], log, reload);
  const harakiri = setInterval(() => {
    if (state.config.harakiri !== undefined) pool.killSilent(state.config.harakiri * 1000);
  }, HARAKIRI_CHECK_MS);
  harakiri.unref();
  return () => {
    stopTriggers();
    clearInterval(harakiri);
  };
}

function createPool(
  state: MasterState,
  log: Logger,
  requestStop: (request: StopRequest) => void,
  recycle: (slotId: number, workerPid: number | undefined, reason: RecycleReason) => void,
  onWorkerReady: () => void,
  workerExited: NonNullable<PoolEvents['workerExited']>,
  onPoolReady: (addresses: string[]) => void,
): WorkerPool {
  const pool = new WorkerPool(state.config.processes, workerEnv(state.config, state.http), log, {
    workerReady(slotId, worker, message) {
      log.info({ worker: slotId, workerPid: worker.process.pid, shape: message.shape }, 'worker ready');
      onWorkerReady();
    },
    poolReady(message) {
      log.info({ addresses: message.addresses, workers: pool.pids(), masterPid: process.pid }, 'ready');
      onPoolReady(message.addresses);
    },
    fatal(slotId, message) {
      log.fatal({ worker: slotId, code: message.code, exitCode: message.exitCode }, message.message);
      reportFatal(message.message);
      requestStop({ exitCode: message.exitCode, reason: 'a worker could not start' });
    },
    recycle: (slotId, workerPid, message) => recycle(slotId, workerPid, message.reason),
    workerExited,
  });
  pool.gracefulTimeout = state.config.gracefulTimeout;
  return pool;
}

/** Stops the pool within graceful-timeout (then kills what is left) and resolves with the exit code. */
async function shutDown(
  pool: WorkerPool,
  config: Config,
  { exitCode, reason }: StopRequest,
  log: Logger,
): Promise<number> {
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
}
