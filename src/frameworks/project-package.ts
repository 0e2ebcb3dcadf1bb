// Imports a package as the project's own code would (its ESM entry, from the project's node_modules), for corral's glue.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importUrl } from '../app/import-url.ts';

/** The conditions an `import` from the project matches in a package's `exports`, as Node's resolver does. */
const CONDITIONS = new Set(['node', 'import', 'default']);

/**
 * The namespace of package `name` (or its `subpath`, "./x") as `import name from` in `dir` would give it: the first node_modules up from `dir`
 * that holds it, its `exports["."]` entry under the import conditions (else `main`, else index.js). The same copy
 * the project's build imports, so the glue and the build share one module instance (no dual-package split).
 */
export async function importFromProject(dir: string, name: string, subpath = '.'): Promise<Record<string, unknown>> {
  const root = packageRoot(dir, name);
  if (root === undefined) throw new Error(`cannot find the package "${name}" from ${dir} (is it installed there?)`);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports?: unknown;
    main?: string;
  };
  const entry =
    subpath === '.'
      ? (exportEntry(manifest.exports) ?? manifest.main ?? 'index.js')
      : exportEntry(subpathTarget(manifest.exports, subpath));
  if (entry === undefined) throw new Error(`the package "${name}" in ${root} does not export "${subpath}"`);
  return importUrl(pathToFileURL(join(root, entry)).href);
}

/** True when `dir` or a directory above it has node_modules/`name`. */
export function projectHas(dir: string, name: string): boolean {
  return packageRoot(dir, name) !== undefined;
}

/** The `exports` entry of a subpath ("./adapters/node"), if the map names it. */
function subpathTarget(exports: unknown, subpath: string): unknown {
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return undefined;
  return (exports as Record<string, unknown>)[subpath];
}

function packageRoot(from: string, name: string): string | undefined {
  let at = from;
  for (;;) {
    const candidate = join(at, 'node_modules', name);
    if (statSync(join(candidate, 'package.json'), { throwIfNoEntry: false })?.isFile()) return candidate;
    const up = dirname(at);
    if (up === at) return undefined;
    at = up;
  }
}

/** The target of `exports` for "." under CONDITIONS: a string, a conditions object (first matching key), or "." of a map. */
function exportEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (Array.isArray(exports)) {
    for (const item of exports) {
      const found = exportEntry(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof exports !== 'object' || exports === null) return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return exportEntry(map['.']);
  for (const [condition, target] of Object.entries(map)) {
    if (!CONDITIONS.has(condition)) continue;
    const found = exportEntry(target);
    if (found !== undefined) return found;
  }
  return undefined;
}
