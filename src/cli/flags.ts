// The command-line flag table, derived from the settings table: --key and --alias for each setting, --no-key for booleans, ignored uWSGI flags.
import type { ConfigFormat } from '../config/readers/read-config-file.ts';
import { settingList } from '../config/schema.ts';
import { flagName, type Setting } from '../config/setting.ts';
import { ignoredOptions } from '../config/uwsgi-ignored.ts';

export type FlagSpec =
  /** A setting flag; `name` is the key or alias it was typed as. `negated` for --no-key. */
  | { kind: 'setting'; name: string; setting: Setting; negated: boolean }
  /** A uWSGI flag corral accepts and ignores (loadConfig warns about it). */
  | { kind: 'ignored'; name: string; takesValue: boolean };

/** Flags that name the config file; the uWSGI-style ones also fix its format. */
export const configFileFlags: ReadonlyMap<string, ConfigFormat | undefined> = new Map<string, ConfigFormat | undefined>(
  [
    ['--config', undefined],
    ['--ini', 'ini'],
    ['--yaml', 'yaml'],
    ['--json', 'json'],
  ],
);

function buildFlagTable(): Map<string, FlagSpec> {
  const table = new Map<string, FlagSpec>();
  for (const setting of settingList) {
    for (const name of [setting.key, ...setting.aliases]) {
      table.set(flagName(name), { kind: 'setting', name, setting, negated: false });
      if (setting.isBoolean) table.set(`--no-${name}`, { kind: 'setting', name, setting, negated: true });
    }
  }
  for (const option of ignoredOptions)
    table.set(flagName(option.key), { kind: 'ignored', name: option.key, takesValue: option.takesValue });
  return table;
}

export const flagTable: ReadonlyMap<string, FlagSpec> = buildFlagTable();

/** Every flag corral knows, for did-you-mean. */
export const knownFlags: readonly string[] = [...flagTable.keys(), ...configFileFlags.keys(), '--help', '--version'];
