// The shape of what the stats address serves as JSON (`/stats.json`), which the dashboard, `corral top` and `corral status` read; uWSGI's field names where the concept is the same.

/** Requests counted by where they were answered and by status class. */
export interface RequestCounts {
  /** Answered by the app. */
  app: StatusClasses;
  /** Answered by corral's static path (static-map, check-static, static-fallback). */
  static: StatusClasses;
}

/** Counts by status class; `other` is anything outside 100-599. */
export interface StatusClasses {
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  other: number;
}

/** One worker slot as the master sees it (uWSGI's `workers[]`). */
export interface WorkerStats {
  /** The slot number, 1..processes (uWSGI `id`); the `worker` field of the log lines. */
  id: number;
  /** The pid of the process in the slot now; null while the slot waits for a respawn. */
  pid: number | null;
  /** starting: forked, not yet ready; idle: serving, nothing in flight; busy: requests in flight; stopping: draining; respawning: dead, waiting for its backoff. */
  status: 'starting' | 'idle' | 'busy' | 'stopping' | 'respawning';
  /** Requests finished by this process (uWSGI `requests`), since it started. */
  requests: number;
  /** Requests finished in the last second (uWSGI `delta_requests`). */
  delta_requests: number;
  /** Requests in flight at the last report. */
  in_flight: number;
  /** Requests whose handler threw or rejected, or that ended with a 5xx made by corral (uWSGI `exceptions`). */
  exceptions: number;
  /** Resident memory in bytes (uWSGI `rss`). */
  rss: number;
  /** V8 heap used, in bytes. */
  heap: number;
  /** Event-loop delay over the last second, in ms: p50 and p99 (perf_hooks.monitorEventLoopDelay). */
  loop_delay: { p50: number; p99: number };
  /** Event-loop utilisation over the last second, 0..1 (perf_hooks.eventLoopUtilization). */
  loop_utilization: number;
  /** Request latency over the last second, in ms (null when no request finished in it). */
  latency: { p50: number | null; p99: number | null };
  /** Mean request time in microseconds since the process started (uWSGI `avg_rt`). */
  avg_rt: number;
  /** Response bytes sent (uWSGI `tx`), since the process started. */
  tx: number;
  /** Seconds since this process was forked. */
  uptime: number;
  /** When the slot's process was last forked, in seconds since the epoch (uWSGI `last_spawn`). */
  last_spawn: number;
  /** How many times this slot's process was replaced (uWSGI `respawn_count`). */
  respawn_count: number;
  /** How the slot's previous process ended, or null if it has had only one. */
  last_exit: ExitRecord | null;
}

/** How a worker process ended. */
export interface ExitRecord {
  pid: number;
  /** Its exit code, or null if a signal ended it. */
  code: number | null;
  signal: string | null;
  /** Why: crash, start failed, reload, max-requests, reload-on-rss, max-worker-lifetime, harakiri, SIGTTOU, stop... (the `reason` of the 'worker exited' log line). */
  reason: string;
  /** When, in seconds since the epoch. */
  at: number;
}

/** One restart, for the list of recent ones. */
export interface RestartRecord extends ExitRecord {
  /** The slot it happened in. */
  worker: number;
}

/** A slow request of the recent past (the slowest of the last minute across the workers). */
export interface SlowRequest {
  reqId: string;
  worker: number;
  method: string;
  /** The path, without the query string (it may hold secrets). */
  path: string;
  status: number;
  /** Its duration in ms. */
  ms: number;
  /** When it finished, in seconds since the epoch. */
  at: number;
}

/** A listening address (uWSGI `sockets[]`). */
export interface ListenerStats {
  /** As in the config: `127.0.0.1:8080`, `[::1]:8443`, `unix:/run/app.sock`. */
  name: string;
  proto: 'http' | 'https';
  /** Connections open across the workers at the last reports. */
  connections: number;
}

/** A certificate corral serves. */
export interface CertificateStats {
  /** The names it covers. */
  domains: string[];
  /** Where it comes from: acme, or a file (the path, never the key). */
  source: string;
  /** Its expiry as an ISO time, and the days left (negative once expired). */
  not_after: string;
  days_left: number;
}

/** Everything the stats address serves, taken at one moment in the master. */
export interface StatsSnapshot {
  /** corral's version. */
  version: string;
  /** The master's pid (uWSGI `pid`). */
  pid: number;
  /** When this snapshot was taken, in seconds since the epoch. */
  at: number;
  /** Seconds since the master started. */
  uptime: number;
  /** The master's own memory, in bytes. */
  master: { rss: number; heap: number };
  listeners: ListenerStats[];
  workers: WorkerStats[];
  /** Totals across every worker that ever ran under this master (they survive worker restarts). */
  requests: RequestCounts;
  /** The static path's file cache across the workers: lookups answered from it, and those that went to the disk. */
  static_cache: { hits: number; misses: number };
  /** The most recent worker restarts, newest first (at most 20). */
  restarts: RestartRecord[];
  /** The slowest requests of the last minute, slowest first (at most 10). */
  slow: SlowRequest[];
  certificates: CertificateStats[];
}
