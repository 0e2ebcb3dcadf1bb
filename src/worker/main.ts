// The part of the program a cluster worker runs: no command line, no config schema, no master.
import { exitWhenDone } from '../errors/exit.ts';
import { keepParts } from '../parts.ts';
import { runWorkerProcess } from './entry.ts';

/** Runs this process as the worker the master forked; it exits when the worker is done (see supervised.ts). */
export function main(libraries: Record<string, string>): void {
  keepParts(libraries);
  exitWhenDone(runWorkerProcess().then(() => undefined));
}
