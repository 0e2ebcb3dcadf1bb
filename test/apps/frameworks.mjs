// Builds the framework test apps (test/apps/<framework>/, each with its own package.json and lockfile) into .cache/, once per change of their sources.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
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
  return buildApp(name, join(CACHE, name));
}

/**
 * test/apps/<name> copied to `target` and built there with `npm ci` and `npm run build -- ...variant.args`, with
 * `variant.env` added to the build's environment and `variant.files` (relative path -> text) written beside the
 * sources first (the bench builds a framework's own server this way: the same sources with another setting). Returns
 * `target`; rebuilds only when the Node, the variant or a source file changed. `log` gets one line per build.
 */
export function buildApp(name, target, variant = {}, log = (line) => process.stderr.write(`${line}\n`)) {
  const source = join(SOURCES, name);
  if (!existsSync(join(source, 'package.json'))) throw new Error(`test/apps/${name} has no package.json`);
  const spec = { env: variant.env ?? {}, args: variant.args ?? [], files: variant.files ?? {} };
  const hash = sourceHash(source, spec);
  if (existsSync(join(target, STAMP)) && readFileSync(join(target, STAMP), 'utf8') === hash) return target;
  const started = Date.now();
  rmSync(target, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  cpSync(source, target, { recursive: true, filter: (from) => !OUTPUTS.has(relative(source, from).split('/')[0]) });
  for (const [file, text] of Object.entries(spec.files)) writeFileSync(join(target, file), text);
  const logFile = join(dirname(target), `${basename(target)}.log`);
  writeFileSync(logFile, '');
  const env = { ...buildEnv(), ...spec.env };
  const step = (args) => {
    try {
      execFileSync('npm', args, { cwd: target, stdio: ['ignore', 'pipe', 'pipe'], env, maxBuffer: 64 << 20 });
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
      writeFileSync(logFile, output, { flag: 'a' });
      throw new Error(`${target}: npm ${args.join(' ')} failed (log: ${logFile})\n${output.slice(-4000)}`);
    }
  };
  // The build's NODE_ENV=production would make npm ci leave out devDependencies, where the frameworks are pinned.
  step(['ci', '--include=dev', '--no-audit', '--no-fund', '--loglevel=error']);
  step(['run', 'build', ...(spec.args.length > 0 ? ['--', ...spec.args] : [])]);
  writeFileSync(join(target, STAMP), hash);
  log(
    `${relative(process.cwd(), target) || target}: installed and built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return target;
}

/** The build's environment: production, no telemetry or colours, no vitest variables. */
export function buildEnv() {
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

/** A hash of the Node that builds, the variant, and every source file of the app (not its outputs). */
function sourceHash(dir, spec) {
  const hash = createHash('sha256').update(process.version).update(JSON.stringify(spec));
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
