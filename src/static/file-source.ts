// Where the static path reads files from: the disk, or another source with the same few operations (a packed app's files inside the executable).
import { existsSync, lstatSync, statSync } from 'node:fs';
import { open, realpath } from 'node:fs/promises';

/** What the static path needs to know of a file: its kind, identity, size and times (fs.Stats has all of it). */
export interface FileStats {
  isFile(): boolean;
  isDirectory(): boolean;
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/** An open file (fs's FileHandle is one). */
export interface SourceHandle {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<FileStats>;
  close(): Promise<void>;
  /**
   * The whole file as bytes already in memory that no one writes to (a packed file: a view of the executable's
   * mapped pages). The static path sends such a view as it is instead of reading a copy.
   */
  readonly bytes?: Buffer;
}

/** The operations the static path performs on files, each with fs's meaning and errors (ENOENT and the like). */
export interface FileSource {
  realpath(path: string): Promise<string>;
  /** existsSync: true when something is at `path` (following symlinks). */
  exists(path: string): boolean;
  /** statSync (`follow`) or lstatSync without throwing for a missing path: undefined then. */
  stat(path: string, follow: boolean): FileStats | undefined;
  open(path: string, flags: number): Promise<SourceHandle>;
}

/** The disk, through node:fs. */
export const diskFiles: FileSource = {
  realpath: (path) => realpath(path),
  exists: existsSync,
  stat: (path, follow) =>
    follow ? statSync(path, { throwIfNoEntry: false }) : lstatSync(path, { throwIfNoEntry: false }),
  open: (path, flags) => open(path, flags),
};
