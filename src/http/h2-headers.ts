// Lets HTTP/1-minded apps set connection-specific headers over HTTP/2: Node throws on them there, corral drops them instead.
import { type Http2ServerRequest, Http2ServerResponse, type ServerHttp2Stream } from 'node:http2';
import { GUARD, guardOf, streamClosed, type SessionGuard } from './h2-guard.ts';
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

/**
 * The same headers without the connection-specific ones; the very object when it has none (the usual case). An
 * array (corral's static files give the flat [name, value, ...] form; [[name, value], ...] is the other) becomes an
 * object: given an array, Node's compatibility writeHead calls removeHeader() for every name before appending it,
 * where an object's names are each set once (removeHeader alone was 1 us of a 47 us HTTP/2 static response,
 * profiled). A name given twice (Set-Cookie) keeps every value, as an array; names an ordinary object already has
 * (`constructor`, `__proto__`) keep the array form.
 */
function withoutConnectionHeaders(headers: Headers): Headers {
  if (!Array.isArray(headers)) {
    if (!Object.keys(headers).some(isConnectionHeader)) return headers;
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !isConnectionHeader(name)));
  }
  const pairs = headers.length > 0 && Array.isArray(headers[0]);
  const step = pairs ? 1 : 2;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < headers.length; i += step) {
    const name = pairs ? (headers[i] as unknown[])[0] : headers[i];
    const value = pairs ? (headers[i] as unknown[])[1] : headers[i + 1];
    if (typeof name !== 'string') return keptAsArray(headers, pairs);
    const key = name.toLowerCase();
    if (key in Object.prototype) return keptAsArray(headers, pairs);
    if (isConnectionHeader(key)) continue;
    const before = out[key];
    out[key] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return out;
}

/** The array without the connection-specific headers, for the rare array an object cannot stand for. */
function keptAsArray(headers: unknown[], pairs: boolean): unknown[] {
  const nameAt = (i: number) => (pairs ? (headers[i] as unknown[])[0] : headers[i]);
  const step = pairs ? 1 : 2;
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

  /** The rapid-reset check of its session (h2-guard.ts): the stream no longer knows its session when it closes. */
  readonly [GUARD]: SessionGuard | undefined;

  // Node's compatibility layer makes each response with the stream alone (`new ServerResponse(stream)`).
  constructor(stream: ServerHttp2Stream) {
    super(stream);
    this[GUARD] = guardOf(stream.session);
  }

  /** Its emit reports its close (see front-end.ts), as long as the app leaves its prototype alone. */
  get [REPORTS_CLOSE](): true {
    return true;
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'close') {
      responseClosed(this as never);
      // Cancelled by the client (an RST_STREAM, whatever its code), or closed before the response was complete.
      const guard = this[GUARD];
      if (guard !== undefined) streamClosed(guard, this.stream.rstCode !== 0 || !this.writableEnded);
    }
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
