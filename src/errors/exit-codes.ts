// The process exit codes corral promises: each one names why it stopped, and which ones must not be restarted blindly.
export const ExitCode = {
  /** Clean stop: a signal asked for it and every worker finished its requests. */
  OK: 0,
  /**
   * Runtime failure, neither config nor app module: an unexpected error at start, requests still running at
   * graceful-timeout (workers killed, or a process that gave up draining), a worker that failed during a stop, or an
   * uncaught exception in the single process. A worker that keeps dying after a good start is not one: the master
   * replaces it after a backoff for as long as the master runs.
   */
  RUNTIME: 1,
  /** Bad config or usage: fix the config or the command line; restarting will not help. */
  CONFIG: 2,
  /** The app could not be loaded: fix the module; restarting will not help. */
  APP_LOAD: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
