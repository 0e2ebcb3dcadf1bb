// The entry point: decides this process's role (a cluster worker, or the command line's master, single process or one-off command) and runs that role's part of the program.
import cluster from 'node:cluster';
import { runPart } from './parts.ts';

/**
 * Each role's code, compressed (build/bundle.mjs): `command` (command line, config, master, and the single process's
 * start) and `worker`; and the libraries only some configs use (acme-client, mime-db, yaml) and the single process's code
 * (`single`), which the role's part keeps until its config says whether it needs them.
 */
declare const CORRAL_PARTS: { command: string; worker: string; libraries: Record<string, string> };

// Nothing of this file is used once the role's part runs: its text, with the other role's, is then garbage.
if (cluster.isWorker) {
  // A worker never talks to the ACME server: the master does (see src/master/certificates.ts). Nor is it a single process.
  const { 'acme-client': _acme, single: _single, ...libraries } = CORRAL_PARTS.libraries;
  (runPart('worker', CORRAL_PARTS.worker).main as (libraries: Record<string, string>) => void)(libraries);
} else {
  const main = runPart('command', CORRAL_PARTS.command).main as (
    argv: string[],
    libraries: Record<string, string>,
  ) => void;
  main(process.argv.slice(2), CORRAL_PARTS.libraries);
}
