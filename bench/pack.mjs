// corral pack, packed vs unpacked (the same single executable with the config and files on disk): file size, time to pack, exec to first 200 with 2 workers, idle RSS, static 1 KiB req/s.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childrenOf, freePort, get, sleep, spawnServer, stopTree } from './lib/processes.mjs';
import { runWrk } from './lib/wrk.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const corral = `${root}dist/corral`;
const hello = fileURLToPath(new URL('./apps/hello.mjs', import.meta.url));
const work = `${root}.cache/bench/pack`;
const MiB = 1024 * 1024;
const START_LIMIT_MS = 10_000;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values, digits = 0) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)})`;

/** VmRSS and RssAnon (private: heap, stacks; the executable's pages, the packed files among them, are shared) in MiB. */
function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rss: kB('VmRSS'), private: kB('RssAnon') };
}

/** The project both variants serve: the bench's hello app, 2 workers, a 1 KiB static file. */
function makeProject() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(`${work}/public`, { recursive: true });
  writeFileSync(`${work}/package.json`, JSON.stringify({ name: 'bench-packed', version: '1.0.0' }));
  writeFileSync(`${work}/public/1k.bin`, Buffer.alloc(1024, 'x'));
  writeFileSync(`${work}/corral.yaml`, `module: ${hello}\nstatic-map:\n  - /static=public\nprocesses: 2\n`);
}

/** Packs the project; the wall time, bounded. */
function pack(output) {
  const started = performance.now();
  const result = spawnSync(corral, ['pack', 'corral.yaml', '-o', output], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`corral pack failed: ${result.stderr}`);
  return (performance.now() - started) / 1000;
}

/** One cold start: exec, poll until the first 200; then, if asked, idle RSS after 1 s; the process is handed back running. */
async function start(variant, port) {
  const started = performance.now();
  const child = spawnServer(variant.command, [...variant.args, '--http', `127.0.0.1:${port}`], { cwd: work });
  for (;;) {
    if (performance.now() - started > START_LIMIT_MS) {
      await stopTree(child, 'SIGKILL');
      throw new Error(`${variant.name} gave no 200 within ${START_LIMIT_MS} ms`);
    }
    if ((await get(port, '/')).status === 200) return { child, firstOk: performance.now() - started };
    await sleep(2);
  }
}

/** Drops the file's pages from the page cache, so RSS counts only what the processes touch (see bench/startup.mjs). */
function dropFromPageCache(file) {
  spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
}

export async function benchPack({ runs = 10, seconds = 5, quick = false } = {}) {
  makeProject();
  const output = `${work}/app`;
  const packTimes = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) packTimes.push(pack(output));
  const variants = [
    { name: 'unpacked: dist/corral corral.yaml', command: corral, args: [`${work}/corral.yaml`], file: corral },
    { name: 'packed: ./app', command: output, args: [], file: output },
  ];
  const figures = variants.map(() => ({ times: [], masters: [], workers: [], rates: [] }));
  // Alternating the two variants in every round: the machine's load falls on both alike.
  for (let round = 0; round < runs; round++) {
    for (const [index, variant] of variants.entries()) {
      const { child, firstOk } = await start(variant, await freePort());
      figures[index].times.push(firstOk);
      await stopTree(child);
    }
  }
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    for (const [index, variant] of variants.entries()) {
      dropFromPageCache(variant.file);
      const { child } = await start(variant, await freePort());
      await sleep(1000);
      figures[index].masters.push(memoryMiB(child.pid));
      figures[index].workers.push(...childrenOf(child.pid).map(memoryMiB));
      await stopTree(child);
    }
  }
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    for (const [index, variant] of variants.entries()) {
      const port = await freePort();
      const { child } = await start(variant, port);
      const url = `http://127.0.0.1:${port}/static/1k.bin`;
      if (round === 0) runWrk({ url, seconds: 2 });
      figures[index].rates.push(runWrk({ url, seconds }).rate);
      await stopTree(child);
    }
  }
  const rows = variants.map((variant, index) => {
    const f = figures[index];
    const rss = (list, field) => median(list.map((m) => m[field])).toFixed(1);
    return (
      `| ${variant.name} | ${(statSync(variant.file).size / MiB).toFixed(1)} MiB | ${spread(f.times)} ms | ` +
      `${rss(f.masters, 'rss')} (${rss(f.masters, 'private')}) MiB | ${rss(f.workers, 'rss')} (${rss(f.workers, 'private')}) MiB | ` +
      `${spread(
        f.rates.map((rate) => rate / 1000),
        1,
      )}k |`
    );
  });
  const workerGap = median(figures[1].workers.map((m) => m.rss)) - median(figures[0].workers.map((m) => m.rss));
  return (
    `Time to pack (\`dist/corral pack\`, ${packTimes.length} runs): ${spread(packTimes, 1)} s. ` +
    `Exec to first 200 with 2 workers: median of ${runs} (min-max); idle RSS 1 s after the first 200, page cache dropped first, ` +
    `median of the runs (private part: RssAnon); static: wrk -t1 -c64, ${seconds} s runs after a 2 s warm-up, median (min-max) of the runs. ` +
    'The variants alternate in every round.\n\n' +
    '| variant | file size | exec to first 200 | idle RSS master (private) | idle RSS per worker (private) | static 1 KiB req/s |\n' +
    '| --- | --- | --- | --- | --- | --- |\n' +
    `${rows.join('\n')}\n\n` +
    `A packed worker is ${workerGap.toFixed(1)} MiB above an unpacked one (goal: at most 5 MB).\n`
  );
}
