// End to end: stdout is a FIFO that the master and two workers share and that is read slowly; every access line still arrives whole, none lost.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnCorralProcess, stopAll } from './harness.ts';

const app = fileURLToPath(new URL('../fixtures/e2e/apps/status.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'corral-log-pipe-'));
afterEach(() => stopAll());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REQUESTS = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function get(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Reads the FIFO `fd` slowly (2 KiB, then a millisecond's pause) until stopped: the pipe (64 KiB) stays full, and the
 * processes writing to it wait for room, each in turn. The text read so far is `text()`.
 */
function slowReader(fd: number) {
  const chunk = Buffer.alloc(2048);
  let text = '';
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      let n = 0;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      }
      text += chunk.toString('latin1', 0, n);
      await sleep(1);
    }
  })();
  return {
    text: () => Buffer.from(text, 'latin1').toString('utf8'),
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

describe('access lines on a shared pipe', () => {
  it('a slow reader of a FIFO on stdout gets every line of two workers whole, none cut by another write', async () => {
    const fifo = join(dir, 'stdout');
    execFileSync('mkfifo', [fifo]);
    // The read end first, non-blocking, so that the write end opens at once.
    const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeEnd = openSync(fifo, constants.O_WRONLY);
    const child = spawnCorralProcess(['--http', '127.0.0.1:0', '--module', app, '--processes', '2'], {
      stdout: writeEnd,
    });
    closeSync(writeEnd);
    const reader = slowReader(readEnd);
    try {
      const lines = () => reader.text().split('\n').slice(0, -1);
      const end = Date.now() + 15_000;
      let ready: { addresses: string[] } | undefined;
      while (ready === undefined && Date.now() < end && child.exitCode === null) {
        const line = lines().find((text) => text.includes('"msg":"ready"'));
        if (line !== undefined) ready = JSON.parse(line) as { addresses: string[] };
        await sleep(20);
      }
      expect(ready).toBeDefined();
      const url = `http://${ready!.addresses[0]!}`;
      const agent = new Agent({ keepAlive: true, maxSockets: 32 });
      const urls = Array.from({ length: REQUESTS }, (_, i) => `${url}/pipe/${i}?pad=${'p'.repeat(200 + (i % 300))}`);
      const statuses = await Promise.all(urls.map((target) => get(target, agent)));
      agent.destroy();
      expect(statuses.every((status) => status === 200)).toBe(true);
      // A worker holds its lines for 10 ms at most; the reader takes the rest.
      const read = () => {
        const whole: { msg?: string; path?: string }[] = [];
        const broken: string[] = [];
        for (const line of lines()) {
          try {
            whole.push(JSON.parse(line) as { msg?: string; path?: string });
          } catch {
            broken.push(line);
          }
        }
        const paths = whole.filter((line) => line.path?.startsWith('/pipe/') === true).map((line) => line.path!);
        return { broken, paths };
      };
      while (read().paths.length < REQUESTS && read().broken.length === 0 && Date.now() < end) await sleep(20);
      // Every line is whole JSON (a line cut by another process's write is not), and each request has its own.
      const { broken, paths } = read();
      expect(broken).toEqual([]);
      expect(new Set(paths.map((path) => path.split('?')[0])).size).toBe(REQUESTS);
    } finally {
      await reader.stop();
      closeSync(readEnd);
    }
  }, 40_000);
});
