// The servers' processes: start (pinned with taskset), wait for the first answer, read the RSS and CPU time of the tree, and stop every process by its pid.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** One GET on 127.0.0.1 (body discarded): status and headers, or status 0 when nothing answered within 1 s. */
export function get(port, path, headers = {}) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
    });
    req.on('error', () => resolve({ status: 0, headers: {} }));
    req.setTimeout(1000, () => req.destroy());
    req.end();
  });
}

/** A command typed as one string (the by-hand tools' arguments): its words, split on spaces, with `{PORT}` filled in. */
export function commandWords(command, port) {
  return command.replaceAll('{PORT}', String(port)).split(' ');
}

/** Runs `command` with stdio ignored, through `taskset -c cpus` when cpus is given (taskset execs it: same pid). */
export function spawnServer(command, args, { cpus, env, cwd } = {}) {
  const [file, argv] = cpus === undefined ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];
  return spawn(file, argv, { stdio: 'ignore', env: env === undefined ? process.env : { ...process.env, ...env }, cwd });
}

/** Polls `path` until it answers 200 (bounded: 20 s); throws if the process exits first. */
export async function waitReady(port, path, child, name) {
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before answering`);
    if ((await get(port, path)).status === 200) return;
    await sleep(25);
  }
  throw new Error(`${name} did not answer 200 on ${path} within 20 s`);
}

/** The direct children of `pid` (none once it is gone). */
export function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** `pid` and all its descendants, parents before children. */
function processTree(pid) {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...childrenOf(pids[i]));
  return pids;
}

/** The process's start time (clock ticks since boot), or undefined once it has exited: tells a pid apart from a reused one. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : fields[19]; // a zombie has exited already
  } catch {
    return undefined;
  }
}

/** USER_HZ: the clock ticks a second of CPU time is counted in (/proc/PID/stat), 100 on Linux. */
export const TICKS_PER_SECOND = 100;

/** utime + stime of `pid` in clock ticks (0 once it is gone). */
export function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The CPU time of `pid` and its descendants now, in clock ticks (a process that exited meanwhile no longer counts). */
export function treeCpuTicks(pid) {
  return processTree(pid).reduce((sum, p) => sum + cpuTicks(p), 0);
}

/** VmRSS of `pid` in MiB (NaN once it is gone). */
export function rssMiB(pid) {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/** RSS of each process of the tree: the root first, then its descendants. */
export function treeRss(pid) {
  return processTree(pid).map((p) => rssMiB(p));
}

/**
 * Stops a server: its tree's pids are noted first, then the root gets `signal` and 10 s to exit, then every noted pid
 * still alive (same start time, so not a reused pid) gets SIGKILL. Resolves once all of them are gone (bounded).
 */
export async function stopTree(child, signal = 'SIGTERM') {
  const noted = processTree(child.pid)
    .map((pid) => ({ pid, since: startTime(pid) }))
    .filter((p) => p.since !== undefined);
  const alive = () => noted.filter((p) => startTime(p.pid) === p.since);
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await Promise.race([exited, sleep(10_000)]);
  }
  for (let i = 0; i < 50 && alive().length > 0; i++) await sleep(100);
  for (const { pid } of alive()) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 30 && alive().length > 0; i++) await sleep(100);
  const left = alive();
  if (left.length > 0) process.stderr.write(`warning: pids ${left.map((p) => p.pid).join(', ')} did not exit\n`);
}
