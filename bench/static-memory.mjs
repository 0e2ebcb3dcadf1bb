// Worker RSS of corral before and after serving 10,000 different files once each: it must stay within 10 MB.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childrenOf, rssMiB, sleep } from './lib/processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = 10_000;
/** Other files served first, so that the cold-file code path has reached its steady footprint before the first reading. */
const WARM_UP = 5_000;

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function fetchStatus(port, file, agent) {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: `/${file}`, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5000, () => req.destroy());
  });
}

/** Requests every file once, 32 at a time over keep-alive connections; returns how many got a 200. */
async function serveAll(port, names) {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let ok = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < names.length) if ((await fetchStatus(port, names[next++], agent)) === 200) ok++;
    }),
  );
  agent.destroy();
  return ok;
}

/** The table header for rows from benchStaticMemory(). */
export const MEMORY_HEADER = `| entry | files served once each (1 KiB) | 200s | worker RSS before (after ${WARM_UP} other files) | after | growth |\n| --- | --- | --- | --- | --- | --- |\n`;

export async function benchStaticMemory({ entry = 'sea' } = {}) {
  const command =
    entry === 'sea' ? [path.join(root, 'dist/corral')] : [process.execPath, path.join(root, 'dist/corral.cjs')];
  if (!existsSync(command.at(-1))) return `| ${entry} | not built (npm run build): skipped | | | | |\n`;
  const work = mkdtempSync(path.join(tmpdir(), 'corral-bench-memory-'));
  const names = [];
  for (let i = 0; i < FILES + WARM_UP; i++) {
    const name = `d${i % 100}/f${i}.html`;
    if (i < 100) mkdirSync(path.join(work, `d${i}`));
    writeFileSync(path.join(work, name), `<p>file ${i}</p>`.padEnd(1024, '.'));
    names.push(name);
  }
  const port = await freePort();
  const child = spawn(
    command[0],
    [...command.slice(1), '--http', `127.0.0.1:${port}`, '--static-map', `/=${work}`, '--processes', '1'],
    { stdio: 'ignore' },
  );
  try {
    for (let i = 0; i < 500 && (await fetchStatus(port, names[0])) !== 200; i++) await sleep(20);
    const [worker] = childrenOf(child.pid);
    // Warm up on other files first, so lazily loaded code, JIT output and the heap's working size are in both readings.
    await serveAll(port, names.slice(FILES));
    await sleep(500);
    const before = rssMiB(worker);
    const ok = await serveAll(port, names.slice(0, FILES));
    await sleep(500);
    const after = rssMiB(worker);
    const growth = after - before;
    const verdict = growth <= 10 / 1.048576 ? 'within 10 MB: met' : 'more than 10 MB: short';
    return `| ${entry === 'sea' ? 'dist/corral (Node 26)' : `node dist/corral.cjs (${process.version})`} | ${FILES} | ${ok} | ${before.toFixed(1)} MiB | ${after.toFixed(1)} MiB | ${growth.toFixed(1)} MiB (${verdict}) |\n`;
  } finally {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
    rmSync(work, { recursive: true, force: true });
  }
}
