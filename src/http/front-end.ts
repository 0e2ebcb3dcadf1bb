// The HTTP front end of one worker: one server per configured address (or connections the master hands over), in-flight tracking, upgrades passed to the app, and a graceful drain.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ListenAddress } from '../config/types.ts';
import { installFastPath, type FastAnswer, type FastPathEvent } from './fast-path.ts';
import { installStreamFastPath, type StreamAnswer } from './h2-fast-path.ts';
import { listen } from './listen.ts';
import { closeQueuedWithConnection, trackConnections } from './connections.ts';
import { InFlightList, RECORD, REPORTS_CLOSE, responseClosed, type InFlight, type InFlightNode } from './in-flight.ts';
import type { ClientShield } from './client-shield.ts';
import type { Health } from './health.ts';
import {
  acceptProxyHeaders,
  passClientThroughTls,
  takeClient,
  type ProxyHeaderRead,
  type ProxyHeaderRules,
} from './proxy-protocol.ts';
import { watchResponses } from './responses.ts';
import { plainListener, type Listener } from './servers.ts';
import { refuseMalformed, refuseUpgrade, screenedOut, strictParsing } from './request-checks.ts';

/** What the front end runs for each request. */
export interface Pipeline<T extends InFlightNode> {
  /** The record of a request that starts: what `closed` will need about it. Runs before the answer starts. */
  open(req: IncomingMessage, res: ServerResponse): T;
  /** Answers the request (its record is in flight already: a response closed at once is still seen). */
  handle(req: IncomingMessage, res: ServerResponse, record: T): void;
  /** Runs once per request, when its response closes (sent, or cut short). */
  closed(res: ServerResponse, record: T): void;
  /** True when the request will be refused whatever its body (limit-post): a client that sent `Expect: 100-continue` is then not told to send it. */
  refusesBody?(req: IncomingMessage): boolean;
  /** Answers a request the static fast path read, or leaves it to node:http (fast-path.ts); absent: no fast path. */
  fast?: FastAnswer;
  /** Answers an HTTP/2 request on its stream, or leaves it to node:http2's compatibility layer (h2-fast-path.ts). */
  fastStream?: StreamAnswer;
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
  /** Timeouts and limits against slow and greedy clients, applied to each server before it listens (client-shield.ts). */
  shield?: ClientShield;
  /** Answers the health path ahead of the pipeline (health.ts); absent: no request is looked at for it. */
  health?: Health;
  /** Each connection starts with a PROXY protocol header, read before anything else (`proxy-protocol`). */
  proxyHeaders?: ProxyHeaderRules;
}

export interface FrontEnd<T extends InFlightNode = InFlightNode> {
  /** The addresses actually bound, in config order. */
  addresses: string[];
  /** The responses still open, each with its pipeline record, oldest first. */
  inFlight: InFlight<T>;
  /**
   * Stops accepting, lets in-flight requests finish (their responses carry `Connection: close`), and resolves once no
   * request is left. Idle keep-alive connections are closed after their grace; `closed()` says when all are gone.
   */
  drain(): Promise<void>;
  /**
   * Serves a connection the master accepted on address number `index` (sticky-sessions); with proxy-protocol, `proxied`
   * is what the master read of it: the client, and the bytes that came after the header.
   */
  accept(index: number, socket: Socket, proxied?: ProxyHeaderRead): void;
  /** Resolves once a drain is over and every HTTP connection is closed (upgraded ones belong to the app). */
  closed(): Promise<void>;
  /** Ends the upgraded connections the app still holds (destroyed if still open after a second); resolves once they are gone. */
  closeUpgraded(): Promise<void>;
  /** Open connections per listener, in the order of `addresses` (for the stats address, once a second). */
  connectionCounts(): number[];
}

const DEFAULT_IDLE_GRACE_MS = 1000;

/** Starts listening on every address; rejects (after closing what it opened) if any address fails. */
export async function startFrontEnd<T extends InFlightNode>(
  addresses: readonly (ListenAddress | Listener)[],
  makePipeline: (isDraining: () => boolean) => Pipeline<T>,
  options: FrontEndOptions = {},
): Promise<FrontEnd<T>> {
  let draining = false;
  let noneInFlight: (() => void) | undefined;
  let drained: Promise<void> | undefined;
  const keepAliveMs = options.shield?.keepAliveMs;
  const connections = trackConnections(options.idleGraceMs ?? DEFAULT_IDLE_GRACE_MS, keepAliveMs);
  const pipeline = makePipeline(() => draining);
  /** Each response still open, with its pipeline record; told by the response itself when it closes. */
  const inFlight = new InFlightList<T>((res, record) => {
    // Connections are told about their requests only while draining, the one time their idleness matters.
    if (draining && res.req.httpVersionMajor !== 2) connections.requestEnded(res.req.socket);
    pipeline.closed(res, record);
    if (draining && inFlight.size === 0) noneInFlight?.();
  });
  const servers: NetServer[] = [];
  /** What each listener does itself when the front end drains (HTTP/2: GOAWAY on every session). */
  const drainHooks: (() => void)[] = [];
  /** What each listener waits for itself before the front end is closed (HTTP/2 sessions). */
  const closedHooks: (() => Promise<void>)[] = [];

  /**
   * What a request costs the front end: its record in the in-flight list, nothing else. The end of corral's responses
   * is seen without a listener (responses.ts, h2-headers.ts); a response of another class (a Listener that builds
   * its server with Node's) gets a 'close' listener instead.
   */
  watchResponses();
  const trackRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (screenedOut(req, res)) return;
    const record = pipeline.open(req, res);
    const foreign = !(RECORD in res);
    if (foreign) res.on('close', onForeignClose);
    inFlight.add(res, record);
    if (req.httpVersionMajor !== 2) {
      if (draining) connections.requestStarted(req.socket);
      closeQueuedWithConnection(req.socket, res);
      // What `Keep-Alive: timeout=N` says: node:http reads it from its server, whose own timer is off (client-shield.ts).
      if (keepAliveMs !== undefined) (res as KeepAliveHint)._keepAliveTimeout = keepAliveMs;
    }
    if (!refuseMalformed(req, res)) pipeline.handle(req, res, record);
    // corral's HTTP/2 response reports its own close (h2-headers.ts) unless the app gave it another prototype meanwhile.
    if (!foreign && req.httpVersionMajor === 2 && (res as { [REPORTS_CLOSE]?: true })[REPORTS_CLOSE] !== true)
      res.on('close', onForeignClose);
  };
  // Chosen once: without health-path a request costs no look at its URL here.
  const health = options.health;
  const track =
    health === undefined
      ? trackRequest
      : (req: IncomingMessage, res: ServerResponse) => {
          if (screenedOut(req, res)) return;
          if (!health.answer(req, res)) trackRequest(req, res);
        };

  const bound: string[] = [];
  try {
    for (const entry of addresses) {
      // A bare address is plain HTTP; a Listener builds its own server (https, http2: src/http/servers.ts).
      const listener = 'kind' in entry ? plainListener(entry) : entry;
      const server = listener.create(track, connections);
      options.shield?.protect(server);
      if (listener.fastPath !== undefined && options.proxyHeaders === undefined)
        fastPathFor(server, listener.fastPath, pipeline, options);
      // node:http starts the timer of its head timeouts when its server listens: a server that never listens here
      // (sticky-sessions: the master hands the connections over) is told it does, or no head would ever time out.
      if (options.handedOver === true && options.shield !== undefined) server.emit('listening');
      strictParsing(server);
      server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
        if (pipeline.refusesBody?.(req) !== true) res.writeContinue();
        track(req, res);
      });
      const upgrade = pipeline.upgrade;
      if (upgrade !== undefined) {
        server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
          if (refuseUpgrade(req, socket)) return;
          connections.upgraded(socket as Socket);
          upgrade.call(pipeline, req, socket, head);
        });
      }
      // Last: the header's reading goes in front of every 'connection' listener the server has by now.
      if (options.proxyHeaders !== undefined) {
        if (options.handedOver === true) passClientThroughTls(server);
        else acceptProxyHeaders(server, options.proxyHeaders);
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
        for (const [res] of inFlight) {
          // Responses still being written tell their clients this connection ends with them.
          if (!res.headersSent) res.shouldKeepAlive = false;
          if (res.req.httpVersionMajor !== 2) connections.requestStarted(res.req.socket);
        }
        // net's close, not http's: http's would also close idle keep-alive connections at once (see idleGraceMs).
        for (const server of servers) NetServer.prototype.close.call(server);
        for (const hook of drainHooks) hook();
        connections.closeWhenIdle();
        if (inFlight.size === 0) resolve();
      });
      return drained;
    },
    accept(index, socket, proxied) {
      const server = servers[index];
      if (server === undefined || draining) return void socket.destroy();
      if (proxied !== undefined) {
        takeClient(socket, proxied.client);
        if (proxied.rest.length > 0) socket.unshift(proxied.rest);
      }
      server.emit('connection', socket);
      socket.resume();
    },
    closed: async () => {
      // The listeners' own first: they also wait for TLS handshakes under way, and one that ends during the drain as
      // HTTP/1.1 adds its connection to `connections`, which is then waited for too.
      await Promise.all(closedHooks.map((hook) => hook()));
      await connections.allClosed();
    },
    closeUpgraded: () => connections.closeUpgraded(),
    // net.Server counts the connections it accepted and has not seen close: read, not walked.
    connectionCounts: () => servers.map((server) => (server as { _connections?: number })._connections ?? 0),
  };
}

/**
 * Puts the static fast path (fast-path.ts) in front of a server's HTTP/1.1 connections, when the pipeline has one
 * and the client shield gives its limits. The health path is never its answer. A listener that reads a PROXY header
 * first, or answers plain HTTP with a redirect, has none: both must see every request.
 */
function fastPathFor<T extends InFlightNode>(
  server: NetServer,
  event: FastPathEvent,
  pipeline: Pipeline<T>,
  options: FrontEndOptions,
): void {
  const fast = pipeline.fast;
  const shield = options.shield;
  if (fast === undefined || shield === undefined || shield.keepAliveMs <= 0) return;
  const healthPath = options.health?.path;
  const limits = shield.limits;
  // node:http2's server (HTTPS with HTTP/2): its streams too, before its compatibility layer.
  const fastStream = pipeline.fastStream;
  if (event === 'secureConnection' && fastStream !== undefined)
    installStreamFastPath(
      server,
      healthPath === undefined
        ? fastStream
        : (stream, head, send) => head.target !== healthPath && fastStream(stream, head, send),
      limits,
    );
  installFastPath(
    server as HttpServer,
    healthPath === undefined
      ? fast
      : (socket, head, send, handOver) => head.target !== healthPath && fast(socket, head, send, handOver),
    {
      limits,
      headerTimeoutMs: limits.headerTimeoutMs,
      sendTimeoutMs: limits.sendTimeoutMs,
      keepAliveMs: shield.keepAliveMs,
      refusals: shield.refusals,
    },
    event,
  );
}

/** The field node:http's response reads when it writes the `Keep-Alive` header (0: none). */
type KeepAliveHint = ServerResponse & { _keepAliveTimeout: number };

function onForeignClose(this: ServerResponse): void {
  responseClosed(this);
}
