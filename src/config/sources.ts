// Turns each config source (a read config file, CORRAL_* env vars, CLI values) into raw settings that remember where they came from.
import type { Origin } from './origin.ts';
import type { ReadResult } from './readers/read-result.ts';
import { envName, flagName } from './setting.ts';
import { settingList } from './schema.ts';

/** One setting as some source gave it: the name as written (a key or an alias), the raw value, and its origin. */
export interface RawSetting {
  written: string;
  value: unknown;
  origin: Origin;
  /** Given more than once in the same source (e.g. a repeated INI key): `value` is the list of occurrences. */
  repeated: boolean;
}

export function fileSettings(result: ReadResult, file: string): RawSetting[] {
  return Object.keys(result.values).map((key) => ({
    written: key,
    value: result.values[key],
    origin: { kind: 'file', file, line: result.lines[key], itemLines: result.itemLines[key] },
    repeated: result.repeated.includes(key),
  }));
}

/**
 * `CORRAL_<KEY>` for every setting and alias (`-` becomes `_`). Empty variables count as unset. List settings take a
 * comma-separated list (`https`, whose items hold commas, a semicolon-separated one). Other CORRAL_* variables are left alone: corral uses some internally.
 */
export function envSettings(env: Record<string, string | undefined>): RawSetting[] {
  const found: RawSetting[] = [];
  for (const setting of settingList) {
    for (const name of [setting.key, ...setting.aliases]) {
      const variable = envName(name);
      const text = env[variable];
      if (text === undefined || text.trim() === '') continue;
      const value = setting.list
        ? text
            .split(setting.envSeparator)
            .map((item) => item.trim())
            .filter((item) => item !== '')
        : text;
      found.push({ written: name, value, origin: { kind: 'env', name: variable }, repeated: false });
    }
  }
  return found;
}

/** Values from the command line, keyed by setting name as typed (`workers`); `origins` maps each to the flag typed (`--no-master`). */
export function cliSettings(values: Record<string, unknown>, origins: Record<string, string> = {}): RawSetting[] {
  return Object.keys(values).map((key) => ({
    written: key,
    value: values[key],
    origin: { kind: 'cli', flag: origins[key] ?? flagName(key) },
    repeated: false,
  }));
}
