// Which load generator and peers are installed, their versions for the report's header, and what to install for the missing ones.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The Debian packages of the whole suite, in the one command the report suggests. */
export const APT_INSTALL = 'apt-get install wrk nginx-light caddy uwsgi-core uwsgi-plugin-python3 nghttp2-client';

/** Commands from Debian: how to ask their version and which package brings them. */
const COMMANDS = {
  wrk: { args: ['--version'], pattern: /wrk (?:debian\/)?([\w.~+-]+)/, package: 'wrk' },
  nginx: { args: ['-v'], pattern: /nginx\/([\d.]+)/, package: 'nginx-light' },
  uwsgi: { args: ['--version'], pattern: /^([\d.]+[\w.-]*)/m, package: 'uwsgi-core uwsgi-plugin-python3' },
  taskset: { args: ['--version'], pattern: /util-linux ([\d.]+)/, package: 'util-linux' },
  caddy: { args: ['version'], pattern: /v?([\d.]+)/, package: 'caddy' },
};

/** Node peers: devDependencies of this package. */
const MODULES = ['pm2', 'sirv', 'sirv-cli', '@hono/node-server', 'hono'];

/** The version in a command's output, or 'installed' when the output names none. */
export function parseVersion(name, output) {
  return COMMANDS[name].pattern.exec(output)?.[1] ?? 'installed';
}

/** The note for a peer that is missing: what it is and how to get it. */
export function missingNote(name) {
  if (name in COMMANDS)
    return `${name} is not installed: skipped (Debian: apt-get update && apt-get install -y ${COMMANDS[name].package})`;
  return `${name} is not installed: skipped (a devDependency: npm ci)`;
}

/** `{ version }` of a command, or `{ missing }` with what to install. */
export function checkCommand(name, run = spawnSync) {
  const result = run(name, COMMANDS[name].args, { encoding: 'utf8' });
  if (result.error !== undefined || result.status === null) return { missing: missingNote(name) };
  return { version: parseVersion(name, `${result.stdout ?? ''}${result.stderr ?? ''}`) };
}

/** `{ version }` of a module under node_modules, or `{ missing }`. */
export function checkModule(name) {
  const file = `${root}node_modules/${name}/package.json`;
  if (!existsSync(file)) return { missing: missingNote(name) };
  return { version: JSON.parse(readFileSync(file, 'utf8')).version };
}

/** Every tool and peer the suite knows: name -> { version } or { missing }. */
export function checkAll() {
  const found = new Map();
  for (const name of Object.keys(COMMANDS)) found.set(name, checkCommand(name));
  for (const name of MODULES) found.set(name, checkModule(name));
  return found;
}

/** `wrk 4.1.0-3+b2, nginx 1.22.1, uwsgi missing, ...` for the header. */
export function versionsLine(found) {
  return [...found].map(([name, state]) => `${name} ${state.version ?? 'missing'}`).join(', ');
}
