// What one setting declares, and the names derived from its key: the CLI flag (--static-map) and env var (CORRAL_STATIC_MAP).
import type { ValueType } from './value-type.ts';
import { booleanType } from './values/boolean.ts';

export interface SettingSpec<T> {
  /** Config-file name, kebab-case. */
  key: string;
  /** Other names for the same setting (each also gets a flag and an env var). */
  aliases?: readonly string[];
  /** Validates and coerces one value (for a list: one item). */
  type: ValueType<T>;
  /** A list setting: repeat the key/flag, or give a YAML/JSON list, or a comma-separated env var. */
  list?: boolean;
  /** What separates the items of a list in its env var (default ","), for items that hold commas themselves. */
  envSeparator?: string;
  /** A list whose items are NAME=VALUE pairs: a YAML/JSON mapping is accepted too, each pair becoming one item. */
  mapping?: boolean;
  /** Default, written as a user would write it (for a list: the list); undefined = not set. */
  default: unknown;
  /** One line for --help and the docs. */
  description: string;
  /** Stands for the value in --help, e.g. PREFIX=DIR. */
  placeholder: string;
}

export interface Setting<T = unknown> {
  readonly key: string;
  readonly aliases: readonly string[];
  readonly type: ValueType<T>;
  readonly list: boolean;
  /** What separates the items of a list in its env var. */
  readonly envSeparator: string;
  /** Also accepts a YAML/JSON mapping, each pair becoming a `NAME=VALUE` item. */
  readonly mapping: boolean;
  /** A boolean flag: `--key` means true, `--no-key` false, and it never takes the next argument as its value. */
  readonly isBoolean: boolean;
  readonly default: unknown;
  readonly description: string;
  readonly placeholder: string;
  /** `--key` */
  readonly flag: string;
  /** `CORRAL_KEY` */
  readonly env: string;
}

export const flagName = (key: string): string => `--${key}`;
export const envName = (key: string): string => `CORRAL_${key.toUpperCase().replace(/-/g, '_')}`;

export function defineSetting<T>(spec: SettingSpec<T>): Setting<T> {
  return Object.freeze({
    key: spec.key,
    aliases: Object.freeze([...(spec.aliases ?? [])]),
    type: spec.type,
    list: spec.list ?? false,
    mapping: spec.mapping ?? false,
    envSeparator: spec.envSeparator ?? ',',
    isBoolean: (spec.type as ValueType<unknown>) === booleanType,
    default: spec.default,
    description: spec.description,
    placeholder: spec.placeholder,
    flag: flagName(spec.key),
    env: envName(spec.key),
  });
}

/** The default as shown in --help and the docs: `127.0.0.1:8080`, `1`, `true`, or `none`. */
export function defaultText(setting: Setting): string {
  const value = setting.default;
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return 'none';
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}
