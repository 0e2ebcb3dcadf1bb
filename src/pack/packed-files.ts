// The static path's second file source: a packed app's static files, read from the executable's own pages with getRawAsset, and the disk for every other path.
import path from 'node:path';
import { diskFiles, type FileSource, type FileStats, type SourceHandle } from '../static/file-source.ts';
import { OWN_DIR, staticKey, type PackManifest } from './manifest.ts';
import { packManifest, rawAsset, runningSea } from './sea-assets.ts';

/** One packed file or directory as the static path sees it; a file's bytes are taken from the executable on first use. */
interface Entry {
  readonly stats: FileStats;
  readonly key: string | undefined;
  bytes: Buffer | undefined;
}

/** A packed file's stats: never changing, so a cached answer stays fresh; `ino` tells files apart. */
function statsOf(kind: 'file' | 'directory', ino: number, size: number, mtimeMs: number): FileStats {
  const isFile = kind === 'file';
  return {
    isFile: () => isFile,
    isDirectory: () => !isFile,
    dev: 0,
    ino,
    size,
    mtimeMs,
    ctimeMs: mtimeMs,
  };
}

function notFound(file: string): Error {
  return Object.assign(new Error(`ENOENT: no such packed file, '${file}'`), { code: 'ENOENT' });
}

/**
 * The files of `manifest.static` under `root` (CORRAL_PACK_DIR/.corral/static, where the packed config's static
 * directories point): directory N holds the Nth packed directory's files, whose bytes `assetBytes` gives (a view of
 * the executable's pages, from getRawAsset). Paths elsewhere go to the disk.
 */
export function packedFileSource(
  manifest: PackManifest,
  packDir: string,
  assetBytes: (key: string) => Buffer | undefined,
): FileSource {
  const root = path.join(packDir, OWN_DIR, 'static');
  const entries = new Map<string, Entry>();
  let ino = 1;
  const addDirectory = (dir: string): void => {
    while (!entries.has(dir) && dir.startsWith(root)) {
      entries.set(dir, { stats: statsOf('directory', ino++, 0, 0), key: undefined, bytes: undefined });
      dir = path.dirname(dir);
    }
  };
  manifest.static.forEach((files, index) => {
    addDirectory(path.join(root, String(index)));
    for (const file of files) {
      const full = path.join(root, String(index), ...file.path.split('/'));
      addDirectory(path.dirname(full));
      const stats = statsOf('file', ino++, file.size, file.mtimeMs);
      entries.set(full, { stats, key: staticKey(index, file.path), bytes: undefined });
    }
  });
  const inside = (file: string): boolean => file === root || file.startsWith(root + path.sep);
  const entryAt = (file: string): Entry | undefined => entries.get(path.resolve(file));
  const bytesOf = (entry: Entry): Buffer => {
    entry.bytes ??= assetBytes(entry.key!) ?? Buffer.alloc(0);
    return entry.bytes;
  };

  return {
    realpath: (file) => {
      if (!inside(file)) return diskFiles.realpath(file);
      return entryAt(file) === undefined ? Promise.reject(notFound(file)) : Promise.resolve(path.resolve(file));
    },
    exists: (file) => (inside(file) ? entryAt(file) !== undefined : diskFiles.exists(file)),
    stat: (file, follow) => (inside(file) ? entryAt(file)?.stats : diskFiles.stat(file, follow)),
    open: (file, flags) => {
      if (!inside(file)) return diskFiles.open(file, flags);
      const entry = entryAt(file);
      if (entry === undefined) return Promise.reject(notFound(file));
      return Promise.resolve(packedHandle(entry.stats, entry.key === undefined ? undefined : bytesOf(entry)));
    },
  };
}

/** An open packed file: its bytes are a view of the executable's pages (a directory has none). */
function packedHandle(stats: FileStats, bytes: Buffer | undefined): SourceHandle {
  const handle: SourceHandle = {
    read: (buffer, offset, length, position) => {
      const available = bytes === undefined ? 0 : Math.max(0, Math.min(length, bytes.length - position));
      if (available > 0) bytes!.copy(buffer, offset, position, position + available);
      return Promise.resolve({ bytesRead: available });
    },
    stat: () => Promise.resolve(stats),
    close: () => Promise.resolve(),
  };
  return bytes === undefined ? handle : { ...handle, bytes };
}

/** The file source of this worker: the packed one inside a packed executable (CORRAL_PACK_DIR set at start), else undefined. */
export function workerFileSource(): FileSource | undefined {
  const manifest = packManifest();
  const packDir = process.env.CORRAL_PACK_DIR;
  const sea = runningSea();
  if (sea === undefined || manifest === undefined || packDir === undefined || manifest.static.length === 0)
    return undefined;
  return packedFileSource(manifest, packDir, (key) => rawAsset(sea, key));
}
