// One access-log line per request, built by hand from primitives and appended to the logger's destination once the exchange is over.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isoTimeOncePerMs, type LineSink } from '../log/logger.ts';

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

export function openRecord(id: string, req: IncomingMessage, client?: string): RequestRecord {
  const socket = req.socket;
  const peer = socket.remoteAddress ?? 'unix';
  return {
    id,
    started: performance.now(),
    bytesBefore: socket.bytesWritten,
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
 * of a worker's time.
 */
export function accessLog(sink: LineSink): (res: ServerResponse, record: RequestRecord) => void {
  const time = isoTimeOncePerMs();
  const head = `{"level":"info"`;
  const bindings = sink.bindingsJson === '' ? '' : `,${sink.bindingsJson}`;
  return (res, record) => {
    const req = res.req;
    // HTTP/2 streams share one connection, whose count says nothing about one response: no bytes for them.
    const bytes = req.httpVersionMajor === 2 ? '' : `,"bytes":${req.socket.bytesWritten - record.bytesBefore}`;
    const ms = Math.round((performance.now() - record.started) * 100) / 100;
    const proxy = record.proxy === undefined ? '' : `,"proxy":${jsonString(record.proxy)}`;
    const aborted = res.writableFinished ? '' : ',"aborted":true';
    sink.writeLine(
      `${head}${time()}${bindings},"reqId":"${record.id}","method":${jsonString(req.method ?? '')},"path":${jsonString(req.url ?? '')}` +
        `,"status":${res.statusCode}${bytes},"ms":${ms},"remote":${jsonString(record.remote)}${proxy}${aborted},"msg":"request"}\n`,
    );
  };
}

/** Characters a JSON string can hold as they are: printable ASCII but the quote and the backslash. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal; the common case (a plain path or address) is quoted without JSON.stringify's work. */
function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}
