// The Prometheus text format (0.0.4) of the stats: written by hand from the snapshot and the master's totals, each metric with its HELP and TYPE lines (docs/stats.md lists them).
import { HISTOGRAM_BOUNDS } from './latency-buckets.ts';
import type { HistogramTotals } from './aggregate.ts';
import { STATUS_CLASSES } from './report.ts';
import type { StatsSnapshot } from './snapshot.ts';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What the metrics add to the snapshot: totals the JSON does not carry. */
export interface MetricsTotals {
  histogram: HistogramTotals;
  exitsByReason: ReadonlyMap<string, number>;
  exceptions: number;
  tx: number;
  /** When the master started, in seconds since the epoch. */
  masterStartTime: number;
}

type Labels = Record<string, string>;

/** A label value as the text format writes it: backslash, double quote and line feed escaped. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, text]) => `${key}="${escapeLabel(text)}"`);
  const number = Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  return `${name}${pairs.length === 0 ? '' : `{${pairs.join(',')}}`} ${number}`;
}

/** Collects the metric families in order, each headed by its HELP and TYPE lines. */
class Exposition {
  readonly lines: string[] = [];

  family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }

  add(name: string, labels: Labels, value: number): void {
    this.lines.push(sample(name, labels, value));
  }
}

/** The whole /metrics page. */
export function metricsText(snapshot: StatsSnapshot, totals: MetricsTotals): string {
  const out = new Exposition();
  out.family('http_requests_total', 'counter', 'Requests answered, by kind (app or static) and status class.');
  for (const kind of ['app', 'static'] as const)
    for (const code of STATUS_CLASSES) out.add('http_requests_total', { kind, code }, snapshot.requests[kind][code]);

  out.family('http_request_duration_seconds', 'histogram', 'Time from request start to response end, all workers.');
  let cumulative = 0;
  HISTOGRAM_BOUNDS.forEach((bound, index) => {
    cumulative += totals.histogram.buckets[index] ?? 0;
    out.add('http_request_duration_seconds_bucket', { le: String(bound) }, cumulative);
  });
  out.add('http_request_duration_seconds_bucket', { le: '+Inf' }, totals.histogram.count);
  out.add('http_request_duration_seconds_sum', {}, totals.histogram.sumMs / 1000);
  out.add('http_request_duration_seconds_count', {}, totals.histogram.count);

  out.family('corral_exceptions_total', 'counter', 'Requests whose handler threw or rejected (answered 500).');
  out.add('corral_exceptions_total', {}, totals.exceptions);
  out.family('corral_response_bytes_total', 'counter', 'Response bytes sent on HTTP/1 connections, headers included.');
  out.add('corral_response_bytes_total', {}, totals.tx);

  const processes: { worker: string; rss: number; heap: number; start: number | undefined }[] = [
    { worker: 'master', rss: snapshot.master.rss, heap: snapshot.master.heap, start: totals.masterStartTime },
    ...snapshot.workers
      .filter((worker) => worker.pid !== null)
      .map((worker) => ({
        worker: String(worker.id),
        rss: worker.rss,
        heap: worker.heap,
        start: worker.last_spawn,
      })),
  ];
  out.family('process_resident_memory_bytes', 'gauge', 'Resident memory of the master and of each worker.');
  for (const p of processes) out.add('process_resident_memory_bytes', { worker: p.worker }, p.rss);
  out.family('process_heap_bytes', 'gauge', 'V8 heap used by the master and by each worker.');
  for (const p of processes) out.add('process_heap_bytes', { worker: p.worker }, p.heap);
  out.family('process_start_time_seconds', 'gauge', 'When the process started, in seconds since the epoch.');
  for (const p of processes)
    if (p.start !== undefined) out.add('process_start_time_seconds', { worker: p.worker }, p.start);

  out.family('corral_workers', 'gauge', 'Worker slots by status.');
  for (const status of ['starting', 'idle', 'busy', 'stopping', 'respawning'] as const)
    out.add('corral_workers', { status }, snapshot.workers.filter((worker) => worker.status === status).length);
  out.family('corral_worker_restarts_total', 'counter', 'Worker processes that exited, by reason (crash, reload...).');
  for (const [reason, count] of totals.exitsByReason) out.add('corral_worker_restarts_total', { reason }, count);
  out.family('corral_requests_in_flight', 'gauge', 'Requests in flight in each worker at its last report.');
  for (const worker of snapshot.workers)
    out.add('corral_requests_in_flight', { worker: String(worker.id) }, worker.in_flight);
  out.family('corral_event_loop_delay_seconds', 'gauge', 'Event-loop delay of each worker over its last second.');
  for (const worker of snapshot.workers) {
    const id = String(worker.id);
    out.add('corral_event_loop_delay_seconds', { worker: id, quantile: '0.5' }, worker.loop_delay.p50 / 1000);
    out.add('corral_event_loop_delay_seconds', { worker: id, quantile: '0.99' }, worker.loop_delay.p99 / 1000);
  }
  out.family('corral_event_loop_utilization', 'gauge', 'Share of its last second each worker spent running (0..1).');
  for (const worker of snapshot.workers)
    out.add('corral_event_loop_utilization', { worker: String(worker.id) }, worker.loop_utilization);

  out.family('corral_connections', 'gauge', 'Open connections per listener, across the workers.');
  for (const listener of snapshot.listeners)
    out.add('corral_connections', { listener: listener.name, proto: listener.proto }, listener.connections);
  out.family('corral_static_cache_hits_total', 'counter', "Static lookups answered from the workers' file cache.");
  out.add('corral_static_cache_hits_total', {}, snapshot.static_cache.hits);
  out.family('corral_static_cache_misses_total', 'counter', 'Static lookups that went to the disk.');
  out.add('corral_static_cache_misses_total', {}, snapshot.static_cache.misses);
  out.family(
    'corral_certificate_expiry_seconds',
    'gauge',
    'When each served certificate expires, in seconds since the epoch.',
  );
  for (const cert of snapshot.certificates)
    out.add(
      'corral_certificate_expiry_seconds',
      { domains: cert.domains.join(','), source: cert.source },
      Math.floor(Date.parse(cert.not_after) / 1000),
    );
  return `${out.lines.join('\n')}\n`;
}
