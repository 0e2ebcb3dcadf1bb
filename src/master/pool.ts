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

export interface PoolEvents {
  ready(slotId: number, worker: Worker, message: Extract<WorkerMessage, { type: 'corral:ready' }>): void;
  fatal(slotId: number, message: Extract<WorkerMessage, { type: 'corral:fatal' }>): void;
}

export class WorkerPool {
  private readonly slots: Slot[];
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
    for (const slot of this.slots) {
      clearTimeout(slot.respawnTimer);
      if (slot.worker?.isConnected()) slot.worker.send({ type: 'corral:stop' } satisfies MasterMessage);
      else slot.worker?.process.kill('SIGTERM');
    }
    if (this.alive() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.allExited = resolve;
    });
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
      if (!isWorkerMessage(message)) return;
      if (message.type === 'corral:ready') {
        slot.ready = true;
        this.events.ready(slot.id, worker, message);
      } else if (message.type === 'corral:fatal') {
        this.stopping = true; // a fatal start failure is never retried
        this.events.fatal(slot.id, message);
      }
    });
    worker.on('exit', (code, signal) => this.onExit(slot, worker, code, signal));
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
