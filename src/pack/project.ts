// The packed app's project: its root (where its package.json is, else the config's directory), name and version, and where a file sits relative to that root.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Project {
  /** Absolute: the directory of the package.json nearest above the config file, else the config file's directory. */
  readonly root: string;
  readonly name: string | undefined;
  readonly version: string | undefined;
}

export function findProject(configFile: string): Project {
  const start = path.dirname(configFile);
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = readPackage(path.join(dir, 'package.json'));
    if (pkg !== undefined) return { root: dir, name: pkg.name, version: pkg.version };
    if (path.dirname(dir) === dir) return { root: start, name: undefined, version: undefined };
  }
}

function readPackage(file: string): { name?: string; version?: string } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const { name, version } = JSON.parse(text) as { name?: unknown; version?: unknown };
    return { ...(typeof name === 'string' && { name }), ...(typeof version === 'string' && { version }) };
  } catch {
    return {};
  }
}

/**
 * Where `file` goes under CORRAL_PACK_DIR ('/'-separated): its path from the project's root ('' for the root itself),
 * or, for a file outside the root, `_/` and its absolute path.
 */
export function packedPath(root: string, file: string): string {
  const relative = path.relative(root, file);
  if (relative === '') return ''; // the root itself
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  return (inside ? relative : `_/${path.resolve(file).replace(/^[/\\]+/, '')}`).split(path.sep).join('/');
}
