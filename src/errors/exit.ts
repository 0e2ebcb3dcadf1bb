// How the main promise of a process ends it: with its exit code, or with a fatal error printed for the person at the terminal.
import { CorralError } from './corral-error.ts';
import { ExitCode } from './exit-codes.ts';
import { reportFatal } from './report.ts';

/** Exits with the code `run` resolves with; undefined keeps the process running (a worker serves until told to stop). */
export function exitWhenDone(run: Promise<number | undefined>): void {
  run.then(
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
}
