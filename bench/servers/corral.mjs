// How the bench starts corral: either entry, on 127.0.0.1, with a module or a static map and a worker count; with --baseline, an older build beside it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../lib/node-binary.mjs';
import { spawnServer } from '../lib/processes.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Another checkout of corral with dist/ built (`--baseline=DIR`): its rows run beside this build's, in the same runs. */
let baseline;

export function useBaseline(dir) {
  baseline = path.resolve(dir);
}

/** `npm`: `node dist/corral.cjs` on the Node the Node peers run on; `sea`: dist/corral (Node 26 inside). */
export function corralCommand(entry, from = root) {
  return entry === 'sea' ? [path.join(from, 'dist/corral')] : [nodeBinary(), path.join(from, 'dist/corral.cjs')];
}

/** A server entry for compare(): corral with `args` and `env` added (its access log goes to stdout, here /dev/null). */
function corralServer({ name, entry = 'npm', workers, args, env, from = root, highlight = true }) {
  const [command, ...prefix] = corralCommand(entry, from);
  return {
    name,
    highlight,
    missing:
      existsSync(command) && existsSync(prefix.at(-1) ?? command)
        ? undefined
        : `corral is not built in ${from} (npm run build)`,
    start: (port, cpus) =>
      spawnServer(command, [...prefix, '--http', `127.0.0.1:${port}`, ...args, '--processes', String(workers)], {
        cpus,
        env,
      }),
  };
}

/** corral's row, and with --baseline the same server from the baseline build as "NAME (before)", to spread into a server list. */
export function corralServers(spec) {
  const now = corralServer(spec);
  if (baseline === undefined) return [now];
  return [now, corralServer({ ...spec, name: `${spec.name} (before)`, from: baseline, highlight: false })];
}
