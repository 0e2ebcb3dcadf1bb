// Runs wrk (bounded in time, optionally pinned to CPUs with taskset) and reads its report: req/s, p50 and p99 latency, errors.
import { spawn, spawnSync } from 'node:child_process';

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function latencyMs(text, percentile) {
  const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(text);
  return match === null ? NaN : Number(match[1]) * UNIT_MS[match[2]];
}

/** The figures of one wrk report (run with --latency); NaN for what it does not contain. */
export function parseWrk(text) {
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    rate: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN),
    p50: latencyMs(text, 50),
    p99: latencyMs(text, 99),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0),
    errors:
      socket === null
        ? { connect: 0, read: 0, write: 0, timeout: 0 }
        : { connect: +socket[1], read: +socket[2], write: +socket[3], timeout: +socket[4] },
  };
}

/** The command line of one run: one thread, 64 connections, pinned with taskset when `cpus` is given. */
export function wrkCommand({ url, seconds, headers = [], cpus, connections = 64, script }) {
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '--latency',
    ...headers.flatMap((h) => ['-H', h]),
    ...(script === undefined ? [] : ['-s', script]),
    url,
  ];
  return cpus === undefined ? ['wrk', args] : ['taskset', ['-c', cpus, 'wrk', ...args]];
}

/** One run; wrk is killed if it outlives its duration by 15 s. */
export function runWrk(options) {
  const [command, args] = wrkCommand(options);
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: (options.seconds + 15) * 1000 });
  return parseWrk(result.stdout ?? '');
}

/** One run that does not block the event loop (two servers loaded at once); wrk is killed if it outlives its duration by 15 s. */
export function runWrkAsync(options) {
  const [command, args] = wrkCommand(options);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 15) * 1000);
    child.on('error', () => {});
    child.on('close', () => {
      clearTimeout(timer);
      resolve(parseWrk(out));
    });
  });
}
