// Checks the paths a config names against the filesystem: directories that must exist, and the app module file (with extension probing).
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { extensionList, isLoadableExtension, MODULE_EXTENSIONS } from '../app/module-kinds.ts';

/** Extensions tried, in order, when `module` names a file without one; the same list the loader accepts. */
export const moduleExtensions: readonly string[] = MODULE_EXTENSIONS;

const statOf = (path: string) => statSync(path, { throwIfNoEntry: false });

/** Why `path` is not a usable directory, or undefined when it is one. */
export function directoryProblem(path: string): string | undefined {
  const stat = statOf(path);
  if (stat === undefined) return `directory "${path}" does not exist`;
  return stat.isDirectory() ? undefined : `"${path}" is not a directory`;
}

/**
 * The module file to load: `path` itself, or `path` plus the first extension that exists when it has none.
 * A file whose extension corral cannot load is a problem here, so `corral check` refuses what the loader would.
 */
export function findModuleFile(path: string): { file: string } | { problem: string } {
  const stat = statOf(path);
  if (stat?.isDirectory()) return { problem: `"${path}" is a directory; name the app's file` };
  const extension = extname(path);
  if (extension === '') {
    for (const candidate of moduleExtensions) if (statOf(path + candidate)?.isFile()) return { file: path + candidate };
  }
  if (stat?.isFile()) {
    if (isLoadableExtension(extension)) return { file: path };
    const has = extension === '' ? 'has no extension' : `has the extension "${extension}"`;
    return { problem: `"${path}" ${has}, and corral only loads ${extensionList()} files` };
  }
  if (extension === '') return { problem: `file "${path}" does not exist (also tried ${moduleExtensions.join(', ')})` };
  return { problem: `file "${path}" does not exist` };
}
