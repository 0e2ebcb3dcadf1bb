// The part of the program a process runs when it is not a cluster worker: the command line, config, master and single process.
import { exitWhenDone } from '../errors/exit.ts';
import { runCommand } from './run.ts';

/** Runs the command `argv` asks for and exits with its code. */
export function main(argv: string[]): void {
  exitWhenDone(runCommand(argv));
}
