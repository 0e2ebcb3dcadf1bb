// Lets HTTP/1-minded apps set connection-specific headers over HTTP/2: Node throws on them there, corral drops them instead.
import { type Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { RECORD, REPORTS_CLOSE, responseClosed, type InFlightNode } from './in-flight.ts';

/**
 * HTTP/2 forbids the headers that describe one HTTP/1 connection (RFC 9113, section 8.2.2), and Node's
 * compatibility response throws ERR_HTTP2_INVALID_CONNECTION_HEADERS when an app sets one: a proxy that copies its
 * upstream's `Connection` or `Transfer-Encoding`, an app that sets `Connection: close`. The thrown error becomes a 500,
 * or kills the worker when it happens in a callback. corral drops these headers for HTTP/2 responses instead, as
 * nginx does.
 */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** Their lengths: most header names are ruled out without lower-casing them (this runs for every header set). */
const LENGTHS = new Set([...CONNECTION_HEADERS].map((name) => name.length));

const isConnectionHeader = (name: unknown): boolean =>
  typeof name === 'string' && LENGTHS.has(name.length) && CONNECTION_HEADERS.has(name.toLowerCase());

type Headers = Record<string, unknown> | unknown[];

/** The same headers without the connection-specific ones; the very object or array when it has none (the usual case). */
function withoutConnectionHeaders(headers: Headers): Headers {
  if (!Array.isArray(headers)) {
    if (!Object.keys(headers).some(isConnectionHeader)) return headers;
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !isConnectionHeader(name)));
  }
  // [[name, value], ...] or the flat [name, value, name, value, ...] form (corral's static files use the latter).
  const pairs = headers.length > 0 && Array.isArray(headers[0]);
  const nameAt = (i: number) => (pairs ? (headers[i] as unknown[])[0] : headers[i]);
  const step = pairs ? 1 : 2;
  let found = false;
  for (let i = 0; i < headers.length && !found; i += step) found = isConnectionHeader(nameAt(i));
  if (!found) return headers;
  const kept: unknown[] = [];
  for (let i = 0; i < headers.length; i += step) {
    if (isConnectionHeader(nameAt(i))) continue;
    if (pairs) kept.push(headers[i]);
    else kept.push(headers[i], headers[i + 1]);
  }
  return kept;
}

/**
 * The compatibility response corral's HTTP/2 listeners use (passed as createSecureServer's `Http2ServerResponse`
 * option): the same class with the connection-specific headers dropped, and corral's request tracking. Only corral's own servers get it; an
 * http2 server the app creates itself keeps Node's class as it is.
 */
export class CorralHttp2Response<
  Request extends Http2ServerRequest = Http2ServerRequest,
> extends Http2ServerResponse<Request> {
  /** The pipeline record, from the constructor on (see responses.ts: the same close hook as HTTP/1 responses). */
  [RECORD]: InFlightNode | undefined = undefined;

  /** Its emit reports its close (see front-end.ts), as long as the app leaves its prototype alone. */
  get [REPORTS_CLOSE](): true {
    return true;
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'close') responseClosed(this as never);
    return super.emit(event, ...args);
  }

  override setHeader(name: string, value: number | string | readonly string[]): void {
    if (!isConnectionHeader(name)) super.setHeader(name, value);
  }

  override appendHeader(name: string, value: string | string[]): void {
    if (!isConnectionHeader(name)) super.appendHeader(name, value);
  }

  override writeHead(status: number, ...rest: unknown[]): this {
    // writeHead(status, headers) or writeHead(status, message, headers).
    const at =
      typeof rest[0] === 'object' && rest[0] !== null ? 0 : typeof rest[1] === 'object' && rest[1] !== null ? 1 : -1;
    if (at >= 0) rest[at] = withoutConnectionHeaders(rest[at] as Headers);
    return (super.writeHead as (status: number, ...rest: unknown[]) => this)(status, ...rest);
  }
}
