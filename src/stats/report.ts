// What a worker tells the master about itself once a second (`corral:stats`): counts since its last report, and gauges as they are now.

/** The order of the status classes in `requests` (six per kind: app first, then static). */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;

/** A finished request among the slowest of a report's second. */
export interface SlowEntry {
  reqId: string;
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  ms: number;
  /** When it finished, in ms since the epoch. */
  at: number;
}

export interface StatsReport {
  /** The worker's slot number. */
  worker: number;
  pid: number;
  /** When the process started, in ms since the epoch. */
  startedAt: number;
  // Counts since the previous report.
  /** Requests finished, by kind and status class: indexes 0-5 app, 6-11 static (see STATUS_CLASSES). */
  requests: number[];
  exceptions: number;
  /** Response bytes sent on HTTP/1 connections (HTTP/2 streams share a connection and are not counted per response). */
  tx: number;
  /** Sum of the request durations, in ms. */
  timeMs: number;
  /** Requests per Prometheus bucket (not cumulative; see latency-buckets.ts). */
  histogram: number[];
  /** The static file cache: lookups answered from memory, and those that went to the disk. */
  cacheHits: number;
  cacheMisses: number;
  /** The slowest requests of the second, slowest first. */
  slow: SlowEntry[];
  // Gauges.
  /** Latency of the second's requests in ms, from the fine buckets (null when none finished). */
  latency: { p50: number | null; p99: number | null };
  inFlight: number;
  /** Open connections per listener, in config order (http, then https). */
  connections: number[];
  rss: number;
  heap: number;
  /** Event-loop delay over the second, in ms. */
  loopDelay: { p50: number; p99: number };
  /** Event-loop utilisation over the second, 0..1. */
  loopUtilization: number;
}
