// Start-up and footprint of corral's two entries: size, exec to first 200 with 2 workers (median of 10), idle RSS of master and workers.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const hello = fileURLToPath(new URL('./apps/hello.mjs', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const RUN_LIMIT_MS = 10_000;

const MiB = 1024 * 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function status(port) {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(500, () => req.destroy());
  });
}

function rssMiB(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

function childrenOf(pid) {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/** One cold start: exec, poll until the first 200, then (optionally) read idle RSS, then SIGTERM and wait for the exit. */
async function oneRun(command, args, measureRss) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, [...args, '--http', `127.0.0.1:${port}`, '--module', hello, '--processes', '2'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    let firstOk;
    while (firstOk === undefined) {
      if (performance.now() - started > RUN_LIMIT_MS) throw new Error(`${command} gave no 200 within ${RUN_LIMIT_MS} ms`);
      if ((await status(port)) === 200) firstOk = performance.now() - started;
      else await sleep(2);
    }
    let rss;
    if (measureRss) {
      await sleep(1000); // let start-up garbage settle: idle means idle
      const workers = childrenOf(child.pid);
      rss = { master: rssMiB(child.pid), workers: workers.map(rssMiB) };
    }
    return { firstOk, rss };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(RUN_LIMIT_MS)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export async function benchStartup() {
  const variants = [
    { name: 'dist/corral (single executable)', file: `${root}dist/corral`, command: `${root}dist/corral`, args: [] },
    { name: `node dist/corral.cjs (Node ${process.version})`, file: `${root}dist/corral.cjs`, command: process.execPath, args: [`${root}dist/corral.cjs`] },
  ];
  const rows = [];
  for (const variant of variants) {
    if (!existsSync(variant.file)) {
      rows.push({ name: variant.name, missing: true });
      continue;
    }
    await oneRun(variant.command, variant.args, false); // warm-up: page cache, not counted
    const times = [];
    const masters = [];
    const workers = [];
    for (let i = 0; i < RUNS; i++) {
      const { firstOk, rss } = await oneRun(variant.command, variant.args, i < 3);
      times.push(firstOk);
      if (rss) {
        masters.push(rss.master);
        workers.push(...rss.workers);
      }
    }
    rows.push({
      name: variant.name,
      size: statSync(variant.file).size / MiB,
      median: median(times),
      min: Math.min(...times),
      max: Math.max(...times),
      master: median(masters),
      worker: median(workers),
    });
  }
  return rows;
}

export function startupTable(rows) {
  const lines = [
    `| entry | size | exec to first 200, 2 workers (median of ${RUNS}, min-max) | idle RSS master | idle RSS per worker |`,
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    if (row.missing) {
      lines.push(`| ${row.name} | not built (npm run build) | | | |`);
      continue;
    }
    lines.push(
      `| ${row.name} | ${row.size.toFixed(1)} MiB | ${row.median.toFixed(0)} ms (${row.min.toFixed(0)}-${row.max.toFixed(0)}) | ${row.master.toFixed(1)} MiB | ${row.worker.toFixed(1)} MiB |`,
    );
  }
  return lines.join('\n');
}
