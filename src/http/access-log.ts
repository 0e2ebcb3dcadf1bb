// One access-log line per request, written when the response is finished or the client went away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.ts';

/**
 * Logs `request` with method, path, status, bytes (sent on the socket, headers included), duration in ms and
 * the remote address, once the exchange is over. `worker` and `req` (the request id) come from the logger's bindings.
 */
export function logWhenDone(log: Logger, req: IncomingMessage, res: ServerResponse, started: number): void {
  const socket = req.socket;
  const bytesBefore = socket.bytesWritten;
  const done = () => {
    res.off('finish', done);
    res.off('close', done);
    log.info(
      {
        method: req.method,
        path: req.url,
        status: res.statusCode,
        bytes: socket.bytesWritten - bytesBefore,
        ms: Math.round((performance.now() - started) * 100) / 100,
        remote: socket.remoteAddress ?? 'unix',
        aborted: res.writableFinished ? undefined : true,
      },
      'request',
    );
  };
  res.once('finish', done);
  res.once('close', done);
}
