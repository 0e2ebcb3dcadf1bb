// Stale unix socket removal (used before binding and by `vacuum`): only a socket nobody listens on is removed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleSocket } from '../../src/http/unix-socket.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'corral-unix-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Leaves a socket file nobody listens on, as a process killed with SIGKILL does. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  await exited;
}

describe('removeStaleSocket', () => {
  it('removes a socket nobody listens on', async () => {
    const path = join(dir, 'stale.sock');
    await staleSocket(path);
    expect(existsSync(path)).toBe(true);
    await removeStaleSocket(path);
    expect(existsSync(path)).toBe(false);
  });

  it('leaves a regular file alone', async () => {
    const path = join(dir, 'app.sock');
    writeFileSync(path, 'not a socket');
    await removeStaleSocket(path);
    expect(existsSync(path)).toBe(true);
  });

  it('leaves a socket another process listens on alone', async () => {
    const path = join(dir, 'live.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await removeStaleSocket(path);
      expect(existsSync(path)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does nothing when there is no file', async () => {
    await expect(removeStaleSocket(join(dir, 'none.sock'))).resolves.toBeUndefined();
  });
});
