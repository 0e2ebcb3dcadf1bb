// `proxy-protocol` on a listener: each connection's PROXY header is read and checked before node:http (or node:tls) sees a byte, and the client it names becomes the socket's peer.
import type { Server, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parseProxyHeader, type ProxyClient } from './proxy-header.ts';
import type { RefusalLog } from './refusal-log.ts';
import type { Config } from '../config/types.ts';
import { trustedAddresses } from './forwarded.ts';

export interface ProxyHeaderRules {
  /** Peers allowed to send a header (`forwarded-allow-ips`); any other is closed unread. */
  trusted: (address: string) => boolean;
  /** How long a connection may take to send its whole header (`client-header-timeout`). */
  timeoutMs: number;
  refusals: RefusalLog;
}

/** What proxy-protocol listeners (and, with sticky-sessions, the master) check a connection's PROXY header against. */
export function proxyHeaderRules(config: Config, refusals: RefusalLog): ProxyHeaderRules {
  return {
    trusted: trustedAddresses(config.forwardedAllowIps),
    timeoutMs: config.clientLimits.headerTimeoutMs,
    refusals,
  };
}

/** What a connection brought: the client it names (none: the peer itself) and the bytes that came after the header. */
export interface ProxyHeaderRead {
  client: ProxyClient | undefined;
  rest: Buffer;
}

/**
 * Reads the PROXY header off a new connection, then calls `done` (not at all when the connection is refused: it is
 * destroyed and the refusal logged). The socket is paused when `done` runs; `rest` has not been given back to it.
 */
export function readProxyHeader(socket: Socket, rules: ProxyHeaderRules, done: (read: ProxyHeaderRead) => void): void {
  const peer = socket.remoteAddress;
  // A unix-socket peer has no address: trusted only with forwarded-allow-ips = *, as for the X-Forwarded-* headers.
  if (!rules.trusted(peer ?? '')) return refuse(socket, rules, peer, 'a peer outside forwarded-allow-ips');
  let received: Buffer = Buffer.alloc(0);
  const timer = setTimeout(() => finish('no complete PROXY header within client-header-timeout'), rules.timeoutMs);
  const finish = (problem: string | undefined, read?: ProxyHeaderRead) => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('error', onError);
    socket.off('end', onEnd);
    if (problem !== undefined) return refuse(socket, rules, peer, problem);
    socket.pause();
    done(read!);
  };
  const onData = (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const result = parseProxyHeader(received);
    if (result.kind === 'incomplete') return;
    if (result.kind === 'invalid') return finish(result.reason);
    finish(undefined, { client: result.client, rest: received.subarray(result.length) });
  };
  const onError = () => finish('the connection failed before its PROXY header');
  const onEnd = () => finish('the connection ended before its PROXY header');
  socket.on('data', onData);
  socket.on('error', onError);
  socket.on('end', onEnd);
  // A socket accepted paused (the master's, with sticky-sessions) does not flow by itself.
  socket.resume();
}

function refuse(socket: Socket, rules: ProxyHeaderRules, peer: string | undefined, problem: string): void {
  rules.refusals.refused('proxy-protocol', peer, { problem });
  socket.destroy();
}

/**
 * Makes `client` the socket's peer for everything that asks it afterwards (node:http, the access log, the connection
 * caps, the app's req.socket.remoteAddress): own properties over net.Socket's getters.
 */
export function takeClient(socket: Socket, client: ProxyClient | undefined): void {
  if (client === undefined) return;
  Object.defineProperties(socket, {
    remoteAddress: { value: client.address, configurable: true },
    remotePort: { value: client.port, configurable: true },
    remoteFamily: { value: client.family, configurable: true },
  });
}

/**
 * Puts the header's reading in front of every 'connection' listener the server has now (node:http's or node:tls's,
 * the connection caps, the front end's tracking): they run once the header is read, with the client as peer and the
 * bytes after the header back in the socket. Call it last, before the server listens.
 */
export function acceptProxyHeaders(server: Server, rules: ProxyHeaderRules): void {
  const listeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  // node:tls's servers (https, http2) have addContext; node:http's have not (node:tls is not loaded to ask).
  const tls = typeof (server as Server & { addContext?: unknown }).addContext === 'function';
  server.on('connection', (socket: Socket) => {
    readProxyHeader(socket, rules, ({ client, rest }) => {
      takeClient(socket, client);
      if (rest.length > 0) socket.unshift(rest);
      for (const listener of listeners) listener.call(server, socket);
      // node:http reads a paused socket only once resumed; node:tls takes over the raw socket, and reads what was
      // given back itself (a resumed raw socket would drop it, with no 'data' listener left).
      if (!tls) socket.resume();
    });
  });
  passClientThroughTls(server);
}

/** A TLS server's connections reach node:http as the TLSSocket it wrapped around the raw one: the peer goes across. */
export function passClientThroughTls(server: Server): void {
  server.prependListener('secureConnection', (tlsSocket: TLSSocket) => {
    const raw = (tlsSocket as TLSSocket & { _parent?: Socket })._parent;
    if (raw !== undefined && Object.hasOwn(raw, 'remoteAddress'))
      takeClient(tlsSocket, { address: raw.remoteAddress!, port: raw.remotePort!, family: raw.remoteFamily as 'IPv4' });
  });
}
