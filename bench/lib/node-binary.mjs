// The Node that runs the Node servers under test (corral's npm entry, node:http, PM2, @hono/node-server, sirv): this one, or `--node=PATH`.
import { spawnSync } from 'node:child_process';

let chosen = process.execPath;

/** Picks another Node binary for the servers (the bench itself keeps running on its own). */
export function useNode(path) {
  chosen = path;
}

export function nodeBinary() {
  return chosen;
}

/** `v20.20.2` for the chosen binary. */
export function nodeVersion() {
  return chosen === process.execPath
    ? process.version
    : spawnSync(chosen, ['--version'], { encoding: 'utf8' }).stdout.trim();
}
