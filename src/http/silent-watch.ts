// client-header-timeout for the connections the static fast path holds before their first byte: node:http would time them from its own list, which they are not in yet.
import type { Server, Socket } from 'node:net';
import { lookPeriod, watchLoop } from './watch-loop.ts';

export interface SilentWatch {
  /** Starts timing `socket`, just accepted. */
  add(socket: Socket): void;
  /** `socket` sent its first bytes (or was handed over): no longer timed here. */
  delete(socket: Socket): void;
}

/** node:http's error for a head that did not come in time: its 'clientError' listener answers 408 and counts it. */
function headTimedOut(): Error {
  return Object.assign(new Error('the client sent no request within client-header-timeout'), {
    code: 'ERR_HTTP_REQUEST_TIMEOUT',
  });
}

/**
 * A look every quarter of client-header-timeout (at most each second, as node:http checks its own), only while some
 * connection is silent: one that has sent nothing for the timeout gets what node:http gives it, through the server's
 * 'clientError' (408, counted). A map entry per connection instead of a socket timer: a timer is armed and disarmed
 * on every connection, and refreshed on each read while it is set.
 */
export function silentWatch(server: Server, headerTimeoutMs: number): SilentWatch {
  const silent = new Map<Socket, number>();
  const loop = watchLoop(silent, lookPeriod(headerTimeoutMs), (now) => {
    for (const [socket, since] of silent) {
      if (socket.destroyed) silent.delete(socket);
      else if (now - since >= headerTimeoutMs) {
        silent.delete(socket);
        server.emit('clientError', headTimedOut(), socket);
      }
    }
  });
  return {
    add(socket) {
      if (headerTimeoutMs <= 0) return;
      silent.set(socket, performance.now());
      loop.wake();
    },
    delete(socket) {
      silent.delete(socket);
    },
  };
}
