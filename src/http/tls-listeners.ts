// The server of an https listener: node:https, or node:http2 with HTTP/1.1 fallback; in a module of its own so that plain-HTTP processes never load TLS.
import { createServer as createHttpsServer } from 'node:https';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { HttpsListen } from '../config/types.ts';
import { CorralHttp2Response } from './h2-headers.ts';
import { CorralResponse } from './responses.ts';
import type { Listener } from './servers.ts';
import { ACME_TLS_ALPN, type TlsState } from './tls.ts';

export function tlsListener(listener: HttpsListen, tls: TlsState, http2: boolean): Listener {
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
