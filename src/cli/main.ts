// The part of the program a process runs when it is not a cluster worker: the command line, config, master and single process.
import { exitWhenDone } from '../errors/exit.ts';
import { keepParts } from '../parts.ts';
import { runCommand } from './run.ts';

/** Runs the command `argv` asks for and exits with its code; `libraries` are the entry's library parts (src/parts.ts). */
export function main(argv: string[], libraries: Record<string, string>): void {
  keepParts(libraries);
  exitWhenDone(runCommand(argv));
}
