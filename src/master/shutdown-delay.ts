// The master's side of shutdown-delay: every worker is told to fail health-path, and the stop waits for the delay (or a second signal).
import cluster from 'node:cluster';
import type { Logger } from '../log/logger.ts';
import type { MasterMessage } from '../worker/messages.ts';
import { waitShutdownDelay } from '../worker/shutdown-delay.ts';

const FAIL_HEALTH: MasterMessage = { type: 'corral:shutdown-delay' };

/** Tells every worker (serving or starting) that a stop is coming, then waits shutdown-delay; at once for 0. */
export async function delayStop(seconds: number, log: Logger, cut: Promise<string>): Promise<void> {
  if (seconds <= 0) return;
  for (const worker of Object.values(cluster.workers ?? {})) {
    if (worker?.isConnected() === true) worker.send(FAIL_HEALTH, undefined, () => {});
  }
  await waitShutdownDelay(seconds, log, cut);
}
