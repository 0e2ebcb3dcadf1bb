// The master's actions that change the pool (reload, recycle, add or remove a worker), run one at a time in the order asked.
import type { Logger } from '../log/logger.ts';
import type { RecycleReason } from '../worker/messages.ts';
import type { WorkerPool } from './pool.ts';
import { rollingReload, type ReloadDeps } from './reload.ts';
import type { SystemdNotifier } from './sd-notify.ts';

export class MasterActions {
  private tail: Promise<void> = Promise.resolve();
  private reloadQueued = false;
  private readonly pool: WorkerPool;
  private readonly log: Logger;

  constructor(
    private readonly deps: ReloadDeps,
    private readonly systemd?: SystemdNotifier,
  ) {
    this.pool = deps.pool;
    this.log = deps.log;
  }

  /** A rolling reload; one asked for while another waits to start is the same reload. */
  reload(trigger: string): void {
    if (this.reloadQueued) return this.log.info({ trigger }, 'reload already queued');
    this.reloadQueued = true;
    this.enqueue(async () => {
      this.reloadQueued = false;
      // systemd shows the unit reloading until READY=1, whether the reload worked or the old workers stay.
      void this.systemd?.reloading();
      try {
        await rollingReload(this.deps, trigger);
      } finally {
        if (!this.pool.isStopping) void this.systemd?.ready(`serving (reloaded: ${trigger})`);
      }
    });
  }

  /**
   * Replaces worker `workerPid` of `slotId`, which reached a recycling limit; it keeps serving if its replacement cannot
   * start. Nothing happens if a reload replaced it in the meantime.
   */
  recycle(slotId: number, workerPid: number | undefined, reason: RecycleReason): void {
    this.enqueue(async () => {
      const outcome = await this.pool.replace(slotId, reason, undefined, workerPid);
      if (outcome?.ok === false) {
        this.log.error(
          { worker: slotId, reason, why: outcome.reason },
          'recycling failed: the replacement could not start; the worker keeps serving',
        );
      }
    });
  }

  /** SIGTTIN: one more worker. */
  addWorker(): void {
    this.enqueue(async () => {
      const outcome = await this.pool.addSlot();
      this.log.info({ signal: 'SIGTTIN', started: outcome.ok, workers: this.pool.slotIds().length }, 'worker added');
    });
  }

  /** SIGTTOU: one worker fewer, never below one. */
  removeWorker(): void {
    this.enqueue(async () => {
      const removed = this.pool.removeSlot('SIGTTOU');
      const workers = this.pool.slotIds().length;
      if (removed) this.log.info({ signal: 'SIGTTOU', workers }, 'worker removed');
      else this.log.warn({ signal: 'SIGTTOU', workers }, 'SIGTTOU ignored: the last worker stays');
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.tail = this.tail.then(task).catch((err: unknown) => this.log.error({ err }, 'a master action failed'));
  }
}
