// The framework apps of the frameworks group: the tests' builds (test/apps/frameworks.mjs), and, for a framework whose own server needs another build, the same test/apps/ sources built with another setting into .cache/bench/, once per change.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../test/apps/frameworks.mjs';

const CACHE = fileURLToPath(new URL('../../.cache/bench/', import.meta.url));

/**
 * test/apps/<name> built into .cache/bench/<name>-<variant.name>/ with `variant.env`, `variant.args` and
 * `variant.files` (see buildApp): a framework's own server that needs another setting than the build corral serves
 * (Nuxt's Nitro preset, Astro's standalone mode), from the same sources, never a second app.
 */
export function variantBuild(name, variant, log = (line) => process.stderr.write(`${line}\n`)) {
  return buildApp(name, join(CACHE, `${name}-${variant.name}`), variant, log);
}
