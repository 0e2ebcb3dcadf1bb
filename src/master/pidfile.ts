// The master's pidfile: written at start for `corral reload` and `corral stop`, removed at exit (with vacuum) only if it still names this master.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../errors/corral-error.ts';

export function writePidfile(path: string): void {
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError(
      `pidfile ${path}: cannot write it (${code}); pick a path in a directory corral can write to`,
      'CORRAL_PIDFILE',
    );
  }
}

/** Removes `path` if it holds this process's pid: a pidfile another master wrote since is left alone. */
export function removePidfile(path: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
  } catch {
    // Gone already: nothing to clean.
  }
}
