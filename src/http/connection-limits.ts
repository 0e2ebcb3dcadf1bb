// How many connections a worker holds open (`max-connections`) and how many from one client address (`max-connections-per-ip`), counted per connection and never per request.
import type { Server, Socket } from 'node:net';
import type { RefusalLog } from './refusal-log.ts';

export interface ConnectionLimits {
  /** Open connections in this worker, over all its listeners; 0: no cap. */
  connections: number;
  /** Open connections from one address in this worker, over all its listeners; 0: no cap. */
  connectionsPerIp: number;
  /** How long an address is refused after `ban(address)`; 0: never. */
  banMs: number;
  /** Addresses exempt from the per-address cap and from bans: the trusted proxies, whose connections carry many clients. */
  exempt: (address: string) => boolean;
}

/** Applies the limits to each server of one worker; the per-address counts and bans are shared by all of them. */
export interface ConnectionGuard {
  protect(server: Server): void;
  /** Refuses new connections from `address` for `banMs` (abuse-ban): it was caught abusing a connection. */
  ban(address: string | undefined): void;
}

export function connectionGuard(limits: ConnectionLimits, refusals: RefusalLog): ConnectionGuard {
  /** Open connections per client address (only addresses that have one). */
  const open = new Map<string, number>();
  /** Whether each address was looked up already: a trusted one costs a BlockList check once, not per connection. */
  const exempt = new Map<string, boolean>();
  const { connections, connectionsPerIp: perIp, banMs } = limits;
  /** Banned addresses and until when (Date.now()); looked at only while it holds one. */
  const banned = new Map<string, number>();
  /** Open connections of this worker. */
  let total = 0;
  const released = () => total--;
  const isExempt = (address: string): boolean => {
    let trusted = exempt.get(address);
    if (trusted === undefined) {
      trusted = limits.exempt(address);
      if (exempt.size > 10_000) exempt.clear();
      exempt.set(address, trusted);
    }
    return trusted;
  };
  const release = (address: string) => {
    const count = (open.get(address) ?? 1) - 1;
    if (count <= 0) open.delete(address);
    else open.set(address, count);
  };
  const admit = (socket: Socket) => {
    const address = socket.remoteAddress;
    if (banned.size > 0 && address !== undefined) {
      const until = banned.get(address);
      if (until !== undefined && Date.now() < until) {
        refusals.refused('abuse-ban', address);
        socket.destroy();
        return;
      }
      if (until !== undefined) banned.delete(address);
    }
    if (connections > 0) {
      if (total >= connections) {
        refusals.refused('max-connections', address);
        socket.destroy();
        return;
      }
      total++;
      socket.once('close', released);
    }
    // A unix socket has no address; a socket already closed by its peer has none either (let node:http see it end).
    if (perIp === 0 || address === undefined || isExempt(address)) return;
    const count = open.get(address) ?? 0;
    if (count >= perIp) {
      refusals.refused('max-connections-per-ip', address);
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => release(address));
  };

  /**
   * node:net's own cap (server.maxConnections) does not do here: in a cluster worker it refuses the connection back to
   * the master, which hands it to the next worker, and round again while all are full; the client waits, and the
   * master spins. A connection over these caps is closed by the worker, before node:http or node:tls reads from it
   * (the first of the 'connection' listeners); the client sees it closed at once.
   */
  return {
    protect(server) {
      if (connections > 0 || perIp > 0 || banMs > 0) server.prependListener('connection', admit);
    },
    ban(address) {
      if (banMs === 0 || address === undefined || isExempt(address)) return;
      // An attacker's many addresses must not grow the map without end: the oldest bans go first.
      if (banned.size >= 10_000) banned.delete(banned.keys().next().value!);
      banned.set(address, Date.now() + banMs);
    },
  };
}
