// A worker's life: apply env and chdir, load the app, bind the front end, serve, and drain on stop.
import type { Config } from '../config/types.ts';
import { CorralError } from '../errors/corral-error.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import type { Logger } from '../log/logger.ts';
import { loadApp } from '../app/load.ts';
import type { LoadedApp } from '../app/types.ts';
import { startFrontEnd, type FrontEnd } from '../http/front-end.ts';
import { createPipeline } from '../http/pipeline.ts';
import type { StaticHandler } from '../static/handler.ts';

export interface Started {
  frontEnd: FrontEnd;
  app: LoadedApp | undefined;
}

/**
 * Prepares the process and starts serving. Throws a CorralError (exit 2 for an address, 3 for the app) when it
 * cannot; the caller decides how to report it (to the master, or straight to the user in single-process mode).
 */
export async function startWorker(config: Config, log: Logger, idPrefix: string): Promise<Started> {
  for (const [key, value] of Object.entries(config.env)) process.env[key] = value;
  if (config.chdir !== undefined) process.chdir(config.chdir);

  const app = config.module === undefined ? undefined : await loadApp(config.module);
  if (app !== undefined) log.info({ module: config.module?.file, shape: app.shape, app: app.name }, 'app loaded');

  const serveStatic = config.staticMap.length > 0 ? await staticHandler(config, log) : undefined;
  const frontEnd = await startFrontEnd(config.http, (isDraining) =>
    createPipeline({ log, idPrefix, serveStatic, app: app?.handler, isDraining }),
  );
  return { frontEnd, app };
}

/** Drains the front end and resolves when the last in-flight request is done. */
export async function stopWorker(started: Started, log: Logger): Promise<void> {
  log.info('draining: no new connections, finishing in-flight requests');
  await started.frontEnd.drain();
  log.info('drained');
}

/** Maps anything thrown at start to what the user should read and the exit code that says why. */
export function describeStartFailure(err: unknown): { exitCode: number; code: string; message: string } {
  if (err instanceof CorralError) return { exitCode: err.exitCode, code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: ExitCode.RUNTIME, code: 'CORRAL_START_FAILED', message: `the worker failed to start: ${message}` };
}

/** Imported only when there are static maps: content types (mime-db) cost about 12 ms of start-up otherwise spent for nothing. */
async function staticHandler(config: Config, log: Logger): Promise<StaticHandler> {
  const { createStaticHandler } = await import('../static/handler.ts');
  return createStaticHandler(config.staticMap, {
    onError: (err, req) => log.error({ err, method: req.method, path: req.url }, 'static file could not be sent'),
  });
}
