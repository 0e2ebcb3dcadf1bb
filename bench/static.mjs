// Static files side by side: corral vs nginx (2 workers, sendfile) vs sirv (one process) under wrk, and corral's worker RSS after 10,000 files.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const KiB = 1024;
const MiB = 1024 * KiB;

/** The cases of the issue: three sizes and a revalidation answered 304. */
const CASES = [
  { name: '1 KiB', file: 'one.html', size: KiB },
  { name: '100 KiB', file: 'hundred.bin', size: 100 * KiB },
  { name: '10 MiB', file: 'ten.bin', size: 10 * MiB },
  { name: '304 (If-None-Match)', file: 'one.html', size: KiB, revalidate: true },
];

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function head(port, file, headers = {}) {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: `/${file}`, headers, agent: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode, etag: res.headers.etag });
    });
    req.on('error', () => resolve({ status: 0 }));
    req.setTimeout(1000, () => req.destroy());
  });
}

async function waitReady(port, child, name) {
  const started = Date.now();
  while (Date.now() - started < 15_000) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if ((await head(port, 'one.html')).status === 200) return;
    await sleep(20);
  }
  throw new Error(`${name} did not answer within 15 s`);
}

/** Stops a server by its PID and waits (bounded) for it to go. */
async function stop(child) {
  if (child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

function makeFiles(dir) {
  const bytes = (size) => Buffer.alloc(size, 'x');
  writeFileSync(path.join(dir, 'one.html'), bytes(KiB));
  writeFileSync(path.join(dir, 'hundred.bin'), bytes(100 * KiB));
  writeFileSync(path.join(dir, 'ten.bin'), bytes(10 * MiB));
}

/** The servers compared; each returns { port, child } once it answers. */
function peers(dir, work, corralCommand) {
  return [
    {
      name: 'nginx',
      missing: has('nginx') ? undefined : 'nginx is not installed (Debian package nginx-light)',
      start(port) {
        const prefix = path.join(work, 'nginx');
        mkdirSync(path.join(prefix, 'logs'), { recursive: true });
        const conf = path.join(prefix, 'nginx.conf');
        writeFileSync(
          conf,
          `worker_processes 2;\ndaemon off;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log;\nevents { worker_connections 1024; }\n` +
            `http {\n  access_log ${prefix}/logs/access.log;\n  sendfile on;\n  tcp_nopush on;\n  keepalive_requests 100000;\n` +
            `  client_body_temp_path ${prefix}/tmp; proxy_temp_path ${prefix}/tmp; fastcgi_temp_path ${prefix}/tmp; uwsgi_temp_path ${prefix}/tmp; scgi_temp_path ${prefix}/tmp;\n` +
            `  types { text/html html; application/octet-stream bin; }\n  server { listen 127.0.0.1:${port}; root ${dir}; }\n}\n`,
        );
        const child = spawn('nginx', ['-p', prefix, '-c', conf], { stdio: 'ignore' });
        return child;
      },
    },
    {
      name: 'corral',
      missing: existsSync(corralCommand[0]) && existsSync(corralCommand.at(-1)) ? undefined : 'corral is not built (npm run build)',
      start: (port) =>
        spawn(corralCommand[0], [...corralCommand.slice(1), '--http', `127.0.0.1:${port}`, '--static-map', `/=${dir}`, '--processes', '2'], { stdio: 'ignore' }),
    },
    {
      name: 'sirv',
      missing: existsSync(path.join(root, 'node_modules/sirv')) ? undefined : 'sirv is not installed (npm i -D sirv)',
      start: (port) =>
        spawn(
          process.execPath,
          ['--input-type=module', '-e', `import sirv from 'sirv'; import http from 'node:http'; http.createServer(sirv(${JSON.stringify(dir)}, { etag: true })).listen(${port}, '127.0.0.1');`],
          { stdio: 'ignore', cwd: root },
        ),
    },
  ];
}

function wrk(port, file, seconds, headers) {
  const args = ['-t1', '-c64', `-d${seconds}s`, '--timeout', '10s', ...headers.flatMap((h) => ['-H', h]), `http://127.0.0.1:${port}/${file}`];
  const result = spawnSync('wrk', args, { encoding: 'utf8', timeout: (seconds + 15) * 1000 });
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(result.stdout ?? '')?.[1] ?? NaN);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(result.stdout ?? '')?.[1];
  if (non2xx !== undefined) process.stderr.write(`  warning: ${non2xx} non-2xx/3xx answers\n`);
  return rate;
}

/** Runs every case against every available peer; returns rows of medians. */
export async function benchStatic({ quick = false, entry = 'sea' } = {}) {
  const seconds = quick ? 3 : 10;
  const runs = quick ? 1 : 3;
  const warmup = quick ? 1 : 3;
  const corralCommand = entry === 'sea' ? [path.join(root, 'dist/corral')] : [process.execPath, path.join(root, 'dist/corral.cjs')];
  const work = mkdtempSync(path.join(tmpdir(), 'corral-bench-static-'));
  const dir = path.join(work, 'files');
  mkdirSync(dir);
  // nginx's workers drop to an unprivileged user when started as root: they must be able to read the files.
  chmodSync(work, 0o755);
  makeFiles(dir);
  const notes = [];
  const results = new Map(); // `${peer}|${case}` -> req/s
  try {
    if (!has('wrk')) return { table: 'wrk is not installed (Debian package wrk): static bench skipped.\n', notes };
    // All servers run at once (idle ones cost nothing) so that the runs can alternate between them: machine
    // noise then spreads over every peer instead of landing on whichever ran during a busy minute.
    const running = [];
    try {
      for (const peer of peers(dir, work, corralCommand)) {
        if (peer.missing !== undefined) {
          notes.push(`${peer.name} skipped: ${peer.missing}`);
          continue;
        }
        const port = await freePort();
        const child = peer.start(port);
        running.push({ name: peer.name, port, child });
        await waitReady(port, child, peer.name);
      }
      for (const c of CASES) {
        const rates = new Map(running.map((peer) => [peer.name, []]));
        const headers = new Map();
        for (const peer of running) {
          let extra = [];
          if (c.revalidate) {
            const { etag } = await head(peer.port, c.file);
            const check = await head(peer.port, c.file, { 'If-None-Match': etag });
            if (check.status !== 304) notes.push(`${peer.name}: revalidation answered ${check.status}, not 304`);
            extra = [`If-None-Match: ${etag}`];
          }
          headers.set(peer.name, extra);
          wrk(peer.port, c.file, warmup, extra);
        }
        for (let i = 0; i < runs; i++) {
          for (const peer of running) rates.get(peer.name).push(wrk(peer.port, c.file, seconds, headers.get(peer.name)));
        }
        for (const [name, list] of rates) {
          results.set(`${name}|${c.name}`, median(list));
          process.stderr.write(`${name} ${c.name}: ${list.map((r) => Math.round(r)).join(', ')} req/s\n`);
        }
      }
    } finally {
      for (const peer of running) await stop(peer.child);
    }
    return { table: staticTable(results), notes, seconds, runs };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function staticTable(results) {
  const value = (peer, c) => results.get(`${peer}|${c}`);
  const fmt = (n) => (n === undefined || Number.isNaN(n) ? 'n/a' : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0));
  const ratio = (a, b, goal) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}x${goal === undefined ? '' : a / b >= goal ? ` (goal ${goal}x: met)` : ` (goal ${goal}x: short)`}`);
  const goals = { '1 KiB': [0.9, 4], '100 KiB': [0.8], '10 MiB': [0.8], '304 (If-None-Match)': [0.95] };
  const lines = ['| case | nginx req/s | corral req/s | sirv req/s | corral/nginx | corral/sirv |', '| --- | --- | --- | --- | --- | --- |'];
  for (const c of CASES) {
    const [n, k, s] = ['nginx', 'corral', 'sirv'].map((peer) => value(peer, c.name));
    lines.push(`| ${c.name} | ${fmt(n)} | ${fmt(k)} | ${fmt(s)} | ${ratio(k, n, goals[c.name][0])} | ${ratio(k, s, goals[c.name][1])} |`);
  }
  return `${lines.join('\n')}\n`;
}
