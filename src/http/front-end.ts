// The HTTP front end of one worker: one server per configured address (or connections the master hands over), in-flight tracking, upgrades passed to the app, and a graceful drain.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ListenAddress } from '../config/types.ts';
import { listen } from './listen.ts';
import { trackConnections } from './connections.ts';
import { InFlightList, type InFlight } from './in-flight.ts';
import { plainListener, type Listener } from './servers.ts';

/** What the front end runs for each request. */
export interface Pipeline<T> {
  /** Starts answering the request; returns what `closed` will need about it. */
  handle(req: IncomingMessage, res: ServerResponse): T;
  /** Runs once per request, when its response closes (sent, or cut short). */
  closed(res: ServerResponse, record: T): void;
  /** True when the request will be refused whatever its body (limit-post): a client that sent `Expect: 100-continue` is then not told to send it. */
  refusesBody?(req: IncomingMessage): boolean;
  /** Hands a request that asked to switch protocols to the app; absent: such requests are answered as plain ones. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface FrontEndOptions {
  /**
   * While draining, a keep-alive connection with no request in flight is closed once it has been idle this long (1 s
   * by default). Until then a request on it is still answered, with `Connection: close`: closing it at once would
   * cut the request a busy client may be sending on it at that very moment.
   */
  idleGraceMs?: number;
  /**
   * The master accepts the connections and hands them over (sticky-sessions): the servers are made but never bound,
   * and `addresses` (the master's bound ones) are only reported.
   */
  handedOver?: boolean;
}

export interface FrontEnd<T = unknown> {
  /** The addresses actually bound, in config order. */
  addresses: string[];
  /** The responses still open, each with its pipeline record, oldest first. */
  inFlight: InFlight<T>;
  /**
   * Stops accepting, lets in-flight requests finish (their responses carry `Connection: close`), and resolves once no
   * request is left. Idle keep-alive connections are closed after their grace; `closed()` says when all are gone.
   */
  drain(): Promise<void>;
  /** Serves a connection the master accepted on address number `index` (sticky-sessions). */
  accept(index: number, socket: Socket): void;
  /** Resolves once a drain is over and every HTTP connection is closed (upgraded ones belong to the app). */
  closed(): Promise<void>;
  /** Ends the upgraded connections the app still holds (destroyed if still open after a second); resolves once they are gone. */
  closeUpgraded(): Promise<void>;
}

const DEFAULT_IDLE_GRACE_MS = 1000;

/** Starts listening on every address; rejects (after closing what it opened) if any address fails. */
export async function startFrontEnd<T>(
  addresses: readonly (ListenAddress | Listener)[],
  makePipeline: (isDraining: () => boolean) => Pipeline<T>,
  options: FrontEndOptions = {},
): Promise<FrontEnd<T>> {
  let draining = false;
  /** Each response still open, with its pipeline record. */
  const inFlight = new InFlightList<T>();
  let noneInFlight: (() => void) | undefined;
  let drained: Promise<void> | undefined;
  const connections = trackConnections(options.idleGraceMs ?? DEFAULT_IDLE_GRACE_MS);
  const pipeline = makePipeline(() => draining);
  const servers: NetServer[] = [];
  /** What each listener does itself when the front end drains (HTTP/2: GOAWAY on every session). */
  const drainHooks: (() => void)[] = [];
  /** What each listener waits for itself before the front end is closed (HTTP/2 sessions). */
  const closedHooks: (() => Promise<void>)[] = [];

  // The one listener a request gets from corral: shared by all, so nothing is allocated for it per request.
  function onClose(this: ServerResponse): void {
    const record = inFlight.delete(this) as T;
    connections.requestEnded(this.req.socket);
    pipeline.closed(this, record);
    if (draining && inFlight.size === 0) noneInFlight?.();
  }
  const track = (req: IncomingMessage, res: ServerResponse) => {
    res.on('close', onClose);
    connections.requestStarted(req.socket);
    inFlight.add(res, pipeline.handle(req, res));
  };

  const bound: string[] = [];
  try {
    for (const entry of addresses) {
      // A bare address is plain HTTP; a Listener builds its own server (https, http2: src/http/servers.ts).
      const listener = 'kind' in entry ? plainListener(entry) : entry;
      const server = listener.create(track, connections);
      server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
        if (pipeline.refusesBody?.(req) !== true) res.writeContinue();
        track(req, res);
      });
      const upgrade = pipeline.upgrade;
      if (upgrade !== undefined) {
        server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
          connections.upgraded(socket as Socket);
          upgrade.call(pipeline, req, socket, head);
        });
      }
      servers.push(server);
      drainHooks.push(() => listener.drain?.());
      if (listener.closed !== undefined) closedHooks.push(listener.closed);
      bound.push(
        options.handedOver === true ? listener.address.text : await listen(server, listener.address, listener.setting),
      );
    }
  } catch (err) {
    for (const server of servers) server.close();
    throw err;
  }

  return {
    addresses: bound,
    inFlight,
    drain() {
      drained ??= new Promise<void>((resolve) => {
        draining = true;
        noneInFlight = resolve;
        // Responses still being written tell their clients this connection ends with them.
        for (const [res] of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
        // net's close, not http's: http's would also close idle keep-alive connections at once (see idleGraceMs).
        for (const server of servers) NetServer.prototype.close.call(server);
        for (const hook of drainHooks) hook();
        connections.closeWhenIdle();
        if (inFlight.size === 0) resolve();
      });
      return drained;
    },
    accept(index, socket) {
      const server = servers[index];
      if (server === undefined || draining) return void socket.destroy();
      server.emit('connection', socket);
      socket.resume();
    },
    closed: async () => {
      await connections.allClosed();
      await Promise.all(closedHooks.map((hook) => hook()));
    },
    closeUpgraded: () => connections.closeUpgraded(),
  };
}
