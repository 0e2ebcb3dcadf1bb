// End to end: corral as PID 1 of its own pid namespace, as in a container: SIGTERM still drains and exits 0.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll } from './harness.ts';

const app = fileURLToPath(new URL('../fixtures/e2e/apps/slow.mjs', import.meta.url));

/** unshare (util-linux) can make a pid namespace here: root, and the kernel allows it. */
function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'true'], {
      stdio: 'ignore',
      timeout: 5000,
    });
    return true;
  } catch {
    return false;
  }
}

afterAll(stopAll);

describe.runIf(process.getuid?.() === 0 && canUnshare())('corral as PID 1', () => {
  it('finishes an in-flight request on SIGTERM and exits 0', async () => {
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', app, '--processes', '2'], {
      wrapper: ['unshare', '--pid', '--fork', '--kill-child', '--mount-proc'],
    });
    const ready = await corral.waitFor((line) => line.msg === 'ready');
    expect(ready.masterPid).toBe(1);
    // corral's pid outside the namespace: the one child of unshare.
    const outside = Number(readFileSync(`/proc/${corral.pid}/task/${corral.pid}/children`, 'utf8').trim());
    const pending = fetch(`${corral.url}/slow?ms=600`).then(async (res) => ({
      status: res.status,
      body: await res.text(),
    }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    process.kill(outside, 'SIGTERM');
    expect(await pending).toEqual({ status: 200, body: 'slept 600\n' });
    expect(await corral.exited()).toBe(0);
  });
});
