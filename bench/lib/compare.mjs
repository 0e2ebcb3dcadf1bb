// Runs cases side by side: starts each server once, warms each up, then alternates timed wrk runs between them (in rounds, every other one reversed) and keeps each run's rate, medians, min-max and RSS.
import { freePort, get, stopTree, treeRss, waitReady } from './processes.mjs';
import { runWrk } from './wrk.mjs';
import { median, summarize } from './stats.mjs';

/**
 * The headers of a 304 revalidation for `path` on `port`: If-None-Match with the ETag, or If-Modified-Since with
 * Last-Modified for a server that sends no ETag (uWSGI). Checks that the answer is a 304.
 */
async function revalidationHeaders(port, path) {
  const { headers } = await get(port, path);
  const [name, value] =
    headers.etag !== undefined ? ['If-None-Match', headers.etag] : ['If-Modified-Since', headers['last-modified']];
  const check = await get(port, path, { [name]: value });
  return { headers: [`${name}: ${value}`], status: check.status, header: name };
}

/**
 * `servers`: [{ name, missing?, start(port, cpus) -> ChildProcess, stopSignal?, cleanup? }]; `cases`: [{ name, path,
 * revalidate?, script? (a wrk Lua script: the POST cases), readyPath? (what a GET answers 200 on, when path is POST-only),
 * warmup? (seconds, instead of `warmup`: a case whose servers take longer to reach their pace) }].
 * Every server runs through every case; within a case the runs alternate between servers, so a noisy minute on the
 * machine spreads over all of them. Returns { rows, notes }: one row per case and server.
 */
export async function compare({
  servers,
  cases,
  cpus,
  runs,
  seconds,
  warmup,
  log = (line) => process.stderr.write(`${line}\n`),
}) {
  const notes = [];
  const running = [];
  const rows = [];
  try {
    for (const server of servers) {
      if (server.missing !== undefined) {
        notes.push(`${server.name}: ${server.missing}`);
        continue;
      }
      const port = await freePort();
      const child = server.start(port, cpus.servers);
      child.on('error', () => {}); // a command that cannot run exits too: waitReady reports it
      try {
        await waitReady(port, cases[0].readyPath ?? cases[0].path, child, server.name);
        running.push({ server, port, child });
      } catch (error) {
        notes.push(`${server.name}: skipped, ${error.message}`);
        await stopTree(child, server.stopSignal);
        server.cleanup?.();
      }
    }
    for (const c of cases) {
      const runsOf = new Map();
      for (const peer of running) {
        let headers = [];
        if (c.revalidate) {
          const check = await revalidationHeaders(peer.port, c.path);
          if (check.status !== 304) notes.push(`${peer.server.name}: revalidation answered ${check.status}, not 304`);
          if (check.header !== 'If-None-Match')
            notes.push(`${peer.server.name} sends no ETag: its 304 case revalidates with ${check.header}`);
          headers = check.headers;
        }
        runsOf.set(peer, { headers, results: [] });
        runWrk({
          url: `http://127.0.0.1:${peer.port}${c.path}`,
          seconds: c.warmup ?? warmup,
          headers,
          cpus: cpus.load,
          script: c.script,
        });
      }
      for (let i = 0; i < runs; i++) {
        // A round runs every server once, back to back; every other round in reverse order, so that a machine
        // getting faster or slower over the runs does not favour whichever server runs first.
        for (const peer of i % 2 === 0 ? running : [...running].reverse()) {
          const entry = runsOf.get(peer);
          entry.results.push(
            runWrk({
              url: `http://127.0.0.1:${peer.port}${c.path}`,
              seconds,
              headers: entry.headers,
              cpus: cpus.load,
              script: c.script,
            }),
          );
        }
      }
      for (const peer of running) {
        const { results } = runsOf.get(peer);
        const row = {
          case: c.name,
          server: peer.server.name,
          highlight: peer.server.highlight === true,
          rate: summarize(results.map((r) => r.rate)),
          // Round by round, for the paired ratios (lib/stats.mjs pairedRatio).
          rates: results.map((r) => r.rate),
          p50: median(results.map((r) => r.p50)),
          p99: median(results.map((r) => r.p99)),
          non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
          errors: results.reduce((sum, r) => sum + r.errors.connect + r.errors.timeout + r.errors.write, 0),
          readErrors: results.reduce((sum, r) => sum + r.errors.read, 0),
        };
        rows.push(row);
        log(`${c.name} | ${row.server}: ${results.map((r) => Math.round(r.rate)).join(', ')} req/s`);
        if (row.non2xx > 0) notes.push(`${row.server}, ${c.name}: ${row.non2xx} answers were not 2xx/3xx`);
        if (row.errors > 0) notes.push(`${row.server}, ${c.name}: ${row.errors} connect/write/timeout errors`);
      }
    }
    for (const peer of running) {
      const rss = treeRss(peer.child.pid);
      for (const row of rows) if (row.server === peer.server.name) row.rss = rss;
    }
  } finally {
    for (const peer of running) {
      await stopTree(peer.child, peer.server.stopSignal);
      peer.server.cleanup?.();
    }
  }
  return { rows, notes: [...new Set(notes)] };
}
