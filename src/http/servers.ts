// Picks the server of each listener: node:http for plain HTTP; the TLS ones come from tls-listeners.ts, loaded only for a config with https.
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { Config, ListenAddress } from '../config/types.ts';
import type { Connections } from './connections.ts';
import type { FastPathEvent } from './fast-path.ts';
import { CorralResponse } from './responses.ts';
import { answerPlainHttp, type PlainHttpRules } from './redirect.ts';
import type { RefusalLog } from './refusal-log.ts';
import type { TlsState } from './tls.ts';

/** One address to listen on, and how to build its server around the front end's request listener. */
export interface Listener {
  address: ListenAddress;
  /**
   * Where the static fast path (fast-path.ts) may go in front of the server's own listener; absent: not on this
   * listener (one whose requests must all meet something else first, such as the redirect to https).
   */
  fastPath?: FastPathEvent;
  /** The setting it comes from, for bind errors: `http` or `https`. */
  setting?: string;
  create(onRequest: RequestListener, connections: Connections): NetServer;
  /** Called when the front end drains, after the server stopped accepting. */
  drain?(): void;
  /** Resolves once the connections this listener tracks itself (HTTP/2 sessions) are closed, after drain(). */
  closed?(): Promise<void>;
}

/** A bare address: a plain node:http server. */
export function plainListener(address: ListenAddress): Listener {
  return {
    address,
    fastPath: 'connection',
    create(onRequest, connections) {
      const server = createHttpServer({ ServerResponse: CorralResponse }, onRequest);
      server.on('connection', (socket: Socket) => connections.add(socket));
      return server;
    },
  };
}

/**
 * The listeners of a config: every `http` address (with the redirect and HTTP-01 answers when on), then every `https`
 * one. node:https, node:http2 and node:tls are loaded only then: a process with plain HTTP listeners alone never
 * loads them (with node:crypto, 1.9 MB of RSS in a bare Node with corral's other built-ins; about 0.8 MB of a corral
 * worker's idle RSS, measured).
 */
export async function listenersFor(
  config: Config,
  tls: TlsState | undefined,
  refusals?: RefusalLog,
  ban?: (address: string | undefined) => void,
): Promise<Listener[]> {
  const https = config.https ?? [];
  const rules: PlainHttpRules = { redirect: config.httpToHttps === true };
  if (config.acme !== undefined && tls !== undefined) rules.http01 = (token) => tls.http01Answer(token);
  const first = https.find((listener) => listener.address.kind === 'tcp')?.address;
  if (first?.kind === 'tcp') rules.redirectPort = first.port;
  const needsRules = rules.redirect || rules.http01 !== undefined;
  const plain = config.http.map((address): Listener => {
    if (!needsRules) return plainListener(address);
    return {
      address,
      create(onRequest, connections) {
        const server = createHttpServer({ ServerResponse: CorralResponse }, (req, res) => {
          if (!answerPlainHttp(rules, req, res)) onRequest(req, res);
        });
        server.on('connection', (socket: Socket) => connections.add(socket));
        return server;
      },
    };
  });
  if (tls === undefined) return plain;
  const { tlsListener } = await import('./tls-listeners.ts');
  // The HTTP/2 checks close sessions into the refusal log (h2-guard.ts); without one (tests) the limits are still sent.
  const limits = config.http2Limits;
  const guard = limits === undefined ? undefined : { limits, log: refusals, ...(ban && { ban }) };
  return [...plain, ...https.map((listener) => tlsListener(listener, tls, config.http2 !== false, guard))];
}
