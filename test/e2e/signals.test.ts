// End to end: signals beyond the master's SIGTERM: the master dying, a worker stopped on its own, SIGHUP, and a stop during start-up.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCorral, startCorral, stopAll } from './harness.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/e2e/apps/${name}`, import.meta.url));
const loopback = ['--http', '127.0.0.1:0'];
const SIGHUP_LINE =
  'SIGHUP ignored: a closed terminal does not stop corral (the master reloads on SIGHUP; single mode has none)';

const dir = mkdtempSync(join(tmpdir(), 'corral-signals-'));
/** Writes an app module for one test into this file's temp dir. */
function tempApp(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

/** Workers whose master a test killed: stopped by pid if a test fails before they exit on their own. */
const orphans = new Set<number>();
afterEach(() => {
  stopAll();
  for (const pid of orphans) if (alive(pid)) process.kill(pid, 'SIGKILL');
  orphans.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has exited; it only waits for whoever inherited it to reap it.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a worker whose master dies', () => {
  it('finishes the request in flight, then exits', async () => {
    const corral = await startCorral([...loopback, '--module', fixture('slow.mjs'), '--processes', '1']);
    const workerPid = (await corral.waitFor((line) => line.msg === 'worker ready')).workerPid as number;
    orphans.add(workerPid);
    const pending = fetch(`${corral.url}/slow?ms=800`).then(async (res) => ({
      status: res.status,
      body: await res.text(),
    }));
    await sleep(200);
    process.kill(corral.pid, 'SIGKILL');
    expect(await pending).toEqual({ status: 200, body: 'slept 800\n' });
    await corral.waitFor((line) => line.role === 'worker' && line.msg === 'drained', 3000);
    expect(await until(() => !alive(workerPid), 3000)).toBe(true);
  });
});

describe('a worker stopped by a signal sent straight to it', () => {
  it('drains, and exits 1 at graceful-timeout when a request is still running; the master replaces it', async () => {
    const corral = await startCorral([
      ...loopback,
      '--module',
      fixture('slow.mjs'),
      '--processes',
      '1',
      '--graceful-timeout',
      '0.5',
    ]);
    const workerPid = (await corral.waitFor((line) => line.msg === 'worker ready')).workerPid as number;
    const pending = fetch(`${corral.url}/slow?ms=5000`).then(
      () => 'answered',
      () => 'cut',
    );
    await sleep(200);
    const sent = Date.now();
    process.kill(workerPid, 'SIGTERM');
    const died = await corral.waitFor(
      (line) => line.msg === 'worker died: replacing it' && line.workerPid === workerPid,
      4000,
    );
    expect(died.code).toBe(1);
    expect(Date.now() - sent).toBeLessThan(3000);
    expect(await pending).toBe('cut');
    expect(
      corral.logs.some(
        (line) => line.role === 'worker' && line.msg === 'requests still running at graceful-timeout: exiting anyway',
      ),
    ).toBe(true);
    await corral.waitFor((line) => line.msg === 'worker ready' && line.workerPid !== workerPid);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});

describe('SIGHUP', () => {
  it('is logged and ignored by a worker (the master reloads on it: see reload.test.ts)', async () => {
    const corral = await startCorral([...loopback, '--module', fixture('pid.cjs'), '--processes', '1']);
    const workerPid = Number(await (await fetch(corral.url)).text());
    process.kill(workerPid, 'SIGHUP');
    await corral.waitFor((line) => line.role === 'worker' && line.msg === SIGHUP_LINE);
    expect(await (await fetch(corral.url)).text()).toBe(String(workerPid));
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });

  it('is logged and ignored in single mode', async () => {
    const corral = await startCorral([...loopback, '--module', fixture('pid.cjs'), '--no-master']);
    process.kill(corral.pid, 'SIGHUP');
    await corral.waitFor((line) => line.role === 'single' && line.msg === SIGHUP_LINE);
    expect(await (await fetch(corral.url)).text()).toBe(String(corral.pid));
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});

describe('a stop during start-up', () => {
  // The app stops corral while it loads: SIGTERM to its own process (single mode) or to its master.
  const slowLoad = `
import cluster from 'node:cluster';
process.kill(cluster.isWorker ? process.ppid : process.pid, 'SIGTERM');
await new Promise((resolve) => setTimeout(resolve, 700));
export default (req, res) => res.end('ok');
`;

  it('waits for the app to load, then stops cleanly in single mode', async () => {
    const result = await runCorral([...loopback, '--module', tempApp('slow-load-single.mjs', slowLoad), '--no-master']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"msg":"stopping"');
    expect(result.stdout).toContain('"msg":"stopped"');
  });

  it('stops the workers still loading and exits 0 with a master', async () => {
    const result = await runCorral([
      ...loopback,
      '--module',
      tempApp('slow-load-master.mjs', slowLoad),
      '--processes',
      '2',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('worker died');
  });
});
