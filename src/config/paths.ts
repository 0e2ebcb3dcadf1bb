// Checks the paths a config names against the filesystem: directories that must exist, and the app module file (with extension probing).
import { statSync } from 'node:fs';
import { extname } from 'node:path';

/** Extensions tried, in order, when `module` names a file without one that does not exist. */
export const moduleExtensions: readonly string[] = ['.js', '.mjs', '.cjs', '.ts'];

const statOf = (path: string) => statSync(path, { throwIfNoEntry: false });

/** Why `path` is not a usable directory, or undefined when it is one. */
export function directoryProblem(path: string): string | undefined {
  const stat = statOf(path);
  if (stat === undefined) return `directory "${path}" does not exist`;
  return stat.isDirectory() ? undefined : `"${path}" is not a directory`;
}

/** The module file to load: `path` itself, or `path` plus the first extension that exists when it has none. */
export function findModuleFile(path: string): { file: string } | { problem: string } {
  const stat = statOf(path);
  if (stat?.isFile()) return { file: path };
  if (stat?.isDirectory()) return { problem: `"${path}" is a directory; name the app's file` };
  if (extname(path) === '') {
    for (const extension of moduleExtensions) if (statOf(path + extension)?.isFile()) return { file: path + extension };
    return { problem: `file "${path}" does not exist (also tried ${moduleExtensions.join(', ')})` };
  }
  return { problem: `file "${path}" does not exist` };
}
