// End to end: `corral top` prints one frame when stdout is not a terminal, exits 2 without a stats address or an
// answer, and in a terminal (tmux) redraws in place and quits on q, giving the screen back.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotFixture } from '../../src/stats/snapshot-fixture.ts';
import { fileURLToPath } from 'node:url';
import { ENTRY, EXECUTABLE, runCorral, startCorral, stopGracefully } from './harness.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('tmux is missing: the corral top terminal test is skipped (apt-get install tmux)');

/** A stand-in stats address serving hand-made snapshots, one second apart per request. */
let server: Server;
let address = '';
let snapshot = snapshotFixture();

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/stats.json') return void res.writeHead(404).end();
    snapshot = { ...snapshot, at: snapshot.at + 1 };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(snapshot));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('corral top against a running corral', () => {
  it('prints one frame naming each worker pid of the running master', { timeout: 30_000 }, async () => {
    const app = fileURLToPath(new URL('../fixtures/e2e/apps/pid.cjs', import.meta.url));
    const corral = await startCorral(
      ['--http', '127.0.0.1:0', '--processes', '2', '--module', app, '--stats', '127.0.0.1:0'],
      { readyMs: 20_000 },
    );
    try {
      const stats = (await corral.waitFor((line) => line.msg === 'stats listening', 5000)).address as string;
      const pids = corral.logs.filter((line) => line.msg === 'worker ready').map((line) => Number(line.workerPid));
      expect(pids).toHaveLength(2);
      const top = await runCorral(['top', '--stats', stats]);
      expect(top.stderr).toBe('');
      expect(top.code).toBe(0);
      expect(top.stdout).toMatch(new RegExp(`^corral \\S+ {2}master ${corral.pid} `));
      for (const pid of pids) expect(top.stdout).toMatch(new RegExp(`^\\s+[12]\\s+${pid} (starting|idle|busy) `, 'm'));
    } finally {
      await stopGracefully(corral);
    }
  });
});

describe('corral top off a terminal', () => {
  it('prints one frame naming each worker pid and exits 0', async () => {
    const top = await runCorral(['top', '--stats', address], { env: { COLUMNS: '100' } });
    expect(top.stderr).toBe('');
    expect(top.code).toBe(0);
    const lines = top.stdout.split('\n');
    expect(lines[0]).toMatch(/^corral 0\.1\.0 {2}master 4000 /);
    for (const pid of [4001, 4002])
      expect(lines.some((line) => new RegExp(`^\\s+\\d+\\s+${pid} `).test(line))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    // No screen switching or cursor moves in a pipe.
    expect(top.stdout).not.toContain('\u001b');
  });

  it('exits 2 and says what to set when the config has no stats address', async () => {
    const top = await runCorral(['top']);
    expect(top.code).toBe(2);
    expect(top.stderr).toMatch(/no stats address; set stats = /);
  });

  it('exits 2 and names the address when nothing answers there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const top = await runCorral(['top', '--stats', `127.0.0.1:${port}`]);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain(`no stats from 127.0.0.1:${port}: ECONNREFUSED`);
  });
});

describe.skipIf(!hasTmux)('corral top in a terminal (tmux)', () => {
  it('shows the workers, redraws in place, and quits on q with the screen restored', { timeout: 20_000 }, async () => {
    const socket = `corral-top-${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const program =
      ENTRY === 'sea' ? [EXECUTABLE] : [process.execPath, new URL('../../dist/corral.cjs', import.meta.url).pathname];
    const quoted = [...program, 'top', '--stats', address].map((arg) => `'${arg}'`).join(' ');
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const screen = () => tmux('capture-pane', '-p', '-t', 'top');
    const until = async (test: (text: string) => boolean) => {
      const deadline = Date.now() + 5000;
      while (!test(screen())) {
        if (Date.now() > deadline) throw new Error(`the screen never matched:\n${screen()}`);
        await sleep(100);
      }
    };
    tmux('new-session', '-d', '-s', 'top', '-x', '120', '-y', '30', `${quoted}; echo "top exited $?"; sleep 30`);
    try {
      await until((text) => text.includes('q quits'));
      const first = screen();
      expect(first).toMatch(/^\s+1\s+4001 idle /m);
      expect(first).toMatch(/^\s+2\s+4002 busy /m);
      // One frame per second, drawn over the last: the screen never holds two headers.
      await sleep(1500);
      expect(screen().match(/^corral 0\.1\.0/gm)).toHaveLength(1);
      tmux('send-keys', '-t', 'top', 'q');
      await until((text) => text.includes('top exited 0'));
      // The alternate screen is gone: the shell's screen holds no frame.
      expect(screen()).not.toContain('LAST EXIT');
    } finally {
      tmux('kill-server');
    }
  });
});
