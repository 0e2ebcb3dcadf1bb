// Resolves the logging settings (logto and its rotation, the access line's format and filters) into Config fields, checking at load that the log file can be written.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SettingValues } from './schema.ts';
import type { Config } from './types.ts';

type LoggingFields = Pick<Config, 'accessLog' | 'logFile'>;

/** Why `path` cannot be the log file (it cannot be appended to, nor created), or undefined when it can. */
function logFileProblem(path: string): string | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isDirectory() === true) return `"${path}" is a directory: name a file in it`;
  if (stats !== undefined) {
    try {
      accessSync(path, constants.W_OK);
      return undefined;
    } catch {
      return `"${path}" is not writable by this user: make it writable (chmod/chown) or name another file`;
    }
  }
  const dir = dirname(path);
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true)
    return `the directory "${dir}" does not exist: create it (mkdir -p) or name a file in an existing one`;
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch {
    return `the file "${path}" cannot be created: its directory is not writable by this user; make it writable or create the file`;
  }
}

/**
 * `logto` resolves against `base` and must be writable now (or creatable), so a bad path stops the start with exit 2
 * before any worker runs. The access line's settings stay absent when all are at their defaults, so a config without
 * them reads as before.
 */
export function resolveLogging(
  values: SettingValues,
  base: string,
  where: (key: 'logto' | 'log-maxsize' | 'touch-logreopen') => string,
  errors: string[],
  warnings: string[],
): LoggingFields {
  const fields: LoggingFields = {};
  const format = values['log-format'];
  const slowMs = values['log-slow'];
  if (format !== 'json' || slowMs > 0 || values['log-4xx'] || values['log-5xx']) {
    fields.accessLog = { format, log4xx: values['log-4xx'], log5xx: values['log-5xx'] };
    if (slowMs > 0) fields.accessLog.slowMs = slowMs;
  }
  if (values.logto === undefined) {
    if (values['log-maxsize'] > 0) warnings.push(`${where('log-maxsize')}ignored without logto (nothing to rotate)`);
    if (values['touch-logreopen'].length > 0)
      warnings.push(`${where('touch-logreopen')}ignored without logto (nothing to reopen)`);
    return fields;
  }
  const path = resolve(base, values.logto);
  const problem = logFileProblem(path);
  if (problem !== undefined) errors.push(`${where('logto')}${problem}`);
  fields.logFile = { path, backups: values['log-backups'] };
  if (values['log-maxsize'] > 0) fields.logFile.maxSize = values['log-maxsize'];
  if (values['touch-logreopen'].length > 0)
    fields.logFile.touchReopen = values['touch-logreopen'].map((file) => resolve(base, file));
  return fields;
}
