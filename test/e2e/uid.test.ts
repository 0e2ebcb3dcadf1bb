// End to end: uid/gid run the workers as another user while the master keeps root (run only as root).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { copyProgram, runCorral, startCorral, stopAll } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-uid-'));
chmodSync(dir, 0o755);
const app = join(dir, 'app.mjs');
writeFileSync(app, 'export default (req, res) => res.end(String(process.pid));\n', { mode: 0o644 });
afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real uid and gid of a process, from /proc. */
function ids(pid: number): { uid: number; gid: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const first = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { uid: first('Uid'), gid: first('Gid') };
}

describe.skipIf(process.getuid?.() !== 0)('uid and gid (as root)', () => {
  it('runs the workers as nobody (with its primary group) and the master as root', async () => {
    // A copy nobody can read, wherever the checkout lives (a clone under a 0700 directory is not readable by nobody).
    const program = copyProgram(dir);
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', app, '--uid', 'nobody'], { program });
    const workerPid = Number(await (await fetch(corral.url)).text());
    expect(ids(workerPid)).toEqual({ uid: 65534, gid: 65534 });
    expect(ids(corral.pid)).toEqual({ uid: 0, gid: 0 });
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });

  it('refuses, with exit 2 before forking, a user who cannot run the program', async () => {
    const hidden = mkdtempSync(join(tmpdir(), 'corral-hidden-'));
    try {
      chmodSync(hidden, 0o700);
      const program = copyProgram(hidden);
      const result = await runCorral(['--http', '127.0.0.1:0', '--module', app, '--uid', 'nobody'], { program });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("uid/gid: the workers' user cannot run");
      expect(result.stdout).not.toContain('worker died');
    } finally {
      rmSync(hidden, { recursive: true, force: true });
    }
  });

  it('refuses an unknown user with exit 2', async () => {
    const result = await runCorral(['check', '--module', app, '--uid', 'no-such-user-here']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no user "no-such-user-here" in /etc/passwd');
  });
});
