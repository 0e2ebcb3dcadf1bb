// Socket activation, listener side: a server listens on an inherited descriptor; a cluster worker asks the master for its copy of it (src/master/activated-sockets.ts).
import cluster from 'node:cluster';
import type { Server } from 'node:net';
import { isActivatedSocket, type WorkerMessage } from '../worker/messages.ts';

/** Starts `server` listening on descriptor `fd`; 'listening' or 'error' follows as with any listen. */
export function listenOnDescriptor(server: Server, fd: number): void {
  // The master itself (sticky-sessions accept there): the descriptor is its own.
  if (!cluster.isWorker) return void server.listen({ fd });
  const onMessage = (message: unknown, handle: unknown) => {
    if (!isActivatedSocket(message, fd) || handle === undefined || handle === null) return;
    process.off('message', onMessage);
    // A raw handle: the worker accepts from its copy of the socket itself, as with scheduling-policy = shared.
    server.listen(handle as { fd: number });
  };
  process.on('message', onMessage);
  const ask: WorkerMessage = { type: 'corral:activated-socket', fd };
  process.send?.(ask);
}
