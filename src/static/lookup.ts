// Finds and opens the regular file a resolved path names on disk, refusing symlink escapes, hidden targets and special files.
import { constants } from 'node:fs';
import path from 'node:path';
import { diskFiles, type FileSource, type FileStats, type SourceHandle } from './file-source.ts';
import { isInside } from './resolve-path.ts';

/** The files served for a URL that names a directory, unless `static-index` says otherwise. */
export const DEFAULT_INDEXES: readonly string[] = ['index.html'];

/** What a lookup may serve besides the mount's own tree. */
export interface LookupRules {
  /** Names tried in order for a directory. */
  readonly indexes: readonly string[];
  /** Real paths of `static-safe` directories that symlinks may lead into. */
  readonly safeRoots: readonly string[];
  /** Where the files are read from (default: the disk). */
  readonly files?: FileSource;
}

const DEFAULT_RULES: LookupRules = { indexes: DEFAULT_INDEXES, safeRoots: [] };

/** A regular file, open and ready to send. */
export interface FoundFile {
  /** The real (symlink-free) path of the opened file. */
  readonly realPath: string;
  /** The path as requested (with index.html appended for a directory); its extension picks the Content-Type. */
  readonly requestedPath: string;
  /** True when the request named a directory and this is its index file. */
  readonly fromDirectory: boolean;
  /** The path (symlinks not followed) whose stat identifies this file later: the candidate, or candidate/index. */
  readonly checkPath: string;
  /** Index paths tried before the one found, which were missing: one appearing later changes what is served. */
  readonly missingIndexes: readonly string[];
  /** Read-only handle; whoever receives a FoundFile must close it. */
  readonly handle: SourceHandle;
  /** fstat of the open handle, so type, size and mtime describe exactly what will be read. */
  readonly stats: FileStats;
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
export async function lookupFile(
  realRoot: string,
  candidate: string,
  rules: LookupRules = DEFAULT_RULES,
): Promise<Lookup> {
  const files = rules.files ?? diskFiles;
  if (nothingThere(candidate, rules.indexes, files)) return MISSING;
  const target = await openInside(realRoot, candidate, rules.safeRoots, files);
  if (target.kind !== 'directory') return target.kind === 'file' ? found(target, candidate, false, []) : target;
  const missingIndexes: string[] = [];
  for (const name of rules.indexes) {
    // Look the index up from the directory's real path, and check it again: it may itself be a symlink.
    const index = await openInside(realRoot, path.join(target.realPath, name), rules.safeRoots, files);
    if (index.kind === 'file') return found(index, path.join(candidate, name), true, missingIndexes);
    missingIndexes.push(path.join(candidate, name));
  }
  return MISSING;
}

/**
 * True when no file can be behind `candidate`: nothing there, or a directory with none of the index files. Under an
 * app's routes (check-static at "/", as for a framework's build) most lookups are such misses; one synchronous stat
 * each answers them, where realpath() and open() would take a thread-pool round trip and build an error per miss (a
 * server-rendered page lost a quarter of its speed to them). It only ever says "missing": whatever is there still goes
 * through every check of openInside.
 */
export function nothingThere(candidate: string, indexes: readonly string[], files: FileSource = diskFiles): boolean {
  const stats = statOrUndefined(candidate, files);
  if (stats === null) return false; // a stat that failed otherwise (ENOTDIR, EACCES...): openInside tells
  if (stats === undefined) return true;
  if (!stats.isDirectory()) return false;
  return indexes.every((name) => !files.exists(path.join(candidate, name)));
}

/** A path's stats (following symlinks); undefined when nothing is there; null when the stat failed for another reason. */
function statOrUndefined(file: string, files: FileSource): FileStats | undefined | null {
  // existsSync answers the common miss with no Stats object (and no error) to build.
  if (!files.exists(file)) return undefined;
  try {
    return files.stat(file, true);
  } catch {
    return null;
  }
}

type Opened =
  | { kind: 'file'; realPath: string; handle: SourceHandle; stats: FileStats }
  | { kind: 'directory'; realPath: string }
  | { kind: 'missing' | 'outside' };

/** Follows symlinks, checks the real path is inside the root and not hidden, then opens it and lets fstat say what it is. */
async function openInside(
  realRoot: string,
  candidate: string,
  safeRoots: readonly string[],
  files: FileSource,
): Promise<Opened> {
  const realPath = await orNotFound(files.realpath(candidate));
  if (realPath === undefined) return MISSING;
  const base = isInside(realRoot, realPath) ? realRoot : safeRoots.find((safe) => isInside(safe, realPath));
  if (base === undefined) return OUTSIDE;
  // A symlink such as public/config.txt -> ../.env.local must not expose a hidden file either.
  if (
    path
      .relative(base, realPath)
      .split(path.sep)
      .some((segment) => segment.startsWith('.'))
  )
    return MISSING;

  let handle: SourceHandle | undefined;
  try {
    handle = await orNotFound(files.open(realPath, OPEN_FLAGS));
  } catch (err) {
    // Where a directory cannot be opened (Windows), open() itself says what it is.
    if (errorCode(err) === 'EISDIR') return { kind: 'directory', realPath };
    throw err;
  }
  if (handle === undefined) return MISSING; // vanished or replaced since realpath(): "not found", not a crash
  let stats: FileStats;
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

function found(
  opened: { realPath: string; handle: SourceHandle; stats: FileStats },
  requestedPath: string,
  fromDirectory: boolean,
  missingIndexes: readonly string[],
): Lookup {
  const { realPath, handle, stats } = opened;
  return {
    kind: 'found',
    file: { realPath, requestedPath, fromDirectory, checkPath: requestedPath, missingIndexes, handle, stats },
  };
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
