// send-timeout for the static fast path's answers: they leave no response in flight for progress-timeouts.ts to watch, so a connection whose queued bytes stop shrinking is found by a look of its own.
import type { Socket } from 'node:net';
import { queuedBytes } from './progress-timeouts.ts';
import type { RefusalLog } from './refusal-log.ts';
import { lookPeriod, watchLoop } from './watch-loop.ts';

export interface SendWatch {
  /** Watches `socket`, which has bytes queued after a fast answer, until its queue is empty (or it is closed). */
  add(socket: Socket): void;
}

/** What the last look saw of one connection: its queue, and since when it has not shrunk. */
interface Mark {
  queued: number;
  since: number;
}

/**
 * Looks at the connections it was given a few times per send-timeout (at most each second), only while it has any: a
 * queue that did not shrink for send-timeout ends its connection, counted as node:http's answers are
 * (progress-timeouts.ts does the same for responses in flight). 0: no timeout.
 */
export function sendWatch(sendTimeoutMs: number, refusals: RefusalLog): SendWatch {
  const watched = new Map<Socket, Mark>();
  const loop = watchLoop(watched, lookPeriod(sendTimeoutMs), (now) => {
    for (const [socket, mark] of watched) {
      const queued = queuedBytes(socket);
      if (socket.destroyed || (queued === 0 && socket.writableLength === 0)) {
        watched.delete(socket);
      } else if (queued < mark.queued) {
        mark.queued = queued;
        mark.since = now;
      } else if (now - mark.since >= sendTimeoutMs) {
        refusals.refused('send-timeout', socket.remoteAddress);
        watched.delete(socket);
        socket.destroy();
      }
    }
  });
  return {
    add(socket) {
      if (sendTimeoutMs <= 0) return;
      const mark = watched.get(socket);
      // A new answer behind one still queued: the queue grew, which is no progress, and the next look starts from it.
      if (mark !== undefined) {
        mark.queued = Math.max(mark.queued, queuedBytes(socket));
        return;
      }
      watched.set(socket, { queued: queuedBytes(socket), since: performance.now() });
      loop.wake();
    },
  };
}
