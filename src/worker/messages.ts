// The messages master and workers exchange over the cluster IPC channel, and the env var that hands a worker its config.
import type { Config } from '../config/types.ts';
import type { StatsReport } from '../stats/report.ts';
import type { ProxyClient } from '../http/proxy-header.ts';

/** The master puts the resolved config here (JSON) when it forks a worker; the worker removes it before loading the app. */
export const CONFIG_ENV = 'CORRAL_WORKER_CONFIG';

/** The master tells each worker its slot number (1..processes) here; it names the worker in logs and request ids. */
export const WORKER_ID_ENV = 'CORRAL_WORKER_ID';

export type WorkerMessage =
  /** The front end is bound and the app is loaded: the worker serves. */
  | { type: 'corral:ready'; addresses: string[]; shape: string | undefined }
  /** The worker cannot run. Before the pool was first ready the master stops with `exitCode`; later it backs off and retries. */
  | { type: 'corral:fatal'; exitCode: number; code: string; message: string }
  /** The worker reached a recycling limit: the master starts its replacement, then stops it. Sent once. */
  | { type: 'corral:recycle'; reason: RecycleReason }
  /** The worker's event loop runs (sent only with harakiri), with its oldest requests in flight. */
  | { type: 'corral:heartbeat'; requests: HeldRequest[] }
  /** The worker closed its listeners (it drains): the master answers `corral:listeners-closed` (see supervised.ts). */
  | { type: 'corral:closing-listeners' }
  /** The worker's writes took the log file past log-maxsize: the master rotates it if it still is (sent once per file). */
  | { type: 'corral:log-full' }
  /** Once a second with `stats` or `metrics` (and once more as it exits): its counts and gauges (src/stats/report.ts). */
  | { type: 'corral:stats'; report: StatsReport }
  /** Socket activation: the worker asks for its copy of inherited descriptor `fd` (src/http/activated-socket.ts). */
  | { type: 'corral:activated-socket'; fd: number };

/** Why a worker asks to be replaced: the name of the setting whose limit it reached. */
export type RecycleReason = 'max-requests' | 'reload-on-rss' | 'max-worker-lifetime';

/** A request in flight, as a heartbeat names it. */
export interface HeldRequest {
  reqId: string;
  method: string | undefined;
  path: string | undefined;
  ageMs: number;
}

export type MasterMessage =
  /** Stop accepting, finish in-flight requests, exit 0; `reason` says why (reload, stop, max-requests...). */
  | { type: 'corral:stop'; reason?: string }
  /**
   * With sticky-sessions: the connection sent with this message was accepted on `http` address number `address`; with
   * proxy-protocol, `proxied` is what the master read of it (the client, and the bytes after the header in base64).
   */
  | { type: 'corral:connection'; address: number; proxied?: { client: ProxyClient | undefined; rest: string } }
  /**
   * The answer to `corral:closing-listeners`: the master has seen the worker's listeners close, so every connection it
   * handed the worker is in the channel ahead of this message, and it hands over no more.
   */
  | { type: 'corral:listeners-closed' }
  /** The log file was rotated, or SIGUSR1 or touch-logreopen asked: open its path anew and write there from the next block on. */
  | { type: 'corral:log-reopen' }
  /** A stop is coming after shutdown-delay: answer health-path with 503 from now on, and keep serving until `corral:stop`. */
  | { type: 'corral:shutdown-delay' };

/**
 * The master's answer to a worker's `corral:activated-socket`: the handle sent with it is the inherited descriptor
 * `fd`. Not a MasterMessage (a worker treats an unknown one as a stop): only the listener that asked reads it.
 */
export interface ActivatedSocketMessage {
  type: 'corral:activated-socket';
  fd: number;
}

/** True for the master's answer about inherited descriptor `fd`. */
export function isActivatedSocket(value: unknown, fd: number): value is ActivatedSocketMessage {
  return typeOf(value) === 'corral:activated-socket' && (value as { fd?: unknown }).fd === fd;
}

const WORKER_TYPES: ReadonlySet<string> = new Set<WorkerMessage['type']>([
  'corral:ready',
  'corral:fatal',
  'corral:recycle',
  'corral:heartbeat',
  'corral:closing-listeners',
  'corral:log-full',
  'corral:stats',
  'corral:activated-socket',
]);
const MASTER_TYPES: ReadonlySet<string> = new Set<MasterMessage['type']>([
  'corral:stop',
  'corral:connection',
  'corral:listeners-closed',
  'corral:log-reopen',
  'corral:shutdown-delay',
]);

function typeOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
}

/** True for the messages a worker sends; anything else on the channel (cluster's own, or the app's) is not corral's. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  const type = typeOf(value);
  return typeof type === 'string' && WORKER_TYPES.has(type);
}

/** True for the messages the master sends. */
export function isMasterMessage(value: unknown): value is MasterMessage {
  const type = typeOf(value);
  return typeof type === 'string' && MASTER_TYPES.has(type);
}

/** Reads the config the master handed over, and hides it from the app's environment. */
export function takeConfigFromEnv(env: NodeJS.ProcessEnv): Config {
  const text = env[CONFIG_ENV];
  if (text === undefined) throw new Error(`${CONFIG_ENV} is not set: a worker must be started by the corral master`);
  delete env[CONFIG_ENV];
  return JSON.parse(text) as Config;
}
