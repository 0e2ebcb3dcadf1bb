// Tells cheaply whether a cached file is still what is on disk: one synchronous stat per path, compared by identity and times.
import { diskFiles, type FileSource, type FileStats } from './file-source.ts';

/** What identifies one version of a file: a replaced file changes ino, an edited one size, mtime or ctime. */
export interface Signature {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/**
 * One path to check: it must still have `signature`, or still be absent when that is undefined. `follow` stats
 * through symlinks (the served path, whose mount root may be a flipped `current` link); siblings use lstat.
 */
export interface FreshnessCheck {
  readonly path: string;
  readonly follow: boolean;
  readonly signature: Signature | undefined;
}

export function signatureOf(stats: FileStats): Signature {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

/** The path's signature now (regular files only), or undefined when it is missing or not a regular file. */
export function signatureNow(path: string, follow: boolean, files: FileSource = diskFiles): Signature | undefined {
  let stats: FileStats | undefined;
  try {
    stats = files.stat(path, follow);
  } catch {
    return undefined; // ENOTDIR, ELOOP, EACCES: nothing servable there
  }
  return stats?.isFile() === true ? signatureOf(stats) : undefined;
}

/** True when every check still holds. Synchronous on purpose: an async stat costs a thread-pool round trip per request. */
export function isFresh(checks: readonly FreshnessCheck[], files: FileSource = diskFiles): boolean {
  for (const check of checks) {
    const now = signatureNow(check.path, check.follow, files);
    if (!sameSignature(now, check.signature)) return false;
  }
  return true;
}

function sameSignature(a: Signature | undefined, b: Signature | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}
