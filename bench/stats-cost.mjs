// The cost of the stats address, paired: corral with 1 worker, `stats` + `metrics` off and on in alternating rounds, the worker's CPU time per request read from /proc (steadier than req/s on a noisy machine).
// `node bench/stats-cost.mjs [--rounds=8] [--seconds=5]` after `npm run build`; Linux only (reads /proc), 127.0.0.1 only, bounded.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { planCpus } from './lib/cpus.mjs';
import {
  childrenOf,
  cpuTicks,
  freePort,
  spawnServer,
  stopTree,
  TICKS_PER_SECOND,
  waitReady,
} from './lib/processes.mjs';
import { median } from './lib/stats.mjs';
import { runWrk } from './lib/wrk.mjs';
import { corralCommand } from './servers/corral.mjs';

const option = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rounds = option('rounds', 8);
const seconds = option('seconds', 5);
const hello = fileURLToPath(new URL('apps/hello.mjs', import.meta.url));
const cpus = planCpus(availableParallelism());
const TICK_US = 1_000_000 / TICKS_PER_SECOND;

/** One round of one variant: req/s and the worker's CPU us per request over `seconds` of wrk, after 2 s of warm-up. */
async function round(extra) {
  const port = await freePort();
  const [command, ...prefix] = corralCommand('npm');
  const child = spawnServer(
    command,
    [...prefix, '--http', `127.0.0.1:${port}`, '--module', hello, '--processes', '1', ...extra],
    {
      cpus: cpus.servers,
    },
  );
  try {
    await waitReady(port, '/', child, 'corral');
    const [worker] = childrenOf(child.pid);
    const url = `http://127.0.0.1:${port}/`;
    runWrk({ url, seconds: 2, cpus: cpus.load });
    const before = cpuTicks(worker);
    const { rate } = runWrk({ url, seconds, cpus: cpus.load });
    const used = cpuTicks(worker) - before;
    return { rate, usPerRequest: (used * TICK_US) / (rate * seconds) };
  } finally {
    await stopTree(child);
  }
}

const off = [];
const on = [];
for (let i = 0; i < rounds; i++) {
  off.push(await round([]));
  on.push(await round(['--stats', '127.0.0.1:0', '--metrics', 'true']));
  const [a, b] = [off.at(-1), on.at(-1)];
  process.stdout.write(
    `round ${i + 1}: off ${(a.rate / 1000).toFixed(1)}k req/s ${a.usPerRequest.toFixed(2)} us/req; on ${(b.rate / 1000).toFixed(1)}k req/s ${b.usPerRequest.toFixed(2)} us/req\n`,
  );
}
const diffs = on.map((r, i) => r.usPerRequest - off[i].usPerRequest);
const meanDiff = diffs.reduce((sum, d) => sum + d, 0) / diffs.length;
const offMedian = median(off.map((r) => r.usPerRequest));
process.stdout.write(
  `\nworker CPU per request, medians: off ${offMedian.toFixed(2)} us, on ${median(on.map((r) => r.usPerRequest)).toFixed(2)} us; ` +
    `mean paired difference ${meanDiff.toFixed(2)} us (${((meanDiff / offMedian) * 100).toFixed(1)}%; issue 16's goal: under 3%)\n` +
    `req/s, medians: off ${(median(off.map((r) => r.rate)) / 1000).toFixed(1)}k, on ${(median(on.map((r) => r.rate)) / 1000).toFixed(1)}k (${cpus.text})\n`,
);
