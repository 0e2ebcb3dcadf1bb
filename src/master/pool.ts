// The master's worker pool: forks one worker per slot, replaces dead ones with a backoff, and stops them all on request.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../log/logger.ts';
import { isWorkerMessage, WORKER_ID_ENV, type MasterMessage, type WorkerMessage } from '../worker/messages.ts';
import { QUICK_DEATH_MS, respawnDelay } from './backoff.ts';

interface Slot {
  id: number;
  worker: Worker | undefined;
  forkedAt: number;
  ready: boolean;
  quickDeaths: number;
  respawnTimer: NodeJS.Timeout | undefined;
}

type ReadyMessage = Extract<WorkerMessage, { type: 'corral:ready' }>;
type FatalMessage = Extract<WorkerMessage, { type: 'corral:fatal' }>;

export interface PoolEvents {
  /** A worker (a first one or a replacement) serves. */
  workerReady(slotId: number, worker: Worker, message: ReadyMessage): void;
  /** Every slot has had a ready worker: the pool serves. Fires once. */
  poolReady(message: ReadyMessage): void;
  /**
   * A worker cannot start before the pool was ever ready (bad app, address refused): the master must stop, and no
   * worker is forked again. Afterwards the same message only counts as a crash, replaced after a backoff.
   */
  fatal(slotId: number, message: FatalMessage): void;
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly everReady = new Set<number>();
  private stopping = false;
  private allExited: (() => void) | undefined;

  constructor(
    size: number,
    private readonly env: Record<string, string>,
    private readonly log: Logger,
    private readonly events: PoolEvents,
  ) {
    this.slots = Array.from({ length: size }, (_, i) => ({ id: i + 1, worker: undefined, forkedAt: 0, ready: false, quickDeaths: 0, respawnTimer: undefined }));
  }

  start(): void {
    for (const slot of this.slots) this.fork(slot);
  }

  /** Pids of the workers alive now, by slot. */
  pids(): number[] {
    return this.slots.flatMap((slot) => (slot.worker?.process.pid === undefined ? [] : [slot.worker.process.pid]));
  }

  /** Asks every worker to drain and exit; resolves when none is left. No worker is replaced from now on. */
  stop(): Promise<void> {
    this.stopping = true;
    const done = new Promise<void>((resolve) => (this.allExited = resolve));
    for (const slot of this.slots) {
      clearTimeout(slot.respawnTimer);
      const worker = slot.worker;
      if (worker === undefined) continue;
      // A worker that is exiting right now cannot take the message; its 'exit' event follows.
      if (worker.isConnected()) worker.send({ type: 'corral:stop' } satisfies MasterMessage, undefined, () => {});
      else worker.process.kill('SIGTERM');
    }
    if (this.alive() === 0) this.allExited?.();
    return done;
  }

  /** Kills the workers still alive (graceful-timeout passed); returns how many there were. */
  kill(): number {
    const left = this.slots.filter((slot) => slot.worker !== undefined);
    for (const slot of left) {
      this.log.warn({ worker: slot.id, workerPid: slot.worker?.process.pid }, 'worker still busy at graceful-timeout: killing it');
      slot.worker?.process.kill('SIGKILL');
    }
    return left.length;
  }

  private alive(): number {
    return this.slots.filter((slot) => slot.worker !== undefined).length;
  }

  private fork(slot: Slot): void {
    slot.respawnTimer = undefined;
    slot.ready = false;
    slot.forkedAt = Date.now();
    const worker = cluster.fork({ ...this.env, [WORKER_ID_ENV]: String(slot.id) });
    slot.worker = worker;
    worker.on('message', (message: unknown) => {
      if (isWorkerMessage(message)) this.onMessage(slot, worker, message);
    });
    // A message to a worker that is exiting fails (EPIPE); without a listener that error would end the master.
    worker.on('error', (err: Error) => this.log.warn({ worker: slot.id, workerPid: worker.process.pid, err }, 'IPC with a worker failed'));
    worker.on('exit', (code, signal) => this.onExit(slot, worker, code, signal));
  }

  private onMessage(slot: Slot, worker: Worker, message: WorkerMessage): void {
    if (message.type === 'corral:ready') {
      slot.ready = true;
      this.events.workerReady(slot.id, worker, message);
      const wasReady = this.everReady.size === this.slots.length;
      this.everReady.add(slot.id);
      if (!wasReady && this.everReady.size === this.slots.length) this.events.poolReady(message);
      return;
    }
    if (this.stopping) return; // stopping already (a signal, or another worker's fatal): one report is enough
    if (this.everReady.size < this.slots.length) {
      this.stopping = true; // a start failure before the pool ever served is never retried
      this.events.fatal(slot.id, message);
      return;
    }
    // The app served before, so this may pass (a database down for a while): the exit that follows backs off.
    const fields = { worker: slot.id, workerPid: worker.process.pid, code: message.code, exitCode: message.exitCode, reason: message.message };
    this.log.error(fields, 'a replacement worker could not start');
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    const lived = Date.now() - slot.forkedAt;
    const exit = { worker: slot.id, workerPid: worker.process.pid, code, signal, livedMs: lived };
    if (this.stopping) {
      this.log.info(exit, 'worker exited');
      if (this.alive() === 0) this.allExited?.();
      return;
    }
    slot.quickDeaths = lived < QUICK_DEATH_MS || !slot.ready ? slot.quickDeaths + 1 : 0;
    const delay = respawnDelay(slot.quickDeaths);
    this.log.error({ ...exit, respawnInMs: delay }, 'worker died: replacing it');
    slot.respawnTimer = setTimeout(() => this.fork(slot), delay);
  }
}
