// Instructions per request of one or two server commands, counted by valgrind's callgrind, for taking a gap apart by hand: `node bench/instructions.mjs PATH N 'COMMAND A' ['COMMAND B'] [--connections] [--top=K]`.
//
// Each command (its port in PORT and BENCH_PORT, and for {PORT} in it) runs under callgrind twice, for N and for 2N
// requests to PATH (keep-alive on 4 connections, or one request per connection with --connections), and its serving
// process's count is the slope between the two runs: start-up and warm-up cancel out. A command that starts with
// `node` gets `--single-threaded` (its workers inherit it): V8 then optimises on the main thread at the same point of
// every run, where a background compiler starved by valgrind would leave different code unoptimised from one run to
// the next. `--perf-basic-prof` names the JavaScript functions (valgrind sees their code as addresses), so --top=K
// lists the K functions whose instructions per request differ most between A and B (or A's largest alone). A total
// moves by up to 2.5% from one run to the next (each function's count repeats better), and it is not CPU time: a
// change that cut 4% of a hello request's instructions cost 1% more CPU time when measured paired (README,
// Benchmarks), so a goal is still judged by bench/pair.mjs or the bench itself. Needs valgrind (`apt-get install
// valgrind`); a corral run of 20,000 requests takes about a minute.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandWords, freePort, get, sleep, stopTree } from './lib/processes.mjs';

const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const [path, count, ...commands] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const perConnection = flags.includes('--connections');
const top = Number(flags.find((flag) => flag.startsWith('--top='))?.slice(6) ?? 0);
const n = Number(count);
if (path === undefined || !path.startsWith('/') || !(n >= 100) || commands.length < 1 || commands.length > 2) {
  process.stderr.write(
    "usage: node bench/instructions.mjs PATH N 'COMMAND A' ['COMMAND B'] [--connections] [--top=K] (N >= 100; {PORT} in a command is its port)\n",
  );
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'corral-instructions-'));
/** The longest the requests of one run may take (a SvelteKit page under valgrind: about 30 ms each). */
const RUN_LIMIT_MS = 30 * 60_000;
/** The perf maps of every process run (--perf-basic-prof writes them to /tmp), removed at the end. */
const perfMaps = [];

/** The command's words, {PORT} filled in; a `node` command gets the flags that make its counts repeat and its functions named. */
function words(command, port) {
  const [file, ...args] = commandWords(command, port);
  return file === 'node' || file.endsWith('/node')
    ? [file, '--single-threaded', '--perf-basic-prof', ...args]
    : [file, ...args];
}

/** Resolves once `port` answers PATH, or throws after `ms` (valgrind starts a program 20 to 50 times slower). */
async function answering(port, child, ms) {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
    if ((await get(port, path)).status !== 0) return;
    await sleep(500);
  }
  throw new Error(`the server did not answer ${path} within ${ms / 1000} s`);
}

/** `total` GETs of PATH on 4 keep-alive connections, one after another on each. */
function keepAlive(port, total) {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let sent = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (sent === total) return;
      sent++;
      const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => (++done === total ? resolve() : next()));
      });
      req.on('error', reject);
      req.end();
    };
    for (let i = 0; i < 4; i++) next();
  }).finally(() => agent.destroy());
}

/** `total` GETs of PATH, each on a connection of its own (Connection: close), 8 at a time. */
function newConnections(port, total) {
  const head = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1');
  let sent = 0;
  let done = 0;
  return new Promise((resolve) => {
    const next = () => {
      if (sent === total) return;
      sent++;
      const socket = connect({ host: '127.0.0.1', port }, () => socket.write(head));
      socket.on('data', () => {});
      socket.on('error', () => {});
      socket.once('close', () => (++done === total ? resolve() : next()));
    };
    for (let i = 0; i < 8; i++) next();
  });
}

/** Runs `command` under callgrind for `total` requests; returns its serving process's output file (the largest count) and pid. */
async function counted(command, total, tag) {
  const port = await freePort();
  const dir = join(work, tag);
  mkdirSync(dir);
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--smc-check=all-non-file',
      '--trace-children=yes',
      `--callgrind-out-file=${dir}/cg.%p`,
      ...words(command, port),
    ],
    {
      stdio: 'ignore',
      cwd: root,
      env: { ...process.env, PORT: String(port), BENCH_PORT: String(port), HOST: '127.0.0.1' },
    },
  );
  try {
    await answering(port, child, 300_000);
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the requests took over 30 minutes')), RUN_LIMIT_MS);
    });
    await Promise.race([perConnection ? newConnections(port, total) : keepAlive(port, total), late]).finally(() =>
      clearTimeout(timer),
    );
  } finally {
    // A graceful stop writes every process's counts; valgrind makes it slow, so it gets 2 minutes before stopTree's kill.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 120_000).unref())]);
    await stopTree(child);
  }
  const files = readdirSync(dir).map((name) => ({
    file: join(dir, name),
    total: totalOf(join(dir, name)),
    pid: Number(name.slice(name.lastIndexOf('.') + 1)),
  }));
  for (const { pid } of files) perfMaps.push(`/tmp/perf-${pid}.map`);
  const serving = files.sort((a, b) => b.total - a.total)[0];
  if (serving === undefined) throw new Error(`callgrind wrote no counts for ${command}`);
  return serving;
}

/** The instructions a callgrind output file counted in all. */
function totalOf(file) {
  const match = /^(?:summary|totals): (\d+)/m.exec(readFileSync(file, 'utf8'));
  return match === null ? 0 : Number(match[1]);
}

/** Instructions by function (self), JavaScript functions named from the process's perf map, the rest as callgrind names them. */
function byFunction({ file, pid }) {
  const text = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const names = perfMap(pid);
  const counts = new Map();
  for (const line of text.split('\n')) {
    const row = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*?)(?: \[[^\]]*\])?$/.exec(line);
    if (row === null || row[2] === 'PROGRAM TOTALS') continue;
    const address = /^\?\?\?:0x([0-9a-f]+)$/.exec(row[2]);
    const name =
      address === null
        ? withoutParameters(row[2].replace(/^[^:]*:(?=[^:])/, '').replace(/'\d+$/, ''))
        : names(parseInt(address[1], 16));
    counts.set(name, (counts.get(name) ?? 0) + Number(row[1].replaceAll(',', '')));
  }
  return counts;
}

/** A C++ name without its parameter list (`f(int) const` is `f`), which callgrind prints and which only lengthens it. */
function withoutParameters(name) {
  const end = name.endsWith(' const') ? name.length - 6 : name.length;
  if (name[end - 1] !== ')') return name;
  let depth = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (name[i] === ')') depth++;
    else if (name[i] === '(' && --depth === 0) return name.slice(0, i);
  }
  return name;
}

/** Names code addresses from /tmp/perf-PID.map (written by --perf-basic-prof); an address outside it is JIT code. */
function perfMap(pid) {
  let rows = [];
  try {
    rows = readFileSync(`/tmp/perf-${pid}.map`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [start, size, ...name] = line.split(' ');
        return { start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(size, 16), name: name.join(' ') };
      })
      .sort((a, b) => a.start - b.start);
  } catch {
    // Not a node process: its code has symbols or is unnamed.
  }
  return (address) => {
    let low = 0;
    let high = rows.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const row = rows[middle];
      if (address < row.start) high = middle - 1;
      else if (address >= row.end) low = middle + 1;
      else return row.name.replace(/^JS:[*~^]?/, 'JS ').replace(/^JS {2}/, 'JS (anonymous) ');
    }
    return 'JIT code';
  };
}

const results = [];
try {
  for (const [index, command] of commands.entries()) {
    const once = await counted(command, n, `${index}-once`);
    const twice = await counted(command, 2 * n, `${index}-twice`);
    const perRequest = (twice.total - once.total) / n;
    results.push({ command, perRequest, once, twice });
    process.stdout.write(
      `${'AB'[index]}: ${Math.round(perRequest).toLocaleString('en')} instructions a request  ${command}\n`,
    );
  }
  const [a, b] = results;
  if (b !== undefined) process.stdout.write(`B / A: ${(b.perRequest / a.perRequest).toFixed(3)}\n`);
  if (top > 0) {
    const slope = (r) => {
      const first = byFunction(r.once);
      const second = byFunction(r.twice);
      return new Map([...second].map(([name, total]) => [name, (total - (first.get(name) ?? 0)) / n]));
    };
    const sa = slope(a);
    const sb = b === undefined ? new Map() : slope(b);
    const rows = [...new Set([...sa.keys(), ...sb.keys()])]
      .map((name) => ({ name, a: sa.get(name) ?? 0, b: sb.get(name) ?? 0 }))
      .sort((x, y) => (b === undefined ? y.a - x.a : Math.abs(y.b - y.a) - Math.abs(x.b - x.a)))
      .slice(0, top);
    process.stdout.write(
      `\n| function | A a request |${b === undefined ? '' : ' B a request | B - A |'}\n| --- | --- |${b === undefined ? '' : ' --- | --- |'}\n`,
    );
    for (const row of rows)
      process.stdout.write(
        `| ${row.name.slice(0, 100)} | ${row.a.toFixed(0)} |${b === undefined ? '' : ` ${row.b.toFixed(0)} | ${(row.b - row.a).toFixed(0)} |`}\n`,
      );
  }
} finally {
  for (const map of perfMaps) rmSync(map, { force: true });
  rmSync(work, { recursive: true, force: true });
}
