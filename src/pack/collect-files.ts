// Lists the regular files under a directory for packing: symlinks followed, hidden names and special files left out.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PackedFile } from './manifest.ts';

/** A file to pack: where it is read from, and how it is listed in the manifest. */
export interface FileToPack extends PackedFile {
  readonly source: string;
}

/**
 * Every regular file under `dir` with its path relative to `dir`. Hidden names are left out, as the static path never
 * serves them; a symlink is packed as the file it leads to (the static-safe check happens here, at pack time).
 */
export function collectFiles(dir: string): FileToPack[] {
  const found: FileToPack[] = [];
  const seen = new Set<string>();
  const walk = (current: string, prefix: string): void => {
    const real = realpathSync(current);
    if (seen.has(real)) return; // a symlink loop
    seen.add(real);
    for (const name of readdirSync(current).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(current, name);
      const stats = statSync(full, { throwIfNoEntry: false });
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      if (stats?.isDirectory()) walk(full, relative);
      else if (stats?.isFile()) found.push({ source: full, path: relative, size: stats.size, mtimeMs: stats.mtimeMs });
    }
  };
  walk(dir, '');
  return found;
}

/** One file, as --include FILE packs it. */
export function fileToPack(source: string, packed: string): FileToPack {
  const stats = statSync(source);
  return { source, path: packed, size: stats.size, mtimeMs: stats.mtimeMs };
}
