// The framework apps of the frameworks group: the tests' builds (test/apps/frameworks.mjs), and, for a framework whose own server needs another build, the same test/apps/ sources built with another setting into .cache/bench/, once per change.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES = fileURLToPath(new URL('../../test/apps/', import.meta.url));
const CACHE = fileURLToPath(new URL('../../.cache/bench/', import.meta.url));
/** What an install or a build writes into an app's directory (the list test/apps/frameworks.mjs leaves out too). */
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

/**
 * The stamp of a variant build: the Node that builds it, the variant (its env, build arguments and added files) and
 * every source file of the app. A change to any of them rebuilds.
 */
function variantHash(sourceDir, variant, nodeVersion = process.version) {
  const hash = createHash('sha256').update(nodeVersion).update(JSON.stringify(variant));
  const walk = (at) => {
    for (const entry of readdirSync(at).sort()) {
      const full = join(at, entry);
      const rel = relative(sourceDir, full);
      if (OUTPUTS.has(rel.split('/')[0])) continue;
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(`${rel}\0`).update(readFileSync(full));
    }
  };
  walk(sourceDir);
  return hash.digest('hex');
}

/**
 * test/apps/<name> copied to .cache/bench/<name>-<variant.name>/ and built there with `npm ci` and
 * `npm run build -- ...variant.args`, with `variant.env` added to the build's environment and `variant.files`
 * (relative path -> text) written beside the sources first: a framework's own server that needs another setting than
 * the build corral serves (Nuxt's Nitro preset, Astro's standalone mode), from the same sources, never a second app.
 * Returns the directory; rebuilds only when variantHash changes. `log` gets one line per build.
 */
export function variantBuild(name, variant, log = (line) => process.stderr.write(`${line}\n`)) {
  const source = join(SOURCES, name);
  if (!existsSync(join(source, 'package.json'))) throw new Error(`test/apps/${name} has no package.json`);
  const spec = { env: variant.env ?? {}, args: variant.args ?? [], files: variant.files ?? {} };
  const target = join(CACHE, `${name}-${variant.name}`);
  const hash = variantHash(source, spec);
  if (existsSync(join(target, STAMP)) && readFileSync(join(target, STAMP), 'utf8') === hash) return target;
  const started = Date.now();
  rmSync(target, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  cpSync(source, target, { recursive: true, filter: (from) => !OUTPUTS.has(relative(source, from).split('/')[0]) });
  for (const [file, text] of Object.entries(spec.files)) writeFileSync(join(target, file), text);
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    ASTRO_TELEMETRY_DISABLED: '1',
    NUXT_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    CI: '1',
    ...spec.env,
  };
  const step = (args) => {
    try {
      execFileSync('npm', args, { cwd: target, stdio: ['ignore', 'pipe', 'pipe'], env, maxBuffer: 64 << 20 });
    } catch (error) {
      const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
      throw new Error(`${target}: npm ${args.join(' ')} failed\n${output.slice(-4000)}`);
    }
  };
  // NODE_ENV=production would make npm ci leave out the devDependencies the frameworks are pinned in.
  step(['ci', '--include=dev', '--no-audit', '--no-fund', '--loglevel=error']);
  step(['run', 'build', ...(spec.args.length > 0 ? ['--', ...spec.args] : [])]);
  writeFileSync(join(target, STAMP), hash);
  log(`.cache/bench/${name}-${variant.name}: installed and built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return target;
}
