// End to end: with NOTIFY_SOCKET set, the master tells systemd READY=1, RELOADING=1 (then READY=1) and STOPPING=1 in order across start, SIGHUP and SIGTERM; a python3 datagram socket stands in for systemd.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCorral, stopAll, stopGracefully } from './harness.ts';

const RECEIVER = fileURLToPath(new URL('./systemd/notify-receiver.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'corral-notify-'));
const app = join(dir, 'app.mjs');
writeFileSync(app, 'export default (req, res) => res.end(process.env.NOTIFY_SOCKET ?? "none");\n');
afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the receiver on `path`; its messages arrive in `messages` (barriers left out). Stopped by pid in `stop`. */
async function receiver(path: string) {
  const child = spawn('python3', [RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages: string[] = [];
  const mainPids: (string | undefined)[] = [];
  let buffered = '';
  const listening = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'listening') resolve();
        // systemd-notify --pid puts MAINPID first in each message: checked once, then left out.
        else if (line !== 'BARRIER=1') {
          mainPids.push(/MAINPID=(\d+)/.exec(line)?.[1]);
          messages.push(line.replace(/^MAINPID=\d+\|/, ''));
        }
      }
    });
  });
  await listening;
  const waitFor = async (count: number, ms = 10_000) => {
    const until = Date.now() + ms;
    while (messages.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return messages;
  };
  return { messages, mainPids, waitFor, stop: () => child.pid !== undefined && process.kill(child.pid, 'SIGTERM') };
}

describe('sd_notify', () => {
  it('sends READY=1, RELOADING=1, READY=1 and STOPPING=1 in order across start, SIGHUP and SIGTERM', async () => {
    const socket = join(dir, 'notify.sock');
    const systemd = await receiver(socket);
    try {
      const corral = await startCorral(['--http', '127.0.0.1:0', '--module', app, '--processes', '2'], {
        env: { NOTIFY_SOCKET: socket },
      });
      const [ready] = await systemd.waitFor(1);
      expect(ready).toContain('READY=1');
      expect(ready).toMatch(/STATUS=serving on 127\.0\.0\.1:\d+/);
      // Neither the workers nor the app inherit it (their own notifications would be taken as the service's).
      expect(await (await fetch(corral.url)).text()).toBe('none');

      process.kill(corral.pid, 'SIGHUP');
      await corral.waitFor((line) => line.msg === 'reloaded', 15_000);
      await systemd.waitFor(3);
      expect(systemd.messages[1]).toMatch(/^RELOADING=1\|STATUS=reloading\|MONOTONIC_USEC=\d+$/);
      expect(systemd.messages[2]).toContain('READY=1');

      expect(await stopGracefully(corral)).toBe(0);
      await systemd.waitFor(4);
      expect(systemd.messages[3]).toMatch(/^STOPPING=1/);
      expect(systemd.messages.map((message) => message.split('|')[0])).toEqual([
        'READY=1',
        'RELOADING=1',
        'READY=1',
        'STOPPING=1',
      ]);
      expect(systemd.mainPids).toEqual([corral.pid, corral.pid, corral.pid, corral.pid].map(String));
    } finally {
      systemd.stop();
    }
  });

  it('without systemd-notify on PATH it warns and serves on', async () => {
    const socket = join(dir, 'notify2.sock');
    const systemd = await receiver(socket);
    try {
      const corral = await startCorral(['--http', '127.0.0.1:0', '--module', app], {
        env: { NOTIFY_SOCKET: socket, PATH: dir },
      });
      await corral.waitFor((line) => line.msg === 'sd_notify failed: systemd was not told');
      expect((await fetch(corral.url)).status).toBe(200);
      expect(await stopGracefully(corral)).toBe(0);
    } finally {
      systemd.stop();
    }
  });
});
