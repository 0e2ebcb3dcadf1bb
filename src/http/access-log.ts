// One access-log line per request, written by the front end's one 'close' handler once the exchange is over.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.ts';

/** What the access line needs from the start of a request. */
export interface RequestRecord {
  /** The request id (`w2-1a`). */
  id: string;
  started: number;
  /** The socket's byte count before this request: keep-alive sockets carry many. */
  bytesBefore: number;
  /** Read at the start: a socket that is already closed no longer knows its peer. */
  remote: string;
}

export function openRecord(id: string, req: IncomingMessage): RequestRecord {
  const socket = req.socket;
  return { id, started: performance.now(), bytesBefore: socket.bytesWritten, remote: socket.remoteAddress ?? 'unix' };
}

/**
 * Logs `request` with the request id, method, path, status, bytes (sent on the socket, headers included), duration
 * in ms and the remote address; `aborted: true` when the response was cut before it finished. `worker` comes from
 * the logger's bindings.
 */
export function logRequest(log: Logger, res: ServerResponse, record: RequestRecord): void {
  const req = res.req;
  log.info(
    {
      req: record.id,
      method: req.method,
      path: req.url,
      status: res.statusCode,
      // HTTP/2 streams share one connection, whose count says nothing about one response: no bytes for them.
      bytes: req.httpVersionMajor === 2 ? undefined : req.socket.bytesWritten - record.bytesBefore,
      ms: Math.round((performance.now() - record.started) * 100) / 100,
      remote: record.remote,
      aborted: res.writableFinished ? undefined : true,
    },
    'request',
  );
}
