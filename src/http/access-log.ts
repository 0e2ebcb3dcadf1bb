// One access-log line per request, built by hand from primitives and appended to the logger's destination once the exchange is over.
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest, Http2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isoTimeAt, type LineSink } from '../log/logger.ts';
import { connectionOf, sentBytes } from './connections.ts';
import type { InFlightNode } from './in-flight.ts';

/** What the access line needs from the start of a request; it is also the request's node in the in-flight list. */
export interface RequestRecord extends InFlightNode {
  /** The request id (`w2-1a`). */
  id: string;
  started: number;
  /** The socket's byte count before this request, for a socket whose bytes its Connection does not count (see connections.ts); else 0. */
  bytesBefore: number;
  /** The client: the peer, or the address a trusted proxy named in X-Forwarded-For (see forwarded.ts). Read at the start: a closed socket no longer knows its peer. */
  remote: string;
  /** The trusted proxy the request came through, when it named the client. */
  proxy: string | undefined;
  /** Answered by the static path (static-map, check-static, static-fallback), not the app: set by the pipeline. */
  static: boolean;
  /** The app threw or rejected on it (the client got a 500): set by the pipeline. */
  failed: boolean;
  /** The response's bytes once read (see responseBytesOf), else -1: the access line and the stats read them once. */
  bytes: number;
}

/**
 * What the access line, its filters and the stats counters read of a finished exchange: a node:http response, or the
 * static fast path's account of one it answered straight from the socket's bytes (fast-path.ts).
 */
export interface ClosedExchange {
  readonly req: Pick<IncomingMessage, 'method' | 'url' | 'httpVersion' | 'httpVersionMajor' | 'socket' | 'headers'>;
  readonly statusCode: number;
  /** False when the response was cut before it finished. */
  readonly writableFinished: boolean;
}

/** Where an HTTP/2 session keeps its client's address: read once per connection, not through a stream's socket proxy per request. */
const PEER = Symbol('corral.peer');

type PeerSession = Http2Session & { [PEER]?: string };

/** The address of the client of an HTTP/2 session, read once per session; undefined for a stream that lost its session. */
function sessionPeer(session: PeerSession | undefined): string | undefined {
  if (session === undefined) return undefined;
  session[PEER] ??= session.socket?.remoteAddress ?? 'unix';
  return session[PEER];
}

/** The address of the other end of the request's connection (`unix` on a unix socket). */
function peerOf(req: IncomingMessage): string {
  if (req.httpVersionMajor === 2) {
    // Http2ServerRequest.socket is a proxy made for each request; the session is the connection's.
    const peer = sessionPeer((req as unknown as Http2ServerRequest).stream.session as PeerSession | undefined);
    if (peer !== undefined) return peer;
  }
  const socket = req.socket;
  return connectionOf(socket)?.peer ?? socket.remoteAddress ?? 'unix';
}

export function openRecord(id: string, req: IncomingMessage, client?: string): RequestRecord {
  const peer = peerOf(req);
  // The bytes of a response are counted on its connection (connections.ts); a socket the front end did not accept
  // is read now. HTTP/2 streams share one connection, whose count says nothing about one response: no bytes there.
  const bytesBefore = req.httpVersionMajor === 2 || connectionOf(req.socket) !== undefined ? 0 : sentBytes(req.socket);
  return newRecord(id, bytesBefore, client ?? peer, client === undefined ? undefined : peer, false);
}

/**
 * The record of a request the fast path answered (fast-path.ts), made after the answer was written: its client is the
 * connection's peer, its start `started`.
 */
export function openFastRecord(id: string, socket: Socket, isStatic: boolean, started: number): RequestRecord {
  const connection = connectionOf(socket);
  const record =
    connection === undefined
      ? newRecord(id, sentBytes(socket), socket.remoteAddress ?? 'unix', undefined, isStatic)
      : newRecord(id, 0, connection.peer, undefined, isStatic);
  record.started = started;
  return record;
}

/** The record of an HTTP/2 request the stream fast path answered (h2-fast-path.ts): its client is the session's peer. */
export function openStreamRecord(id: string, session: Http2Session | undefined, started: number): RequestRecord {
  const record = newRecord(id, 0, sessionPeer(session) ?? 'unix', undefined, true);
  record.started = started;
  return record;
}

function newRecord(
  id: string,
  bytesBefore: number,
  remote: string,
  proxy: string | undefined,
  isStatic: boolean,
): RequestRecord {
  return {
    id,
    started: performance.now(),
    bytesBefore,
    remote,
    proxy,
    static: isStatic,
    failed: false,
    bytes: -1,
    res: undefined,
    prev: undefined,
    next: undefined,
    list: undefined,
  };
}

/** The bytes the HTTP/1 response `res` put on its socket, headers included. */
function responseBytes(socket: Socket, record: RequestRecord): number {
  // An HTTP/1 response is seen to end as it finishes, before node:http lets the next pipelined one write.
  const sent = sentBytes(socket);
  const connection = connectionOf(socket);
  if (connection === undefined) return sent - record.bytesBefore;
  // Responses of a connection close in order: this one's bytes are all those since the one before.
  const bytes = sent - connection.sent;
  connection.sent = sent;
  return bytes;
}

/**
 * The bytes of a closed HTTP/1 response, read once (a second read would find the next response's start moved): the
 * access line and the stats counters both ask. 0 for HTTP/2, whose streams share one connection's count.
 */
export function responseBytesOf(res: ClosedExchange, record: RequestRecord): number {
  if (record.bytes < 0) record.bytes = res.req.httpVersionMajor === 2 ? 0 : responseBytes(res.req.socket, record);
  return record.bytes;
}

/** `.01` to `.99` (and nothing for a whole number): the hundredths of a duration, without formatting a float. */
const HUNDREDTHS = Array.from({ length: 100 }, (_, n) => (n === 0 ? '' : String(n / 100).slice(1)));

/** A duration in ms as JSON writes it, rounded to hundredths: what `${Math.round(ms * 100) / 100}` gives. */
export function durationText(ms: number): string {
  const hundredths = Math.round(ms * 100);
  const whole = Math.floor(hundredths / 100);
  return `${whole}${HUNDREDTHS[hundredths - whole * 100]}`;
}

/**
 * Returns the writer of `request` lines: the request id (`reqId`), method, path, status, bytes (sent on the socket,
 * headers included), duration in ms and the client's address (`remote`; behind a trusted proxy, the one it named,
 * with the proxy as `proxy`); `aborted: true` when the response was cut before it finished. The line has the same
 * shape as the logger's own (`level`, `time`, the process's bindings first, `msg` last), without pino's per-call
 * serialisation, child logger or object per line: at tens of thousands of requests a second, that cost was a third
 * of a worker's time. Most of what remains is joining strings (each join makes a rope node, and the block written
 * later copies every piece), so a line is joined from six: the text up to the request id, made once per millisecond;
 * the id; the method, path and status, made when they change from one line to the next, which they mostly do not;
 * the bytes; the duration; the client with the end of the line (flat, made when it changes). One clock read (the end; the time
 * of day comes from it too), no float formatted.
 */
export function accessLog(sink: LineSink): (res: ClosedExchange, record: RequestRecord) => void {
  const bindings = sink.bindingsJson === '' ? '' : `,${sink.bindingsJson}`;
  const leadAt = isoTimeAt((time) => flat(`{"level":"info"${time}${bindings},"reqId":"`));
  let method: string | undefined;
  let url: string | undefined;
  let status = 0;
  let exchange = '';
  let remote: string | undefined;
  let proxy: string | undefined;
  let aborted = false;
  let client = '';
  return (res, record) => {
    const req = res.req;
    const now = performance.now();
    if (req.method !== method || req.url !== url || res.statusCode !== status) {
      method = req.method;
      url = req.url;
      status = res.statusCode;
      exchange = `","method":${jsonString(method ?? '')},"path":${jsonString(url ?? '')},"status":${status}`;
    }
    const finished = res.writableFinished;
    if (record.remote !== remote || record.proxy !== proxy || finished === aborted) {
      remote = record.remote;
      proxy = record.proxy;
      aborted = !finished;
      client = flat(
        `,"remote":${jsonString(remote)}${proxy === undefined ? '' : `,"proxy":${jsonString(proxy)}`}` +
          `${aborted ? ',"aborted":true' : ''},"msg":"request"}\n`,
      );
    }
    // HTTP/2 streams share one connection, whose count says nothing about one response: no bytes for them.
    const bytes = req.httpVersionMajor === 2 ? '' : `,"bytes":${responseBytesOf(res, record)}`;
    // Short pieces joined first stay one flat string (V8 copies joins under 13 characters): `,"ms":0.05` is one.
    const ms = `,"ms":${durationText(now - record.started)}`;
    sink.writeLine(`${leadAt(now)}${record.id}${exchange}${bytes}${ms}${client}`);
  };
}

/**
 * `text` flattened once here instead of walked again in every line that holds it: reading a character of a rope
 * makes V8 copy its pieces into one flat string, in place. A JSON round trip did the same at four to five times the
 * cost (about 0.5 us against 0.1 us for this line's lead, measured in isolation), and at a few thousand requests a
 * second the lead is made again for nearly every request: 0.35% of a worker's time on a SvelteKit page (profiled).
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** Characters a JSON string can hold as they are: printable ASCII but the quote and the backslash. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal; the common case (a plain path or address) is quoted without JSON.stringify's work. */
function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}
