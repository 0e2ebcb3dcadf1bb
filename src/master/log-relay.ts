// The master's side of the log file's messages: a worker's `corral:log-full` asks for a rotation, and `corral:log-reopen` goes out to every worker.
import cluster, { type Worker } from 'node:cluster';
import { isWorkerMessage, type MasterMessage } from '../worker/messages.ts';

const REOPEN: MasterMessage = { type: 'corral:log-reopen' };

/** Tells every worker (serving, starting or draining) to open the log file's path anew; none in single mode. */
export function tellWorkersToReopen(): void {
  for (const worker of Object.values(cluster.workers ?? {})) {
    if (worker?.isConnected() === true) worker.send(REOPEN, undefined, () => {});
  }
}

/** Calls `rotateIfFull` when a worker says its writes took the file past log-maxsize. Returns a function that stops. */
export function relayLogFull(rotateIfFull: () => void): () => void {
  const onMessage = (_worker: Worker, message: unknown) => {
    if (isWorkerMessage(message) && message.type === 'corral:log-full') rotateIfFull();
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
