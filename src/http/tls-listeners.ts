// The server of an https listener: node:https, or node:http2 with HTTP/1.1 fallback; in a module of its own so that plain-HTTP processes never load TLS.
import { createServer as createHttpsServer } from 'node:https';
import {
  constants,
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  type ServerHttp2Session,
} from 'node:http2';
import type { Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { Http2Limits, HttpsListen } from '../config/types.ts';
import { guardSession, http2Settings } from './h2-guard.ts';
import type { RefusalLog } from './refusal-log.ts';
import { CorralHttp2Response } from './h2-headers.ts';
import { CorralResponse } from './responses.ts';
import type { Listener } from './servers.ts';
import { ACME_TLS_ALPN, type TlsState } from './tls.ts';

/** The HTTP/2 limits of a listener, and where their checks log (none: the settings are sent, nothing is checked). */
export interface Http2Guard {
  limits: Http2Limits;
  log: RefusalLog | undefined;
  /** Refuses an address for a while once one of its sessions was closed (abuse-ban). */
  ban?: (address: string | undefined) => void;
}

export function tlsListener(listener: HttpsListen, tls: TlsState, http2: boolean, guard?: Http2Guard): Listener {
  const sessions = new Set<Http2Session>();
  /** Connections whose TLS handshake is not over: neither a session nor a tracked HTTP/1 connection yet. */
  const handshaking = new Set<Socket>();
  let draining = false;
  let allGone: (() => void) | undefined;
  const settle = () => {
    if (sessions.size === 0 && handshaking.size === 0) allGone?.();
  };
  return {
    // The worker exits only once every session has sent its last frames and closed, and every handshake under way
    // has ended: an exit before that would reset a connection under the GOAWAY it was just sent, or one whose
    // client is about to send its first request.
    closed: () =>
      new Promise<void>((resolve) => {
        allGone = resolve;
        settle();
      }),
    // GOAWAY to every HTTP/2 client: its streams in flight finish, and it opens its next one elsewhere (another
    // worker, or the new one of a reload) instead of finding the connection closed under it.
    drain() {
      draining = true;
      for (const session of sessions) if (!session.closed) closeGracefully(session);
    },
    address: listener.address,
    setting: 'https',
    fastPath: 'secureConnection',
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
              ...(guard !== undefined && { settings: http2Settings(guard.limits) }),
            },
            onRequest as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void,
          )
        : createHttpsServer({ ...options, ServerResponse: CorralResponse }, onRequest);
      server.on('connection', (raw: Socket) => {
        handshaking.add(raw);
        raw.once('close', () => {
          handshaking.delete(raw);
          settle();
        });
      });
      server.prependListener('secureConnection', (socket: TLSSocket) => {
        // The handshake is over: from here the connection is a session, or tracked as an HTTP/1 one. Whether that
        // was the last thing the drain waited for is asked once this event's other listeners ran: node:http2's makes
        // the session only after this one, and settling now (no session yet) let the worker exit under it.
        handshaking.delete((socket as TLSSocket & { _parent?: Socket })._parent as Socket);
        if (draining) process.nextTick(settle);
        // A TLS-ALPN-01 validation only looks at the certificate: close it before node:http or node:http2 reads from it.
        if (socket.alpnProtocol === ACME_TLS_ALPN) return void socket.destroy();
        // HTTP/1.1 connections are tracked like plain ones (idle keep-alive closed after the grace when draining).
        // An HTTP/2 one is not: its requests are counted in flight all the same, and on drain its session gets a
        // GOAWAY and closes itself once its last stream is done (see drain above).
        if (socket.alpnProtocol !== 'h2') connections.add(socket);
      });
      server.on('session', (session: ServerHttp2Session) => {
        sessions.add(session);
        if (guard?.log !== undefined) guardSession(session, guard.limits, guard.log, guard.ban);
        session.once('close', () => {
          sessions.delete(session);
          settle();
        });
        // A handshake that ended after the drain started: the session closes the same way (its first request first).
        if (draining) closeGracefully(session);
      });
      if (listener.cert === undefined) tls.servesAcme(server);
      return server;
    },
  };
}

/** How long a session that has not opened a stream yet may wait for its first request before its graceful close. */
const FIRST_STREAM_WAIT_MS = 1000;

/** How long a client may take to answer the PING of a graceful close before the session is closed all the same. */
const PING_WAIT_MS = 1000;

/**
 * HTTP/2's graceful close (RFC 9113, section 6.8): first a GOAWAY that refuses nothing (the highest stream id), so
 * the client opens no new stream here; then, once a PING has made the round trip, every stream the client sent
 * before it read that GOAWAY has arrived, and close() sends the final GOAWAY with the last stream taken. Closing at
 * once refused (REFUSED_STREAM) a request a client had just sent on a connection accepted a moment before the drain:
 * Node's own client, among others, does not retry it.
 *
 * Two things keep the PING's answer from proving that: a client's HTTP/2 library sends a PING ACK before frames it
 * had queued earlier (nghttp2 puts PING and SETTINGS ahead of HEADERS), so the request a client had just opened, not
 * yet written when the GOAWAY came, arrives right behind the ACK; the final GOAWAY is therefore sent from the next turn
 * of the event loop, once the rest of what was read with the ACK went through. And a session that has taken no stream
 * yet (a client that connected just before or during the drain) waits for its first one before any GOAWAY: its
 * request is in flight or about to be, and a GOAWAY with last stream 0 would refuse it.
 */
function closeGracefully(session: Http2Session): void {
  if (session.closed || session.destroyed) return;
  if (session.state.lastProcStreamID === 0) {
    const timer = setTimeout(() => sendGoaways(session), FIRST_STREAM_WAIT_MS);
    timer.unref();
    session.once('stream', () => {
      clearTimeout(timer);
      sendGoaways(session);
    });
    return;
  }
  sendGoaways(session);
}

function sendGoaways(session: Http2Session): void {
  const close = () => {
    if (!session.closed && !session.destroyed) session.close();
  };
  if (session.closed || session.destroyed) return;
  try {
    session.goaway(constants.NGHTTP2_NO_ERROR, 2 ** 31 - 1);
  } catch {
    return close();
  }
  const timer = setTimeout(close, PING_WAIT_MS);
  timer.unref();
  const sent = session.ping(() => {
    clearTimeout(timer);
    setImmediate(close);
  });
  if (!sent) {
    clearTimeout(timer);
    close();
  }
}
