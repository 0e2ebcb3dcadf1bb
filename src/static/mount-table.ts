// Picks the static-map mount a request path belongs to: longest URL prefix that matches on a segment boundary.
import type { StaticMount } from '../config/types.ts';

/** One row of the precomputed table: a mount plus the lazily computed real path of its directory. */
export interface MountEntry {
  readonly prefix: string;
  readonly dir: string;
  /** Resolves to realpath(dir), computed on first use; a failed lookup is retried on the next call. */
  readonly realRoot: () => Promise<string>;
  /**
   * Runs realpath(dir) again and caches the result (concurrent calls share one lookup). For a root that is
   * a symlink flipped by a deploy (`current -> releases/N`): the caller does this after a containment miss.
   */
  readonly reloadRealRoot: () => Promise<string>;
}

/** The sorted table; build it once per config with buildMountTable(). */
export interface MountTable {
  readonly rows: readonly { readonly urlPrefix: string; readonly entry: MountEntry }[];
}

export interface MountMatch {
  readonly entry: MountEntry;
  /** The raw (still percent-encoded) path after the prefix: '' or starting with '/'. */
  readonly remainder: string;
}

/** Precomputes the table: one row per spelling of each prefix, longest first so the first hit is the best. */
export function buildMountTable(
  mounts: readonly StaticMount[],
  realpath: (dir: string) => Promise<string>,
): MountTable {
  const rows: { urlPrefix: string; entry: MountEntry }[] = [];
  for (const mount of mounts) {
    const entry = createEntry(mount, realpath);
    // Requests carry the prefix percent-encoded when it holds characters such as spaces or non-ASCII letters.
    const spellings = new Set([mount.prefix, encodeURI(mount.prefix)]);
    for (const urlPrefix of spellings) rows.push({ urlPrefix, entry });
  }
  // Array.prototype.sort is stable: equal-length prefixes keep their config order, so the first one wins.
  rows.sort((a, b) => b.urlPrefix.length - a.urlPrefix.length);
  return { rows };
}

/** Finds the mount for a raw URL path (query already removed), or undefined when none matches. */
export function matchMount(table: MountTable, rawPath: string): MountMatch | undefined {
  for (const { urlPrefix, entry } of table.rows) {
    if (urlPrefix === '/') {
      if (rawPath.startsWith('/')) return { entry, remainder: rawPath };
      continue;
    }
    if (rawPath === urlPrefix) return { entry, remainder: '' };
    // The character after the prefix must be a '/', so '/static' never claims '/staticky'.
    if (rawPath.startsWith(urlPrefix) && rawPath.charAt(urlPrefix.length) === '/') {
      return { entry, remainder: rawPath.slice(urlPrefix.length) };
    }
  }
  return undefined;
}

function createEntry(mount: StaticMount, realpath: (dir: string) => Promise<string>): MountEntry {
  let cached: Promise<string> | undefined;
  let reloading: Promise<string> | undefined;
  const load = (): Promise<string> => {
    const pending = realpath(mount.dir);
    cached = pending;
    // Forget a failure so a directory created after start-up is picked up later.
    pending.catch(() => {
      if (cached === pending) cached = undefined;
    });
    return pending;
  };
  const realRoot = (): Promise<string> => cached ?? load();
  const reloadRealRoot = (): Promise<string> => {
    reloading ??= load().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };
  return { prefix: mount.prefix, dir: mount.dir, realRoot, reloadRealRoot };
}
