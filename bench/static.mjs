// Static files side by side: corral's single executable (2 workers) vs nginx (2 workers, sendfile) vs Caddy vs uWSGI --static-map (2 processes) vs sirv (1 process), and node:http answering from memory.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compare } from './lib/compare.mjs';
import { nodeServer } from './servers/app-peers.mjs';
import { corralServers } from './servers/corral.mjs';
import { caddyServer, nginxServer, sirvServer, uwsgiServer } from './servers/static-peers.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Not a file server: bare node:http under node:cluster answering the same bytes and headers from memory, on the Node
 * of the other Node peers. What a server built on node:http does with no file system at all, beside nginx, which
 * answers outside any JavaScript runtime (corral's static path can beat it: its small bodies go out as one string).
 */
export const STATIC_FROM_MEMORY = 'node:http from memory, node:cluster 2 workers';

/** The cases of the issue: three sizes and a revalidation answered 304. */
const STATIC_CASES = [
  { name: 'static 1 KiB', path: '/one.html', file: 'one.html', size: KiB },
  { name: 'static 100 KiB', path: '/hundred.bin', file: 'hundred.bin', size: 100 * KiB },
  { name: 'static 10 MiB', path: '/ten.bin', file: 'ten.bin', size: 10 * MiB },
  { name: 'static 304 revalidation', path: '/one.html', revalidate: true },
];

export async function benchStatic({ cpus, runs, seconds, warmup }) {
  const work = mkdtempSync(path.join(tmpdir(), 'corral-bench-static-'));
  const dir = path.join(work, 'files');
  mkdirSync(dir);
  // nginx's and uWSGI's workers may drop to an unprivileged user when started as root: they must read the files.
  chmodSync(work, 0o755);
  for (const c of STATIC_CASES)
    if (c.file !== undefined) writeFileSync(path.join(dir, c.file), Buffer.alloc(c.size, 'x'));
  try {
    const servers = [
      ...corralServers({
        name: 'corral (single executable), 2 workers',
        entry: 'sea',
        workers: 2,
        args: ['--static-map', `/=${dir}`],
      }),
      nginxServer({ name: 'nginx, 2 workers', dir, work }),
      caddyServer({ name: 'Caddy file_server', dir, work }),
      uwsgiServer({ name: 'uWSGI --static-map, 2 processes', dir }),
      sirvServer({ name: 'sirv, 1 process', dir }),
      nodeServer({ name: STATIC_FROM_MEMORY, kind: 'memory-files', workers: 2, dir }),
    ];
    // All of them run at once (an idle server costs nothing) so that the runs of each case can alternate between them.
    return await compare({ servers, cases: STATIC_CASES, cpus, runs, seconds, warmup });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
