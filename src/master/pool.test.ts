// Tests of the worker pool with real forked workers (a tiny script in a temp dir): fatal before and after ready, and a stop sent to a dying worker.
import cluster from 'node:cluster';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from './pool.ts';
import { memoryLogger } from '../../test/memory-logger.ts';

// Each fork counts itself in COUNT_FILE, then acts as BEHAVIOUR says for that count.
const WORKER_SCRIPT = `
const fs = require('node:fs');
const n = Number(fs.readFileSync(process.env.COUNT_FILE, 'utf8') || '0') + 1;
fs.writeFileSync(process.env.COUNT_FILE, String(n));
const act = process.env.BEHAVIOUR.split(',')[Math.min(n, process.env.BEHAVIOUR.split(',').length) - 1];
const fatal = { type: 'corral:fatal', exitCode: 3, code: 'CORRAL_APP_LOAD', message: 'the database is down' };
if (act === 'fatal') process.send(fatal, () => process.exit(3));
else process.send({ type: 'corral:ready', addresses: [], shape: undefined });
if (act === 'crash') setTimeout(() => process.exit(1), 50);
process.on('message', (m) => { if (m && m.type === 'corral:stop') process.exit(0); });
setInterval(() => {}, 1000);
`;

let dir = '';
let pool: WorkerPool | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corral-pool-'));
  writeFileSync(join(dir, 'worker.cjs'), WORKER_SCRIPT);
  cluster.setupPrimary({ exec: join(dir, 'worker.cjs'), execArgv: [], silent: true });
});
afterEach(async () => {
  const stopping = pool?.stop();
  pool?.kill();
  await stopping;
  pool = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a one-worker pool whose forks behave as `behaviour` says (one word per fork; the last one repeats). */
function startPool(behaviour: string) {
  const countFile = join(dir, `count-${behaviour}-${Date.now()}`);
  writeFileSync(countFile, '');
  const memory = memoryLogger();
  const seen = { fatal: 0, poolReady: 0, workerReady: 0 };
  pool = new WorkerPool(1, { COUNT_FILE: countFile, BEHAVIOUR: behaviour }, memory.log, {
    workerReady: () => void seen.workerReady++,
    poolReady: () => void seen.poolReady++,
    fatal: () => void seen.fatal++,
  });
  pool.start();
  return { forks: () => Number(readFileSync(countFile, 'utf8') || '0'), lines: memory.lines, seen };
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('WorkerPool', () => {
  it('reports a fatal start before the pool was ever ready, and forks no more', async () => {
    const run = startPool('fatal');
    await until(() => run.seen.fatal === 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(run.forks()).toBe(1);
    expect(run.seen.poolReady).toBe(0);
  });

  it('backs off after a fatal start of a replacement, as after any crash, once the pool was ready', async () => {
    const run = startPool('crash,fatal');
    await until(() => run.forks() >= 3);
    expect(run.seen.fatal).toBe(0);
    expect(run.seen.poolReady).toBe(1);
    expect(
      run.lines.some(
        (line) => line.msg === 'a replacement worker could not start' && line.reason === 'the database is down',
      ),
    ).toBe(true);
    const delays = run.lines.filter((line) => line.msg === 'worker died: replacing it').map((line) => line.respawnInMs);
    expect(delays.slice(0, 2)).toEqual([100, 200]);
  });

  it('replaces a worker: the new one serves before the old one is told to stop', async () => {
    const run = startPool('ready');
    await until(() => run.seen.poolReady === 1);
    const [old] = pool?.pids() ?? [];
    const outcome = await pool?.replace(1, 'reload');
    expect(outcome).toEqual({ ok: true });
    expect(pool?.pids()).not.toContain(old);
    await until(() => run.lines.some((line) => line.msg === 'worker exited' && line.workerPid === old));
    expect(run.lines.find((line) => line.workerPid === old && line.msg === 'worker exited')?.reason).toBe('reload');
  });

  it('keeps the old worker when its replacement cannot start', async () => {
    const run = startPool('ready,fatal');
    await until(() => run.seen.poolReady === 1);
    const before = pool?.pids();
    const outcome = await pool?.replace(1, 'reload');
    expect(outcome).toMatchObject({ ok: false, reason: 'the database is down' });
    expect(pool?.pids()).toEqual(before);
    expect(run.seen.fatal).toBe(0);
  });

  it('survives a stop message sent to a worker that has just died (EPIPE)', async () => {
    const run = startPool('ready');
    await until(() => run.seen.poolReady === 1);
    const [pid] = pool?.pids() ?? [];
    process.kill(pid ?? 0, 'SIGKILL');
    // Block until the worker is surely dead, before the master has seen its channel close.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    await pool?.stop();
    expect(run.lines.some((line) => line.msg === 'worker exited' && line.signal === 'SIGKILL')).toBe(true);
  });
});
