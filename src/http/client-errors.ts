// What a client gets when node:http gives up on its connection before a request reaches corral (a malformed request, a head too large, a head or TLS handshake too slow), and the count of each in the log.
import type { Server, Socket } from 'node:net';
import type { RefusalKind, RefusalLog } from './refusal-log.ts';

const answer = (status: string): Buffer =>
  Buffer.from(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, 'latin1');

const BAD_REQUEST = answer('400 Bad Request');
const REQUEST_TIMEOUT = answer('408 Request Timeout');
const TOO_LARGE = answer('413 Payload Too Large');
const HEAD_TOO_LARGE = answer('431 Request Header Fields Too Large');

type ClientSocket = Socket & {
  /** node:http's response that has the socket now, if any. */
  _httpMessage?: { headersSent?: boolean } | null;
  /** node:http's parser, with the request whose head is complete (while its body is read). */
  parser?: { incoming?: { complete?: boolean } | null } | null;
  /** Set by node:tls on a TLS socket once the handshake is over. */
  _secureEstablished?: boolean;
};

/**
 * node:http's own answers to these (without a 'clientError' listener) are the same statuses; the listener is there so
 * that each one is counted in the log. A TLS error (bad handshake, handshake timeout) gets no HTTP answer: the
 * connection is closed. An error on a socket whose response is already under way only closes it.
 */
export function answerClientErrors(server: Server, refusals: RefusalLog): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: ClientSocket) => {
    const code = err.code ?? '';
    let kind: RefusalKind | undefined;
    let response: Buffer | undefined;
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      // node:http's one timer for both: the head (headersTimeout), or the whole request with its body (requestTimeout).
      const incoming = socket.parser?.incoming;
      kind = incoming != null && incoming.complete === false ? 'request-timeout' : 'client-header-timeout';
      response = REQUEST_TIMEOUT;
    } else if (code === 'HPE_HEADER_OVERFLOW') {
      kind = 'max-header-size';
      response = HEAD_TOO_LARGE;
    } else if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') {
      kind = 'bad-request';
      response = TOO_LARGE;
    } else if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
      kind = 'client-header-timeout';
    } else if (code.startsWith('HPE_')) {
      kind = 'bad-request';
      response = BAD_REQUEST;
    }
    if (kind !== undefined) refusals.refused(kind, socket.remoteAddress);
    // A response already on the wire (a pipelined one, or the app's) must not get a second status line in its middle.
    // As node:http does: a few bytes the kernel takes at once, then the socket is gone (no lingering under a flood).
    if (response !== undefined && socket.writable && socket._httpMessage?.headersSent !== true) socket.write(response);
    socket.destroy();
  });
}
