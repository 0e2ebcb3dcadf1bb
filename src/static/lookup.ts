// Finds and opens the regular file a resolved path names on disk, refusing symlink escapes, hidden targets and special files.
import { constants, type Stats } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
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
  /** True when the request named a directory and this is its index.html. */
  readonly fromDirectory: boolean;
  /** Read-only handle; whoever receives a FoundFile must close it. */
  readonly handle: FileHandle;
  /** fstat of the open handle, so type, size and mtime describe exactly what will be read. */
  readonly stats: Stats;
}

/**
 * What a lookup found: an open file, nothing to serve, or a real path outside the root. `outside` is a
 * symlink leading out, or a root that was itself a symlink and has been flipped since `realRoot` was taken.
 */
export type Lookup = { readonly kind: 'found'; readonly file: FoundFile } | { readonly kind: 'missing' | 'outside' };

// O_NOFOLLOW refuses a final component turned into a symlink after realpath(); O_NONBLOCK keeps open() from
// hanging on a FIFO; O_NOCTTY keeps a terminal device from becoming ours. What got opened is told by fstat.
const OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

// Errors that mean "there is no file for you here"; anything else (EMFILE, EIO...) is a server fault and is thrown.
const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES', 'EPERM', 'ENAMETOOLONG', 'ENXIO']);

const MISSING = { kind: 'missing' } as const;
const OUTSIDE = { kind: 'outside' } as const;

/**
 * Opens the file at `candidate`, or its index.html when it is a directory. FIFOs, sockets, devices and
 * index-less directories are never served; a file swapped for another regular file meanwhile (an atomic
 * deploy) is served as it now is. `realRoot` must be the realpath of the mount directory.
 */
export async function lookupFile(realRoot: string, candidate: string): Promise<Lookup> {
  const target = await openInside(realRoot, candidate);
  if (target.kind !== 'directory') return target.kind === 'file' ? found(target, candidate, false) : target;
  // Look the index up from the directory's real path, and check it again: index.html may itself be a symlink.
  const index = await openInside(realRoot, path.join(target.realPath, INDEX_FILE));
  return index.kind === 'file' ? found(index, path.join(candidate, INDEX_FILE), true) : MISSING;
}

type Opened =
  | { kind: 'file'; realPath: string; handle: FileHandle; stats: Stats }
  | { kind: 'directory'; realPath: string }
  | { kind: 'missing' | 'outside' };

/** Follows symlinks, checks the real path is inside the root and not hidden, then opens it and lets fstat say what it is. */
async function openInside(realRoot: string, candidate: string): Promise<Opened> {
  const realPath = await orNotFound(realpath(candidate));
  if (realPath === undefined) return MISSING;
  if (!isInside(realRoot, realPath)) return OUTSIDE;
  // A symlink such as public/config.txt -> ../.env.local must not expose a hidden file either.
  if (path.relative(realRoot, realPath).split(path.sep).some((segment) => segment.startsWith('.'))) return MISSING;

  let handle: FileHandle | undefined;
  try {
    handle = await orNotFound(open(realPath, OPEN_FLAGS));
  } catch (err) {
    // Where a directory cannot be opened (Windows), open() itself says what it is.
    if (errorCode(err) === 'EISDIR') return { kind: 'directory', realPath };
    throw err;
  }
  if (handle === undefined) return MISSING; // vanished or replaced since realpath(): "not found", not a crash
  let stats: Stats;
  try {
    stats = await handle.stat();
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
  if (stats.isFile()) return { kind: 'file', realPath, handle, stats };
  await handle.close().catch(() => {});
  return stats.isDirectory() ? { kind: 'directory', realPath } : MISSING;
}

function found(opened: { realPath: string; handle: FileHandle; stats: Stats }, requestedPath: string, fromDirectory: boolean): Lookup {
  return { kind: 'found', file: { realPath: opened.realPath, requestedPath, fromDirectory, handle: opened.handle, stats: opened.stats } };
}

async function orNotFound<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (err) {
    if (NOT_FOUND_CODES.has(errorCode(err))) return undefined;
    throw err;
  }
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? '';
}
