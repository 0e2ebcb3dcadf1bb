// Decides, without touching the disk, which file under a mount directory a raw URL remainder names, or why it is refused.
import path from 'node:path';

/**
 * Why a path is refused. `dotfile` means "not ours to serve" (the request falls through to the app);
 * every other reason marks a malformed or hostile path that gets a 400.
 */
export type RefusalReason =
  | 'bad-encoding' // percent-encoding that does not decode to valid UTF-8
  | 'nul-byte' // a NUL character, which would truncate the path in the OS
  | 'backslash' // a '\', a path separator on Windows and never needed in a URL
  | 'traversal' // a '..' that climbs above the mount directory
  | 'outside-root' // the joined path left the mount directory (a guard that should never fire)
  | 'dotfile'; // a segment starting with '.', e.g. .env, .git/config, .well-known

export type ResolvedPath =
  | {
      readonly ok: true;
      /** Absolute path under the mount directory (not yet checked on disk). */
      readonly file: string;
      /** Decoded, normalized path segments relative to the mount directory. */
      readonly segments: readonly string[];
      /** True when the URL ended in '/' (false for an empty remainder, i.e. the bare prefix). */
      readonly trailingSlash: boolean;
    }
  | { readonly ok: false; readonly reason: RefusalReason };

/** Removes the query string and any fragment from a raw request target. */
export function stripQuery(rawTarget: string): string {
  const end = rawTarget.search(/[?#]/);
  return end === -1 ? rawTarget : rawTarget.slice(0, end);
}

/** Maps the raw remainder after a mount prefix (query string already removed, see stripQuery) to a file under `root`, or refuses it. */
export function resolveStaticPath(root: string, rawPath: string): ResolvedPath {
  // 1. The caller removed the query string (it never names part of the file) before matching the mount.

  // 2. Percent-decode exactly once. Malformed escapes and invalid UTF-8 (including overlong
  //    forms such as %c0%ae) make decodeURIComponent throw. '%252e' becomes the literal '%2e'.
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return refuse('bad-encoding');
  }

  // 3. A NUL byte would cut the path short inside the OS.
  if (decoded.includes('\0')) return refuse('nul-byte');

  // 4. Backslashes (literal or %5c) are separators on Windows; a URL never needs one.
  if (decoded.includes('\\')) return refuse('backslash');

  // 5. Normalize: split on '/' (decoded %2f counts as a separator too), drop empty and '.' segments,
  //    and let '..' remove the previous segment.
  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      // 6. A '..' with nothing left to remove would climb above the mount directory.
      if (segments.length === 0) return refuse('traversal');
      segments.pop();
      continue;
    }
    segments.push(segment);
  }

  // 7. Segments starting with '.' (dotfiles, .git/, .env, .well-known) are never served from disk.
  if (segments.some((segment) => segment.startsWith('.'))) return refuse('dotfile');

  // 8. Containment: compare with path.relative, never a bare startsWith(root), so that a
  //    sibling such as /srv/static-private can never pass for /srv/static.
  const file = path.join(root, ...segments);
  if (!isInside(root, file)) return refuse('outside-root');

  const trailingSlash = rawPath.endsWith('/');
  return { ok: true, file, segments, trailingSlash };
}

/** True when `candidate` is `root` itself or lies below it. Both must be absolute. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;
  if (path.isAbsolute(relative)) return false; // another drive on Windows
  return relative !== '..' && !relative.startsWith(`..${path.sep}`);
}

function refuse(reason: RefusalReason): ResolvedPath {
  return { ok: false, reason };
}
