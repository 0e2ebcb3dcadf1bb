// Picks the server of each listener: node:http for plain HTTP, node:https or node:http2 (with HTTP/1.1 fallback) for TLS.
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { Server as NetServer, Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { Config, HttpsListen, ListenAddress } from '../config/types.ts';
import type { Connections } from './connections.ts';
import { CorralHttp2Response } from './h2-headers.ts';
import { CorralResponse } from './responses.ts';
import { answerPlainHttp, type PlainHttpRules } from './redirect.ts';
import { ACME_TLS_ALPN, type TlsState } from './tls.ts';

/** One address to listen on, and how to build its server around the front end's request listener. */
export interface Listener {
  address: ListenAddress;
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
    create(onRequest, connections) {
      const server = createHttpServer({ ServerResponse: CorralResponse }, onRequest);
      server.on('connection', (socket: Socket) => connections.add(socket));
      return server;
    },
  };
}

/** The listeners of a config: every `http` address (with the redirect and HTTP-01 answers when on), then every `https` one. */
export function listenersFor(config: Config, tls: TlsState | undefined): Listener[] {
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
  return tls === undefined
    ? plain
    : [...plain, ...https.map((listener) => tlsListener(listener, tls, config.http2 !== false))];
}

function tlsListener(listener: HttpsListen, tls: TlsState, http2: boolean): Listener {
  const sessions = new Set<Http2Session>();
  let noSession: (() => void) | undefined;
  return {
    // The worker exits only once every session has sent its last frames and closed: an exit before that would reset
    // the client's connection under the GOAWAY it was just sent.
    closed: () =>
      new Promise<void>((resolve) => {
        if (sessions.size === 0) return resolve();
        noSession = resolve;
      }),
    // GOAWAY to every HTTP/2 client: its streams in flight finish, and it opens its next one elsewhere (another
    // worker, or the new one of a reload) instead of finding the connection closed under it.
    drain() {
      for (const session of sessions) if (!session.closed) session.close();
    },
    address: listener.address,
    setting: 'https',
    create(onRequest, connections) {
      const options = tls.serverOptions(listener);
      // HTTP/1.1 requests (the ALPN fallback) reach this listener as node:http's IncomingMessage and ServerResponse,
      // HTTP/2 ones as Node's compatibility objects, which the pipeline takes as they are (docs/https.md).
      const server: TlsServer = http2
        ? createSecureServer(
            {
              ...options,
              allowHTTP1: true,
              Http2ServerResponse: CorralHttp2Response,
              Http1ServerResponse: CorralResponse,
            },
            onRequest as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void,
          )
        : createHttpsServer({ ...options, ServerResponse: CorralResponse }, onRequest);
      server.prependListener('secureConnection', (socket: TLSSocket) => {
        // A TLS-ALPN-01 validation only looks at the certificate: close it before node:http or node:http2 reads from it.
        if (socket.alpnProtocol === ACME_TLS_ALPN) return void socket.destroy();
        // HTTP/1.1 connections are tracked like plain ones (idle keep-alive closed after the grace when draining).
        // An HTTP/2 one is not: its requests are counted in flight all the same, and on drain its session gets a
        // GOAWAY and closes itself once its last stream is done (see drain above).
        if (socket.alpnProtocol !== 'h2') connections.add(socket);
      });
      server.on('session', (session: Http2Session) => {
        sessions.add(session);
        session.once('close', () => {
          sessions.delete(session);
          if (sessions.size === 0) noSession?.();
        });
      });
      if (listener.cert === undefined) tls.servesAcme(server);
      return server;
    },
  };
}
