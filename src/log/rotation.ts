// Rotation of a log file by size: the numbered backups' renames (FILE.1 newest), computed apart from the renaming itself.
import { renameSync, truncateSync } from 'node:fs';

/**
 * The renames that rotate `path` keeping `backups` numbered backups, in the order they must run: FILE.(n-1) ->
 * FILE.n first (which replaces, so drops, the oldest FILE.n), ... FILE.1 -> FILE.2, and FILE -> FILE.1 last.
 * No rename with no backups: the file is emptied in place instead (see rotateLogFile).
 */
export function rotationRenames(path: string, backups: number): Array<[from: string, to: string]> {
  const renames: Array<[string, string]> = [];
  for (let n = backups - 1; n >= 1; n--) renames.push([`${path}.${n}`, `${path}.${n + 1}`]);
  if (backups > 0) renames.push([path, `${path}.1`]);
  return renames;
}

/**
 * Rotates `path`: after it, FILE.1 holds what FILE held and FILE is gone until the caller reopens it (processes still
 * writing to the file they had open write to FILE.1 until then: nothing is lost). A backup that does not exist yet is
 * skipped. With no backups, the file is truncated in place: the processes' O_APPEND writes go on at its new end.
 */
export function rotateLogFile(path: string, backups: number): void {
  if (backups === 0) return truncateSync(path, 0);
  for (const [from, to] of rotationRenames(path, backups)) {
    try {
      renameSync(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || from === path) throw err;
    }
  }
}
