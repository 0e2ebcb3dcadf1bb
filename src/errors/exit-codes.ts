// The process exit codes corral promises: each one names why it stopped, and which ones must not be restarted blindly.
export const ExitCode = {
  /** Clean stop: a signal asked for it and every worker finished its requests. */
  OK: 0,
  /** Runtime failure: something broke after a good start (a worker could not be kept alive, workers were killed at graceful-timeout). */
  RUNTIME: 1,
  /** Bad config or usage: fix the config or the command line; restarting will not help. */
  CONFIG: 2,
  /** The app could not be loaded: fix the module; restarting will not help. */
  APP_LOAD: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
