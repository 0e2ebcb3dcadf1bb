// The errors corral raises on purpose: each has a stable code, the exit code it leads to, and a message that names the fix.
import { ExitCode } from './exit-codes.ts';

export class CorralError extends Error {
  override name = 'CorralError';
  constructor(
    /** Stable identifier, e.g. CORRAL_CONFIG_INVALID. */
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/** The config or the command line is wrong. The message starts with where (file:line, env var or flag). */
export class ConfigError extends CorralError {
  override name = 'ConfigError';
  constructor(message: string, code = 'CORRAL_CONFIG_INVALID') {
    super(code, message, ExitCode.CONFIG);
  }
}

/** The app module could not be loaded or has no handler shape corral knows. */
export class AppLoadError extends CorralError {
  override name = 'AppLoadError';
  constructor(message: string, code = 'CORRAL_APP_LOAD') {
    super(code, message, ExitCode.APP_LOAD);
  }
}
