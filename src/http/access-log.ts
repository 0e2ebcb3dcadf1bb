// One access-log line per request, built by hand from primitives and appended to the logger's destination once the exchange is over.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isoTimeAt, type LineSink } from '../log/logger.ts';

/** What the access line needs from the start of a request. */
export interface RequestRecord {
  /** The request id (`w2-1a`). */
  id: string;
  started: number;
  /** The socket's byte count before this request: keep-alive sockets carry many. */
  bytesBefore: number;
  /** The client: the peer, or the address a trusted proxy named in X-Forwarded-For (see forwarded.ts). Read at the start: a closed socket no longer knows its peer. */
  remote: string;
  /** The trusted proxy the request came through, when it named the client. */
  proxy: string | undefined;
}

/** What a socket has handed to the kernel so far: net's own counter, without the pending writes that `bytesWritten` adds by walking its buffer. */
function sentBytes(socket: Socket): number {
  return (socket as Socket & { _bytesDispatched?: number })._bytesDispatched ?? socket.bytesWritten;
}

export function openRecord(id: string, req: IncomingMessage, client?: string): RequestRecord {
  const socket = req.socket;
  const peer = socket.remoteAddress ?? 'unix';
  return {
    id,
    started: performance.now(),
    // HTTP/2 streams share one connection, whose count says nothing about one response: no bytes for them.
    bytesBefore: req.httpVersionMajor === 2 ? 0 : sentBytes(socket),
    remote: client ?? peer,
    proxy: client === undefined ? undefined : peer,
  };
}

/**
 * Returns the writer of `request` lines: the request id (`reqId`), method, path, status, bytes (sent on the socket,
 * headers included), duration in ms and the client's address (`remote`; behind a trusted proxy, the one it named,
 * with the proxy as `proxy`); `aborted: true` when the response was cut before it finished. The line has the same
 * shape as the logger's own (`level`, `time`, the process's bindings first, `msg` last), without pino's per-call
 * serialisation, child logger or object per line: at tens of thousands of requests a second, that cost was a third
 * of a worker's time. One clock read per line (the end; the time of day comes from it too), and the values that
 * repeat from line to line (the method, the client's address) are escaped once.
 */
export function accessLog(sink: LineSink): (res: ServerResponse, record: RequestRecord) => void {
  const timeAt = isoTimeAt();
  const head = `{"level":"info"`;
  const bindings = sink.bindingsJson === '' ? '' : `,${sink.bindingsJson}`;
  const method = lastOne(jsonString);
  const remote = lastOne(jsonString);
  return (res, record) => {
    const req = res.req;
    const now = performance.now();
    const bytes = req.httpVersionMajor === 2 ? '' : `,"bytes":${sentBytes(req.socket) - record.bytesBefore}`;
    const ms = Math.round((now - record.started) * 100) / 100;
    const proxy = record.proxy === undefined ? '' : `,"proxy":${jsonString(record.proxy)}`;
    const aborted = res.writableFinished ? '' : ',"aborted":true';
    sink.writeLine(
      `${head}${timeAt(now)}${bindings},"reqId":"${record.id}","method":${method(req.method ?? '')},"path":${jsonString(req.url ?? '')}` +
        `,"status":${res.statusCode}${bytes},"ms":${ms},"remote":${remote(record.remote)}${proxy}${aborted},"msg":"request"}\n`,
    );
  };
}

/** `transform`, remembering its last argument and result: a worker's lines mostly repeat the one before. */
function lastOne(transform: (value: string) => string): (value: string) => string {
  let last: string | undefined;
  let result = '';
  return (value) => {
    if (value !== last) {
      last = value;
      result = transform(value);
    }
    return result;
  };
}

/** Characters a JSON string can hold as they are: printable ASCII but the quote and the backslash. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal; the common case (a plain path or address) is quoted without JSON.stringify's work. */
function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}
