// How the bench starts corral: either entry, on 127.0.0.1, with a module or a static map and a worker count.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../lib/node-binary.mjs';
import { spawnServer } from '../lib/processes.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `npm`: `node dist/corral.cjs` on the Node the Node peers run on; `sea`: dist/corral (Node 26 inside). */
export function corralCommand(entry) {
  return entry === 'sea' ? [`${root}dist/corral`] : [nodeBinary(), `${root}dist/corral.cjs`];
}

/** A server entry for compare(): corral with `args` (its access log goes to stdout, here /dev/null). */
export function corralServer({ name, entry = 'npm', workers, args }) {
  const [command, ...prefix] = corralCommand(entry);
  return {
    name,
    highlight: true,
    missing:
      existsSync(command) && existsSync(prefix.at(-1) ?? command) ? undefined : 'corral is not built (npm run build)',
    start: (port, cpus) =>
      spawnServer(command, [...prefix, '--http', `127.0.0.1:${port}`, ...args, '--processes', String(workers)], {
        cpus,
      }),
  };
}
