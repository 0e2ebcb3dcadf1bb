// Keep-alive HTTP clients for the reload load tests and bench: each client sends one request after another on its own connection and every outcome is counted.
import http from 'node:http';

/** A request that gets no complete answer within this long counts as failed ('timeout'). */
const REQUEST_TIMEOUT_MS = 10_000;

/** @returns {import('./reload-clients.d.mts').Counts} */
function emptyCounts() {
  return { requests: 0, ok: 0, status5xx: 0, failed: 0, refused: 0, errors: {}, connections: 0, closedByServer: 0 };
}

/** One request on `agent`; resolves with what happened, never rejects. */
function oneRequest(url, agent, counts) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, close: res.headers.connection === 'close' }));
      res.on('error', (err) => resolve({ error: err.code ?? err.message }));
    });
    req.on('socket', () => {
      if (!req.reusedSocket) counts.connections++;
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err) => resolve({ error: err.code ?? err.message, fresh: !req.reusedSocket }));
  });
}

function record(counts, outcome) {
  counts.requests++;
  if (outcome.error !== undefined) {
    // A fresh connection refused: the server listens nowhere (stopped). Anything else is a request the server dropped.
    if (outcome.error === 'ECONNREFUSED' && outcome.fresh) counts.refused++;
    else counts.failed++;
    counts.errors[outcome.error] = (counts.errors[outcome.error] ?? 0) + 1;
    return;
  }
  if (outcome.close) counts.closedByServer++;
  if (outcome.status >= 500) {
    counts.status5xx++;
    counts.failed++;
  } else counts.ok++;
}

/**
 * Starts `clients` loops against `url`, each on its own keep-alive agent with one socket. With `stopOnClose`, a
 * client stops after a response that says `Connection: close` (the server is going away), as a client of a stopping
 * server would. Runs until `stop()` or `durationMs`; `done` resolves with the counts.
 */
export function startClients({ url, clients, durationMs = Infinity, stopOnClose = false }) {
  const counts = emptyCounts();
  let running = true;
  const timer = Number.isFinite(durationMs) ? setTimeout(() => (running = false), durationMs) : undefined;
  const loop = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (running) {
      const outcome = await oneRequest(url, agent, counts);
      record(counts, outcome);
      if (stopOnClose && outcome.close) break;
      if (outcome.error !== undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    agent.destroy();
  };
  const done = Promise.all(Array.from({ length: clients }, loop)).then(() => {
    clearTimeout(timer);
    return counts;
  });
  return { counts, done, stop: () => (running = false) };
}
