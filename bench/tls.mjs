// HTTPS side by side: corral (2 workers) vs nginx (2 workers) with the same certificate, HTTP/1.1 keep-alive under wrk and HTTP/2 under h2load, and node:http2 answering from memory on corral's own Node.
// Alone: `node bench/tls.mjs [--quick] [--entry npm|sea]` (after `npm run build`); or call benchTls() from bench/index.mjs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { get } from 'node:https';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { nodeBinary } from './lib/node-binary.mjs';
import { sleep } from './lib/processes.mjs';
import { formatRate, summarize } from './lib/stats.mjs';
import { formatRowRatio, ratioOfRows, rowOf } from './lib/table.mjs';
import { corralCommand } from './servers/corral.mjs';
import { pathToFileURL } from 'node:url';
import { writeNginxConfig } from './lib/nginx-config.mjs';

/**
 * For scale: node:http2's secure server (HTTP/1.1 too, by ALPN) under a 2-worker node:cluster, answering the file
 * from memory with no file system, cache or path check. It runs on the Node corral's entry embeds (the single
 * executable's Node 26 from .cache/ when it is there): what Node itself does on this path, with no file system at all.
 */
const FROM_MEMORY = 'node:http2 from memory';
const fromMemorySource = `
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
const [cert, key, file, port] = process.argv.slice(1);
if (cluster.isPrimary) {
  for (let i = 0; i < 2; i++) cluster.fork();
  process.on('SIGTERM', () => { for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM'); process.exit(0); });
} else {
  const body = readFileSync(file);
  const headers = { 'content-type': 'text/html', 'content-length': body.length, etag: '"bench"', 'cache-control': 'no-cache' };
  createSecureServer({ cert: readFileSync(cert), key: readFileSync(key), allowHTTP1: true }, (req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  }).listen(Number(port), '127.0.0.1');
}
`;

function fromMemoryNode(entry) {
  const cache = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '.cache');
  const embedded =
    entry === 'sea' && existsSync(cache)
      ? readdirSync(cache)
          .filter((name) => name.startsWith('node-'))
          .map((name) => path.join(cache, name, 'node'))
          .find((file) => existsSync(file))
      : undefined;
  return embedded ?? nodeBinary();
}

const FILE = 'one.html';

/** The load generators: the protocol each speaks, the Debian package it comes in, and how a run goes. */
const CLIENTS = [
  {
    name: 'HTTP/1.1 keep-alive (wrk -t1 -c64)',
    tool: 'wrk',
    pkg: 'wrk',
    run: (url, seconds, who) => wrkRate(url, seconds, who),
  },
  {
    name: 'HTTP/2 (h2load -t1 -c16 -m10)',
    tool: 'h2load',
    pkg: 'nghttp2-client',
    run: (url, seconds, who) => h2loadRate(url, seconds, who),
  },
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

/** A throwaway CA and a P-256 leaf for localhost/127.0.0.1 (openssl), and a 1 KiB file: what both servers serve. */
export function makeSite(work) {
  const run = (args) => execFileSync('openssl', args, { cwd: work, stdio: 'ignore' });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=corral bench CA',
  ]);
  run([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'key.pem',
    '-out',
    'leaf.csr',
    '-subj',
    '/CN=localhost',
  ]);
  writeFileSync(path.join(work, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-out',
    'cert.pem',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  ]);
  // nginx's workers drop to an unprivileged user when started as root: they must read the files (not the key: the master does).
  chmodSync(work, 0o755);
  const dir = path.join(work, 'files');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, FILE), Buffer.alloc(1024, 'x'));
  return {
    dir,
    cert: path.join(work, 'cert.pem'),
    key: path.join(work, 'key.pem'),
    ca: readFileSync(path.join(work, 'ca.pem')),
  };
}

function peers(site, work, corralCommand, entry) {
  return [
    {
      name: 'nginx',
      missing: has('nginx') ? undefined : 'nginx is not installed (Debian package nginx-light)',
      start(port) {
        const prefix = path.join(work, 'nginx');
        const server = `    ssl_certificate ${site.cert};\n    ssl_certificate_key ${site.key};\n`;
        const conf = writeNginxConfig({
          prefix,
          listen: `127.0.0.1:${port} ssl http2`,
          root: site.dir,
          types: 'text/html html;',
          server,
        });
        return spawn('nginx', ['-p', prefix, '-c', conf], { stdio: 'ignore' });
      },
    },
    {
      name: 'corral',
      missing:
        existsSync(corralCommand[0]) && existsSync(corralCommand.at(-1))
          ? undefined
          : 'corral is not built (npm run build)',
      start: (port) =>
        spawn(
          corralCommand[0],
          [
            ...corralCommand.slice(1),
            '--https',
            `127.0.0.1:${port},${site.cert},${site.key}`,
            '--static-map',
            `/=${site.dir}`,
            '--processes',
            '2',
          ],
          {
            stdio: 'ignore',
          },
        ),
    },
    {
      name: FROM_MEMORY,
      missing: undefined,
      start: (port) =>
        spawn(
          fromMemoryNode(entry),
          ['--input-type=module', '-e', fromMemorySource, site.cert, site.key, path.join(site.dir, FILE), String(port)],
          { stdio: 'ignore' },
        ),
    },
  ];
}

function status(port, ca) {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: `/${FILE}`, servername: 'localhost', ca, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(1000, () => req.destroy());
  });
}

async function waitReady(port, child, name, ca) {
  const started = Date.now();
  while (Date.now() - started < 15_000) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if ((await status(port, ca)) === 200) return;
    await sleep(50);
  }
  throw new Error(`${name} did not answer over https within 15 s`);
}

/** Stops a server by its pid and waits (bounded) for it to go. */
async function stop(child) {
  if (child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

function wrkRate(url, seconds, who) {
  const result = spawnSync('wrk', ['-t1', '-c64', `-d${seconds}s`, '--timeout', '10s', url], {
    encoding: 'utf8',
    timeout: (seconds + 15) * 1000,
  });
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(result.stdout ?? '')?.[1];
  if (non2xx !== undefined) process.stderr.write(`  warning (${who}): ${non2xx} non-2xx/3xx answers\n`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(result.stdout ?? '')?.[1] ?? NaN);
}

function h2loadRate(url, seconds, who) {
  // -D: a duration instead of a request count; --warm-up-time is not in Debian 12's h2load, so warm-up is a separate run.
  const result = spawnSync('h2load', ['-t1', '-c16', '-m10', '-D', String(seconds), url], {
    encoding: 'utf8',
    timeout: (seconds + 15) * 1000,
  });
  const text = result.stdout ?? '';
  const failed = Number(/(\d+) failed/.exec(text)?.[1] ?? 0);
  if (failed > 0) process.stderr.write(`  warning (${who}): ${failed} failed requests\n`);
  if (!/application protocol: h2/i.test(text))
    process.stderr.write(`  warning (${who}): h2load did not negotiate h2\n`);
  return Number(/finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(text)?.[1] ?? NaN);
}

/**
 * Runs both protocols against the servers in rounds: each round runs every server once, back to back, every other
 * round in reverse order, so that a change of the machine's speed weighs on both sides of a round's ratio. Returns
 * a Markdown table of medians, with corral's ratios taken round by round (ratioOfRows), and the rows.
 */
export async function benchTls({ quick = false, entry = 'sea' } = {}) {
  const seconds = 3;
  const runs = quick ? 1 : 7;
  const warmup = quick ? 1 : 3;
  const command = corralCommand(entry);
  const notes = [];
  if (!has('openssl'))
    return { table: 'openssl is not installed (Debian package openssl): TLS bench skipped.\n', notes, rows: [] };
  const clients = CLIENTS.filter((client) => {
    if (has(client.tool)) return true;
    notes.push(`${client.name} skipped: ${client.tool} is not installed (Debian package ${client.pkg})`);
    return false;
  });
  const work = mkdtempSync(path.join(tmpdir(), 'corral-bench-tls-'));
  const rows = [];
  const running = [];
  try {
    const site = makeSite(work);
    for (const peer of peers(site, work, command, entry)) {
      if (peer.missing !== undefined) {
        notes.push(`${peer.name} skipped: ${peer.missing}`);
        continue;
      }
      const port = await freePort();
      const child = peer.start(port);
      running.push({ name: peer.name, port, child });
      await waitReady(port, child, peer.name, site.ca);
    }
    for (const client of clients) {
      const rates = new Map(running.map((peer) => [peer.name, []]));
      const url = (peer) => `https://127.0.0.1:${peer.port}/${FILE}`;
      for (const peer of running) client.run(url(peer), warmup, peer.name);
      for (let i = 0; i < runs; i++)
        for (const peer of i % 2 === 0 ? running : [...running].reverse())
          rates.get(peer.name).push(client.run(url(peer), seconds, peer.name));
      for (const [name, list] of rates) {
        // case = the protocol, as the goal table names it.
        rows.push({ case: client.name, server: name, rate: summarize(list), rates: list });
        process.stderr.write(`${name} ${client.name}: ${list.map((rate) => Math.round(rate)).join(', ')} req/s\n`);
      }
    }
  } finally {
    for (const peer of running) await stop(peer.child);
    rmSync(work, { recursive: true, force: true });
  }
  return { table: tlsTable(rows, clients), notes, seconds, runs, rows };
}

function tlsTable(rows, clients) {
  const lines = [
    `| protocol (1 KiB file over TLS) | nginx req/s | corral req/s | corral/nginx, per round | ${FROM_MEMORY} req/s | corral/${FROM_MEMORY}, per round |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const client of clients) {
    const [n, k, c] = ['nginx', 'corral', FROM_MEMORY].map((server) => rowOf(rows, client.name, server));
    const rate = (row) => formatRate(row?.rate.median);
    lines.push(
      `| ${client.name} | ${rate(n)} | ${rate(k)} | ${formatRowRatio(ratioOfRows(k, n))} | ${rate(c)} | ${formatRowRatio(ratioOfRows(k, c))} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const entryAt = process.argv.indexOf('--entry');
  const entry = entryAt > 0 ? process.argv[entryAt + 1] : 'sea';
  const result = await benchTls({ quick, entry });
  const how =
    result.runs === undefined
      ? ''
      : `warm-up then ${result.runs} round(s) of ${result.seconds} s per server, every other round in reverse order; medians, and ratios per round; unpinned.\n\n`;
  const header = `${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, Linux`;
  const notes = result.notes.length === 0 ? '' : `\n${result.notes.map((note) => `- ${note}`).join('\n')}\n`;
  process.stdout.write(
    `## HTTPS: corral (${entry === 'sea' ? 'single executable' : 'node dist/corral.cjs'}, 2 workers) vs nginx (2 workers), same certificate\n\n${header}\n\n${how}${result.table}${notes}`,
  );
}
