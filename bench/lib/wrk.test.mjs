// Reading wrk's report and building its command line (no load is run).
import { describe, expect, it } from 'vitest';
import { parseWrk, wrkCommand } from './wrk.mjs';

const REPORT = `Running 7s test @ http://127.0.0.1:40123/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.10ms  620.00us  30.00ms   95.00%
    Req/Sec    58.60k     3.10k   62.00k    80.00%
  Latency Distribution
     50%  850.00us
     75%    1.20ms
     90%    1.60ms
     99%    2.35s
  410000 requests in 7.00s, 60.00MB read
  Socket errors: connect 0, read 41, write 2, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  58571.43
Transfer/sec:      8.57MB
`;

describe('parseWrk', () => {
  it('reads req/s, p50 and p99 in ms, non-2xx answers and socket errors', () => {
    expect(parseWrk(REPORT)).toEqual({
      rate: 58571.43,
      p50: 0.85,
      p99: 2350,
      non2xx: 7,
      errors: { connect: 0, read: 41, write: 2, timeout: 3 },
    });
  });

  it('gives NaN figures for a run that produced no report', () => {
    const parsed = parseWrk('');
    expect(parsed.rate).toBeNaN();
    expect(parsed.p99).toBeNaN();
    expect(parsed.errors).toEqual({ connect: 0, read: 0, write: 0, timeout: 0 });
  });
});

describe('wrkCommand', () => {
  it('runs wrk pinned with taskset when CPUs are given', () => {
    const [command, args] = wrkCommand({
      url: 'http://127.0.0.1:1/a',
      seconds: 7,
      headers: ['If-None-Match: "x"'],
      cpus: '0',
    });
    expect(command).toBe('taskset');
    expect(args).toEqual([
      '-c',
      '0',
      'wrk',
      '-t1',
      '-c64',
      '-d7s',
      '--timeout',
      '10s',
      '--latency',
      '-H',
      'If-None-Match: "x"',
      'http://127.0.0.1:1/a',
    ]);
  });

  it('runs wrk itself when nothing is pinned', () => {
    expect(wrkCommand({ url: 'http://127.0.0.1:1/', seconds: 2 })[0]).toBe('wrk');
  });
});
