// Finds and opens the regular file a resolved path names on disk, refusing symlink escapes, hidden targets and special files.
import { constants, type Stats } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from './resolve-path.ts';

/** The file served for a URL that names a directory. */
export const INDEX_FILE = 'index.html';

/** A regular file, open and ready to send. */
export interface FoundFile {
  /** The real (symlink-free) path of the opened file. */
  readonly realPath: string;
  /** The path as requested (with index.html appended for a directory); its extension picks the Content-Type. */
  readonly requestedPath: string;
  /** Read-only handle; whoever receives a FoundFile must close it. */
  readonly handle: FileHandle;
  /** fstat of the open handle, so size and mtime describe exactly what will be read. */
  readonly stats: Stats;
}

// O_NOFOLLOW refuses a final component turned into a symlink after realpath(); O_NONBLOCK keeps open() from
// hanging on a FIFO swapped in after stat(); O_NOCTTY keeps a terminal device from becoming ours.
const OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

// Errors that mean "there is no file for you here"; anything else (EMFILE, EIO...) is a server fault and is thrown.
const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'EPERM', 'ENAMETOOLONG', 'EISDIR', 'ENXIO']);

/**
 * Opens the file at `candidate`, or its index.html when it is a directory. Resolves undefined when there is
 * nothing to serve: missing, a symlink leading outside `realRoot` or to a hidden name, or not a regular file.
 * `realRoot` must be the realpath of the mount directory.
 */
export async function lookupFile(realRoot: string, candidate: string): Promise<FoundFile | undefined> {
  const target = await inspect(realRoot, candidate);
  if (target === undefined) return undefined;
  if (target.stats.isFile()) return openRegular(target, candidate);
  if (target.stats.isDirectory()) {
    // Look the index up from the directory's real path, and check it again: index.html may itself be a symlink.
    const index = await inspect(realRoot, path.join(target.realPath, INDEX_FILE));
    if (index?.stats.isFile()) return openRegular(index, path.join(candidate, INDEX_FILE));
  }
  // FIFOs, sockets, devices and index-less directories are never served.
  return undefined;
}

interface Target {
  realPath: string;
  stats: Stats;
}

/** Follows symlinks, then checks the real path is inside the root, not hidden, and stat-able. */
async function inspect(realRoot: string, candidate: string): Promise<Target | undefined> {
  const realPath = await orNotFound(realpath(candidate));
  if (realPath === undefined) return undefined;
  if (!isInside(realRoot, realPath)) return undefined;
  // A symlink such as public/config.txt -> ../.env.local must not expose a hidden file either.
  if (path.relative(realRoot, realPath).split(path.sep).some((segment) => segment.startsWith('.'))) return undefined;
  const stats = await orNotFound(stat(realPath));
  return stats === undefined ? undefined : { realPath, stats };
}

/**
 * Opens the file and checks that what got opened is a regular file. A file swapped for another regular file
 * in between (an atomic deploy) is served as it now is; anything else is "not found".
 */
async function openRegular(target: Target, requestedPath: string): Promise<FoundFile | undefined> {
  // The file may vanish or be replaced between stat() and open(): that is "not found", not a crash.
  const handle = await orNotFound(open(target.realPath, OPEN_FLAGS));
  if (handle === undefined) return undefined;
  let stats: Stats;
  try {
    stats = await handle.stat();
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
  if (stats.isFile()) return { realPath: target.realPath, requestedPath, handle, stats };
  await handle.close().catch(() => {});
  return undefined;
}

async function orNotFound<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (err) {
    if (NOT_FOUND_CODES.has((err as NodeJS.ErrnoException | undefined)?.code ?? '')) return undefined;
    throw err;
  }
}
