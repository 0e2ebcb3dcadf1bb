// client-body-timeout and send-timeout: a periodic look at the HTTP/1.x requests in flight finds a body that stopped arriving and a response the client stopped taking; a quick request is never seen.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sendError } from './error-response.ts';
import type { InFlight } from './in-flight.ts';
import type { RefusalLog } from './refusal-log.ts';

export interface ProgressTimeouts {
  /** The longest a request body may stall (no byte read while corral is ready to read). */
  bodyTimeoutMs: number;
  /** The longest a client may take no byte of its response (none leaves corral's send queue). */
  sendTimeoutMs: number;
}

/** What the last look saw of one connection that was waiting on its client. */
interface Watch {
  /** Bytes read (body) or still queued to send (response) at the last look. */
  mark: number;
  /** performance.now() when the client last made progress (or when the wait was first seen). */
  since: number;
  /** The look that last saw the connection waiting: a watch no look saw is forgotten. */
  seen: number;
}

type SocketInternals = Socket & {
  /** node:tls: the TCP socket under a TLS one (whose own handle's queue counts plain text not yet encrypted). */
  _parent?: Socket | null;
  _handle?: { writeQueueSize?: number } | null;
};

/**
 * Bytes corral has handed to the connection that the kernel has not taken yet (libuv's write queue of the TCP
 * handle): it shrinks with every byte the client takes, even from one large write that completes only at its end.
 */
export function queuedBytes(socket: Socket): number {
  const tcp = (socket as SocketInternals)._parent ?? socket;
  return (tcp as SocketInternals)._handle?.writeQueueSize ?? 0;
}

/**
 * Looks at the requests in flight a few times per timeout (at most every second). A request is only ever looked at
 * while it is in flight at a look, so the check costs nothing per request: a quick one is gone before the next look.
 * - Body: a request whose body is not all in, while its connection is not paused by corral (node:http pauses it when
 *   the app has not read what came), whose connection read no byte for client-body-timeout, gets 408 and a closed
 *   connection; if its response had begun, the connection is closed. The app's body reader then fails (aborted).
 * - Send: a connection whose send queue did not shrink for send-timeout, with bytes in it, is destroyed: its
 *   response closes, the app's writes fail, and what it held is freed.
 * Returns a function that stops the looks.
 */
export function enforceProgressTimeouts(
  inFlight: InFlight<unknown>,
  timeouts: ProgressTimeouts,
  refusals: RefusalLog,
): () => void {
  const { bodyTimeoutMs, sendTimeoutMs } = timeouts;
  const reading = new Map<Socket, Watch>();
  const sending = new Map<Socket, Watch>();
  let look = 0;
  const stalled = (watches: Map<Socket, Watch>, socket: Socket, mark: number, progress: boolean, now: number) => {
    const watch = watches.get(socket);
    if (watch === undefined) {
      watches.set(socket, { mark, since: now, seen: look });
      return 0;
    }
    if (progress) watch.since = now;
    watch.mark = mark;
    watch.seen = look;
    return now - watch.since;
  };
  const timedOutBody = (res: ServerResponse, socket: Socket) => {
    refusals.refused('client-body-timeout', socket.remoteAddress);
    // The app's own writes after this go nowhere; without a listener their error would end the worker.
    res.on('error', () => {});
    if (res.headersSent) return void socket.destroy();
    res.shouldKeepAlive = false;
    sendError(res, 408, 'Request Timeout (the request body stalled: client-body-timeout)');
    res.once('finish', () => socket.destroy());
  };
  const check = () => {
    look++;
    const now = performance.now();
    for (const [res] of inFlight) {
      const req = res.req;
      if (req === undefined || req.httpVersionMajor === 2) continue;
      const socket = req.socket;
      if (socket === null || socket.destroyed) continue;
      const queued = queuedBytes(socket);
      if (queued > 0) {
        const previous = sending.get(socket)?.mark ?? queued;
        if (stalled(sending, socket, queued, queued < previous, now) >= sendTimeoutMs) {
          refusals.refused('send-timeout', socket.remoteAddress);
          sending.delete(socket);
          socket.destroy();
          continue;
        }
      }
      if (!req.complete && !socket.isPaused()) {
        const read = socket.bytesRead;
        const previous = reading.get(socket)?.mark ?? read;
        if (stalled(reading, socket, read, read > previous, now) >= bodyTimeoutMs) {
          reading.delete(socket);
          timedOutBody(res, socket);
        }
      }
    }
    // A connection no longer waiting (its request done, or its client caught up) starts afresh next time.
    for (const [socket, watch] of reading) if (watch.seen !== look) reading.delete(socket);
    for (const [socket, watch] of sending) if (watch.seen !== look) sending.delete(socket);
  };
  const timer = setInterval(
    check,
    Math.max(50, Math.min(1000, Math.round(Math.min(bodyTimeoutMs, sendTimeoutMs) / 4))),
  );
  timer.unref();
  return () => clearInterval(timer);
}
