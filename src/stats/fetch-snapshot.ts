// Reads one StatsSnapshot from a running master's stats address (TCP or unix socket), for `corral top` and `corral status`.
import { request } from 'node:http';
import type { ListenAddress } from '../config/types.ts';
import type { StatsSnapshot } from './snapshot.ts';

/** The stats address did not answer with a snapshot; the message says where it looked and what happened. */
export class StatsUnreachable extends Error {
  override readonly name = 'StatsUnreachable';
}

/** Where to connect for a listen address: a wildcard host (0.0.0.0, ::) is reached on loopback. */
function target(address: ListenAddress): { socketPath: string } | { host: string; port: number } {
  if (address.kind === 'unix') return { socketPath: address.path };
  const host = address.host === undefined || address.host === '0.0.0.0' ? '127.0.0.1' : address.host;
  return { host: host === '::' ? '::1' : host, port: address.port };
}

/** GETs /stats.json from `address` (with the stats-token as a bearer token when there is one), within `timeoutMs`. */
export function fetchSnapshot(address: ListenAddress, token?: string, timeoutMs = 2000): Promise<StatsSnapshot> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new StatsUnreachable(`no stats from ${address.text}: ${why}`));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    // A connection of its own each time (agent: false): nothing pooled to find dead after corral restarts.
    const req = request(
      { ...target(address), path: '/stats.json', headers, timeout: timeoutMs, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => fail(err.message));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200)
            return fail(`HTTP ${res.statusCode}${body === '' ? '' : ` (${body.trim().slice(0, 200)})`}`);
          try {
            resolve(JSON.parse(body) as StatsSnapshot);
          } catch {
            fail('the answer is not JSON');
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    req.end();
  });
}
