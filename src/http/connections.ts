// The open connections of a front end: which are busy, since when the others are idle, closing those idle past keepalive-timeout, and idle ones after a grace when draining.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { responseClosed } from './in-flight.ts';

/** What corral keeps about one HTTP/1 connection, on its socket: read per request without a lookup. */
export interface Connection {
  /** The client's address (`unix` on a unix socket), read once, when the connection is accepted. */
  readonly peer: string;
  /** What the socket had handed to the kernel when its last response closed: where the next response's bytes start. */
  sent: number;
  /** Requests of this connection in flight, counted from the drain on (node:http answers one at a time; pipelined ones wait in line). */
  busy: number;
  /** performance.now() when its last request ended, or when the drain started. */
  idleSince: number;
  /** What the socket had sent when it was accepted: until it sends more (its first response), it is not idle in keep-alive's sense. */
  readonly sentAtStart: number;
  /** Bytes read and sent, as the keep-alive sweep last found them. */
  moved: number;
  /** performance.now() of the keep-alive sweep that last found the connection busy or its bytes moved. */
  activeAt: number;
}

/** The field of a socket that holds its Connection. */
const CONNECTION = Symbol('corral.connection');

/** The field of a socket that holds its responses queued behind the one being written (see closeQueuedWithConnection). */
const QUEUED = Symbol('corral.queued');

type WithConnection = Socket & {
  [CONNECTION]?: Connection | undefined;
  [QUEUED]?: Set<ServerResponse>;
  _bytesDispatched?: number;
  /** node:http's response that has the socket now (the one being written), null between responses. */
  _httpMessage?: ServerResponse | null;
};

/**
 * A response node:http queued behind another on its connection (a pipelined request: the socket is not its yet) is
 * done when the connection closes before its turn: node:http never writes it, never closes it, and holds it in a list
 * only it can see. Without this, a client that pipelines requests and leaves kept them in flight for good (and the
 * drain waiting for them until graceful-timeout). A request that is not queued costs nothing.
 */
export function closeQueuedWithConnection(socket: Socket, res: ServerResponse): void {
  if (res.socket !== null) return;
  const withQueue = socket as WithConnection;
  let queued = withQueue[QUEUED];
  if (queued === undefined) {
    // One listener per connection, however many requests a client pipelines.
    const responses = new Set<ServerResponse>();
    withQueue[QUEUED] = queued = responses;
    socket.once('close', () => {
      for (const response of responses) responseClosed(response);
      responses.clear();
    });
  }
  const responses = queued;
  responses.add(res);
  res.once('finish', () => responses.delete(res));
}

/** The connection state of a socket the front end accepted; undefined for any other. */
export function connectionOf(socket: Socket): Connection | undefined {
  return (socket as WithConnection)[CONNECTION];
}

/** What a socket has handed to the kernel so far: net's own counter, without the pending writes that `bytesWritten` adds by walking its buffer. */
export function sentBytes(socket: Socket): number {
  return (socket as WithConnection)._bytesDispatched ?? socket.bytesWritten;
}

/**
 * Until the drain, a connection costs one entry when it is accepted and nothing per request: which connections are
 * busy only matters once idle ones are to be closed. The front end then reports the requests in flight
 * (requestStarted), and from then on every request that starts or ends.
 */
export interface Connections {
  add(socket: Socket): void;
  /** A request of `socket` is in flight (called from the drain on). */
  requestStarted(socket: Socket): void;
  /** A request of `socket` ended (called from the drain on). */
  requestEnded(socket: Socket): void;
  /**
   * From now on, a connection idle for the grace is closed (checked every 100 ms). A connection that had no request
   * in flight when the drain started counts as idle from then: its grace starts with the drain.
   */
  closeWhenIdle(): void;
  /** Resolves once closeWhenIdle was called and no connection is left (as of this call: one added later is waited for too). */
  allClosed(): Promise<void>;
  /** The socket was upgraded (a WebSocket): it is the app's now, no longer an HTTP connection to drain. */
  upgraded(socket: Socket): void;
  /** Ends every upgraded socket still open, destroys those still open a second later, and resolves once all are gone. */
  closeUpgraded(): Promise<void>;
}

/**
 * What node:http adds to its keep-alive timeout before it closes (HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER): a client
 * that takes the advertised `Keep-Alive: timeout=N` at its word reuses the connection before it is gone.
 */
const KEEP_ALIVE_BUFFER_MS = 1000;

/** How long an upgraded socket gets to finish its closing handshake once corral ends it. */
const UPGRADED_END_MS = 1000;

const SWEEP_MS = 100;

/**
 * `keepAliveMs` is keepalive-timeout: a connection that answered a request and has had none in flight and no byte in
 * or out for that long (plus node:http's second) is closed. node:http does this with a socket timer that it arms as
 * each response ends and disarms as the next request starts: two timer-list updates per request, about 6% of a
 * hello-world request's CPU (a bare node:http with and without it, paired). A look at every connection each quarter
 * of the timeout (at most each second) reads counters Node keeps anyway, so a request costs nothing; a connection is
 * closed between the timeout and one look later, never earlier. The servers are then given keepAliveTimeout 0 (client-shield.ts).
 * Undefined: node:http's own timer (a front end without the client shield).
 */
export function trackConnections(idleGraceMs: number, keepAliveMs?: number): Connections {
  const open = new Map<Socket, Connection>();
  const upgradedSockets = new Set<Socket>();
  let sweeper: NodeJS.Timeout | undefined;
  const keepAlive = keepAliveMs === undefined ? undefined : keepAliveSweep(open, keepAliveMs);
  let closing = false;
  /** Callers of allClosed() still waiting. */
  let waiting: (() => void)[] = [];

  const finish = () => {
    if (!closing || open.size > 0) return;
    keepAlive?.stop();
    clearInterval(sweeper);
    sweeper = undefined;
    const resolved = waiting;
    waiting = [];
    for (const resolve of resolved) resolve();
  };
  const sweep = () => {
    const now = performance.now();
    for (const [socket, state] of open) {
      // Bytes still queued are an answer of the static fast path still going out (it keeps no request in flight).
      if (state.busy > 0 || socket.writableLength > 0) state.idleSince = now;
      else if (now - state.idleSince >= idleGraceMs) socket.destroy();
    }
  };

  return {
    add(socket) {
      const sent = sentBytes(socket);
      const connection: Connection = {
        peer: socket.remoteAddress ?? 'unix',
        sent,
        busy: 0,
        // Accepted during the drain (a TLS handshake that ended late): its grace starts now, not at the drain.
        idleSince: closing ? performance.now() : 0,
        sentAtStart: sent,
        moved: 0,
        activeAt: 0,
      };
      (socket as WithConnection)[CONNECTION] = connection;
      open.set(socket, connection);
      // The sweeps stop when no connection is left; one that comes after that (a TLS handshake that ended late) needs them again.
      if (closing && sweeper === undefined) sweeper = setInterval(sweep, SWEEP_MS);
      socket.once('close', () => {
        // A response still on the socket was cut short: it is done too (this listener runs before node:http's own).
        const current = (socket as WithConnection)._httpMessage;
        if (current != null) responseClosed(current);
        open.delete(socket);
        finish();
      });
    },
    requestStarted(socket) {
      const state = connectionOf(socket);
      if (state !== undefined) state.busy++;
    },
    requestEnded(socket) {
      const state = connectionOf(socket);
      if (state === undefined) return;
      state.busy = Math.max(0, state.busy - 1);
      state.idleSince = performance.now();
    },
    closeWhenIdle() {
      if (closing) return;
      closing = true;
      // From here idle connections get the drain's grace, which is shorter.
      keepAlive?.stop();
      const now = performance.now();
      for (const state of open.values()) if (state.busy === 0) state.idleSince = now;
      sweeper = setInterval(sweep, SWEEP_MS);
      finish();
    },
    allClosed: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        finish();
      }),
    upgraded(socket) {
      open.delete(socket);
      (socket as WithConnection)[CONNECTION] = undefined;
      upgradedSockets.add(socket);
      socket.once('close', () => upgradedSockets.delete(socket));
      finish();
    },
    async closeUpgraded() {
      const closing = [...upgradedSockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.destroyed) return resolve();
            socket.once('close', () => resolve());
            socket.end();
            setTimeout(() => socket.destroy(), UPGRADED_END_MS).unref();
          }),
      );
      await Promise.all(closing);
    },
  };
}

interface KeepAliveSweep {
  stop(): void;
}

/** The look at every open connection that closes those idle past keepalive-timeout (see trackConnections). */
function keepAliveSweep(open: Map<Socket, Connection>, keepAliveMs: number): KeepAliveSweep {
  const closeAfterMs = keepAliveMs + KEEP_ALIVE_BUFFER_MS;
  const look = () => {
    const now = performance.now();
    for (const [socket, state] of open) {
      const withState = socket as WithConnection;
      const sent = sentBytes(socket);
      const moved = withState.bytesRead + sent;
      // Busy: a response is being written (by node:http, or by the static fast path: bytes still queued), bytes moved
      // since the last look, or no response yet (a connection's first request is client-header-timeout's, as in node:http).
      if (
        withState._httpMessage != null ||
        socket.writableLength > 0 ||
        moved !== state.moved ||
        sent === state.sentAtStart
      ) {
        state.moved = moved;
        state.activeAt = now;
      } else if (now - state.activeAt >= closeAfterMs) {
        socket.destroy();
      }
    }
  };
  const timer = setInterval(look, Math.max(50, Math.min(1000, Math.round(keepAliveMs / 4))));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
