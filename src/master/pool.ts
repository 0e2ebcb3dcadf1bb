// The master's worker pool: one worker per slot, crashes replaced with a backoff, replacements that serve before the old worker retires, and the stop of them all.
import type { Worker } from 'node:cluster';
import type { Logger } from '../log/logger.ts';
import type { SlotView, WorkerExit } from '../stats/aggregate.ts';
import type { WorkerMessage } from '../worker/messages.ts';
import { QUICK_DEATH_MS, respawnDelay } from './backoff.ts';
import { Member, type FatalMessage, type StartOutcome } from './member.ts';

interface Slot {
  id: number;
  /** The worker that serves for this slot (undefined while a respawn is pending). */
  current: Member | undefined;
  /** Its replacement, while that one starts. */
  pending: Member | undefined;
  /** The env its workers are forked with (it carries the config). */
  env: Record<string, string>;
  quickDeaths: number;
  respawnTimer: NodeJS.Timeout | undefined;
}

type ReadyMessage = Extract<WorkerMessage, { type: 'corral:ready' }>;
type RecycleMessage = Extract<WorkerMessage, { type: 'corral:recycle' }>;

export interface PoolEvents {
  /** A worker (a first one, a respawn or a replacement) serves. */
  workerReady(slotId: number, worker: Worker, message: ReadyMessage): void;
  /** Every slot has had a ready worker: the pool serves. Fires once. */
  poolReady(message: ReadyMessage): void;
  /**
   * A worker cannot start before the pool was ever ready (bad app, address refused): the master must stop, and no
   * worker is forked again. Afterwards the same message only counts as a crash, replaced after a backoff.
   */
  fatal(slotId: number, message: FatalMessage): void;
  /** The serving worker `workerPid` reached a recycling limit and asks to be replaced. */
  recycle?(slotId: number, workerPid: number | undefined, message: RecycleMessage): void;
  /**
   * A worker exited, with the reason its 'worker exited' line gives; `replaced` is true when its slot goes on with
   * another process (a respawn, or the replacement it retired for), false for a replacement that never served, a
   * removed slot or the pool's stop. For the stats.
   */
  workerExited?(slotId: number, exit: WorkerExit, replaced: boolean): void;
}

/** A replacement that is not ready after this long is killed, and the replacement counts as failed. */
const REPLACEMENT_READY_MS = 60_000;

export class WorkerPool {
  private readonly slots = new Map<number, Slot>();
  /** Old workers told to drain: they no longer belong to a slot. */
  private readonly retiring = new Set<Member>();
  private readonly initialSize: number;
  private served = false;
  private stopping = false;
  private allExited: (() => void) | undefined;
  /** Seconds a retiring worker may take to drain before it is killed. */
  gracefulTimeout = 30;

  constructor(
    size: number,
    private env: Record<string, string>,
    private readonly log: Logger,
    private readonly events: PoolEvents,
  ) {
    this.initialSize = size;
  }

  start(): void {
    // Each start's outcome reaches the events (poolReady, fatal); the promise is for callers that add one slot.
    for (let id = 1; id <= this.initialSize; id++) void this.addSlot();
  }

  /** Pids of the workers that serve now, by slot. */
  pids(): number[] {
    return this.slotList().flatMap((slot) => (slot.current?.pid === undefined ? [] : [slot.current.pid]));
  }

  /** The workers that serve now and are not leaving, in slot order: where new connections go (sticky-sessions). */
  servingWorkers(): Worker[] {
    return this.slotList().flatMap((slot) => {
      const member = slot.current;
      return member?.ready && member.exitReason === undefined && !member.worker.isDead() ? [member.worker] : [];
    });
  }

  /** Each slot's process and what it is doing, in slot order (for the stats). */
  slotViews(): SlotView[] {
    return this.slotList().map((slot): SlotView => {
      const member = slot.current;
      if (member === undefined)
        return { id: slot.id, pid: undefined, state: this.stopping ? 'stopping' : 'respawning', forkedAt: undefined };
      const leaving = this.stopping || member.exitReason !== undefined;
      const state = leaving ? 'stopping' : member.ready ? 'serving' : 'starting';
      return { id: slot.id, pid: member.pid, state, forkedAt: member.forkedAt };
    });
  }

  slotIds(): number[] {
    return this.slotList().map((slot) => slot.id);
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** The env new slots are forked with from now on (a reload sets the new config here). */
  setEnv(env: Record<string, string>): void {
    this.env = env;
  }

  /** Adds a slot with the next number and forks its worker; resolves with how that worker's start ended. */
  addSlot(env = this.env): Promise<StartOutcome> {
    const id = Math.max(0, ...this.slots.keys()) + 1;
    const slot: Slot = { id, current: undefined, pending: undefined, env, quickDeaths: 0, respawnTimer: undefined };
    this.slots.set(id, slot);
    return this.forkCurrent(slot).started;
  }

  /** Retires the worker of the highest slot and removes the slot; false when only one slot is left. */
  removeSlot(reason: string): boolean {
    const slot = this.slotList().at(-1);
    if (slot === undefined || this.slots.size <= 1) return false;
    this.slots.delete(slot.id);
    clearTimeout(slot.respawnTimer);
    slot.pending?.kill(reason);
    if (slot.current !== undefined) this.retire(slot.current, reason);
    return true;
  }

  /**
   * Forks a new worker for `slotId` with `env` while the old one keeps serving; once the new one serves, the old one is
   * told to drain (`reason` is logged with its exit). If the new one cannot start, it is stopped and the old one stays.
   * Resolves with the new worker's start outcome, or undefined when there was nothing to do (no such slot, a
   * replacement already starting, the pool stopping, or the slot no longer served by `onlyPid` when it is given).
   */
  async replace(
    slotId: number,
    reason: string,
    env?: Record<string, string>,
    onlyPid?: number,
  ): Promise<StartOutcome | undefined> {
    const slot = this.slots.get(slotId);
    if (slot === undefined || slot.pending !== undefined || this.stopping) return undefined;
    if (onlyPid !== undefined && slot.current?.pid !== onlyPid) return undefined;
    const nextEnv = env ?? slot.env;
    const member = this.fork(slot.id, nextEnv);
    slot.pending = member;
    const outcome = await this.readyWithin(member);
    if (slot.pending === member) slot.pending = undefined;
    if (!outcome.ok || this.stopping || this.slots.get(slotId) !== slot) {
      // A fatal start exits by itself (after writing its last lines); one that hangs is killed.
      if (!outcome.ok && outcome.fatal === undefined && !member.worker.isDead()) member.kill('not ready in time');
      if (!this.stopping && slot.current === undefined && this.slots.get(slotId) === slot)
        this.scheduleRespawn(slot, 0);
      return outcome;
    }
    const old = slot.current;
    clearTimeout(slot.respawnTimer);
    slot.respawnTimer = undefined;
    slot.current = member;
    slot.env = nextEnv;
    slot.quickDeaths = 0;
    if (old !== undefined) this.retire(old, reason);
    return outcome;
  }

  /** Kills the serving workers whose last heartbeat is older than `limitMs` (harakiri); they are replaced at once. */
  killSilent(limitMs: number): void {
    const now = Date.now();
    for (const slot of this.slotList()) {
      const member = slot.current;
      if (member === undefined || !member.ready || member.exitReason !== undefined || now - member.lastBeat <= limitMs)
        continue;
      const fields = { worker: slot.id, workerPid: member.pid, silentMs: now - member.lastBeat, requests: member.held };
      this.log.error(
        fields,
        "harakiri: the worker's event loop is blocked: killing it (requests: those in flight at its last heartbeat)",
      );
      member.kill('harakiri');
    }
  }

  /** Asks every worker to drain and exit; resolves when none is left. No worker is replaced from now on. */
  stop(): Promise<void> {
    this.stopping = true;
    const done = new Promise<void>((resolve) => (this.allExited = resolve));
    for (const slot of this.slots.values()) clearTimeout(slot.respawnTimer);
    for (const member of this.members()) {
      clearTimeout(member.killTimer); // the master's own stop is timed by the master
      member.stop('stop');
    }
    this.checkAllExited();
    return done;
  }

  /** Kills the workers still alive (graceful-timeout passed); returns how many there were. */
  kill(): number {
    const left = this.members();
    for (const member of left) {
      this.log.warn(
        { worker: member.slotId, workerPid: member.pid },
        'worker still busy at graceful-timeout: killing it',
      );
      member.kill('graceful-timeout');
    }
    return left.length;
  }

  private slotList(): Slot[] {
    return [...this.slots.values()].sort((a, b) => a.id - b.id);
  }

  private members(): Member[] {
    const inSlots = this.slotList().flatMap((slot) =>
      [slot.current, slot.pending].filter((m): m is Member => m !== undefined),
    );
    return [...inSlots, ...this.retiring];
  }

  private fork(slotId: number, env: Record<string, string>): Member {
    return new Member(slotId, env, this.log, {
      message: (member, message) => this.onMessage(member, message),
      exit: (member, code, signal) => this.onExit(member, code, signal),
    });
  }

  private forkCurrent(slot: Slot): Member {
    slot.respawnTimer = undefined;
    slot.current = this.fork(slot.id, slot.env);
    return slot.current;
  }

  private readyWithin(member: Member): Promise<StartOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<StartOutcome>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, reason: `it was not ready within ${REPLACEMENT_READY_MS / 1000} s` }),
        REPLACEMENT_READY_MS,
      );
    });
    return Promise.race([member.started, late]).finally(() => clearTimeout(timer));
  }

  private retire(member: Member, reason: string): void {
    this.retiring.add(member);
    member.stop(reason);
    member.killTimer = setTimeout(() => {
      this.log.warn(
        { worker: member.slotId, workerPid: member.pid, reason },
        'worker still busy at graceful-timeout: killing it',
      );
      member.kill(reason);
    }, this.gracefulTimeout * 1000);
  }

  private onMessage(member: Member, message: WorkerMessage): void {
    const slot = this.slots.get(member.slotId);
    const isCurrent = slot?.current === member;
    if (message.type === 'corral:ready') return this.onReady(member, message);
    if (message.type === 'corral:recycle') {
      if (isCurrent && !this.stopping) this.events.recycle?.(member.slotId, member.pid, message);
      return;
    }
    if (message.type !== 'corral:fatal' || !isCurrent || this.stopping) return; // a replacement's fatal goes to replace()
    if (!this.served) {
      this.stopping = true; // a start failure before the pool ever served is never retried
      this.events.fatal(member.slotId, message);
      return;
    }
    // The app served before, so this may pass (a database down for a while): the exit that follows backs off.
    const fields = {
      worker: member.slotId,
      workerPid: member.pid,
      code: message.code,
      exitCode: message.exitCode,
      reason: message.message,
    };
    this.log.error(fields, 'a replacement worker could not start');
  }

  private onReady(member: Member, message: ReadyMessage): void {
    this.events.workerReady(member.slotId, member.worker, message);
    if (this.served || this.slots.size < this.initialSize) return;
    if (this.slotList().every((slot) => slot.current?.ready === true)) {
      this.served = true;
      this.events.poolReady(message);
    }
  }

  private onExit(member: Member, code: number | null, signal: string | null): void {
    const slot = this.slots.get(member.slotId);
    const exit = { worker: member.slotId, workerPid: member.pid, code, signal, livedMs: Date.now() - member.forkedAt };
    const told = (reason: string, replaced: boolean) =>
      this.events.workerExited?.(member.slotId, { pid: member.pid, code, signal, reason }, replaced);
    if (slot?.current !== member) {
      // A retiring worker, a replacement that did not start, or the worker of a removed slot.
      const retired = this.retiring.delete(member);
      // A replacement that died before it was ready: replace() hears of it only later (a promise), and a stop asked
      // meanwhile waits for every member, this one included.
      if (slot?.pending === member) slot.pending = undefined;
      const reason = member.exitReason ?? (member.ready ? 'crash' : 'start failed');
      this.log.info({ ...exit, reason }, 'worker exited');
      told(reason, retired && slot !== undefined && !this.stopping);
      return this.checkAllExited();
    }
    slot.current = undefined;
    if (this.stopping) {
      this.log.info({ ...exit, reason: member.exitReason ?? 'stop' }, 'worker exited');
      told(member.exitReason ?? 'stop', false);
      return this.checkAllExited();
    }
    if (member.exitReason !== undefined) {
      this.log.warn({ ...exit, reason: member.exitReason }, 'worker exited: replacing it');
      told(member.exitReason, true);
      return this.scheduleRespawn(slot, 0);
    }
    told('crash', true);
    const quick = exit.livedMs < QUICK_DEATH_MS || !member.ready;
    slot.quickDeaths = quick ? slot.quickDeaths + 1 : 0;
    const delay = respawnDelay(slot.quickDeaths);
    this.log.error(
      { ...exit, reason: 'crash', respawnInMs: slot.pending === undefined ? delay : undefined },
      'worker died: replacing it',
    );
    if (slot.pending === undefined) this.scheduleRespawn(slot, delay);
  }

  private scheduleRespawn(slot: Slot, delay: number): void {
    clearTimeout(slot.respawnTimer);
    slot.respawnTimer = setTimeout(() => {
      if (slot.current === undefined && slot.pending === undefined && this.slots.get(slot.id) === slot)
        this.forkCurrent(slot);
    }, delay);
  }

  private checkAllExited(): void {
    if (this.stopping && this.members().length === 0) this.allExited?.();
  }
}
