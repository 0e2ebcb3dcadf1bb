// What corral refuses on top of Node's HTTP/1 parser (llhttp, kept strict): requests that a proxy in front of corral, or the app, could read otherwise than node:http did (docs/security.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { sendError } from './error-response.ts';

/** Set on an HTTP/1 connection once one of its requests was refused: nothing it sent after that reaches the app. */
const REFUSED = Symbol('corral.refused');

type Marked = Socket & { [REFUSED]?: true };

/**
 * Parser settings for every server corral makes, whatever the environment says. `insecureHTTPParser: false` keeps
 * llhttp strict even under NODE_OPTIONS=--insecure-http-parser (lenient, it takes CL.TE, obs-fold and bare LF, the
 * stuff of request smuggling). `requireHostHeader: true` is node:http's default, but node:http2's HTTP/1.1 fallback
 * reads it from its own server, where it is unset: an HTTP/1.1 request without Host (RFC 9112, section 3.2: 400)
 * went through there. Both are read per connection from the server object, so setting them here covers every kind.
 */
export function strictParsing(server: NetServer): void {
  Object.assign(server, { insecureHTTPParser: false, requireHostHeader: true });
}

/**
 * Runs before the front end counts a request in flight, and returns true when the request goes no further:
 * - a request parsed, on the same HTTP/1 connection, after one corral refused: node:http parses every request already
 *   read before the refusal's answer closes the connection, and one of them may be the request a smuggler hid in the
 *   refused one's body. It is dropped unanswered (the connection ends after the 400);
 * - an HTTP/1 request line with another version than 1.0 or 1.1 (`HTTP/2.0` passes llhttp, and a request of version
 *   2 that is no HTTP/2 stream broke code that takes version 2 for HTTP/2: the worker died): 400, and the connection
 *   ends. It is answered before its access record is made, for the same reason; it gets no access line.
 */
export function screenedOut(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.httpVersionMajor === 1) return (req.socket as Marked)[REFUSED] === true;
  if (isHttp2(req)) return false;
  const socket = req.socket as Marked;
  if (socket[REFUSED] === true) return true;
  refuse(socket, res, `HTTP/${req.httpVersion} is not spoken on an HTTP/1 connection`);
  return true;
}

/**
 * Answers 400 and returns true when the request is one corral refuses (see malformation); an HTTP/1 connection then
 * ends after that answer, as RFC 9112 asks when the framing of a message is in doubt.
 */
export function refuseMalformed(req: IncomingMessage, res: ServerResponse): boolean {
  const problem = malformation(req);
  if (problem === undefined) return false;
  if (isHttp2(req)) sendError(res, 400, `Bad Request: ${problem}`);
  else refuse(req.socket, res, problem);
  return true;
}

/**
 * The same checks for a request that asks to switch protocols, before the app takes its connection (a WebSocket
 * handshake): when one fails, the 400 is written on the socket itself, which then closes.
 */
export function refuseUpgrade(req: IncomingMessage, socket: Duplex): boolean {
  const problem =
    req.httpVersionMajor === 1 ? malformation(req) : `HTTP/${req.httpVersion} is not spoken on an HTTP/1 connection`;
  if (problem === undefined) return false;
  const text = `Bad Request: ${problem}\n`;
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${text}`,
  );
  return true;
}

/** 400 with `problem` as its text, the end of the HTTP/1 connection after it, and nothing more from it for the app. */
function refuse(socket: Marked, res: ServerResponse, problem: string): void {
  socket[REFUSED] = true;
  res.shouldKeepAlive = false;
  sendError(res, 400, `Bad Request: ${problem}`);
}

/**
 * Why corral refuses the request, undefined when it does not. llhttp (strict) refuses most malformed requests itself:
 * Content-Length with Transfer-Encoding, a repeated or malformed Content-Length, a Transfer-Encoding whose last coding
 * is not chunked, bad chunk sizes, obs-fold, bare CR, bare LF, control characters, spaces before a colon. What it
 * lets through, and corral refuses (besides the versions screenedOut refuses):
 * - Transfer-Encoding in an HTTP/1.0 request: RFC 9112, section 6.1 says to treat its framing as faulty (node:http
 *   decodes it as chunked and, with keep-alive, parses what follows as the next request);
 * - more than one Host, or Content-Type: fields of one value (RFC 9110, section 5.3), which node:http reduces to the
 *   first one while rawHeaders (and a fetch app's Headers) keep both; two Host fields are a 400 in RFC 9112, 3.2;
 * - `*` as target of another method than OPTIONS (RFC 9112, section 3.2.4).
 * Exported for the unit tests.
 */
export function malformation(req: IncomingMessage): string | undefined {
  const http2 = isHttp2(req);
  const raw = req.rawHeaders;
  let hosts = 0;
  let types = 0;
  let transferEncoding = false;
  // One pass, lowercasing only the names of the lengths looked for.
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4) {
      if (name.toLowerCase() === 'host') hosts++;
    } else if (name.length === 12) {
      if (name.toLowerCase() === 'content-type') types++;
    } else if (name.length === 17) {
      if (name.toLowerCase() === 'transfer-encoding') transferEncoding = true;
    }
  }
  if (hosts > 1) return 'more than one Host header';
  if (types > 1) return 'more than one Content-Type header';
  if (transferEncoding && !http2 && req.httpVersionMinor === 0) return 'Transfer-Encoding in an HTTP/1.0 request';
  if (req.url === '*' && req.method !== 'OPTIONS') return `* is a target for OPTIONS only, not ${req.method}`;
  return undefined;
}

/** An HTTP/2 request (node:http2's compatibility object, which has its stream), not one an HTTP/1 parser read as 2.0. */
function isHttp2(req: IncomingMessage): boolean {
  return req.httpVersionMajor === 2 && 'stream' in req;
}
