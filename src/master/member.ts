// One forked worker process as the master sees it: its slot, how its start ended, why it was asked to exit, and its last heartbeat.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../log/logger.ts';
import {
  WORKER_ID_ENV,
  isWorkerMessage,
  type HeldRequest,
  type MasterMessage,
  type WorkerMessage,
} from '../worker/messages.ts';

export type FatalMessage = Extract<WorkerMessage, { type: 'corral:fatal' }>;

/** How a worker's start ended: it serves, or it never will (a fatal message, or an exit before it was ready). */
export type StartOutcome = { ok: true } | { ok: false; reason: string; fatal?: FatalMessage };

export interface MemberEvents {
  message(member: Member, message: WorkerMessage): void;
  exit(member: Member, code: number | null, signal: string | null): void;
}

export class Member {
  readonly worker: Worker;
  readonly forkedAt = Date.now();
  ready = false;
  /** Why the master asked this worker to exit (reload, stop, max-requests, harakiri, SIGTTOU...); undefined if it did not. */
  exitReason: string | undefined;
  /** When its last heartbeat (or its ready message) came, and the requests that heartbeat named. */
  lastBeat = Date.now();
  held: HeldRequest[] = [];
  /** Kills it at graceful-timeout once it was asked to stop. */
  killTimer: NodeJS.Timeout | undefined;
  readonly started: Promise<StartOutcome>;
  private settle: (outcome: StartOutcome) => void = () => {};

  constructor(
    readonly slotId: number,
    env: Record<string, string>,
    log: Logger,
    events: MemberEvents,
  ) {
    this.started = new Promise((resolve) => (this.settle = resolve));
    this.worker = cluster.fork({ ...env, [WORKER_ID_ENV]: String(slotId) });
    this.worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'corral:closing-listeners') return this.confirmListenersClosed();
      this.noteStart(message);
      events.message(this, message);
    });
    // A message to a worker that is exiting fails (EPIPE); without a listener that error would end the master.
    this.worker.on('error', (err: Error) =>
      log.warn({ worker: slotId, workerPid: this.pid, err }, 'IPC with a worker failed'),
    );
    this.worker.on('exit', (code, signal) => {
      clearTimeout(this.killTimer);
      this.settle({
        ok: false,
        reason: signal === null ? `it exited with code ${String(code)}` : `it was killed by ${signal}`,
      });
      events.exit(this, code, signal);
    });
  }

  get pid(): number | undefined {
    return this.worker.process.pid;
  }

  /** Asks the worker to drain and exit; `reason` is logged with its exit. */
  stop(reason: string): void {
    this.exitReason ??= reason;
    // A worker that is exiting right now cannot take the message; its 'exit' event follows.
    if (this.worker.isConnected())
      this.worker.send({ type: 'corral:stop', reason } satisfies MasterMessage, undefined, () => {});
    else this.worker.process.kill('SIGTERM');
  }

  /**
   * Node's cluster module hands the connections of a shared listener to the workers in turn (round-robin), each with a
   * message the worker must acknowledge. A worker that drains closes its listeners, which tells the cluster module
   * here to stop; a connection sent to it before that message was read is still on its way, and the worker sends it
   * back (the master gives it to another worker) only if it is still there to read it. The worker asks this question
   * after closing its listeners, over the same channel: the cluster module has read the close by the time the question
   * is read here, and the answer reaches the worker behind every connection sent to it before.
   */
  private confirmListenersClosed(): void {
    if (this.worker.isConnected())
      this.worker.send({ type: 'corral:listeners-closed' } satisfies MasterMessage, undefined, () => {});
  }

  kill(reason: string): void {
    this.exitReason ??= reason;
    this.worker.process.kill('SIGKILL');
  }

  private noteStart(message: WorkerMessage): void {
    if (message.type === 'corral:ready') {
      this.ready = true;
      this.lastBeat = Date.now();
      this.settle({ ok: true });
    } else if (message.type === 'corral:fatal') {
      this.settle({ ok: false, reason: message.message, fatal: message });
    } else if (message.type === 'corral:heartbeat') {
      this.lastBeat = Date.now();
      this.held = message.requests;
    }
  }
}
