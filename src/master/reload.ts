// A rolling reload: read the config again, then replace the workers one at a time, each new one serving before an old one retires.
import type { LoadResult } from '../config/load.ts';
import type { Config, ListenAddress } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import { CONFIG_ENV } from '../worker/messages.ts';
import type { WorkerPool } from './pool.ts';

/** What the master runs on now: the config of the last good (re)load, and the addresses its workers listen on. */
export interface MasterState {
  config: Config;
  /** The addresses as the master resolved them at start (port 0 made real); a reload keeps them. */
  http: ListenAddress[];
}

export interface ReloadDeps {
  pool: WorkerPool;
  log: Logger;
  state: MasterState;
  /** Reads the config again, from the same file, environment and command line as at start. */
  loadConfig: () => LoadResult;
}

/**
 * glibc's malloc arenas for a worker, unless the environment already sets a number. By default each thread that
 * allocates may get an arena of its own (up to 8 per CPU), and V8's background threads (the optimizing compiler,
 * the GC) each keep one, never trimmed: measured on a hello-world worker after a wrk load, 4 arenas of 1.1-1.5 MB
 * besides the main one. With 2 the worker's RSS after the load was 2.7-3.5 MB lower, its throughput the same within the noise of the runs. Other C
 * libraries ignore the variable.
 */
const MALLOC_ARENAS = '2';

/** The env a worker is forked with: the config, with the master's resolved addresses, and the malloc arenas. */
export function workerEnv(config: Config, http: ListenAddress[]): Record<string, string> {
  return {
    [CONFIG_ENV]: JSON.stringify({ ...config, http }),
    ...(process.env.MALLOC_ARENA_MAX === undefined && { MALLOC_ARENA_MAX: MALLOC_ARENAS }),
  };
}

/** Settings a reload cannot change: the listeners and who accepts on them, the process model, the pidfile, the workers' user, the reload triggers and the log file. */
const RESTART_ONLY = [
  'http',
  'https',
  'acme',
  'stickySessions',
  'schedulingPolicy',
  'master',
  'pidfile',
  'uid',
  'gid',
  'touchReload',
  'watch',
  'logFile',
] as const;

function readNextConfig({ log, state, loadConfig }: ReloadDeps, trigger: string): Config | undefined {
  let next: LoadResult;
  try {
    next = loadConfig();
  } catch (err) {
    const problems = err instanceof Error ? err.message.split('\n') : [String(err)];
    log.error(
      { trigger, problems },
      'reload refused: the config is invalid now; the workers keep running on the old one',
    );
    return undefined;
  }
  for (const warning of next.warnings) log.warn(warning);
  const changed = RESTART_ONLY.filter((key) => JSON.stringify(next.config[key]) !== JSON.stringify(state.config[key]));
  if (changed.length > 0)
    log.warn({ changed }, 'reload: these settings take effect on a restart only; the old values stay');
  const kept: Partial<Config> = {};
  for (const key of RESTART_ONLY) Object.assign(kept, { [key]: state.config[key] });
  return { ...next.config, ...kept };
}

/**
 * Replaces every worker with one that runs `next`: one at a time, each new worker serving before the old one of its
 * slot is told to drain. A new worker that cannot start stops the reload: the old workers left keep serving, and the
 * master keeps the old config. Then slots are added or removed to match `processes`.
 */
export async function rollingReload(deps: ReloadDeps, trigger: string): Promise<void> {
  const { pool, log, state } = deps;
  const next = readNextConfig(deps, trigger);
  if (next === undefined) return;
  const env = workerEnv(next, state.http);
  const ids = pool.slotIds();
  log.info(
    { trigger, workers: ids.length, processes: next.processes },
    'reloading: starting new workers one at a time',
  );
  pool.gracefulTimeout = next.gracefulTimeout;
  let replaced = 0;
  for (const id of ids.slice(0, next.processes)) {
    const outcome = await pool.replace(id, 'reload', env);
    if (pool.isStopping) return;
    if (outcome?.ok === false) {
      const fields = { trigger, reason: outcome.reason, replaced, workers: ids.length };
      log.error(fields, 'reload stopped: a new worker could not start; the old workers keep serving');
      pool.gracefulTimeout = state.config.gracefulTimeout;
      return;
    }
    replaced++;
  }
  for (let n = next.processes; n < ids.length; n++) pool.removeSlot('reload');
  for (let n = ids.length; n < next.processes && !pool.isStopping; n++) await pool.addSlot(env);
  pool.setEnv(env);
  state.config = next;
  log.info({ trigger, workers: pool.pids() }, 'reloaded');
}
