// Sticky sessions: the master accepts every connection itself and hands it to the worker that its client's address hashes to.
import type { Worker } from 'node:cluster';
import { createServer, type Server, type Socket } from 'node:net';
import type { ListenAddress } from '../config/types.ts';
import { listen } from '../http/listen.ts';
import type { Logger } from '../log/logger.ts';
import type { MasterMessage } from '../worker/messages.ts';
import { readProxyHeader, type ProxyHeaderRead, type ProxyHeaderRules } from '../http/proxy-protocol.ts';

export interface StickyListeners {
  /** The addresses as bound (port 0 made real), with their bound text: what the workers are told they serve. */
  addresses: ListenAddress[];
  /** A worker became ready: hands it the connections that came while none served. */
  workerReady(): void;
  /** Stops accepting; connections already handed over stay with their workers. */
  close(): Promise<void>;
}

/** Connections kept while no worker serves (a respawn after a crash): at most this many, for at most this long. */
const WAITING_MAX = 1024;
const WAITING_MS = 10_000;

/**
 * Binds every address in the master (a bad one throws the same ConfigError as a worker's bind would). Each connection
 * is accepted paused and sent, with the index of its address, to one of `serving()` (the ready workers in slot order):
 * the same client address always picks the same slot while the number of workers stays the same. Unix-socket peers
 * have no address and are spread in turn.
 */
export async function listenSticky(
  addresses: readonly ListenAddress[],
  serving: () => Worker[],
  log: Logger,
  proxyHeaders?: ProxyHeaderRules,
): Promise<StickyListeners> {
  const servers: Server[] = [];
  const bound: ListenAddress[] = [];
  let turn = 0;
  const waiting: { address: number; socket: Socket; proxied?: ProxyHeaderRead; timer: NodeJS.Timeout }[] = [];

  const wait = (address: number, socket: Socket, proxied?: ProxyHeaderRead) => {
    if (waiting.length === 0) log.warn('sticky-sessions: no worker serves right now; new connections wait for one');
    if (waiting.length >= WAITING_MAX) return void socket.destroy();
    const entry = { address, socket, proxied, timer: setTimeout(() => drop(entry), WAITING_MS) };
    waiting.push(entry);
    socket.once('close', () => drop(entry));
  };
  const drop = (entry: (typeof waiting)[number]) => {
    const at = waiting.indexOf(entry);
    if (at < 0) return;
    waiting.splice(at, 1);
    clearTimeout(entry.timer);
    entry.socket.destroy();
  };

  const handOver = (address: number, socket: Socket, proxied?: ProxyHeaderRead) => {
    const workers = serving();
    if (workers.length === 0) return wait(address, socket, proxied);
    const key = proxied?.client?.address ?? socket.remoteAddress;
    const worker = workers[(key === undefined ? turn++ : hash(key)) % workers.length]!;
    const message: MasterMessage = { type: 'corral:connection', address };
    if (proxied !== undefined) message.proxied = { client: proxied.client, rest: proxied.rest.toString('base64') };
    worker.send(message, socket, { keepOpen: false }, (err: Error | null) => {
      if (err !== null) socket.destroy();
    });
  };

  try {
    for (const [index, address] of addresses.entries()) {
      const server = createServer({ pauseOnConnect: true }, (socket) => {
        if (proxyHeaders === undefined) return handOver(index, socket);
        // The client comes from the PROXY header, read here to pick the worker; the worker gets the bytes after it.
        readProxyHeader(socket, proxyHeaders, (proxied) => {
          stopReading(socket);
          handOver(index, socket, proxied);
        });
      });
      servers.push(server);
      const text = await listen(server, address);
      const port = server.address();
      bound.push(
        address.kind === 'tcp' && typeof port === 'object' && port !== null
          ? { ...address, port: port.port, text }
          : address,
      );
    }
  } catch (err) {
    for (const server of servers) server.close();
    throw err;
  }
  return {
    addresses: bound,
    workerReady() {
      for (const entry of waiting.splice(0)) {
        clearTimeout(entry.timer);
        entry.socket.removeAllListeners('close');
        handOver(entry.address, entry.socket, entry.proxied);
      }
    },
    close: () =>
      Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(
        () => {},
      ),
  };
}

/**
 * Stops the socket's handle from reading: what the client sends next stays in the kernel for the worker the handle
 * goes to (Node's own pause leaves the handle reading, and what it reads then is lost with the master's copy).
 */
function stopReading(socket: Socket): void {
  (socket as Socket & { _handle?: { readStop?: () => number } | null })._handle?.readStop?.();
}

/** FNV-1a over the address text: cheap, and spreads neighbouring addresses well. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
