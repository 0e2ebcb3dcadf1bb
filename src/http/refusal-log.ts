// What corral refused a client and why (a timeout, a limit), told in the log without letting an attack flood it: one line at the first refusal of a kind, then one line per window with the count.
import type { Logger } from '../log/logger.ts';

/**
 * Each timeout and limit a client can run into, by the name of its setting; the HTTP/2 floods by their frame (one setting,
 * http2-max-control-frames, guards both); `bad-request`: a request node:http could not parse.
 */
export type RefusalKind =
  | 'client-header-timeout'
  | 'client-body-timeout'
  | 'request-timeout'
  | 'send-timeout'
  | 'limit-request-line'
  | 'limit-request-fields'
  | 'limit-request-field-size'
  | 'max-header-size'
  | 'max-connections'
  | 'max-connections-per-ip'
  | 'http2-max-resets'
  | 'http2-ping-flood'
  | 'http2-settings-flood'
  | 'abuse-ban'
  | 'bad-request'
  | 'proxy-protocol';

/** What each refusal does to the client, for the log line. */
const WHAT: Readonly<Record<RefusalKind, string>> = {
  'client-header-timeout': 'a request head (or TLS handshake) did not arrive in time: answered 408, connection closed',
  'client-body-timeout': 'a request body stalled: answered 408 (or the connection closed, once answered)',
  'request-timeout': 'a request took longer than 300 s to arrive: answered 408, connection closed',
  'send-timeout': 'a client stopped taking its response: connection closed, response freed',
  'limit-request-line': 'a request line was too long: answered 414',
  'limit-request-fields': 'a request had too many header fields: answered 431',
  'limit-request-field-size': 'a request header field was too large: answered 431',
  'max-header-size': 'a request head was too large: answered 431, connection closed',
  'max-connections': 'this worker holds as many connections as it may: new ones are closed at once',
  'max-connections-per-ip': 'a client address has too many connections: its new ones are closed at once',
  'http2-max-resets':
    'an HTTP/2 client cancelled streams faster than it let them finish (rapid reset): GOAWAY ENHANCE_YOUR_CALM, connection closed',
  'http2-ping-flood':
    'an HTTP/2 client sent PING frames past http2-max-control-frames: GOAWAY ENHANCE_YOUR_CALM, connection closed',
  'http2-settings-flood':
    'an HTTP/2 client sent SETTINGS frames past http2-max-control-frames: GOAWAY ENHANCE_YOUR_CALM, connection closed',
  'abuse-ban': 'an address this worker closed an HTTP/2 session of for abuse: its new connections are closed at once',
  'bad-request': 'a malformed request: answered 400, connection closed',
  'proxy-protocol':
    'a connection without a valid PROXY protocol header, or from a peer outside forwarded-allow-ips: closed unanswered',
};

export interface RefusalLog {
  /** One refusal of `kind`; `peer` is the client's address when known; `detail` goes on the line if it is the first. */
  refused(kind: RefusalKind, peer?: string, detail?: Record<string, unknown>): void;
}

/** How long refusals of one kind are counted before the next line says how many there were. */
const WINDOW_MS = 10_000;

/**
 * The first refusal of a kind is logged at once (warn, with `limit`, `peer`, `refused: 1` and any detail); those that follow within
 * the next 10 s are counted, and one line at the end of the window gives their number (`refused`) and the last
 * peer. A steady attack thus costs one line per kind per 10 s, and every refusal is counted in some line.
 */
export function refusalLog(log: Logger, windowMs = WINDOW_MS): RefusalLog {
  /** Refusals counted since the last line, per kind; a kind is present while its window is open. */
  const pending = new Map<RefusalKind, { count: number; peer: string | undefined }>();
  const close = (kind: RefusalKind) => {
    const entry = pending.get(kind);
    if (entry === undefined) return;
    if (entry.count === 0) return void pending.delete(kind);
    log.warn(
      { limit: kind, refused: entry.count, lastPeer: entry.peer, windowMs },
      `${kind}: ${entry.count} more refused in the last ${windowMs / 1000} s (${WHAT[kind]})`,
    );
    entry.count = 0;
    setTimeout(close, windowMs, kind).unref();
  };
  return {
    refused(kind, peer, detail) {
      const entry = pending.get(kind);
      if (entry !== undefined) {
        entry.count++;
        entry.peer = peer;
        return;
      }
      log.warn({ limit: kind, refused: 1, peer, ...detail }, `${kind}: ${WHAT[kind]}`);
      pending.set(kind, { count: 0, peer });
      setTimeout(close, windowMs, kind).unref();
    },
  };
}
