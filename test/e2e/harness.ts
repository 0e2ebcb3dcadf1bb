// Starts the built corral as a child process, reads its JSON log lines, and stops it by pid: the end-to-end tests' one tool.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How this run starts corral: `npm` = the bundle on this machine's Node, `sea` = the single executable (CORRAL_ENTRY). */
export const ENTRY = process.env.CORRAL_ENTRY === 'sea' ? 'sea' : 'npm';
const BUNDLE = fileURLToPath(new URL('../../dist/corral.cjs', import.meta.url));
export const EXECUTABLE = fileURLToPath(new URL('../../dist/corral', import.meta.url));

/** The program and the arguments that come before corral's own. */
const [COMMAND, ...PREFIX] = ENTRY === 'sea' ? [EXECUTABLE] : [process.execPath, BUNDLE];

export interface SpawnOptions {
  cwd?: string;
  /** Added to the environment; with `cleanEnv`, the whole environment. */
  env?: NodeJS.ProcessEnv;
  /** Start from an empty environment, as `env -i` does (no PATH, so no node to find). */
  cleanEnv?: boolean;
  /** Run this copy of the program instead (see copyProgram). */
  program?: string;
  /** Run this executable as it is, whatever the entry (a packed app: test/e2e/sea/pack.test.ts). */
  executable?: string;
  /** A command that runs corral, e.g. ['unshare', '--pid', '--fork', '--mount-proc']. */
  wrapper?: string[];
  /** A file descriptor for corral's stdout (a FIFO's write end, say) instead of a pipe the harness reads. */
  stdout?: number;
}

/** Copies the program under test (the bundle or the executable) into `dir`, mode 0755; pass the path as `program`. */
export function copyProgram(dir: string): string {
  const source = ENTRY === 'sea' ? EXECUTABLE : BUNDLE;
  const copy = join(dir, basename(source));
  copyFileSync(source, copy);
  chmodSync(copy, 0o755);
  return copy;
}

function spawnCorral(args: string[], opts: SpawnOptions) {
  const env = opts.cleanEnv === true ? { ...opts.env } : { ...process.env, ...opts.env };
  const [command, ...prefix] =
    opts.executable !== undefined
      ? [opts.executable]
      : opts.program === undefined
        ? [COMMAND!, ...PREFIX]
        : ENTRY === 'sea'
          ? [opts.program]
          : [process.execPath, opts.program];
  const argv = [...(opts.wrapper ?? []), command!, ...prefix, ...args];
  return spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env, stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'] });
}

export interface LogLine {
  msg?: string;
  level?: string;
  [key: string]: unknown;
}

export interface Running {
  child: ChildProcess;
  pid: number;
  logs: LogLine[];
  stderr: () => string;
  /** Resolves with the first log line that matches, or rejects after `ms`. */
  waitFor(match: (line: LogLine) => boolean, ms?: number): Promise<LogLine>;
  /** Resolves with the exit code (or the signal name) once the process is gone, or rejects after `ms`. */
  exited(ms?: number): Promise<number | string>;
  /** The first bound address's base URL, from the `ready` line. */
  url: string;
}

const started = new Set<ChildProcess>();

/** A server process (corral, Pebble) that exited before it was ready; `exitCode` and `stderr` tell why (see isAddressInUse). */
export class ExitedBeforeReady extends Error {
  constructor(
    message: string,
    readonly exitCode: number | string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * Whether a start failed because a port it was given is taken: corral exits 2 with `...: address already in use`, Pebble
 * (Go) exits 1 with `listen tcp ...: bind: address already in use`. Only that failure is worth a retry on other ports.
 */
export function isAddressInUse(err: unknown): boolean {
  return (
    err instanceof ExitedBeforeReady &&
    (err.exitCode === 2 || err.exitCode === 1) &&
    err.stderr.includes('address already in use')
  );
}

/** Runs `corral ...args` to completion (a one-off command); bounded by `ms`. */
export async function runCorral(
  args: string[],
  opts: SpawnOptions & { ms?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCorral(args, opts);
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`corral ${args.join(' ')} did not exit within ${opts.ms ?? 10_000} ms\n${stdout}\n${stderr}`));
    }, opts.ms ?? 10_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      started.delete(child);
      resolve(c);
    });
  });
  return { code, stdout, stderr };
}

/** Starts `corral ...args` and waits for its `ready` log line (or its early exit). */
export async function startCorral(args: string[], opts: SpawnOptions & { readyMs?: number } = {}): Promise<Running> {
  const child = spawnCorral(args, opts);
  started.add(child);
  const logs: LogLine[] = [];
  const waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  let stderr = '';
  let buffered = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { msg: text, raw: true };
      }
      logs.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  const exitPromise = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      started.delete(child);
      resolve(code ?? signal ?? -1);
    });
  });

  const waitFor = (match: (line: LogLine) => boolean, ms = 10_000) => {
    const seen = logs.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching log line within ${ms} ms; logs:\n${logs.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${stderr}`,
            ),
          ),
        ms,
      );
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  };
  const exited = (ms = 10_000) =>
    Promise.race([
      exitPromise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`corral did not exit within ${ms} ms`)), ms)),
    ]);

  const ready = await Promise.race([
    waitFor((line) => line.msg === 'ready', opts.readyMs ?? 15_000),
    exitPromise.then(async (code) => {
      // 'exit' can come before the last of stderr is read: wait for the pipe to close (bounded, a child may hold it).
      if (child.stderr !== null && !child.stderr.readableEnded)
        await Promise.race([
          new Promise((resolve) => child.stderr!.once('end', resolve)),
          new Promise((resolve) => setTimeout(resolve, 1000)),
        ]);
      throw new ExitedBeforeReady(
        `corral exited (${code}) before it was ready\nstderr:\n${stderr}\nlogs:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`,
        code,
        stderr,
      );
    }),
  ]);
  const addresses = ready.addresses as string[];
  return {
    child,
    pid: child.pid ?? -1,
    logs,
    stderr: () => stderr,
    waitFor,
    exited,
    url: `http://${addresses[0] ?? ''}`,
  };
}

/**
 * Starts `corral ...args` without reading its log: for a corral that logs elsewhere (logto), whose test reads the log
 * there. stopAll stops it like the others.
 */
export function spawnCorralProcess(args: string[], opts: SpawnOptions = {}): ChildProcess {
  const child = spawnCorral(args, opts);
  started.add(child);
  child.on('exit', () => started.delete(child));
  return child;
}

/** Sends SIGTERM to a corral still running (by its pid) and resolves with its exit code, or signal, within `ms`. */
export function stopGracefully(corral: Running, ms = 10_000): Promise<number | string> {
  if (corral.child.exitCode === null && corral.child.signalCode === null) process.kill(corral.pid, 'SIGTERM');
  return corral.exited(ms);
}

/** Stops every corral the tests started and that is still running, by its pid. Call in afterEach/afterAll. */
export function stopAll(): void {
  for (const child of started) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  started.clear();
}
