// The entry point: decides this process's role (a cluster worker, or the command line's master, single process or one-off command) and runs it.
import cluster from 'node:cluster';
import { CorralError } from './errors/corral-error.ts';
import { ExitCode } from './errors/exit-codes.ts';
import { reportFatal } from './errors/report.ts';

/**
 * Resolves with the exit code, or with undefined when the process keeps serving (a worker). Each role's code is
 * imported when the role is known, so a worker never initialises the config schema and a master never the app loader.
 */
async function main(argv: string[]): Promise<number | undefined> {
  if (cluster.isWorker) {
    const { runWorkerProcess } = await import('./worker/entry.ts');
    await runWorkerProcess();
    return undefined;
  }
  const { runCommand } = await import('./cli/run.ts');
  return runCommand(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof CorralError) {
      reportFatal(err.message);
      process.exit(err.exitCode);
    }
    reportFatal(`unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(ExitCode.RUNTIME);
  },
);
