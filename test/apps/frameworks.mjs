// Builds the framework test apps (test/apps/<framework>/, each with its own package.json and lockfile) into .cache/apps/, once per change of their sources.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The frameworks of issue 14, each a directory of test/apps/ built with `npm ci && npm run build`. */
export const FRAMEWORKS = ['next', 'nuxt', 'sveltekit', 'astro', 'react-router', 'nestjs', 'tanstack-start'];

const SOURCES = fileURLToPath(new URL('.', import.meta.url));
const CACHE = fileURLToPath(new URL('../../.cache/apps/', import.meta.url));
/** What a build or an install writes into an app's directory: never part of its sources. */
const OUTPUTS = new Set([
  'node_modules',
  '.next',
  '.output',
  '.nuxt',
  '.svelte-kit',
  'build',
  'dist',
  '.astro',
  '.react-router',
  '.tanstack',
  '.vinxi',
  '.corral-build',
]);
const STAMP = '.corral-build';

/** The built copy of `name` under .cache/apps/ (built first when missing or stale); throws with the build's log tail. */
export function builtApp(name) {
  const source = join(SOURCES, name);
  if (!existsSync(join(source, 'package.json'))) throw new Error(`test/apps/${name} has no package.json`);
  const target = join(CACHE, name);
  const hash = sourceHash(source);
  if (existsSync(join(target, STAMP)) && readFileSync(join(target, STAMP), 'utf8') === hash) return target;
  const started = Date.now();
  rmSync(target, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  cpSync(source, target, { recursive: true, filter: (from) => !OUTPUTS.has(relative(source, from).split('/')[0]) });
  const log = join(CACHE, `${name}.log`);
  writeFileSync(log, '');
  const step = (args) => {
    try {
      execFileSync('npm', args, {
        cwd: target,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: buildEnv(),
        maxBuffer: 64 << 20,
      });
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
      writeFileSync(log, output, { flag: 'a' });
      throw new Error(`test/apps/${name}: npm ${args.join(' ')} failed (log: ${log})\n${output.slice(-4000)}`);
    }
  };
  // The build's NODE_ENV=production would make npm ci leave out devDependencies, where the frameworks are pinned.
  step(['ci', '--include=dev', '--no-audit', '--no-fund', '--loglevel=error']);
  step(['run', 'build']);
  writeFileSync(join(target, STAMP), hash);
  process.stderr.write(`test/apps/${name}: installed and built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return target;
}

/** The build's environment: no telemetry, no colours, production mode. */
function buildEnv() {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    ASTRO_TELEMETRY_DISABLED: '1',
    NUXT_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    CI: '1',
  };
  delete env.CORRAL_ENTRY;
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TEST') delete env[key];
  return env;
}

/** A hash of every source file of the app (not its outputs), and of the Node that builds it. */
function sourceHash(dir) {
  const hash = createHash('sha256').update(process.version);
  const walk = (at) => {
    for (const entry of readdirSync(at).sort()) {
      const full = join(at, entry);
      const rel = relative(dir, full);
      if (OUTPUTS.has(rel.split('/')[0])) continue;
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(`${rel}\0`).update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

// `node test/apps/frameworks.mjs [name...]`: build ahead of `npm test` (all frameworks when none is named).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names =
    process.argv.length > 2
      ? process.argv.slice(2)
      : FRAMEWORKS.filter((n) => existsSync(join(SOURCES, n, 'package.json')));
  for (const name of names) console.log(`${name}: ${builtApp(name)}`);
}
