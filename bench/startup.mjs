// Start-up and footprint of corral's two entries: size, exec to first 200 with 2 workers (median of 10), idle RSS of master and workers.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { childrenOf, sleep } from './lib/processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const hello = fileURLToPath(new URL('./apps/hello.mjs', import.meta.url));
const RUN_LIMIT_MS = 10_000;

const MiB = 1024 * 1024;
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

/** VmRSS (all resident pages) and RssAnon (private memory: heap, stacks; the executable's pages are shared, not in it). */
function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kB('VmRSS'), private: kB('RssAnon') };
}

/** Reads the whole program file, as right after it was copied or built: every page of it is then in the page cache. */
function loadIntoPageCache(file) {
  readFileSync(file);
}

/**
 * Drops the program file's pages from the page cache. Right after a build or a copy every page of the 113 MiB
 * executable is cached, and the kernel maps cached neighbours of each page a process touches (fault-around),
 * which inflates VmRSS with shared file pages; after this, only the pages start-up really touches come back.
 */
function dropFromPageCache(file) {
  spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
}

/** One cold start: exec, poll until the first 200, then (optionally) read idle RSS, then SIGTERM and wait for the exit. */
async function oneRun(command, args, measureRss) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, [...args, '--http', `127.0.0.1:${port}`, '--module', hello, '--processes', '2'], {
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    let firstOk;
    while (firstOk === undefined) {
      if (performance.now() - started > RUN_LIMIT_MS)
        throw new Error(`${command} gave no 200 within ${RUN_LIMIT_MS} ms`);
      if ((await status(port)) === 200) firstOk = performance.now() - started;
      else await sleep(2);
    }
    let rss;
    if (measureRss) {
      await sleep(1000); // let start-up garbage settle: idle means idle
      const workers = childrenOf(child.pid);
      rss = { master: memoryMiB(child.pid), workers: workers.map(memoryMiB) };
    }
    return { firstOk, rss };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(RUN_LIMIT_MS)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export async function benchStartup({ runs = 10 } = {}) {
  const variants = [
    {
      name: 'dist/corral (single executable, Node 26)',
      file: `${root}dist/corral`,
      command: `${root}dist/corral`,
      args: [],
    },
    {
      name: `node dist/corral.cjs (Node ${process.version.slice(1)})`,
      file: `${root}dist/corral.cjs`,
      command: process.execPath,
      args: [`${root}dist/corral.cjs`],
    },
  ];
  const rows = [];
  for (const variant of variants) {
    if (!existsSync(variant.file)) {
      rows.push({ name: variant.name, missing: true });
      continue;
    }
    // Time: with the whole program file in the page cache (as after a copy), fewer page faults at start.
    loadIntoPageCache(variant.command);
    await oneRun(variant.command, variant.args, false); // warm-up, not counted
    const times = [];
    for (let i = 0; i < runs; i++) times.push((await oneRun(variant.command, variant.args, false)).firstOk);
    // Memory: with only the pages start-up touches cached (the steady state), so VmRSS is not inflated by
    // cached neighbour pages of the 113 MiB file that the kernel maps in passing.
    dropFromPageCache(variant.command);
    await oneRun(variant.command, variant.args, false);
    const masters = [];
    const workers = [];
    for (let i = 0; i < Math.min(3, runs); i++) {
      const { rss } = await oneRun(variant.command, variant.args, true);
      masters.push(rss.master);
      workers.push(...rss.workers);
    }
    rows.push({
      name: variant.name,
      runs,
      size: statSync(variant.file).size / MiB,
      median: median(times),
      min: Math.min(...times),
      max: Math.max(...times),
      master: median(masters.map((m) => m.rss)),
      masterPrivate: median(masters.map((m) => m.private)),
      worker: median(workers.map((m) => m.rss)),
      workerPrivate: median(workers.map((m) => m.private)),
    });
  }
  return rows;
}

export function startupTable(rows) {
  const runs = rows.find((row) => row.runs !== undefined)?.runs ?? 0;
  const lines = [
    `| entry | size | exec to first 200, 2 workers (median of ${runs}, min-max) | idle RSS master (private part) | idle RSS per worker (private part) |`,
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    if (row.missing) {
      lines.push(`| ${row.name} | not built (npm run build) | | | |`);
      continue;
    }
    lines.push(
      `| ${row.name} | ${row.size.toFixed(1)} MiB | ${row.median.toFixed(0)} ms (${row.min.toFixed(0)}-${row.max.toFixed(0)}) | ${row.master.toFixed(1)} MiB (${row.masterPrivate.toFixed(1)}) | ${row.worker.toFixed(1)} MiB (${row.workerPrivate.toFixed(1)}) |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
