// What every listener of a worker gets against slow and greedy HTTP/1.x clients: node:http's own timeouts and head limits set from the config, the connection caps, and counted answers to what node:http refuses.
import type { Server } from 'node:net';
import type { ClientLimits } from '../config/types.ts';
import { answerClientErrors } from './client-errors.ts';
import { connectionGuard } from './connection-limits.ts';
import type { RefusalLog } from './refusal-log.ts';

/** node:http's requestTimeout, kept: the whole request (head and body) must arrive within 5 minutes. */
const REQUEST_TIMEOUT_MS = 300_000;

export interface ClientShield {
  /** Applies the limits to one server (node:http, node:https, or node:http2 with its HTTP/1.1 fallback), before it listens. */
  protect(server: Server): void;
  /** The TLS handshake counts as part of the head: it gets client-header-timeout too (node:tls's own default is 120 s). */
  handshakeTimeoutMs: number;
  /** Refuses an address's new connections for `abuse-ban` (the HTTP/2 checks call it when they close a session). */
  ban(address: string | undefined): void;
  /**
   * keepalive-timeout in ms. The front end closes idle connections itself (connections.ts) and advertises it in each
   * HTTP/1 response's `Keep-Alive: timeout=N`; node:http's own timer is off (keepAliveTimeout 0).
   */
  keepAliveMs: number;
  /** The limits it applies, for the static fast path, which reads heads and sends answers before node:http (fast-path.ts). */
  readonly limits: ClientLimits;
  /** Where its refusals are counted. */
  readonly refusals: RefusalLog;
}

/** The node:http fields corral sets (node:https and node:http2's HTTP/1.1 fallback read the same ones). */
interface HttpServerFields {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
  maxHeaderSize?: number;
  maxHeadersCount: number | null;
}

/**
 * - client-header-timeout is node:http's headersTimeout. node:http checks it from a timer every
 *   connectionsCheckingInterval (30 s by default, so a 30 s timeout could take a minute): the check runs every
 *   quarter of the timeout, at most every second. It covers a connection's first request from the moment it is
 *   accepted, and each later one from its first byte; the idle time between requests is keepalive-timeout's.
 * - keepalive-timeout is enforced by the front end's look at its connections (connections.ts), not by node:http's
 *   keepAliveTimeout, a socket timer armed and disarmed with every request: that one is set to 0.
 * - max-header-size is node:http's maxHeaderSize: request line and header fields together, answered 431.
 * - limit-request-fields: node:http keeps at most maxHeadersCount fields; one more than the limit is kept, so that a
 *   request over it can be told from one at it (request-limits.ts answers 431).
 * These are fields the servers read when a connection starts or a timer fires: nothing per request.
 */
export function clientShield(
  limits: ClientLimits,
  refusals: RefusalLog,
  exempt: (address: string) => boolean,
): ClientShield {
  const guard = connectionGuard(
    { connections: limits.connections, connectionsPerIp: limits.connectionsPerIp, banMs: limits.abuseBanMs, exempt },
    refusals,
  );
  return {
    handshakeTimeoutMs: limits.headerTimeoutMs,
    ban: guard.ban,
    keepAliveMs: limits.keepAliveTimeoutMs,
    limits,
    refusals,
    protect(server) {
      const http = server as Server & HttpServerFields;
      http.headersTimeout = limits.headerTimeoutMs;
      // node:http refuses a headersTimeout above requestTimeout.
      http.requestTimeout = Math.max(REQUEST_TIMEOUT_MS, limits.headerTimeoutMs);
      http.keepAliveTimeout = 0;
      http.connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.round(limits.headerTimeoutMs / 4)));
      if (limits.headerSize > 0) http.maxHeaderSize = limits.headerSize;
      if (limits.requestFields > 0) http.maxHeadersCount = limits.requestFields + 1;
      guard.protect(server);
      answerClientErrors(server, refusals);
    },
  };
}
