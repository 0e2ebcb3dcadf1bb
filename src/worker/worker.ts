// A worker's life: apply env and chdir, load the app, bind the front end, serve, and drain on stop.
import type { Config } from '../config/types.ts';
import type { Logger, RootLogger } from '../log/logger.ts';
import { AppLoadError, CorralError } from '../errors/corral-error.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import { loadApp } from '../app/load.ts';
import { describeThrown } from '../app/describe.ts';
import { fitForFramework } from '../frameworks/fit-app.ts';
import type { LoadedApp } from '../app/types.ts';
import type { RequestRecord } from '../http/access-log.ts';
import { startFrontEnd, type FrontEnd } from '../http/front-end.ts';
import { listenersFor } from '../http/servers.ts';
import type { TlsState } from '../http/tls.ts';
import { followAcmeState } from './acme-state.ts';
import { takeCertificateFromEnv } from '../acme/messages.ts';
import { enforceHarakiri } from '../http/harakiri.ts';
import { forwardedPolicy, trustedAddresses } from '../http/forwarded.ts';
import { clientShield } from '../http/client-shield.ts';
import { enforceProgressTimeouts } from '../http/progress-timeouts.ts';
import { refusalLog } from '../http/refusal-log.ts';
import { proxyHeaderRules } from '../http/proxy-protocol.ts';
import { headCheck } from '../http/request-limits.ts';
import { createPipeline } from '../http/pipeline.ts';
import { createHealth, type Health } from '../http/health.ts';
import type { StaticHandler } from '../static/handler.ts';
import { WorkerCounters } from '../stats/worker-counters.ts';
import { forgetPart } from '../parts.ts';

export interface Started {
  frontEnd: FrontEnd<RequestRecord>;
  app: LoadedApp | undefined;
  /** Stops the harakiri checks and the looks for stalled bodies and responses (client-body-timeout, send-timeout). */
  stopChecks: () => void;
  /** The TLS listeners' certificates and ACME challenges; undefined without https. */
  tls: TlsState | undefined;
  /** The request counters for the stats address; undefined without `stats` and `metrics`. */
  counters: WorkerCounters | undefined;
  /** The answer to health-path; undefined without it. Starts as `starting`: appReady() moves it to `serving`. */
  health: Health | undefined;
}

/** The error code of an app whose `ready` export failed. */
const NOT_READY = 'CORRAL_APP_NOT_READY';

/** Idle keep-alive connections get this long to bring one more request when the worker drains, at most half of graceful-timeout. */
const IDLE_GRACE_MS = 1000;

/**
 * Prepares the process and starts serving; with `handedOver`, the master accepts the connections (sticky-sessions). Throws a CorralError (exit 2 for an address, 3 for the app) when it
 * cannot; the caller decides how to report it (to the master, or straight to the user in single-process mode).
 */
export async function startWorker(
  config: Config,
  root: RootLogger,
  idPrefix: string,
  onRequest?: () => void,
  handedOver = false,
): Promise<Started> {
  const { log } = root;
  // A recognised framework's variables (NODE_ENV, the proxy headers it reads) unless the environment has them; `env` wins.
  for (const [key, value] of Object.entries(config.framework?.env ?? {})) process.env[key] ??= value;
  for (const [key, value] of Object.entries(config.env)) process.env[key] = value;
  if (config.chdir !== undefined) process.chdir(config.chdir);
  const acmeCertificate = takeCertificateFromEnv(process.env);

  const loaded = config.module === undefined ? undefined : await loadApp(config.module);
  const app =
    loaded === undefined || config.framework === undefined ? loaded : fitForFramework(loaded, config.framework);
  if (app !== undefined) log.info({ module: config.module?.file, shape: app.shape, app: app.name }, 'app loaded');

  const serveStatic = servesStatic(config) ? await staticHandler(config, log) : undefined;
  // Content types come from mime-db, a part of its own (src/parts.ts): a process serving no static file lets it go.
  if (serveStatic === undefined) forgetPart('mime-db');
  let http2 = config.http2 !== false;
  if (http2 && config.https !== undefined && app?.http1Only !== undefined) {
    log.warn({ reason: app.http1Only }, 'HTTP/2 is off for this app: its https listeners offer HTTP/1.1 only');
    http2 = false;
  }
  // node:tls is loaded only for a config with https (see listenersFor).
  const tls = config.https === undefined ? undefined : new (await import('../http/tls.ts')).TlsState(http2);
  // Slow and greedy clients (docs/security.md): what each refusal was is told in the log, a line per kind per 10 s.
  const limits = config.clientLimits;
  const refusals = refusalLog(log);
  const shield = clientShield(limits, refusals, trustedAddresses(config.forwardedAllowIps));
  const counters = config.stats === undefined ? undefined : new WorkerCounters();
  const health = config.healthPath === undefined ? undefined : createHealth(config.healthPath);
  if (tls !== undefined) tls.handshakeTimeoutMs = limits.headerTimeoutMs;
  if (tls !== undefined && config.acme !== undefined) {
    followAcmeState(tls);
    tls.useInheritedCertificate(acmeCertificate);
  }
  const frontEnd = await startFrontEnd(
    await listenersFor({ ...config, http2 }, tls, refusals, shield.ban),
    (isDraining) =>
      createPipeline({
        log,
        lines: root,
        idPrefix,
        serveStatic,
        app: app?.handler,
        upgrade: app?.upgrade,
        isDraining,
        forwarded: forwardedPolicy(config.forwardedAllowIps),
        limitPost: config.limitPost,
        disableLogging: config.disableLogging,
        accessLog: config.accessLog,
        headCheck: headCheck(limits, refusals),
        counters,
        ...(onRequest && { onRequest }),
      }),
    {
      idleGraceMs: Math.min(IDLE_GRACE_MS, config.gracefulTimeout * 500),
      handedOver,
      shield,
      ...(health !== undefined && { health }),
      ...(config.proxyProtocol && { proxyHeaders: proxyHeaderRules(config, refusals) }),
    },
  );
  const stopHarakiri =
    config.harakiri === undefined ? () => {} : enforceHarakiri(frontEnd.inFlight, config.harakiri, log);
  const stopProgress = enforceProgressTimeouts(
    frontEnd.inFlight,
    { bodyTimeoutMs: limits.bodyTimeoutMs, sendTimeoutMs: limits.sendTimeoutMs },
    refusals,
  );
  const stopChecks = () => {
    stopHarakiri();
    stopProgress();
  };
  return { frontEnd, app, stopChecks, tls, counters, health };
}

/**
 * Runs the app's `ready` export (sync or async) while the worker already listens, then turns health-path to 200.
 * Throws an AppLoadError (exit 3) when the hook throws, rejects or returns false: the worker cannot start.
 */
export async function appReady(started: Started, log: Logger): Promise<void> {
  const hook = started.app?.ready;
  if (hook !== undefined) {
    log.info('waiting for the app to be ready (its ready export)');
    const name = started.app?.name ?? 'the app';
    let result: unknown;
    try {
      result = await hook();
    } catch (err) {
      throw new AppLoadError(
        `The app ${name} is not ready: its ready export failed: ${describeThrown(err)}`,
        NOT_READY,
      );
    }
    if (result === false)
      throw new AppLoadError(`The app ${name} is not ready: its ready export returned false`, NOT_READY);
    log.info('the app is ready');
  }
  started.health?.set('serving');
}

/** Drains the front end: resolves when the last in-flight request is done and every connection is closed. */
export async function stopWorker(started: Started, log: Logger): Promise<void> {
  log.info('draining: no new connections, finishing in-flight requests');
  started.health?.set('draining');
  // onDrain runs as the drain starts, beside the requests still in flight: where an app ends the responses it would
  // otherwise hold open (event streams, long polls), since a worker's stop waits for them.
  await Promise.all([started.frontEnd.drain(), runAppHook(started.app?.onDrain, 'drain', 'onDrain', log)]);
  log.info('drained');
  await started.frontEnd.closed();
  started.stopChecks();
  // The hook is where an app closes its WebSockets politely (code 1001); corral ends whatever upgraded connection is left.
  await runAppHook(started.app?.onShutdown, 'shutdown', 'onShutdown', log);
  await started.frontEnd.closeUpgraded();
}

/** Bounded by graceful-timeout: the master (or the worker's own timer) ends a hook that never returns. */
async function runAppHook(hook: (() => unknown) | undefined, what: string, name: string, log: Logger): Promise<void> {
  if (hook === undefined) return;
  log.info(`running the app ${what} hook (${name})`);
  try {
    await hook();
    log.info(`the app ${what} hook is done`);
  } catch (err) {
    log.error({ err }, `the app ${what} hook failed`);
  }
}

/** Maps anything thrown at start to what the user should read and the exit code that says why. */
export function describeStartFailure(err: unknown): { exitCode: number; code: string; message: string } {
  if (err instanceof CorralError) return { exitCode: err.exitCode, code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: ExitCode.RUNTIME, code: 'CORRAL_START_FAILED', message: `the worker failed to start: ${message}` };
}

/** True when something static is configured (static-map, check-static, static-fallback). */
function servesStatic(config: Config): boolean {
  return config.staticMap.length + config.checkStatic.length + config.staticFallback.length > 0;
}

/** Imported only when something static is configured (static-map, check-static, static-fallback): content types (mime-db) cost about 12 ms of start-up otherwise spent for nothing. */
async function staticHandler(config: Config, log: Logger): Promise<StaticHandler> {
  const { createStaticHandler } = await import('../static/handler.ts');
  // A packed app's static files are in the executable (src/pack/packed-files.ts); CORRAL_PACK_DIR says it unpacked.
  const files =
    process.env.CORRAL_PACK_DIR === undefined
      ? undefined
      : await import('../pack/packed-files.ts').then(({ workerFileSource }) => workerFileSource());
  return createStaticHandler(config.staticMap, {
    ...(files !== undefined && { files }),
    onError: (err, req) => log.error({ err, method: req.method, path: req.url }, 'static file could not be sent'),
    indexes: config.staticIndex,
    expires: config.staticExpires,
    checkStatic: config.checkStatic,
    safe: config.staticSafe,
    gzipAll: config.staticGzipAll,
    compress: config.staticCompress,
    cacheSize: config.staticCacheSize,
    fallback: config.staticFallback,
  });
}
