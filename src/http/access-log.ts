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
  /** The client: the peer, or the address a trusted proxy named in X-Forwarded-For (see forwarded.ts). Read at the start: a closed socket no longer knows its peer. */
  remote: string;
  /** The trusted proxy the request came through, when it named the client. */
  proxy?: string;
}

export function openRecord(id: string, req: IncomingMessage, client?: string): RequestRecord {
  const socket = req.socket;
  const peer = socket.remoteAddress ?? 'unix';
  if (client === undefined) return { id, started: performance.now(), bytesBefore: socket.bytesWritten, remote: peer };
  return { id, started: performance.now(), bytesBefore: socket.bytesWritten, remote: client, proxy: peer };
}

/**
 * Logs `request` with the request id, method, path, status, bytes (sent on the socket, headers included), duration
 * in ms and the client's address (`remote`; behind a trusted proxy, the one it named, with the proxy as `proxy`); `aborted: true` when the response was cut before it finished. `worker` comes from
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
      proxy: record.proxy,
      aborted: res.writableFinished ? undefined : true,
    },
    'request',
  );
}
