// End to end: socket activation (LISTEN_FDS): corral serves on an inherited listening socket instead of binding, and a restart of corral itself on the same socket drops no connection queued meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY, EXECUTABLE } from './harness.ts';

const HOLDER = fileURLToPath(new URL('./systemd/socket-holder.py', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/corral.cjs', import.meta.url));
const COMMAND = ENTRY === 'sea' ? [EXECUTABLE] : [process.execPath, BUNDLE];
const dir = mkdtempSync(join(tmpdir(), 'corral-activation-'));
const app = join(dir, 'app.mjs');
writeFileSync(app, 'export default (req, res) => res.end(process.pid + " " + (process.env.LISTEN_FDS ?? "none"));\n');
const pids: number[] = [];
afterAll(() => {
  for (const pid of pids.reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Line {
  msg?: string;
  [key: string]: unknown;
}

/** The holder (python3) with its socket; corral's JSON log lines come out of its stdout too. */
function startHolder(child: ChildProcess) {
  const lines: (Line | string)[] = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Line);
      } catch {
        lines.push(part);
      }
    }
  });
  /** The first line from index `from` on that matches, within `ms`. */
  const waitFor = async <T extends Line | string>(match: (line: Line | string) => boolean, from = 0, ms = 15_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const index = lines.findIndex((line, i) => i >= from && match(line));
      if (index >= 0) return { line: lines[index] as T, index };
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no matching line within ${ms} ms:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
  };
  return { lines, waitFor };
}

/** One GET on a new connection (no keep-alive); resolves with the body, rejects on any failure. */
function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 15_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe.each(['shared', 'round-robin'])('socket activation (scheduling-policy = %s)', (policy) => {
  it('serves on the inherited socket, and a restart of corral on it drops no queued connection', async () => {
    const holderProcess = spawn('python3', [HOLDER], { stdio: ['pipe', 'pipe', 'inherit'] });
    if (holderProcess.pid !== undefined) pids.push(holderProcess.pid);
    const holder = startHolder(holderProcess);
    const portLine = await holder.waitFor<string>((line) => typeof line === 'string' && line.startsWith('port '));
    const port = Number(portLine.line.split(' ')[1]);
    // The configured address is the very one the holder has bound: a corral that tried to bind it would exit 2.
    const argv = [
      ...COMMAND,
      '--http',
      `127.0.0.1:${port}`,
      '--module',
      app,
      '--processes',
      '2',
      '--scheduling-policy',
      policy,
    ];
    const start = async (from: number) => {
      holderProcess.stdin?.write(`start ${JSON.stringify(argv)}\n`);
      const started = await holder.waitFor<string>((l) => typeof l === 'string' && l.startsWith('pid '), from);
      const pid = Number(started.line.split(' ')[1]);
      pids.push(pid);
      const ready = await holder.waitFor<Line>((l) => typeof l === 'object' && l.msg === 'ready', started.index);
      return { pid, workers: ready.line.workers as number[], from: ready.index };
    };

    const first = await start(0);
    const activation = await holder.waitFor<Line>(
      (l) => typeof l === 'object' && l.msg?.startsWith('socket activation') === true,
    );
    expect(activation.line.sockets).toEqual([{ fd: 3, name: 'web', http: `127.0.0.1:${port}` }]);
    const [workerPid, inherited] = (await get(port)).split(' ');
    expect(first.workers).toContain(Number(workerPid));
    expect(inherited).toBe('none'); // LISTEN_FDS is not passed on to the workers and the app

    // 8 clients, each request on a new connection, through the whole restart.
    let running = true;
    const bodies: string[] = [];
    const failures: string[] = [];
    const client = async () => {
      while (running) {
        try {
          bodies.push(await get(port));
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((resolve) => setTimeout(resolve, 300));

    process.kill(first.pid, 'SIGTERM');
    const stopped = await holder.waitFor<Line>((l) => typeof l === 'object' && l.msg === 'stopped', first.from);
    expect(stopped.line.exitCode).toBe(0);
    // No corral now: this connection waits in the socket's queue until the next one accepts it.
    const queued = get(port);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await start(stopped.index);
    const [queuedBy] = (await queued).split(' ');
    expect(second.workers).toContain(Number(queuedBy));
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    const servedBy = new Set(bodies.map((body) => Number(body.split(' ')[0])));
    expect([...servedBy].some((pid) => first.workers.includes(pid))).toBe(true);
    expect([...servedBy].some((pid) => second.workers.includes(pid))).toBe(true);

    process.kill(second.pid, 'SIGTERM');
    const last = await holder.waitFor<Line>((l) => typeof l === 'object' && l.msg === 'stopped', second.from);
    expect(last.line.exitCode).toBe(0);
    if (holderProcess.pid !== undefined) process.kill(holderProcess.pid, 'SIGTERM');
  }, 60_000);
});
