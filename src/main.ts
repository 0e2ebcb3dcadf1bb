// The entry point: decides this process's role (a cluster worker, or the command line's master, single process or one-off command) and runs that role's part of the program.
import cluster from 'node:cluster';
import { runPart } from './parts.ts';

/** Each role's code, compressed (build/bundle.mjs): `command` (command line, config, master, single process) and `worker`. */
declare const CORRAL_PARTS: { command: string; worker: string };

// Nothing of this file is used once the role's part runs: its text, with the other role's, is then garbage.
if (cluster.isWorker) (runPart('worker', CORRAL_PARTS.worker).main as () => void)();
else (runPart('command', CORRAL_PARTS.command).main as (argv: string[]) => void)(process.argv.slice(2));
