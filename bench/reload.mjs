// Reloads under load and the master's memory: 64 keep-alive clients for 30 s through 10 rolling reloads plus max-requests recycling, then 100 reloads at idle.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { sleep } from './lib/processes.mjs';
import { fileURLToPath } from 'node:url';
import { startClients } from './reload-clients.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const hello = fileURLToPath(new URL('./apps/hello.mjs', import.meta.url));
const executable = `${root}dist/corral`;
const CLIENTS = Number(process.env.BENCH_RELOAD_CLIENTS ?? 64);
const SECONDS = Number(process.env.BENCH_RELOAD_SECONDS ?? 30);
const RELOADS = 10;
const IDLE_RELOADS = Number(process.env.BENCH_IDLE_RELOADS ?? 100);

/** VmRSS and RssAnon (private memory) of `pid`, in MiB. */
function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kB('VmRSS'), private: kB('RssAnon') };
}

/**
 * Starts corral with `args` on 127.0.0.1 port 0. Log lines are only counted by message (a cheap substring test, since
 * the access log brings hundreds of thousands of lines); `count(msg)` and `until(msg, n)` read those counts.
 */
async function startCorral(args) {
  const [command, ...prefix] = existsSync(executable) ? [executable] : [process.execPath, `${root}dist/corral.cjs`];
  const child = spawn(command, [...prefix, '--http', '127.0.0.1:0', '--module', hello, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const counts = new Map();
  let address = '';
  let rest = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? '';
      if (msg === 'request') continue;
      const reason = /"reason":"([^"]*)"/.exec(line)?.[1];
      counts.set(msg, (counts.get(msg) ?? 0) + 1);
      if (msg === 'worker exited' && reason !== undefined)
        counts.set(`exited ${reason}`, (counts.get(`exited ${reason}`) ?? 0) + 1);
      if (msg === 'ready') address = /"addresses":\["([^"]+)"/.exec(line)?.[1] ?? '';
    }
  });
  const count = (msg) => counts.get(msg) ?? 0;
  const until = async (msg, n, ms = 30_000) => {
    for (const end = Date.now() + ms; count(msg) < n; await sleep(20))
      if (Date.now() > end) throw new Error(`no ${n}th "${msg}" within ${ms} ms`);
  };
  await until('ready', 1);
  return { child, url: `http://${address}/`, count, until };
}

async function stopCorral(corral) {
  const exited = new Promise((resolve) => corral.child.once('exit', (code) => resolve(code)));
  corral.child.kill('SIGTERM');
  return exited;
}

/** 64 clients for 30 s, a reload every SECONDS / (RELOADS + 1) s, workers recycled every 300-400 requests. */
async function underLoad() {
  const corral = await startCorral(['--processes', '2', '--max-requests', '300', '--max-requests-delta', '100']);
  const load = startClients({ url: corral.url, clients: CLIENTS, durationMs: SECONDS * 1000 });
  for (let n = 1; n <= RELOADS; n++) {
    await sleep((SECONDS * 1000) / (RELOADS + 1));
    corral.child.kill('SIGHUP');
    await corral.until('reloaded', n);
  }
  const counts = await load.done;
  const exitCode = await stopCorral(corral);
  return {
    counts,
    reloads: corral.count('reloaded'),
    recycled: corral.count('exited max-requests'),
    retired: corral.count('exited reload'),
    exitCode,
  };
}

/** The master's memory after start, during IDLE_RELOADS reloads with no load, and 10 s after them. */
async function masterMemory() {
  const corral = await startCorral(['--processes', '2']);
  await sleep(1000);
  const idle = memoryMiB(corral.child.pid);
  const samples = [];
  for (let n = 1; n <= IDLE_RELOADS; n++) {
    corral.child.kill('SIGHUP');
    await corral.until('reloaded', n);
    if (n % 25 === 0) samples.push({ reloads: n, ...memoryMiB(corral.child.pid) });
  }
  // V8 collects the old generation lazily; a few idle seconds let it run its memory-reducing full GC.
  await sleep(10_000);
  const settled = memoryMiB(corral.child.pid);
  await stopCorral(corral);
  return { idle, samples, settled };
}

const mib = (value) => value.toFixed(1);

export async function benchReload() {
  const load = await underLoad();
  const memory = await masterMemory();
  const { counts } = load;
  const entry = existsSync(executable) ? 'dist/corral (single executable)' : 'node dist/corral.cjs';
  const rows = [
    `${entry}, hello world, 2 workers, \`--max-requests 300 --max-requests-delta 100\`, ${CLIENTS} keep-alive clients (one connection each) for ${SECONDS} s, ${RELOADS} SIGHUP reloads:`,
    '',
    '| requests | answered (< 500) | 5xx | failed | refused | errors | new connections | reloads | workers retired by reload | recycled by max-requests | exit code |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${counts.requests} | ${counts.ok} | ${counts.status5xx} | ${counts.failed} | ${counts.refused} | ${JSON.stringify(counts.errors)} | ${counts.connections} | ${load.reloads} | ${load.retired} | ${load.recycled} | ${load.exitCode} |`,
    '',
    `Master memory, VmRSS (private RssAnon) in MiB: idle ${mib(memory.idle.rss)} (${mib(memory.idle.private)}); ` +
      memory.samples.map((s) => `after ${s.reloads} reloads ${mib(s.rss)} (${mib(s.private)})`).join('; ') +
      `; 10 s after the last reload ${mib(memory.settled.rss)} (${mib(memory.settled.private)}).`,
    '',
  ];
  return rows.join('\n');
}

// `node bench/reload.mjs` runs this bench alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${await benchReload()}\n`);
