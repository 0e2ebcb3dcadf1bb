// Server CPU time per request with both servers of a pair loaded at once (issue 13's "pinned: server CPU per request"), measured so that a machine changing speed weighs on both alike: the plain hello's pairs here, the framework pages' in frameworks.mjs.
import { fileURLToPath } from 'node:url';
import { nodeServer, pm2Server } from './servers/app-peers.mjs';
import { corralServers } from './servers/corral.mjs';
import { freePort, stopTree, TICKS_PER_SECOND, treeCpuTicks, waitReady } from './lib/processes.mjs';
import { formatRate, summarize } from './lib/stats.mjs';
import { formatRowRatio, ratioOfRows } from './lib/table.mjs';
import { runWrkAsync } from './lib/wrk.mjs';

const hello = fileURLToPath(new URL('./apps/hello.mjs', import.meta.url));
/** Each server's share of the load: two wrk of 32 connections, one per server, together the other cases' 64. */
const CONNECTIONS = 32;

/** The plain hello's pairs: corral first, then its peer; `case` names the pair in the goal table. */
function pairs() {
  const corral = (name, workers, extra = []) =>
    corralServers({ name, workers, args: ['--module', hello, ...extra] }).find((s) => !s.name.endsWith('(before)'));
  return [
    {
      case: 'plain hello, 1 serving process, both loaded at once',
      servers: [corral('corral, 1 worker', 1), nodeServer({ name: 'node:http, 1 process', kind: 'node', workers: 1 })],
    },
    {
      case: 'plain hello, 1 serving process, disable-logging, both loaded at once',
      servers: [
        corral('corral, 1 worker, disable-logging', 1, ['--disable-logging']),
        nodeServer({ name: 'node:http, 1 process', kind: 'node', workers: 1 }),
      ],
    },
    {
      case: 'plain hello, 2 workers vs node:cluster, both loaded at once',
      servers: [
        corral('corral, 2 workers', 2),
        nodeServer({ name: 'node:cluster, 2 workers', kind: 'node', workers: 2 }),
      ],
    },
    {
      case: 'plain hello, 2 workers vs PM2, both loaded at once',
      servers: [
        corral('corral, 2 workers', 2),
        pm2Server({ name: 'PM2 cluster mode (pm2-runtime), 2 instances', workers: 2 }),
      ],
    },
  ];
}

/**
 * One round: both servers under wrk at the same time for `seconds` (each its own wrk of CONNECTIONS connections on
 * `path`, both wrk on the load CPUs, both servers on the servers' CPUs), and the CPU time each server's process tree
 * used, per request it answered (us).
 */
async function round(running, path, seconds, cpus) {
  const before = running.map((r) => treeCpuTicks(r.child.pid));
  const results = await Promise.all(
    running.map((r) =>
      runWrkAsync({ url: `http://127.0.0.1:${r.port}${path}`, seconds, cpus: cpus.load, connections: CONNECTIONS }),
    ),
  );
  return running.map((r, i) => {
    const requests = results[i].rate * seconds;
    const us = ((treeCpuTicks(r.child.pid) - before[i]) * 1_000_000) / TICKS_PER_SECOND / requests;
    return { rate: results[i].rate, us };
  });
}

/** The head of the table measurePairs returns. */
export const TOGETHER_HEAD =
  '| pair | server | CPU per request, us: median (min-max) | req/s while both ran, median | peer ÷ corral, CPU per request, per round: median (min-max) |\n' +
  '| --- | --- | --- | --- | --- |\n';

/**
 * Measures each pair (`{ case, servers: [corral, peer], path = '/', warmup }`): both servers started, warmed up at
 * once (each under its own wrk for the pair's warm-up, else `warmup` seconds), then `rounds` rounds of both at once.
 * Returns { rows, notes, lines }: per pair and server a row whose `rates` are the requests per CPU-second of each
 * round (1e6 / us), so that the goal table's per-round ratio of corral's row over the peer's is the peer's CPU per
 * request over corral's; `lines` are the table's rows (under TOGETHER_HEAD).
 */
export async function measurePairs(
  pairs,
  { cpus, rounds, seconds, warmup, log = (line) => process.stderr.write(`${line}\n`) },
) {
  const rows = [];
  const notes = [];
  const lines = [];
  for (const pair of pairs) {
    const path = pair.path ?? '/';
    const missing = pair.servers.find((s) => s.missing !== undefined);
    if (missing !== undefined) {
      notes.push(`${pair.case}: ${missing.name}: ${missing.missing}`);
      continue;
    }
    const running = [];
    try {
      for (const server of pair.servers) {
        const port = await freePort();
        const child = server.start(port, cpus.servers);
        child.on('error', () => {});
        running.push({ server, port, child });
        await waitReady(port, path, child, server.name);
      }
      await Promise.all(
        running.map((r) =>
          runWrkAsync({
            url: `http://127.0.0.1:${r.port}${path}`,
            seconds: pair.warmup ?? warmup,
            cpus: cpus.load,
            connections: CONNECTIONS,
          }),
        ),
      );
      const measured = [];
      for (let i = 0; i < rounds; i++) measured.push(await round(running, path, seconds, cpus));
      running.forEach((r, s) => {
        const us = measured.map((m) => m[s].us);
        rows.push({
          case: pair.case,
          server: r.server.name,
          highlight: s === 0,
          // Requests per CPU-second, round by round: corral's over the peer's is the peer's CPU per request over corral's.
          rate: summarize(us.map((u) => 1e6 / u)),
          rates: us.map((u) => 1e6 / u),
          us: summarize(us),
          served: summarize(measured.map((m) => m[s].rate)).median,
        });
      });
      const [corral, peer] = rows.slice(-2);
      for (const row of [corral, peer]) {
        const cell = row === peer ? formatRowRatio(ratioOfRows(corral, peer)) : '';
        lines.push(
          `| ${pair.case} | ${row === corral ? `**${row.server}**` : row.server} | ${row.us.median.toFixed(2)} (${row.us.min.toFixed(2)}-${row.us.max.toFixed(2)}) | ${formatRate(row.served)} | ${cell} |`,
        );
      }
      const perRound = (row) => row.rates.map((rate) => (1e6 / rate).toFixed(1)).join(', ');
      log(`${pair.case}: ${corral.server} ${perRound(corral)} us; ${peer.server} ${perRound(peer)} us`);
    } catch (error) {
      notes.push(`${pair.case}: skipped, ${error.message}`);
    } finally {
      for (const r of running) {
        await stopTree(r.child, r.server.stopSignal);
        r.server.cleanup?.();
      }
    }
  }
  return { rows, notes, lines };
}

/** The plain hello's pairs (issue 13): { rows, notes, table }, as measurePairs measures them. */
export async function benchTogether(timing) {
  const { rows, notes, lines } = await measurePairs(pairs(), timing);
  return { rows, notes, table: `${TOGETHER_HEAD}${lines.join('\n')}\n` };
}
