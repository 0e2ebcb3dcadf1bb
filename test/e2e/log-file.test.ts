// End to end: logto (master and worker lines in one file), rotation at log-maxsize under load with no line lost, SIGUSR1 after logrotate's create and copytruncate, a logto that cannot be written, and the access line's format and filters.
import type { ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCorral, spawnCorralProcess, stopAll } from './harness.ts';

const app = fileURLToPath(new URL('../fixtures/e2e/apps/status.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'corral-log-file-'));
afterEach(() => stopAll());
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
function freshDir(): string {
  const dir = join(root, String(++dirs));
  mkdirSync(dir);
  return dir;
}

type Line = Record<string, unknown>;

/** The JSON lines of `path` (none if it does not exist); a line that is not whole JSON fails the test. */
function linesOf(path: string): Line[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
}

/** The log file and its numbered backups, newest first (FILE, FILE.1, FILE.2 ...); every file in `dir` must be one. */
function logFiles(dir: string, name: string): string[] {
  const files = [name];
  while (existsSync(join(dir, `${name}.${files.length}`))) files.push(`${name}.${files.length}`);
  expect(readdirSync(dir).sort()).toEqual([...files].sort());
  return files.map((file) => join(dir, file));
}

async function until<T>(find: () => T | undefined, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Started {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** Starts corral logging to `file` and waits for the `ready` line there. */
async function startLoggingTo(file: string, args: string[]): Promise<Started> {
  const child = spawnCorralProcess(['--http', '127.0.0.1:0', '--module', app, '--logto', file, ...args]);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ready = await until(
    () => {
      if (child.exitCode !== null) throw new Error(`corral exited ${child.exitCode}: ${stderr}`);
      return linesOf(file).find((line) => line.msg === 'ready');
    },
    15_000,
    'the ready line in the log file',
  );
  return { child, url: `http://${(ready.addresses as string[])[0]}`, stderr: () => stderr };
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode === null) started.child.kill('SIGTERM');
  await until(() => (started.child.exitCode === null ? undefined : true), 10_000, 'the stop');
}

/** GETs each of `paths` over `clients` keep-alive connections; resolves with the statuses in order of `paths`. */
async function send(base: string, paths: string[], clients = 1, headers: Record<string, string> = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const statuses: number[] = [];
  let next = 0;
  const one = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${base}${path}`, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path}`)));
      req.on('error', reject);
      req.end();
    });
  const client = async () => {
    for (let index = next++; index < paths.length; index = next++) statuses[index] = await one(paths[index]!);
  };
  try {
    await Promise.all(Array.from({ length: clients }, client));
  } finally {
    agent.destroy();
  }
  return statuses;
}

const requestLines = (lines: Line[]) => lines.filter((line) => line.msg === 'request');

describe('logto', () => {
  it('gets the lines of the master and of both workers, and none go to stdout', async () => {
    const dir = freshDir();
    const file = join(dir, 'corral.log');
    const corral = await startLoggingTo(file, ['--processes', '2']);
    let stdout = '';
    corral.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    await send(corral.url, ['/one', '/two', '/three', '/four'], 2);
    await stop(corral);
    const lines = linesOf(file);
    expect(lines.some((line) => line.role === 'master' && line.msg === 'corral starting')).toBe(true);
    expect(lines.some((line) => line.role === 'master' && line.msg === 'stopped')).toBe(true);
    const workers = new Set(lines.filter((line) => line.role === 'worker').map((line) => line.worker));
    expect([...workers].sort()).toEqual([1, 2]);
    expect(requestLines(lines).map((line) => line.path)).toEqual(
      expect.arrayContaining(['/one', '/two', '/three', '/four']),
    );
    expect(stdout).toBe('');
  });

  it('rotates at log-maxsize while 16 clients run: every request once across the files, whole lines, backups kept to log-backups', async () => {
    const dir = freshDir();
    const file = join(dir, 'corral.log');
    const corral = await startLoggingTo(file, ['--processes', '2', '--log-maxsize', '64K', '--log-backups', '60']);
    const paths = Array.from({ length: 4000 }, (_, n) => `/r?n=${n}`);
    const statuses = await send(corral.url, paths, 16);
    expect(statuses.every((status) => status === 200)).toBe(true);
    await stop(corral);
    const files = logFiles(dir, 'corral.log');
    // About 1 MB of lines at 64 KB a file: many rotations, and none dropped (60 backups are enough).
    expect(files.length).toBeGreaterThan(4);
    expect(files.length).toBeLessThanOrEqual(61);
    const lines = files.flatMap(linesOf);
    const seen = new Map<string, number>();
    for (const line of requestLines(lines)) seen.set(String(line.path), (seen.get(String(line.path)) ?? 0) + 1);
    expect(seen.size).toBe(4000);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    const ids = requestLines(lines).map((line) => line.reqId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(lines.filter((line) => line.msg === 'log file rotated').length).toBe(files.length - 1);
  }, 60_000);

  it('keeps no more than log-backups files: the oldest is dropped', async () => {
    const dir = freshDir();
    const file = join(dir, 'corral.log');
    const corral = await startLoggingTo(file, ['--processes', '1', '--log-maxsize', '4K', '--log-backups', '2']);
    await send(
      corral.url,
      Array.from({ length: 400 }, (_, n) => `/r?n=${n}`),
      4,
    );
    await stop(corral);
    expect(readdirSync(dir).sort()).toEqual(['corral.log', 'corral.log.1', 'corral.log.2']);
  }, 30_000);

  it("SIGUSR1 after logrotate's create (the file moved away): the new file gets the later lines, none lost", async () => {
    const dir = freshDir();
    const file = join(dir, 'corral.log');
    const corral = await startLoggingTo(file, ['--processes', '2']);
    await send(corral.url, ['/before-1', '/before-2'], 2);
    renameSync(file, `${file}.old`);
    // Lines written before the signal still go to the moved file.
    await send(corral.url, ['/moved-1', '/moved-2'], 2);
    process.kill(corral.child.pid!, 'SIGUSR1');
    await until(() => linesOf(file).find((line) => line.msg === 'log file reopened'), 5000, 'the reopen');
    // The workers reopen on the master's message: give it the moment it takes to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await send(corral.url, ['/after-1', '/after-2', '/after-3', '/after-4'], 2);
    await stop(corral);
    const old = requestLines(linesOf(`${file}.old`)).map((line) => line.path);
    const now = requestLines(linesOf(file)).map((line) => line.path);
    expect(old.sort()).toEqual(['/before-1', '/before-2', '/moved-1', '/moved-2']);
    expect(now.sort()).toEqual(['/after-1', '/after-2', '/after-3', '/after-4']);
  }, 30_000);

  it("after logrotate's copytruncate: no NUL bytes, and the later lines are at the start of the file", async () => {
    const dir = freshDir();
    const file = join(dir, 'corral.log');
    const corral = await startLoggingTo(file, ['--processes', '2']);
    await send(corral.url, ['/before-1', '/before-2', '/before-3'], 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
    process.kill(corral.child.pid!, 'SIGUSR1');
    await send(corral.url, ['/after-1', '/after-2'], 2);
    await stop(corral);
    const bytes = readFileSync(file);
    expect(bytes.includes(0)).toBe(false);
    expect(bytes.length).toBeGreaterThan(0);
    const now = requestLines(linesOf(file)).map((line) => line.path);
    expect(now.sort()).toEqual(['/after-1', '/after-2']);
    const copied = requestLines(linesOf(`${file}.1`)).map((line) => line.path);
    expect(copied.sort()).toEqual(['/before-1', '/before-2', '/before-3']);
  }, 30_000);

  it('touch-logreopen reopens as SIGUSR1 does', async () => {
    const dir = freshDir();
    const file = join(dir, 'corral.log');
    const touch = join(dir, 'reopen');
    const corral = await startLoggingTo(file, ['--processes', '1', '--touch-logreopen', touch]);
    renameSync(file, `${file}.old`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    copyFileSync(app, touch);
    await until(() => linesOf(file).find((line) => line.msg === 'log file reopened'), 5000, 'the reopen');
    expect(linesOf(file).find((line) => line.msg === 'log file reopened')?.trigger).toBe(`touch-logreopen ${touch}`);
    await stop(corral);
  }, 30_000);

  it('a logto that cannot be written stops the start with exit 2, naming the key, the path and the fix', async () => {
    const dir = freshDir();
    const missing = join(dir, 'no-such-dir', 'corral.log');
    const result = await runCorral(['--http', '127.0.0.1:0', '--module', app, '--logto', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--logto');
    expect(result.stderr).toContain(missing.slice(0, missing.lastIndexOf('/')));
    expect(result.stderr).toMatch(/mkdir -p/);
    const directory = await runCorral(['--http', '127.0.0.1:0', '--module', app, '--logto', dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(/--logto: .* is a directory/);
  });
});

describe('access line options', () => {
  it('log-format combined with log-slow and log-5xx: only slow or 5xx requests, as combined lines', async () => {
    const dir = freshDir();
    const file = join(dir, 'corral.log');
    const corral = await startLoggingTo(file, [
      '--processes',
      '1',
      '--log-format',
      'combined',
      '--log-slow',
      '150',
      '--log-5xx',
    ]);
    const statuses = await send(
      corral.url,
      ['/ok', '/missing?status=404', '/broken?status=503', '/slow?ms=250', '/quick?ms=1'],
      1,
      { 'user-agent': 'agent "quoted"', referer: 'http://ref.example/' },
    );
    expect(statuses).toEqual([200, 404, 503, 200, 200]);
    await stop(corral);
    const text = readFileSync(file, 'utf8');
    const access = text.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
    const combined = /^127\.0\.0\.1 - - \[[^\]]+\] "GET (\S+) HTTP\/1\.1" (\d{3}) (\d+) "([^"]*)" "([^"]*)"$/;
    expect(access.map((line) => combined.exec(line)?.slice(1, 3))).toEqual([
      ['/broken?status=503', '503'],
      ['/slow?ms=250', '200'],
    ]);
    expect(access[0]).toMatch(/"http:\/\/ref\.example\/" "agent \\x22quoted\\x22"$/);
  }, 30_000);

  it('disable-logging with log-4xx: only the 4xx responses get a line (JSON)', async () => {
    const dir = freshDir();
    const file = join(dir, 'corral.log');
    const corral = await startLoggingTo(file, ['--processes', '1', '--disable-logging', '--log-4xx']);
    await send(corral.url, ['/a', '/b?status=404', '/c?status=500', '/d?status=410'], 1);
    await stop(corral);
    expect(requestLines(linesOf(file)).map((line) => [line.path, line.status])).toEqual([
      ['/b?status=404', 404],
      ['/d?status=410', 410],
    ]);
  }, 30_000);
});
