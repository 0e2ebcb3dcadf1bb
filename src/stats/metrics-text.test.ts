import { describe, expect, it } from 'vitest';
import { metricsText } from './metrics-text.ts';
import { snapshotFixture } from './snapshot-fixture.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A small reader of the text format: the families' TYPE lines and every sample with its labels. */
function parse(text: string): { types: Map<string, string>; helps: Set<string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const help = /^# HELP (\S+) .+$/.exec(line);
    if (help) {
      helps.add(help[1]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]!] = pair[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    samples.push({ name: sample[1]!, labels, value: sample[3] === '+Inf' ? Infinity : Number(sample[3]) });
  }
  return { types, helps, samples };
}

describe('metricsText', () => {
  const snapshot = snapshotFixture();
  snapshot.requests.app['2xx'] = 300;
  snapshot.requests.static['2xx'] = 100;
  snapshot.listeners = [{ name: 'unix:/run/a "b"\\c', proto: 'http', connections: 3 }];
  const text = metricsText(snapshot, {
    histogram: { buckets: [350, 40, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0], sumMs: 1234, count: 400 },
    exitsByReason: new Map([['crash', 1]]),
    exceptions: 2,
    tx: 99,
    masterStartTime: 1_700_000_000,
  });
  const { types, helps, samples } = parse(text);
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  it('gives every family a HELP and a TYPE, and every sample belongs to one', () => {
    for (const sample of samples) {
      const family = types.has(sample.name) ? sample.name : sample.name.replace(/_(bucket|sum|count)$/, '');
      expect(types.has(family), sample.name).toBe(true);
      expect(helps.has(family), sample.name).toBe(true);
    }
    expect(types.get('http_request_duration_seconds')).toBe('histogram');
    expect(types.get('http_requests_total')).toBe('counter');
  });

  it('counts requests by kind and class, and the histogram is cumulative up to its count', () => {
    expect(value('http_requests_total', { kind: 'app', code: '2xx' })).toBe(300);
    expect(value('http_requests_total', { kind: 'static', code: '2xx' })).toBe(100);
    expect(value('http_request_duration_seconds_bucket', { le: '0.005' })).toBe(350);
    expect(value('http_request_duration_seconds_bucket', { le: '0.01' })).toBe(390);
    expect(value('http_request_duration_seconds_bucket', { le: '10' })).toBe(400);
    expect(value('http_request_duration_seconds_bucket', { le: '+Inf' })).toBe(400);
    expect(value('http_request_duration_seconds_count')).toBe(400);
    expect(value('http_request_duration_seconds_sum')).toBeCloseTo(1.234);
    expect(value('corral_worker_restarts_total', { reason: 'crash' })).toBe(1);
    expect(value('process_start_time_seconds', { worker: 'master' })).toBe(1_700_000_000);
  });

  it('escapes label values', () => {
    expect(value('corral_connections', { listener: 'unix:/run/a "b"\\c' })).toBe(3);
    expect(text).toContain('listener="unix:/run/a \\"b\\"\\\\c"');
  });
});
