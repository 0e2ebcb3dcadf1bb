// Tests that the master's pool actions run one at a time in the order asked, that queued reloads merge, and that a failed action is logged without stopping the next.
import { describe, expect, test } from 'vitest';
import { memoryLogger } from '../../test/memory-logger.ts';
import { MasterActions } from './actions.ts';
import type { WorkerPool } from './pool.ts';
import type { MasterState } from './reload.ts';

/** A pool that records the calls it gets; each addSlot/replace resolves when the test says so. */
function fakePool(slots: number[]) {
  const calls: string[] = [];
  const pending: (() => void)[] = [];
  const later = <T>(value: T) =>
    new Promise<T>((resolve) => {
      pending.push(() => resolve(value));
    });
  const pool = {
    slotIds: () => slots,
    addSlot: () => {
      calls.push('addSlot');
      slots.push(slots.length + 1);
      return later({ ok: true });
    },
    replace: (slotId: number) => {
      calls.push(`replace ${slotId}`);
      return later({ ok: false, reason: 'the new worker exited with code 1' });
    },
    removeSlot: () => {
      calls.push('removeSlot');
      if (slots.length <= 1) return false;
      slots.pop();
      return true;
    },
  };
  return { pool: pool as unknown as WorkerPool, calls, settleNext: () => pending.shift()?.() };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('MasterActions', () => {
  test('actions run one at a time, in the order asked', async () => {
    const { log, lines } = memoryLogger();
    const { pool, calls, settleNext } = fakePool([1, 2]);
    const actions = new MasterActions({ pool, log, state: {} as MasterState, loadConfig: () => ({}) as never });
    actions.addWorker();
    actions.recycle(1, 1234, 'max-requests');
    actions.removeWorker();
    await flush();
    expect(calls).toEqual(['addSlot']); // the recycle waits for the worker being added
    settleNext();
    await flush();
    expect(calls).toEqual(['addSlot', 'replace 1']);
    settleNext();
    await flush();
    expect(calls).toEqual(['addSlot', 'replace 1', 'removeSlot']);
    expect(lines.map((line) => line.msg)).toEqual([
      'worker added',
      'recycling failed: the replacement could not start; the worker keeps serving',
      'worker removed',
    ]);
  });

  test('the last worker is never removed', async () => {
    const { log, lines } = memoryLogger();
    const { pool } = fakePool([1]);
    new MasterActions({ pool, log, state: {} as MasterState, loadConfig: () => ({}) as never }).removeWorker();
    await flush();
    expect(lines).toMatchObject([{ msg: 'SIGTTOU ignored: the last worker stays', workers: 1 }]);
  });

  test('reloads asked for while one waits to start are that reload; an invalid config is refused and logged', async () => {
    const { log, lines } = memoryLogger();
    const { pool } = fakePool([1]);
    let reads = 0;
    const loadConfig = () => {
      reads++;
      throw new Error('app.ini:3: processes: expected a number\napp.ini:4: http: not an address');
    };
    const actions = new MasterActions({ pool, log, state: {} as MasterState, loadConfig });
    actions.reload('SIGHUP');
    actions.reload('touch-reload');
    actions.reload('SIGHUP');
    await flush();
    expect(reads).toBe(1);
    expect(lines.filter((line) => line.msg === 'reload already queued')).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({
      msg: 'reload refused: the config is invalid now; the workers keep running on the old one',
      problems: ['app.ini:3: processes: expected a number', 'app.ini:4: http: not an address'],
    });
    // Once the queued one has started, a new request is a new reload.
    actions.reload('SIGHUP');
    await flush();
    expect(reads).toBe(2);
  });

  test('an action that throws is logged and the next one still runs', async () => {
    const { log, lines } = memoryLogger();
    const { pool, calls, settleNext } = fakePool([1, 2]);
    (pool as unknown as { removeSlot: () => never }).removeSlot = () => {
      throw new Error('pool broken');
    };
    const actions = new MasterActions({ pool, log, state: {} as MasterState, loadConfig: () => ({}) as never });
    actions.removeWorker();
    actions.addWorker();
    await flush();
    settleNext();
    await flush();
    expect(lines.map((line) => line.msg)).toEqual(['a master action failed', 'worker added']);
    expect(calls).toEqual(['addSlot']);
  });
});
